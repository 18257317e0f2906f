"""spec → Lean 4 statements in the style of FVAPPS.

Helpers become `def`s (recursive ones end with `decreasing_by all_goals sorry`: the
termination argument is not part of the spec), the method becomes `def … := sorry`, and
each ensures clause becomes a theorem `requires → clause` with a `sorry` proof.

Mapping: int → Int (every integer expression is computed in Int; Nat values are cast),
nat → Nat, bool → Bool (as a proposition: `b = true`), real → Rat (core Lean, exact;
`.Floor` is `Rat.floor`), char → Char, string → String
(indexed through `toList`), seq<T> and array<T> → List T, set<T> → List T read up to
membership, multiset<T> → List T read up to permutation (`List.Perm`; `m[x]`, the
multiplicity, is `List.count x m` as an Int), map<K, V> →
List (K × V) read through `List.lookup`. An index `s[i]` becomes `s[i.toNat]!`. A method
that modifies arrays returns their new contents after its out-parameters; in the
theorems the new contents are named `a'` and `old(a)` is `a`. Everything sits in a
`noncomputable section` with `open Classical`, so any proposition can be tested by `if`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from verifier.specs import model as m
from verifier.specs.generics import datatype_at
from verifier.specs.typecheck import ExprTypes, expression_types
from verifier.translators.spec_bounds import free_vars

_KEYWORDS = {
    "at", "by", "do", "else", "end", "fun", "have", "if", "in", "let", "match", "then", "theorem",
    "def", "from", "open", "show", "where", "with", "structure", "class", "instance", "section",
    "namespace", "variable", "universe", "example", "import", "mut", "for", "return", "deriving",
}


def lean_name(name: str) -> str:
    name = name.replace("?", "_p")
    return f"«{name}»" if name in _KEYWORDS else name


@cache
def _prelude_names() -> frozenset[str]:
    text = files("verifier.translators").joinpath("lean_prelude_names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def decl_name(name: str) -> str:
    """The Lean name of a spec's method or helper: a name the prelude already declares at
    the root (`Max`, `min`, `Id`) gets a trailing `_`, or Lean refuses the `def`."""
    name = name.replace("?", "_p")
    return f"{name}_" if name in _prelude_names() else lean_name(name)


def lean_type(t: m.Type) -> str:
    match t:
        case m.IntType():
            return "Int"
        case m.NatType():
            return "Nat"
        case m.BoolType():
            return "Bool"
        case m.RealType():
            return "Rat"
        case m.CharType():
            return "Char"
        case m.StringType():
            return "String"
        case m.SeqType(m.CharType()):
            return "String"
        case m.SeqType(e) | m.ArrayType(e) | m.SetType(e) | m.MultisetType(e):
            return f"List {_paren(lean_type(e))}"
        case m.MapType(k, v):
            return f"List ({lean_type(k)} × {lean_type(v)})"
        case m.DatatypeType(name, args):  # a generic one applied to its arguments: `Option_ Int`
            return " ".join((decl_name(name), *(_paren(lean_type(a)) for a in args)))
        case m.TypeVarType(name):
            return lean_name(name)
        case m.ArrowType(ps, r):
            return "(" + " → ".join(lean_type(x) for x in (*ps, r)) + ")"
    return "Int"


def _type_binders(tps: tuple[m.TypeParam, ...]) -> str:
    """`{T : Type} [Inhabited T] [DecidableEq T]`: Dafny's `(==)` is Lean's DecidableEq;
    Inhabited lets `s[i]!` index a `List T` (Dafny's s[i] is only defined in range anyway)."""
    out = []
    for tp in tps:
        name = lean_name(tp.name)
        out.append(f"{{{name} : Type}} [Inhabited {name}]" + (f" [DecidableEq {name}]" if tp.equality else ""))
    return " ".join(out)


def _head(name: str, tps: tuple[m.TypeParam, ...], ps: tuple[m.Param, ...]) -> str:
    """`Name {T : Type} ... (x : T) ...`: a declaration's name and binders."""
    return " ".join(part for part in (name, _type_binders(tps), _binders(ps)) if part)


def _as_int(s: str) -> str:
    """`(s : Int)`, unless s is already such an ascription as a whole."""
    if s.startswith("(") and s.endswith(" : Int)"):
        depth = 0
        for i, c in enumerate(s):
            depth += (c == "(") - (c == ")")
            if depth == 0:
                if i == len(s) - 1:
                    return s
                break
    return f"({s} : Int)"


def _paren(s: str) -> str:
    return f"({s})" if " " in s else s


def _atom(s: str) -> str:
    """s as one argument: parenthesized unless it has no space or is one group already."""
    if s.startswith("("):
        depth = 0
        for i, c in enumerate(s):
            depth += (c == "(") - (c == ")")
            if depth == 0:
                return s if i == len(s) - 1 else f"({s})"
        return f"({s})"  # unbalanced (a parenthesis inside a literal): wrap to be safe
    return _paren(s)


def _is_str(t: m.Type | None) -> bool:
    return isinstance(t, m.StringType) or (isinstance(t, m.SeqType) and isinstance(t.elem, m.CharType))


def _is_int(t: m.Type | None) -> bool:
    return isinstance(t, (m.IntType, m.NatType))


class _Lean:
    def __init__(self, spec: m.Spec, types: ExprTypes, env: dict[str, m.Type],
                 renames: dict[str, str] | None = None, *, statement: bool = False) -> None:
        self.spec = spec
        # a theorem's statement may not name the matcher Lean generates for a `match`
        # (the Lean backend refuses it: `T.isFork.match_1`); there a match is written
        # with the datatype's tests and accessors instead
        self.statement = statement
        self.types = types
        self.env = dict(env)  # names in scope, for nodes built here (the types come from the checker)
        self.helpers = {h.name: h for h in spec.helpers}
        self.renames = renames or {}
        self.in_old = False

    # ----------------------------------------------------------------- types
    def type_of(self, e: m.Expr) -> m.Type | None:
        return self.types.of(e, self.env)

    def _with(self, vs: tuple[m.BoundVar, ...], fn):  # type: ignore[no-untyped-def]
        saved = dict(self.env)
        for v in vs:
            self.env[v.name] = v.type or m.IntType()
        try:
            return fn()
        finally:
            self.env = saved

    # ----------------------------------------------------------------- rendering
    def var(self, name: str) -> str:
        if not self.in_old and name in self.renames:
            return self.renames[name]
        return lean_name(name)

    def prop(self, e: m.Expr) -> str:
        """e as a Lean proposition (Bool-valued variables and elements become `x = true`)."""
        if isinstance(e, m.Let):
            # the body decides: `var c := f(s); 2 * c > n` is a Prop already and must not
            # become `(…) = true` (a Prop compared with a Bool)
            v, value, body = e.var, e.value, e.body
            inner = self._with((m.BoundVar(v.name, v.type or self.type_of(value)),), lambda: self.prop(body))
            return f"(let {lean_name(v.name)} := {self.val(value)}; {inner})"
        if isinstance(e, (m.Var, m.Index, m.IsCtor)) and isinstance(self.type_of(e), m.BoolType):
            return f"({self.val(e)} = true)"
        if isinstance(e, m.Member) and isinstance(self.type_of(e), m.BoolType):
            return f"({self.val(e)} = true)"
        return self.val(e)

    def num(self, e: m.Expr) -> str:
        """An integer-valued expression as an Int."""
        t = self.type_of(e)
        s = self.val(e)
        if isinstance(t, m.NatType) or (isinstance(e, m.Call) and isinstance(t, m.NatType)):
            return f"({s} : Int)"
        return s

    def val(self, e: m.Expr) -> str:
        # Long on purpose: one case per expression kind; splitting would scatter the dispatch.
        match e:
            case m.IntLit(v):
                return str(v) if v >= 0 else f"({v})"
            case m.RealLit(v):
                whole = f"({v.numerator} : Rat)"
                return whole if v.denominator == 1 else f"({whole} / {v.denominator})"
            case m.Convert():
                return self._convert(e)
            case m.Member(obj, "Floor"):
                return f"(({self.val(obj)} : Rat).floor)"
            case m.BoolLit(v):
                return "True" if v else "False"
            case m.CharLit(v):
                return repr(v).replace("'", "'") if v != "'" else "'\\''"
            case m.StrLit(v):
                return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
            case m.Var(name):
                return self.var(name)
            case m.Unary("!", a):
                return f"¬{self.prop(a)}"
            case m.Unary(_, a):
                return f"(-{self.num(a)})"
            case m.Binary() if (same := m.array_identity(e)) is not None:
                return str(same)  # `True` / `False`: Lean holds a parameter's contents, never an alias
            case m.Binary(op, a, b):
                return self.binary(op, a, b)
            case m.Ite(c, a, b):
                if _is_int(self.type_of(a)):
                    return f"(if {self.prop(c)} then {self.num(a)} else {self.num(b)})"
                if isinstance(self.type_of(a), m.BoolType):
                    return f"(if {self.prop(c)} then {self.prop(a)} else {self.prop(b)})"
                return f"(if {self.prop(c)} then {self.val(a)} else {self.val(b)})"
            case m.Quantifier(kind, vs, rng, body):
                def render() -> str:
                    binders = " ".join(f"({lean_name(v.name)} : {lean_type(v.type or m.IntType())})" for v in vs)
                    if kind == "forall":
                        inner = self.prop(body) if rng is None else f"{self.prop(rng)} → {self.prop(body)}"
                        return f"(∀ {binders}, {inner})"
                    inner = self.prop(body) if rng is None else f"{self.prop(rng)} ∧ {self.prop(body)}"
                    return f"(∃ {binders}, {inner})"
                return self._with(vs, render)
            case m.SetComp(vs, rng, term):
                return self._comprehension(vs, rng, term)
            case m.MapComp(v, rng, value):
                return self._map_comprehension(v, rng, value)
            case m.Let(v, value, body):
                inner = self._with((m.BoundVar(v.name, v.type or self.type_of(value)),), lambda: self.val(body))
                return f"(let {lean_name(v.name)} := {self.val(value)}; {inner})"
            case m.Index(s, i):
                return self._index(s, i)
            case m.Slice(s, lo, hi):
                t = self.type_of(s)
                base = f"{self.val(s)}.toList" if _is_str(t) else self.val(s)
                out = base
                if hi is not None:
                    out = f"({out}.take {self.nat(hi)})"
                if lo is not None:
                    out = f"({out}.drop {self.nat(lo)})"
                return f"(String.mk {out})" if _is_str(t) else out
            case m.Update(s, k, v):
                t = self.type_of(s)
                if isinstance(t, m.MapType):
                    return f"(({self.val(k)}, {self.val(v)}) :: {self.val(s)}.filter (fun {_E} => {_E}.1 ≠ {self.val(k)}))"
                return f"({self.val(s)}.set {self.nat(k)} {self.val(v)})"
            case m.Member(obj, "Length"):
                return f"({self.val(obj)}.length : Int)"
            case m.Member() | m.IsCtor() | m.Construct():
                return self._datatype_val(e)
            case m.Match():
                return self._match(e)
            case m.Card(a):
                t = self.type_of(a)
                if isinstance(t, m.SetType):
                    return f"({self.val(a)}.eraseDups.length : Int)"
                return f"({self.val(a)}.length : Int)"
            case m.Call():
                return self._call(e)
            case m.SeqInit():
                return self._seq_init(e)
            case m.Old(a):
                saved, self.in_old = self.in_old, True
                try:
                    return self.val(a)
                finally:
                    self.in_old = saved
            case m.MultisetOf(a):
                t = self.type_of(a)
                return f"{self.val(a)}.toList" if _is_str(t) else self.val(a)
            case m.SeqDisplay(xs) | m.SetDisplay(xs) | m.MultisetDisplay(xs):
                return "[" + ", ".join(self.elem(x) for x in xs) + "]"
            case m.MapDisplay(items):
                return "[" + ", ".join(f"({self.elem(k)}, {self.elem(v)})" for k, v in items) + "]"
        return "sorry"

    def _convert(self, e: m.Convert) -> str:
        """`n as real`, `n as char`, `c as int` (the code), `r as int` (Dafny defines it only
        for a whole r: the floor then)."""
        match e:
            case m.Convert(a, m.RealType()):
                return f"({_as_int(self.num(a))} : Rat)"
            case m.Convert(a, m.CharType()):
                return f"(Char.ofNat {self.nat(a)})"
            case m.Convert(a, _) if isinstance(self.type_of(a), m.CharType):
                return f"({_paren(self.val(a))}.toNat : Int)"
        return f"(({self.val(e.operand)} : Rat).floor)"

    def _index(self, s: m.Expr, i: m.Expr) -> str:
        """`s[i]` of a sequence or string (`s[i.toNat]!`), a map (lookup), a multiset (the
        multiplicity, `List.count`: 0 when absent, as in Dafny)."""
        t = self.type_of(s)
        if isinstance(t, m.MapType):
            return f"(({self.val(s)}.lookup {self.val(i)}).getD default)"
        if isinstance(t, m.MultisetType):
            x = _atom(self._arg_for(i, t.elem))
            if isinstance(t.elem, m.BoolType):  # a Bool, not the Prop `val` makes of it
                x = str(i.value).lower() if isinstance(i, m.BoolLit) else f"(decide {self.prop(i)})"
            return f"((List.count {x} {_atom(self.val(s))} : Nat) : Int)"
        base = f"{self.val(s)}.toList" if _is_str(t) else self.val(s)
        return f"{base}[{self.nat(i)}]!"

    def _datatype_val(self, e: m.Member | m.IsCtor | m.Construct) -> str:
        """A field (its accessor), a constructor test `D.isC`, a constructor application
        (see `render_datatypes`)."""
        match e:
            case m.Member(obj, name):
                return f"({self._dt(obj)}.{lean_name(name)} {_paren(self.val(obj))})"
            case m.IsCtor(obj, ctor):
                return f"({self._dt(obj)}.is{ctor} {_paren(self.val(obj))})"
            case m.Construct(name, args):
                dt = next(d for d in self.spec.datatypes if d.ctor(name) is not None)
                head = f"{decl_name(dt.name)}.{lean_name(name)}"
                at = self.type_of(e)
                if dt.type_params and isinstance(at, m.DatatypeType) and at.args:
                    # the instance's type arguments explicitly: `None` alone leaves Lean
                    # nothing to infer them from, and `Some 3` would make 3 a Nat
                    dt = datatype_at(self.spec.datatypes, at)
                    head = " ".join((f"@{head}", *(_paren(lean_type(a)) for a in at.args)))
                ctor = dt.ctor(name)
                assert ctor is not None
                parts = [self._arg_for(a, f.type) for a, f in zip(args, ctor.fields, strict=True)]
                return f"({' '.join((head, *(_paren(r) for r in parts)))})" if parts or " " in head else head

    def _match(self, e: m.Match) -> str:
        """`(match t with | D.C x _ => a | D.E => b)`: constructors qualified as `Construct`
        writes them; case bodies rendered as the branches of an `if` (Int, Prop or value)."""
        dt = e.datatype
        assert dt is not None, "a match reaches the renderers only type checked"
        kind = self.type_of(e)
        if self.statement:
            return self._match_as_tests(e, dt, kind)
        arms = []
        for c in e.cases:
            names = [m.WILDCARD if v.name == m.WILDCARD else lean_name(v.name) for v in c.vars]
            pattern = " ".join([f"{decl_name(dt.name)}.{lean_name(c.ctor)}", *names]) if c.ctor else names[0]
            bound = tuple(v for v in c.vars if v.name != m.WILDCARD)
            arms.append(f"| {pattern} => {self._with(bound, lambda b=c.body: self._branch(b, kind))}")
        return f"(match {self.val(e.scrutinee)} with {' '.join(arms)})"

    def _branch(self, body: m.Expr, kind: m.Type | None) -> str:
        """A case body as an `if` branch: an Int, a Prop or a value."""
        if _is_int(kind):
            return self.num(body)
        return self.prop(body) if isinstance(kind, m.BoolType) else self.val(body)

    def _match_as_tests(self, e: m.Match, dt: m.Datatype, kind: m.Type | None) -> str:
        """`(if (D.isC t) = true then (let x := (D.f t); a) else b)`: the cases in order,
        the last one untested (the match is exhaustive), its variables bound by `let` to
        the accessors (`render_datatypes`), a catch-all's to the value."""
        scrutinee = self.val(e.scrutinee)
        qualified = decl_name(dt.name)
        out = ""
        for i in reversed(range(len(e.cases))):
            c = e.cases[i]
            ctor = dt.ctor(c.ctor) if c.ctor is not None else None
            sources = [f"({qualified}.{lean_name(f.name)} {_paren(scrutinee)})" for f in ctor.fields] if ctor else [scrutinee]
            lets = [(v, src) for v, src in zip(c.vars, sources, strict=True) if v.name != m.WILDCARD]
            body = self._with(tuple(v for v, _ in lets), lambda b=c.body: self._branch(b, kind))
            if lets:
                body = "(" + "".join(f"let {lean_name(v.name)} := {src}; " for v, src in lets) + body + ")"
            if i == len(e.cases) - 1:
                out = body
            else:
                out = f"(if ({qualified}.is{c.ctor} {_paren(scrutinee)}) = true then {body} else {out})"
        return out

    def _arg_for(self, a: m.Expr, t: m.Type) -> str:
        """An argument for a parameter (or a field) of type t."""
        if isinstance(t, m.NatType):
            return self.nat(a)
        return self.num(a) if _is_int(t) else self.val(a)

    def _dt(self, obj: m.Expr) -> str:
        t = self.type_of(obj)
        return decl_name(t.name) if isinstance(t, m.DatatypeType) else "sorry"
    def _call(self, e: m.Call) -> str:
        """A helper's call; a function-typed parameter's application."""
        if e.name not in self.helpers:
            return self._apply(e)
        rendered = [self._arg_for(a, p.type) for a, p in zip(e.args, self.helpers[e.name].params, strict=False)]
        return f"({decl_name(e.name)} {' '.join(_paren(r) for r in rendered)})"

    def _apply(self, e: m.Call) -> str:
        """`f(x)` of a function-typed parameter: Lean application, int arguments as Int."""
        fn = self.env.get(e.name)
        kinds = fn.params if isinstance(fn, m.ArrowType) else ()
        rendered = [self.num(a) if _is_int(k) else self.val(a) for a, k in zip(e.args, kinds, strict=False)]
        return f"({self.var(e.name)} {' '.join(_paren(r) for r in rendered)})"

    def _seq_init(self, e: m.SeqInit) -> str:
        """`seq(n, i => body)`: the Nat index shadowed by the Int the body uses."""
        name = lean_name(e.var.name)
        inner = self._with((m.BoundVar(e.var.name, m.IntType()),), lambda: self.elem(e.body))
        return f"((List.range {self.nat(e.length)}).map (fun ({name} : Nat) => let {name} : Int := {name}; {inner}))"

    def nat(self, e: m.Expr) -> str:
        """An integer expression as a Nat index (negative values clamp to 0, as Int.toNat)."""
        if isinstance(e, m.IntLit) and e.value >= 0:
            return str(e.value)
        if isinstance(self.type_of(e), m.NatType):
            return self.val(e)
        s = self.num(e)
        # `(if c then 0 else k).toNat` would elaborate the 0 as a Nat: ascribe Int
        return f"{s}.toNat" if s.isidentifier() else f"{_as_int(s)}.toNat"

    def elem(self, e: m.Expr) -> str:
        return self.num(e) if _is_int(self.type_of(e)) else self.val(e)

    def _comprehension(self, vs: tuple[m.BoundVar, ...], rng: m.Expr, term: m.Expr | None) -> str:
        from verifier.translators.spec_bounds import (
            IntDomain,
            MemberDomain,
            NotBounded,
            domains,
            guard_of,
        )

        try:
            doms = domains(vs, guard_of("exists", rng, None))
        except NotBounded:
            return "sorry"
        if len(doms) != 1:
            return "sorry"
        d = doms[0]
        v = lean_name(d.var.name)
        if isinstance(d, IntDomain):
            src = f"((List.range (({self.num(d.hi)}) - ({self.num(d.lo)})).toNat).map (fun ({_E} : Nat) => ({self.num(d.lo)}) + ({_E} : Int)))"
        elif isinstance(d, MemberDomain):
            src = self.val(d.coll)
        else:
            src = "[false, true]"
        cond = self._with(vs, lambda: self.prop(rng))
        t = self._with(vs, lambda: self.elem(term)) if term is not None else v
        return f"((({src}).filter (fun {v} => decide ({cond}))).map (fun {v} => {t}))"

    def _map_comprehension(self, v: m.BoundVar, rng: m.Expr, value: m.Expr) -> str:
        keys = self._comprehension((v,), rng, None)
        val = self._with((v,), lambda: self.elem(value))
        return f"({keys}.map (fun {lean_name(v.name)} => ({lean_name(v.name)}, {val})))"

    def binary(self, op: str, a: m.Expr, b: m.Expr) -> str:
        logic = {"&&": "∧", "||": "∨", "==>": "→", "<==>": "↔"}
        if op in logic:
            return f"({self.prop(a)} {logic[op]} {self.prop(b)})"
        ta = self.type_of(a)
        if op in ("==", "!="):
            if isinstance(ta, m.BoolType):
                s = f"({self.prop(a)} ↔ {self.prop(b)})"
            elif isinstance(ta, m.SetType):
                x, y = self._pair(a, b)
                s = f"(∀ {_E}, {_E} ∈ {x} ↔ {_E} ∈ {y})"
            elif isinstance(ta, m.MultisetType):
                x, y = self._pair(a, b)
                s = f"(List.Perm {_paren(x)} {_paren(y)})"
            elif _is_int(ta):
                s = f"({self.num(a)} = {self.num(b)})"
            elif isinstance(ta, m.SeqType):
                x, y = self._pair(a, b)
                s = f"({x} = {y})"
            else:
                s = f"({self.val(a)} = {self.val(b)})"
            return s if op == "==" else f"¬{s}"
        if op in ("in", "!in"):
            s = self._membership(a, b)
            return s if op == "in" else f"¬{s}"
        if op in ("<", "<=", ">", ">="):
            sym = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[op]
            if isinstance(ta, (m.SetType, m.MultisetType)):
                x, y = self._pair(a, b)
                return f"(∀ {_E}, {_E} ∈ {x} → {_E} ∈ {y})"
            if _is_int(ta):
                return f"({self.num(a)} {sym} {self.num(b)})"
            return f"({self.val(a)} {sym} {self.val(b)})"
        if op == "+" and not (_is_int(ta) or isinstance(ta, m.RealType)):
            return "({} ++ {})".format(*self._pair(a, b))
        if op == "-" and isinstance(ta, m.SetType):
            return "({}.filter (fun {e} => decide ¬({e} ∈ {})))".format(*self._pair(a, b), e=_E)
        if op == "*" and isinstance(ta, m.SetType):
            return "({}.filter (fun {e} => decide ({e} ∈ {})))".format(*self._pair(a, b), e=_E)
        return f"({self.num(a)} {op} {self.num(b)})"

    def _membership(self, a: m.Expr, b: m.Expr) -> str:
        tb = self.type_of(b)
        if isinstance(tb, m.MapType):
            return f"(({self.val(b)}.lookup {self.elem(a)}).isSome = true)"
        if _is_str(tb):
            return f"({self.elem(a)} ∈ {self.val(b)}.toList)"
        if isinstance(self.type_of(a), m.NatType) and self._nat_elems(b) is not False:
            return f"({self.val(a)} ∈ {self._side(b, nat=True)})"
        return f"({self.elem(a)} ∈ {self._side(b, nat=False)})"

    def _pair(self, a: m.Expr, b: m.Expr) -> tuple[str, str]:
        """Two collections an operator joins, at one element type. Dafny's `seq<nat>` is a
        `seq<int>`, Lean's `List Nat` is no `List Int`: displays of `nat`s follow a `Nat`
        partner (`xs ++ [x]`), anything else is compared at `Int`, a `Nat` side mapped."""
        na, nb = self._nat_elems(a), self._nat_elems(b)
        nat = na is not False and nb is not False and bool(na or nb)
        return self._side(a, nat=nat), self._side(b, nat=nat)

    def _nat_elems(self, e: m.Expr) -> bool | None:
        """Whether e renders as a collection of `Nat`s: None for a display whose elements
        could be either (all `nat`)."""
        match e:
            case m.SeqDisplay(xs) | m.SetDisplay(xs) | m.MultisetDisplay(xs):
                return None if all(isinstance(self.type_of(x), m.NatType) for x in xs) else False
            case m.Binary("+" | "-" | "*", a, b) if not _is_int(self.type_of(a)):
                na, nb = self._nat_elems(a), self._nat_elems(b)
                return False if False in (na, nb) else (True if True in (na, nb) else None)
        t = self.type_of(e)
        return isinstance(t, (m.SeqType, m.SetType, m.MultisetType)) and isinstance(t.elem, m.NatType)

    def _side(self, e: m.Expr, *, nat: bool) -> str:
        match e:
            case m.SeqDisplay(xs) | m.SetDisplay(xs) | m.MultisetDisplay(xs):
                return "[" + ", ".join(self.nat(x) if nat else self.elem(x) for x in xs) + "]"
        s = self.val(e)
        return s if nat or self._nat_elems(e) is not True else f"({s}.map (fun (n : Nat) => (n : Int)))"


# The variable the renderings of set operators, map updates and ranges bind: a name no
# Dafny identifier can be, so it never captures a spec's own (`s == {x}` once read
# `∀ x, x ∈ s ↔ x ∈ [x]`, `m[p := 1]` `fun p => p.1 ≠ p`, a range from `k` `fun k => k + k`).
_E = "e₀"


def _binders(ps: tuple[m.Param, ...]) -> str:
    return " ".join(f"({lean_name(p.name)} : {lean_type(p.type)})" for p in ps)


def _calls(e: object, acc: set[str] | None = None) -> set[str]:
    """Names of every function called in e."""
    acc = set() if acc is None else acc
    if isinstance(e, m.Call):
        acc.add(e.name)
    if isinstance(e, m.Expr):
        for v in e.__dict__.values():
            if isinstance(v, m.Expr):
                _calls(v, acc)
            elif isinstance(v, tuple):
                for x in v:
                    for y in x if isinstance(x, tuple) else (x,):
                        if isinstance(y, m.Expr):
                            _calls(y, acc)
    return acc


def _helper_groups(helpers: tuple[m.Helper, ...]) -> list[list[m.Helper]]:
    """Helpers in definition order for Lean: every callee before its callers (Dafny does not
    care about order, Lean does), mutually recursive ones together in one group (Tarjan's
    strongly connected components, which come out callees first)."""
    by_name = {h.name: h for h in helpers}
    order = [h.name for h in helpers]
    deps = {
        h.name: sorted(n for n in _calls(h.body).union(*(_calls(r.expr) for r in h.requires)) if n in by_name)
        for h in helpers
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[m.Helper]] = []

    def visit(n: str) -> None:
        index[n] = low[n] = len(index)
        stack.append(n)
        on_stack.add(n)
        for d in deps[n]:
            if d not in index:
                visit(d)
                low[n] = min(low[n], low[d])
            elif d in on_stack:
                low[n] = min(low[n], index[d])
        if low[n] == index[n]:
            group: list[str] = []
            while True:
                x = stack.pop()
                on_stack.discard(x)
                group.append(x)
                if x == n:
                    break
            groups.append([by_name[x] for x in sorted(group, key=order.index)])

    for name in order:
        if name not in index:
            visit(name)
    return groups


def _render_helper(spec: m.Spec, types: ExprTypes, h: m.Helper, group: list[m.Helper], out: list[str]) -> None:
    em = _Lean(spec, types, {p.name: p.type for p in h.params})
    if h.kind == "predicate":
        body = em.prop(h.body)
        ret = "Prop"
    else:
        ret = lean_type(h.return_type)
        if isinstance(h.return_type, m.NatType):
            body = f"({_as_int(em.num(h.body))}).toNat"  # the ascription types both branches of an if
        elif _is_int(h.return_type):
            body = em.num(h.body)
        else:
            body = em.val(h.body)
    out.append(f"def {_head(decl_name(h.name), h.type_params, h.params)} : {ret} :=")
    for r in h.requires:
        out.append(f"  -- requires {r.text}")
    out.append(f"  {body}")
    if _calls(h.body) & {g.name for g in group}:
        out.append("decreasing_by all_goals sorry")
    out.append("")


def render_lean(spec: m.Spec) -> str:
    out = [
        f"-- Statement of the spec '{spec.name}' (generated by proofroute).",
        *(f"-- {line}" for line in spec.description.splitlines()),
        "",
        "noncomputable section",
        "open Classical",
        "",
    ]
    types = expression_types(spec)
    out += render_datatypes(spec.datatypes)
    for group in _helper_groups(spec.helpers):
        if len(group) > 1:
            out.append("mutual")
        for h in group:
            _render_helper(spec, types, h, group, out)
        if len(group) > 1:
            out.append("end")
            out.append("")
    results = [*spec.returns, *(p for p in spec.params if p.name in spec.modified)]
    _render_method(spec, results, out)
    _render_theorems(spec, types, results, out)
    out.append("end")
    return "\n".join(out) + "\n"


def render_datatypes(datatypes: tuple[m.Datatype, ...]) -> list[str]:
    """Each datatype as an `inductive` (fields as named constructor arguments), with a
    Bool test `D.isC` per constructor and an accessor `D.f` per field name (`default` for
    the constructors without the field: Dafny makes `s.f` on those an error, so no clause
    that Dafny accepts reads it). Each comes after the datatypes it names; datatypes that
    refer to each other in a cycle form one `mutual` block."""
    out: list[str] = []
    ordered = _dependencies_first(datatypes)
    forward = ordered is None  # a cycle between datatypes: Lean needs them in one `mutual` block
    datatypes = ordered or datatypes
    if forward:
        out.append("mutual")
    for d in datatypes:
        params = "".join(f" ({lean_name(tp.name)} : Type)" for tp in d.type_params)
        out.append(f"inductive {decl_name(d.name)}{params} where")
        for c in d.ctors:
            args = "".join(f" ({lean_name(f.name)} : {lean_type(f.type)})" for f in c.fields)
            out.append(f"  | {lean_name(c.name)}{args} : {_self_type(d)}")
        if not forward:
            out.append("  deriving DecidableEq, Repr, Inhabited")
        out.append("")
    inhabitants: dict[str, str] = {}
    if forward:  # no `deriving` for a mutual block: an accessor's fallback is written out
        out += ["end", ""]
        inhabitants = _inhabitants(datatypes)
    for d in datatypes:
        out += _datatype_functions(d, inhabitants)
    return out


def _self_type(d: m.Datatype) -> str:
    """`Shape`, or a generic datatype at its own parameters: `Option_ T`."""
    return lean_type(m.DatatypeType(d.name, tuple(m.TypeVarType(tp.name) for tp in d.type_params)))


def _dependencies_first(datatypes: tuple[m.Datatype, ...]) -> tuple[m.Datatype, ...] | None:
    """The datatypes with each after the ones its fields name (Lean declares before use);
    None when they refer to each other in a cycle (a datatype referring to itself is fine)."""
    deps = {d.name: {f.type.name for c in d.ctors for f in c.fields
                     if isinstance(f.type, m.DatatypeType) and f.type.name != d.name} for d in datatypes}
    done: list[m.Datatype] = []
    while len(done) < len(datatypes):
        ready = [d for d in datatypes if d not in done and deps[d.name] <= {x.name for x in done}]
        if not ready:
            return None
        done.append(ready[0])
    return tuple(done)


def _inhabitants(datatypes: tuple[m.Datatype, ...]) -> dict[str, str]:
    """A value of each datatype, built from constructors whose fields are already inhabited
    (Dafny requires every datatype to have such a value)."""
    known: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for d in datatypes:
            if d.name in known:
                continue
            for c in d.ctors:
                args = [known.get(f.type.name) if isinstance(f.type, m.DatatypeType) else "default"
                        for f in c.fields]
                if None not in args:
                    head = f"{decl_name(d.name)}.{lean_name(c.name)}"
                    known[d.name] = f"{head} {' '.join(_paren(a) for a in args)}" if args else head  # type: ignore[arg-type]
                    changed = True
                    break
    return known


def _datatype_functions(d: m.Datatype, inhabitants: dict[str, str]) -> list[str]:
    """`D.isC : D → Bool` per constructor and `D.f : D → T` per field name, each a `def …
    := match` (the Lean guard holds a reply to the task's `def` bodies, so these stay as
    given); a field's fallback is `default`, or a value from `inhabitants` (mutual ones)."""
    name = decl_name(d.name)
    this = _paren(_self_type(d))
    # a generic datatype's functions take its parameters implicitly; an accessor's
    # `default` needs Inhabited of the field's type (every instance the spec uses has one)
    tests = "".join(f" {{{lean_name(tp.name)} : Type}}" for tp in d.type_params)
    reads = "".join(f" {{{lean_name(tp.name)} : Type}} [Inhabited {lean_name(tp.name)}]" for tp in d.type_params)
    out: list[str] = []

    def pattern(c: m.Constructor) -> str:
        return f".{lean_name(c.name)}" + " _" * len(c.fields)

    for c in d.ctors:
        out += [f"def {name}.is{c.name}{tests} (d : {this}) : Bool :=", "  match d with", f"  | {pattern(c)} => true"]
        if len(d.ctors) > 1:
            out.append("  | _ => false")
        out.append("")
    fields = dict.fromkeys(f.name for c in d.ctors for f in c.fields)
    for fname in fields:
        ft = d.field_type(fname)
        assert ft is not None
        out += [f"def {name}.{lean_name(fname)}{reads} (d : {this}) : {lean_type(ft)} :=", "  match d with"]
        having = [c for c in d.ctors if any(f.name == fname for f in c.fields)]
        for c in having:
            parts = " ".join("x" if f.name == fname else "_" for f in c.fields)
            out.append(f"  | .{lean_name(c.name)} {parts} => x")
        if len(having) < len(d.ctors):
            fallback = inhabitants.get(ft.name, "default") if isinstance(ft, m.DatatypeType) else "default"
            out.append(f"  | _ => {fallback}")
        out.append("")
    return out


def _render_method(spec: m.Spec, results: list[m.Param], out: list[str]) -> None:
    """The method as `def … := sorry`, returning its results (a tuple for several)."""
    if not results:
        ret_t = "Unit"
    elif len(results) == 1:
        ret_t = lean_type(results[0].type)
    else:
        ret_t = " × ".join(_paren(lean_type(p.type)) for p in results)
    out.append(f"def {_head(decl_name(spec.method), spec.type_params, spec.params)} : {ret_t} := sorry")
    out.append("")


def _render_theorems(spec: m.Spec, types: ExprTypes, results: list[m.Param], out: list[str]) -> None:
    """One theorem per ensures clause, `requires → clause`, the results named by `let`s;
    one more per modified array saying that its length is kept."""
    fname = decl_name(spec.method)
    args = " ".join(lean_name(p.name) for p in spec.params)
    env_in = {p.name: p.type for p in spec.params}
    pre_em = _Lean(spec, types, env_in, statement=True)
    hyps = [f"(h{i} : {pre_em.prop(c.expr)})" for i, c in enumerate(spec.requires)]
    renames = {p.name: f"{p.name}'" for p in spec.params if p.name in spec.modified}
    env_out = {**env_in, **{p.name: p.type for p in spec.returns}}
    post_em = _Lean(spec, types, env_out, renames, statement=True)
    lets = []
    if len(results) == 1:
        lets.append(f"let {renames.get(results[0].name, lean_name(results[0].name))} := {fname} {args}")
    elif results:
        lets.append(f"let res := {fname} {args}")
        for i, p in enumerate(results):
            proj = ".".join(["2"] * i + (["1"] if i < len(results) - 1 else []))
            lets.append(f"let {renames.get(p.name, lean_name(p.name))} := res.{proj}")
    params = " ".join(part for part in (_type_binders(spec.type_params), _binders(spec.params)) if part)
    for i, c in enumerate(spec.ensures):
        used = free_vars(c.expr)
        head = f"theorem {spec.method}_spec_{i} {params}"
        if hyps:
            head += " " + " ".join(hyps)
        out.append(f"{head} :")
        for line in lets:
            name = line.split()[1]
            if name == "res" or name.rstrip("'") in used or name in used:
                out.append(f"    {line}")
        out.append(f"    {post_em.prop(c.expr)} := by")
        out.append("  sorry")
        out.append("")
    for name in spec.modified:
        # A Dafny array keeps its length; the Lean function returns a new list, which
        # could be [] and satisfy every `∀ i < a'.length` clause vacuously. Say it.
        head = f"theorem {spec.method}_spec_length_{name} {params}"
        if hyps:
            head += " " + " ".join(hyps)
        out.append(f"{head} :")
        out.extend(f"    {line}" for line in lets if line.split()[1] in ("res", renames[name]))
        out.append(f"    {renames[name]}.length = {lean_name(name)}.length := by")
        out.append("  sorry")
        out.append("")
