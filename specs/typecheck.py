"""Name resolution and type inference for spec expressions.

Dafny lets bound variables go untyped (`forall i :: 0 <= i < |s| ==> ...`); the checker
infers them by unification so that every translator (Lean, z3) gets explicit types. It
returns a new `Spec` whose bound variables all carry types, plus every error found (one
per clause at most), each pointing at the offending sub-expression.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from verifier.specs import model as m
from verifier.specs.generics import substitute
from verifier.specs.parser import location_in

from verifier.errors import SpecError


class _TVar:
    """An unknown type, solved by unification (mutable, lives only inside the checker)."""

    def __init__(self) -> None:
        self.ref: Any = None


T = Any  # m.Type | _TVar


def _prune(t: T) -> T:
    while isinstance(t, _TVar) and t.ref is not None:
        t = t.ref
    return t


def _norm(t: T) -> T:
    t = _prune(t)
    if isinstance(t, m.NatType):
        return m.IntType()
    if isinstance(t, m.StringType):
        return m.SeqType(m.CharType())
    return t


def _occurs(v: _TVar, t: T) -> bool:
    t = _prune(t)
    if t is v:
        return True
    if isinstance(t, (m.SeqType, m.SetType, m.MultisetType, m.ArrayType)):
        return _occurs(v, t.elem)
    if isinstance(t, m.MapType):
        return _occurs(v, t.key) or _occurs(v, t.value)
    if isinstance(t, m.DatatypeType):
        return any(_occurs(v, a) for a in t.args)
    return False


# Dafny's built-ins about the heap, which a spec's values do not have: the hint says what
# a spec writes instead (a helper of that name would be no built-in).
_HEAP_FUNCTIONS = {
    "fresh": "drop fresh(...): a spec describes an array output by its contents (the compiled "
             "Python returns a list, Lean a List: values, never an alias of an input)",
    "allocated": "every value in a spec is allocated: drop allocated(...)",
    "unchanged": "an array not listed in `modifies` cannot change; for one that is, write "
                 "`a[..] == old(a[..])`",
}


def _unify(a: T, b: T) -> bool:
    a, b = _norm(a), _norm(b)
    if a is b:
        return True
    if isinstance(a, _TVar):
        if _occurs(a, b):
            return False
        a.ref = b
        return True
    if isinstance(b, _TVar):
        return _unify(b, a)
    if type(a) is not type(b):
        return False
    if isinstance(a, m.DatatypeType):
        return (a.name == b.name and len(a.args) == len(b.args)
                and all(_unify(x, y) for x, y in zip(a.args, b.args, strict=True)))
    if isinstance(a, (m.SeqType, m.SetType, m.MultisetType, m.ArrayType)):
        return _unify(a.elem, b.elem)
    if isinstance(a, m.MapType):
        return _unify(a.key, b.key) and _unify(a.value, b.value)
    if isinstance(a, m.TypeVarType):
        return a.name == b.name
    if isinstance(a, m.ArrowType):
        return (len(a.params) == len(b.params) and all(_unify(x, y) for x, y in zip(a.params, b.params, strict=True))
                and _unify(a.result, b.result))
    return True


def _without_equality(t: T, no_eq: frozenset[str]) -> str | None:
    """Why values of type t cannot be compared with == in Dafny (None: they can): a type
    parameter declared without `(==)`, or a function."""
    t = _prune(t)
    match t:
        case m.TypeVarType(name) if name in no_eq:
            return f"type parameter {name} is declared without (==)"
        case m.ArrowType():
            return f"{m.type_text(t)} is a function type"
        case m.SeqType(e) | m.SetType(e) | m.MultisetType(e) | m.ArrayType(e):
            return None if isinstance(t, m.ArrayType) else _without_equality(e, no_eq)
        case m.MapType(k, v):
            return _without_equality(k, no_eq) or _without_equality(v, no_eq)
        case m.DatatypeType(_, args):  # Dafny: Option<T> has equality when T has
            return next((why for why in (_without_equality(a, no_eq) for a in args) if why), None)
    return None


_INT = m.IntType()


def resolve(t: T, default: m.Type | None = _INT) -> m.Type | None:
    """A concrete type (unknown parts defaulted), for output."""
    t = _prune(t)
    if isinstance(t, _TVar):
        return default
    if isinstance(t, m.SeqType):
        e = resolve(t.elem, default)
        return m.SeqType(e)  # type: ignore[arg-type]
    if isinstance(t, m.SetType):
        return m.SetType(resolve(t.elem, default))  # type: ignore[arg-type]
    if isinstance(t, m.MultisetType):
        return m.MultisetType(resolve(t.elem, default))  # type: ignore[arg-type]
    if isinstance(t, m.ArrayType):
        return m.ArrayType(resolve(t.elem, default))  # type: ignore[arg-type]
    if isinstance(t, m.MapType):
        return m.MapType(resolve(t.key, default), resolve(t.value, default))  # type: ignore[arg-type]
    if isinstance(t, m.DatatypeType) and t.args:
        return m.DatatypeType(t.name, tuple(resolve(a, default) for a in t.args))  # type: ignore[misc]
    return t


def _mix_hint(ta: T, tb: T, default: str) -> str:
    """The hint for two operands of different types: int and real never mix in Dafny,
    and the fix is a conversion, which the plain "same type" hint does not say."""
    kinds = {type(_norm(ta)), type(_norm(tb))}
    if m.RealType in kinds and kinds & {m.IntType, m.NatType}:
        return "int and real do not mix: convert the int side with `(e) as real` (or a real to an int with `.Floor`)"
    return default


def show(t: T) -> str:
    r = resolve(t, None)
    if r is None:
        return "?"
    return m.type_text(_pretty(r))


def _pretty(t: m.Type) -> m.Type:
    if isinstance(t, m.SeqType) and isinstance(t.elem, m.CharType):
        return m.StringType()
    return t


# Words Dafny (2.3 or 4) reserves. The spec grammar keeps only the ones it uses itself,
# so without this list `method F(object: int)` would pass here and then fail in Dafny with
# "closeparen expected" at the start of the signature instead of at the name.
DAFNY_RESERVED = frozenset({
    "abstract", "allocated", "array", "as", "assert", "assume", "bool", "break", "by", "calc",
    "case", "char", "class", "codatatype", "colemma", "const", "constructor", "copredicate",
    "datatype", "decreases", "default", "else", "ensures", "exists", "expect", "export", "extends",
    "false", "forall", "fresh", "function", "ghost", "greatest", "if", "imap", "import", "in",
    "include", "inductive", "int", "invariant", "is", "iset", "iterator", "label", "least", "lemma",
    "map", "match", "method", "modifies", "modify", "module", "multiset", "nat", "new", "newtype",
    "null", "object", "old", "older", "opened", "predicate", "print", "protected", "reads", "real",
    "refines", "requires", "return", "returns", "reveal", "seq", "set", "static", "string", "then",
    "this", "trait", "true", "twostate", "type", "unchanged", "var", "while", "witness", "yield",
    "yields",
})


def reserved_word(name: str) -> bool:
    """A Dafny keyword or built-in type name (`array2`, `bv8` and `ORDINAL` included)."""
    if name in DAFNY_RESERVED or name == "ORDINAL":
        return True
    for prefix in ("array", "bv"):
        rest = name[len(prefix):]
        if name.startswith(prefix) and rest.isdigit() and not (prefix == "array" and rest == "1"):
            return True
    return False


def _rename_hint(name: str) -> str:
    return f"{name} is reserved in Dafny; rename it, e.g. {name}_"


class _Fail(Exception):
    def __init__(self, msg: str, span: m.Span, hint: str) -> None:
        super().__init__(msg)
        self.msg, self.span, self.hint = msg, span, hint


class _ById(dict[int, T]):
    """Inferred types keyed by node identity. It also holds the nodes: an id is unique only
    while its object lives, and a freed node's id reused by another node would hand that
    node a wrong type (a nondeterministic translation)."""

    def __init__(self) -> None:
        super().__init__()
        self._nodes: list[object] = []
        # constructors of generic datatypes met, with their instance: every type argument
        # must be known once the clause is typed (`_inferred`)
        self.constructs: list[tuple[m.Construct, m.DatatypeType]] = []

    def put(self, node: object, t: T) -> None:
        self[id(node)] = t
        self._nodes.append(node)


@dataclass
class _Ctx:
    env: dict[str, T]
    old_ok: bool
    where: str
    bound: _ById = field(default_factory=_ById)
    reuse: bool = False  # take the recorded type of a node met before (typing a node built after the check)


class Checker:
    def __init__(self, spec: m.Spec, file_text: str) -> None:
        self.spec = spec
        self.file_text = file_text
        self.helpers = {h.name: h for h in spec.helpers}
        self.types = _ById()  # every sub-expression met, with its type
        self.ctors = {c.name: (d, c) for d in spec.datatypes for c in d.ctors}
        # type parameters in scope that were declared without (==): == on them is an error
        self.no_eq = frozenset(tp.name for tp in spec.type_params if not tp.equality)
        self.spec_type_names = frozenset(tp.name for tp in spec.type_params)

    # ------------------------------------------------------------------ driver
    def run(self) -> tuple[m.Spec, list[SpecError]]:
        errors: list[SpecError] = []
        spec = self.spec
        names = [p.name for p in (*spec.params, *spec.returns)]
        for p in (*spec.params, *spec.returns, *(q for h in spec.helpers for q in h.params)):
            if reserved_word(p.name):
                errors.append(self._err(f"{p.name} is a Dafny keyword and cannot name a parameter", p.span,
                                        _rename_hint(p.name)))
        for h in spec.helpers:
            if reserved_word(h.name):
                errors.append(self._err(f"{h.name} is a Dafny keyword and cannot name a helper", h.span,
                                        _rename_hint(h.name)))
        if reserved_word(spec.method):
            errors.append(self._err(f"{spec.method} is a Dafny keyword and cannot name the method", spec.span,
                                    _rename_hint(spec.method)))
        errors += self._datatype_problems()
        for i, p in enumerate((*spec.params, *spec.returns)):
            if p.name in names[:i]:
                errors.append(self._err(f"parameter {p.name} is declared twice", p.span, "rename one of them"))
            if p.name in self.helpers:
                errors.append(self._err(f"parameter {p.name} has the name of a helper", p.span, "rename the parameter or the helper"))
        for p in (*spec.params, *spec.returns, *(q for h in spec.helpers for q in h.params)):
            if p.name in self.ctors:
                errors.append(self._err(f"parameter {p.name} has the name of a constructor of {self.ctors[p.name][0].name}",
                                        p.span, "rename the parameter"))
        for f in spec.modifies:
            p = next((q for q in spec.params if q.name == f.name), None)
            if p is None:
                errors.append(self._err(
                    f"modifies names {f.name}, which is not a parameter", f.span,
                    "list only array parameters of the method in modifies",
                ))
            elif not isinstance(p.type, m.ArrayType):
                errors.append(self._err(
                    f"modifies names {f.name} of type {m.type_text(p.type)}; only arrays can be modified",
                    f.span, "remove it from modifies (values other than arrays are immutable)",
                ))
        seen: set[str] = set()
        for h in spec.helpers:
            if h.name in seen:
                errors.append(self._err(f"helper {h.name} is defined twice", h.span, "rename or remove one"))
            seen.add(h.name)
        helpers = []
        for h in spec.helpers:
            env: dict[str, T] = {p.name: p.type for p in h.params}
            h2, errs = self._helper(h, env)
            helpers.append(h2)
            errors.extend(errs)
        pre_env: dict[str, T] = {p.name: p.type for p in spec.params}
        post_env: dict[str, T] = {**pre_env, **{p.name: p.type for p in spec.returns}}
        requires = [self._clause(c, pre_env, False, "requires", errors) for c in spec.requires]
        ensures = [self._clause(c, post_env, True, "ensures", errors) for c in spec.ensures]
        new = dataclasses.replace(
            spec, helpers=tuple(helpers), requires=tuple(requires), ensures=tuple(ensures)
        )
        return new, errors

    def _datatype_problems(self) -> list[SpecError]:
        """Names a datatype declaration may not use: Dafny's keywords, one name for two
        things (Dafny resolves a constructor like a function), a field declared twice, a
        field `Length`/`Floor` (the spec language's members of arrays and reals) and a
        field shared by constructors with different types (Dafny refuses it)."""
        errors: list[SpecError] = []
        taken: dict[str, str] = {h.name: "a helper" for h in self.spec.helpers}
        taken[self.spec.method] = "the method"
        for d in self.spec.datatypes:
            for name, span, what in ((d.name, d.span, "datatype"), *((c.name, c.span, "constructor") for c in d.ctors)):
                if reserved_word(name):
                    errors.append(self._err(f"{name} is a Dafny keyword and cannot name a {what}", span, _rename_hint(name)))
                elif name in taken:
                    errors.append(self._err(f"the {what} {name} has the name of {taken[name]}", span,
                                            "give every datatype, constructor, helper and the method its own name"))
                taken.setdefault(name, f"a {what}")
            fields: dict[str, m.Type] = {}
            for c in d.ctors:
                seen: set[str] = set()
                for f in c.fields:
                    if f.name in seen:
                        errors.append(self._err(f"field {f.name} is declared twice in {c.name}", f.span, "rename one of them"))
                    elif f.name in ("Length", "Floor") or reserved_word(f.name):
                        errors.append(self._err(f"{f.name} cannot name a field (it is reserved here)", f.span,
                                                _rename_hint(f.name)))
                    elif f.name in fields and fields[f.name] != f.type:
                        errors.append(self._err(
                            f"field {f.name} of {c.name} is {m.type_text(f.type)}, but another constructor of "
                            f"{d.name} has {f.name}: {m.type_text(fields[f.name])}", f.span,
                            "a field shared by constructors needs one type; rename one of them"))
                    seen.add(f.name)
                    fields.setdefault(f.name, f.type)
        return errors

    def _err(self, msg: str, span: m.Span, hint: str) -> SpecError:
        return SpecError(
            msg, location=location_in(span.file, self.file_text, span.line, span.col), hint=hint, code="type"
        )

    def _helper(self, h: m.Helper, env: dict[str, T]) -> tuple[m.Helper, list[SpecError]]:
        errors: list[SpecError] = []
        saved, self.no_eq = self.no_eq, frozenset(tp.name for tp in h.type_params if not tp.equality)
        try:
            return self._helper_in_scope(h, env, errors)
        finally:
            self.no_eq = saved

    def _helper_in_scope(self, h: m.Helper, env: dict[str, T], errors: list[SpecError]) -> tuple[m.Helper, list[SpecError]]:
        reqs = [self._clause(c, env, False, f"helper {h.name}", errors) for c in h.requires]
        body = h.body
        ctx = _Ctx(dict(env), False, f"helper {h.name}")
        try:
            t = self.infer(h.body, ctx)
            if not _unify(t, h.return_type):
                raise _Fail(
                    f"the body of {h.name} has type {show(t)}, but {h.name} returns {m.type_text(h.return_type)}",
                    _span(h.body), "make the body's type match the declared result type",
                )
            _inferred(ctx.bound)
            body = _fill(h.body, ctx.bound)
        except _Fail as f:
            errors.append(self._err(f.msg, f.span, f.hint))
        return dataclasses.replace(h, requires=tuple(reqs), body=body), errors

    def _clause(self, c: m.Clause, env: dict[str, T], old_ok: bool, where: str, errors: list[SpecError]) -> m.Clause:
        ctx = _Ctx(dict(env), old_ok, where)
        try:
            t = self.infer(c.expr, ctx)
            if not _unify(t, m.BoolType()):
                raise _Fail(
                    f"a {where.split()[0]} clause must be a bool, this one is {show(t)}",
                    c.span, "write a condition, e.g. `r >= 0`",
                )
            _inferred(ctx.bound)
        except _Fail as f:
            errors.append(self._err(f.msg, f.span, f.hint))
            return c
        return dataclasses.replace(c, expr=_fill(c.expr, ctx.bound))

    # ------------------------------------------------------------------ inference
    def expect(self, e: m.Expr, want: T, ctx: _Ctx, what: str) -> T:
        t = self.infer(e, ctx)
        if not _unify(t, want):
            raise _Fail(
                f"{what} must be {show(want)}, found {show(t)}", _span(e),
                f"change this expression to a {show(want)}",
            )
        return t

    def infer(self, e: m.Expr, ctx: _Ctx) -> T:
        """The type of e, recorded for `ExprTypes` (a node met before is reused only when
        typing a node built after the check, whose parts the check has typed)."""
        if ctx.reuse and id(e) in self.types:
            return self.types[id(e)]
        t = self._infer(e, ctx)
        self.types.put(e, t)
        return t

    def _infer(self, e: m.Expr, ctx: _Ctx) -> T:
        match e:
            case m.IntLit():
                return m.IntType()
            case m.BoolLit():
                return m.BoolType()
            case m.CharLit():
                return m.CharType()
            case m.StrLit():
                return m.SeqType(m.CharType())
            case m.Var():
                return self._var(e, ctx)
            case m.Unary("!", x):
                self.expect(x, m.BoolType(), ctx, "the operand of !")
                return m.BoolType()
            case m.Unary(_, x):
                if isinstance(_norm(self.infer(x, ctx)), m.RealType):
                    return m.RealType()
                self.expect(x, m.IntType(), ctx, "the operand of unary -")
                return m.IntType()
            case m.RealLit():
                return m.RealType()
            case m.Convert(x, target):
                return self._convert(x, target, ctx)
            case m.Binary():
                return self._binary(e, ctx)
            case m.Ite(c, a, b):
                self.expect(c, m.BoolType(), ctx, "the condition of if")
                ta = self.infer(a, ctx)
                self.expect(b, ta, ctx, "the else branch")
                return ta
            case m.Quantifier() | m.SetComp() | m.MapComp():
                return self._binder(e, ctx)
            case m.Let():
                return self._let(e, ctx)
            case m.Index() | m.Slice() | m.Update():
                return self._access(e, ctx)
            case m.Member() | m.Card():
                return self._size(e, ctx)
            case m.Call():
                return self._call(e, ctx)
            case m.Construct() | m.IsCtor():
                return self._datatype_expr(e, ctx)
            case m.Match():
                return self._match(e, ctx)
            case m.Old(x):
                if not ctx.old_ok:
                    raise _Fail(f"old(...) in {ctx.where}", e.span, "old(...) may only appear in ensures clauses")
                return self.infer(x, ctx)
            case m.MultisetOf(x):
                tx = _norm(self.infer(x, ctx))
                if isinstance(tx, (m.SeqType, m.SetType)):
                    return m.MultisetType(tx.elem)
                raise _Fail(f"multiset(...) of a {show(tx)}", _span(x), "multiset(...) takes a seq or a set; for an array write multiset(a[..])")
            case m.SeqDisplay() | m.SetDisplay() | m.MultisetDisplay() | m.MapDisplay():
                return self._display(e, ctx)
            case m.SeqInit():
                return self._seq_init(e, ctx)
        raise _Fail(f"unsupported expression {type(e).__name__}", _span(e), "rewrite it")  # pragma: no cover

    def _var(self, e: m.Var, ctx: _Ctx) -> T:
        name = e.name
        if name in ctx.env:
            return ctx.env[name]
        if name in self.helpers:
            raise _Fail(f"{name} is a helper; call it with arguments", e.span, f"write {name}(...)")
        if name in self.spec_type_names:
            raise _Fail(f"{name} is a type parameter, not a value", e.span, "use a parameter of type " + name)
        known = ", ".join(sorted(ctx.env)) or "none"
        hint = f"names in scope here: {known}"
        if ctx.where == "requires" and self.spec.param(name) is not None:
            hint = f"{name} is an out-parameter; requires may only mention the inputs"
        raise _Fail(f"unknown name {name}", e.span, hint)

    def _binder(self, e: m.Quantifier | m.SetComp | m.MapComp, ctx: _Ctx) -> T:
        """Quantifiers and comprehensions: their bound variables are typed in an inner scope."""
        match e:
            case m.Quantifier(_, vs, rng, body):
                inner = self._bind(vs, ctx)
                if rng is not None:
                    self.expect(rng, m.BoolType(), inner, "a quantifier range")
                self.expect(body, m.BoolType(), inner, "a quantifier body")
                result: T = m.BoolType()
            case m.SetComp(vs, rng, term):
                inner = self._bind(vs, ctx)
                self.expect(rng, m.BoolType(), inner, "a comprehension range")
                result = m.SetType(inner.env[vs[0].name] if term is None else self.infer(term, inner))
            case m.MapComp(v, rng, value):
                inner = self._bind((v,), ctx)
                self.expect(rng, m.BoolType(), inner, "a comprehension range")
                tv = self.infer(value, inner)
                result = m.MapType(inner.env[v.name], tv)
        ctx.bound.update(inner.bound)
        return result

    def _let(self, e: m.Let, ctx: _Ctx) -> T:
        """`var v: T := value; body`: the body sees v with its declared type, if any."""
        v = e.var
        tv = self.infer(e.value, ctx)
        if v.type is not None and not _unify(tv, v.type):
            raise _Fail(f"{v.name} is declared {m.type_text(v.type)} but bound to a {show(tv)}", v.span, "fix the declared type")
        seen = v.type if v.type is not None else tv
        inner = _Ctx({**ctx.env, v.name: seen}, ctx.old_ok, ctx.where, ctx.bound, ctx.reuse)
        ctx.bound.put(v, tv)
        return self.infer(e.body, inner)

    def _access(self, e: m.Index | m.Slice | m.Update, ctx: _Ctx) -> T:
        """`s[i]`, `s[lo..hi]` and `s[k := v]` on sequences, arrays and maps; `m[x]`, the
        multiplicity of x in a multiset (an int, as in Dafny 2.3 and 4)."""
        ts = _norm(self.infer(e.seq, ctx))
        match e:
            case m.Index(s, i):
                if isinstance(ts, (m.SeqType, m.ArrayType)):
                    self.expect(i, m.IntType(), ctx, "an index")
                    return ts.elem
                if isinstance(ts, m.MapType):
                    self.expect(i, ts.key, ctx, "a map key")
                    return ts.value
                if isinstance(ts, m.MultisetType):  # the multiplicity of i, 0 when absent
                    self.expect(i, ts.elem, ctx, "a multiset element")
                    return m.IntType()
                raise _Fail(f"cannot index a {show(ts)}", _span(s),
                            "only seq, string, array, map and multiset values can be indexed")
            case m.Slice(s, lo, hi):
                if not isinstance(ts, (m.SeqType, m.ArrayType)):
                    raise _Fail(f"cannot slice a {show(ts)}", _span(s), "only seq, string and array values can be sliced")
                for b in (lo, hi):
                    if b is not None:
                        self.expect(b, m.IntType(), ctx, "a slice bound")
                return m.SeqType(ts.elem)
            case m.Update(s, k, v):
                if isinstance(ts, m.SeqType):
                    self.expect(k, m.IntType(), ctx, "an index")
                    self.expect(v, ts.elem, ctx, "the new element")
                    return ts
                if isinstance(ts, m.MapType):
                    self.expect(k, ts.key, ctx, "a map key")
                    self.expect(v, ts.value, ctx, "the new value")
                    return ts
                raise _Fail(f"cannot update a {show(ts)} with [k := v]", _span(s), "only seq and map values support s[i := v]")

    def _datatype_expr(self, e: m.Construct | m.IsCtor, ctx: _Ctx) -> T:
        """`Circle(3)` (every field given, in order) and `s.Circle?`."""
        match e:
            case m.Construct(name, args):
                d, c = self.ctors[name]
                if len(args) != len(c.fields):
                    shown = f"{name}({', '.join(f.name for f in c.fields)})" if c.fields else name
                    raise _Fail(f"constructor {name} takes {len(c.fields)} field(s), got {len(args)}", e.span,
                                f"write {shown}")
                t = _fresh_instance(d)  # a generic datatype's arguments: from the fields and the context
                for a, f in zip(args, c.fields, strict=True):
                    self.expect(a, _field_at(d, f.type, t), ctx, f"field {f.name} of {name}")
                if t.args:
                    ctx.bound.constructs.append((e, t))
                return t
            case m.IsCtor(obj, ctor):
                to = _norm(self.infer(obj, ctx))
                dt = self.spec.datatype(to.name) if isinstance(to, m.DatatypeType) else None
                if dt is None:
                    raise _Fail(f"{show(to)} has no constructor test .{ctor}?", e.span,
                                "e.C? tests a value of a datatype declared under [[datatypes]]")
                if dt.ctor(ctor) is None:
                    raise _Fail(f"{ctor} is not a constructor of {dt.name}", e.span,
                                f"the constructors of {dt.name} are: {', '.join(c.name for c in dt.ctors)}")
                return m.BoolType()

    def _match(self, e: m.Match, ctx: _Ctx) -> T:
        """`match e case C(x, y) => a ...`: e a datatype value, each case one of its
        constructors (once) with a variable per field, every constructor covered or a
        catch-all last; all cases of one type."""
        ts = _norm(self.infer(e.scrutinee, ctx))
        named = next((c.ctor for c in e.cases if c.ctor in self.ctors), None)
        if isinstance(ts, _TVar) and named is not None:  # an untyped bound variable: as Dafny, from the patterns
            _unify(ts, _fresh_instance(self.ctors[named][0]))
            ts = _norm(ts)
        dt = self.spec.datatype(ts.name) if isinstance(ts, m.DatatypeType) else None
        if dt is None:
            raise _Fail(f"match needs a value of a datatype, found {show(ts)}", _span(e.scrutinee),
                        "match a value of a datatype declared under [[datatypes]]; otherwise write if ... then ... else")
        ctx.bound.put(e, dt)  # `_fill` writes it into the node
        result: T = _TVar()
        covered: list[str] = []
        for i, case in enumerate(e.cases):
            if i > 0 and e.cases[i - 1].ctor is None:
                raise _Fail("this case is unreachable: the case before it matches every value", case.span,
                            "put the catch-all case (`case _ => ...`) last")
            types = self._case_types(dt, case, covered, ts)
            named = [(v, t) for v, t in zip(case.vars, types, strict=True) if v.name != m.WILDCARD]
            inner = self._bind(tuple(v for v, _ in named), ctx, tuple(t for _, t in named))
            self.expect(case.body, result, inner, "every case of a match")
        missing = [c for c in dt.ctors if c.name not in covered]
        if missing and e.cases[-1].ctor is not None:
            shown = ", ".join(_pattern_text(c) for c in missing)
            raise _Fail(f"match is not exhaustive: no case for {shown}", e.span,
                        f"add `case {_pattern_text(missing[0])} => ...` or a catch-all `case _ => ...` last")
        return result

    def _case_types(self, dt: m.Datatype, case: m.MatchCase, covered: list[str], ts: T) -> list[T]:
        """The types of the case's pattern variables (its constructor's fields, as declared;
        the value itself, of type ts, for a catch-all); `covered` gains the case's constructor."""
        if case.ctor is None:
            if len(covered) == len(dt.ctors):
                raise _Fail(f"this catch-all case is unreachable: every constructor of {dt.name} has a case",
                            case.span, "remove it")
            return [ts]
        ctor = dt.ctor(case.ctor)
        if ctor is None:
            raise _Fail(f"{case.ctor} is not a constructor of {dt.name}", case.span,
                        f"the constructors of {dt.name} are: {', '.join(c.name for c in dt.ctors)}")
        if case.ctor in covered:
            raise _Fail(f"duplicate case {case.ctor}: an earlier case matches it already", case.span,
                        f"remove one of the cases for {case.ctor}")
        if len(case.vars) != len(ctor.fields):
            raise _Fail(f"constructor {ctor.name} has {len(ctor.fields)} field(s), the pattern binds {len(case.vars)}",
                        case.span, f"write `case {_pattern_text(ctor)} => ...` (_ for a field not read)")
        covered.append(case.ctor)
        return [_field_at(dt, f.type, ts) for f in ctor.fields]

    def _size(self, e: m.Member | m.Card, ctx: _Ctx) -> T:
        """`a.Length` of an array, `r.Floor` of a real, `d.f` (a field of a datatype value),
        `|s|` of a collection."""
        match e:
            case m.Member(obj, name):
                to = _norm(self.infer(obj, ctx))
                if isinstance(to, m.ArrayType) and name == "Length":
                    return m.IntType()
                if isinstance(to, m.RealType) and name == "Floor":
                    return m.IntType()
                dt = self.spec.datatype(to.name) if isinstance(to, m.DatatypeType) else None
                if dt is not None:
                    ft = dt.field_type(name)
                    if ft is None:
                        fields = sorted({f.name for c in dt.ctors for f in c.fields})
                        raise _Fail(f"{dt.name} has no field {name}", e.span,
                                    f"the fields of {dt.name} are: {', '.join(fields) or 'none'}; "
                                    f"test a constructor with .C?")
                    return _field_at(dt, ft, to)
                raise _Fail(f"{show(to)} has no member .{name}", e.span,
                            "the members are a.Length of an array, r.Floor of a real and the fields of a datatype; "
                            "use |s| for seq/set/map")
            case m.Card(x):
                tx = _norm(self.infer(x, ctx))
                if isinstance(tx, (m.SeqType, m.SetType, m.MultisetType, m.MapType)):
                    return m.IntType()
                if isinstance(tx, m.ArrayType):
                    raise _Fail("|a| of an array is not Dafny", e.span, "write a.Length")
                raise _Fail(f"|...| of a {show(tx)}", _span(x), "|s| needs a seq, string, set, multiset or map")

    def _call(self, e: m.Call, ctx: _Ctx) -> T:
        name, args = e.name, e.args
        h = self.helpers.get(name)
        if h is None and isinstance(_norm(ctx.env.get(name)), m.ArrowType):
            return self._apply(e, _norm(ctx.env[name]), ctx)
        if h is None and name in _HEAP_FUNCTIONS:
            raise _Fail(f"{name}(...) is not in the spec language", e.span, _HEAP_FUNCTIONS[name])
        if h is None:
            known = ", ".join(sorted(self.helpers)) or "none defined"
            hint = f"define it under [[helpers]] (helpers: {known})"
            if self.ctors:
                hint += f"; the constructors are: {', '.join(self.ctors)}"
            raise _Fail(f"unknown function {name}", e.span, hint)
        if len(args) != len(h.params):
            raise _Fail(
                f"{name} takes {len(h.params)} argument(s), got {len(args)}", e.span,
                f"call it as {name}({', '.join(p.name for p in h.params)})",
            )
        fresh: dict[str, T] = {tp.name: _TVar() for tp in h.type_params}  # one instance per call
        for a, p in zip(args, h.params, strict=True):
            self.expect(a, substitute(p.type, fresh), ctx, f"argument {p.name} of {name}")
        return substitute(h.return_type, fresh)

    def _apply(self, e: m.Call, t: m.ArrowType, ctx: _Ctx) -> T:
        """`f(x)` where f is a function-typed parameter."""
        if len(e.args) != len(t.params):
            raise _Fail(f"{e.name} takes {len(t.params)} argument(s), got {len(e.args)}", e.span,
                        f"{e.name} has type {m.type_text(t)}")
        for i, (a, p) in enumerate(zip(e.args, t.params, strict=True)):
            self.expect(a, p, ctx, f"argument {i + 1} of {e.name}")
        return t.result

    def _convert(self, x: m.Expr, target: m.Type, ctx: _Ctx) -> T:
        """`n as real` and `n as char` take an int; `as int` a whole real or a char (its
        code, as Dafny: vericoding's digit tasks write `(c as int) - ('0' as int)`)."""
        what = f"the operand of `as {m.type_text(target)}`"
        if not isinstance(target, m.IntType):
            self.expect(x, m.IntType(), ctx, what)
            return target
        t = self.infer(x, ctx)
        if isinstance(_norm(t), m.CharType) or _unify(t, m.RealType()):
            return target
        raise _Fail(f"{what} must be a real or a char, found {show(t)}", _span(x),
                    "`as int` converts a whole real or a char (its code); an int needs no conversion")

    def _seq_init(self, e: m.SeqInit, ctx: _Ctx) -> T:
        """`seq(n, i => body)`: n is an int, i an int in the body, the result a seq of the body's type."""
        self.expect(e.length, m.IntType(), ctx, "the length of seq(n, ...)")
        inner = self._bind((e.var,), ctx)
        ctx.bound.update(inner.bound)
        return m.SeqType(self.infer(e.body, inner))

    def _display(self, e: m.SeqDisplay | m.SetDisplay | m.MultisetDisplay | m.MapDisplay, ctx: _Ctx) -> T:
        """`[a, b]`, `{a, b}`, `multiset{a, b}`, `map[k := v]`: all elements of one type."""
        if isinstance(e, m.MapDisplay):
            tk: T = _TVar()
            tv: T = _TVar()
            for k, v in e.items:
                self.expect(k, tk, ctx, "every key of a map display")
                self.expect(v, tv, ctx, "every value of a map display")
            return m.MapType(tk, tv)
        te: T = _TVar()
        for x in e.elems:
            self.expect(x, te, ctx, "every element of a display")
        ctor = {m.SeqDisplay: m.SeqType, m.SetDisplay: m.SetType, m.MultisetDisplay: m.MultisetType}[type(e)]
        return ctor(te)

    def _bind(self, vs: tuple[m.BoundVar, ...], ctx: _Ctx, types: tuple[T, ...] | None = None) -> _Ctx:
        """An inner scope with vs bound: at `types` (a match pattern's fields, exactly: a
        `nat` field stays `nat`), else at their declared types or unknowns to infer."""
        env = dict(ctx.env)
        for i, v in enumerate(vs):
            if reserved_word(v.name):
                raise _Fail(f"{v.name} is a Dafny keyword and cannot name a bound variable", v.span,
                            _rename_hint(v.name))
            if v.name in self.ctors:
                raise _Fail(f"bound variable {v.name} has the name of a constructor", v.span, "rename the variable")
            t: T = types[i] if types is not None else v.type if v.type is not None else _TVar()
            env[v.name] = t
            ctx.bound.put(v, t)
        return _Ctx(env, ctx.old_ok, ctx.where, ctx.bound, ctx.reuse)

    def _equality(self, t: T, op: str, span: m.Span) -> None:
        """Dafny compares values of a type parameter only when it is declared `T(==)`."""
        why = _without_equality(t, self.no_eq)
        if why is not None:
            hint = ("declare it as T(==) in the signature, e.g. method Find<T(==)>(...)"
                    if "type parameter" in why else "functions cannot be compared; compare their results")
            raise _Fail(f"{op} needs values that support equality: {why}", span, hint)

    def _binary(self, e: m.Binary, ctx: _Ctx) -> T:
        op, a, b = e.op, e.left, e.right
        if op in ("&&", "||", "==>", "<==>"):
            self.expect(a, m.BoolType(), ctx, f"the left operand of {op}")
            self.expect(b, m.BoolType(), ctx, f"the right operand of {op}")
            return m.BoolType()
        if op in ("==", "!="):
            ta = self.infer(a, ctx)
            tb = self.infer(b, ctx)
            if not _unify(ta, tb):
                raise _Fail(f"cannot compare {show(ta)} with {show(tb)} using {op}", e.span,
                            _mix_hint(ta, tb, f"both sides of {op} must have the same type"))
            self._equality(ta, op, e.span)
            if isinstance(_norm(ta), m.ArrayType):  # identity, as in Dafny: see m.array_identity
                if not (isinstance(a, m.Var) and isinstance(b, m.Var)):
                    raise _Fail(f"arrays compare by identity with {op}; only two array parameters can be compared",
                                e.span, "write `src != dst` for two parameters, or compare contents: `a[..] == b[..]`")
                ctx.bound.put(e, _norm(ta))
            return m.BoolType()
        if op in ("in", "!in"):
            tb = _norm(self.infer(b, ctx))
            if isinstance(tb, (m.SeqType, m.SetType, m.MultisetType)):
                self.expect(a, tb.elem, ctx, f"the left operand of {op}")
            elif isinstance(tb, m.MapType):
                self.expect(a, tb.key, ctx, f"the left operand of {op}")
            else:
                raise _Fail(f"{op} needs a seq, set, multiset or map on its right, found {show(tb)}", _span(b), "for an array write x in a[..]")
            self._equality(tb.key if isinstance(tb, m.MapType) else tb.elem, op, e.span)
            return m.BoolType()
        ta = _norm(self.infer(a, ctx))
        tb = self.infer(b, ctx)
        if isinstance(ta, _TVar):
            # an untyped left side takes the right side's number type, int by default
            want = m.RealType() if isinstance(_norm(tb), m.RealType) else m.IntType()
            if not _unify(tb, want):
                raise _Fail(f"the right operand of {op} must be {show(want)}, found {show(tb)}", _span(b),
                            f"change this expression to a {show(want)}")
            _unify(ta, want)
        if not _unify(ta, tb):
            raise _Fail(f"{op} between {show(ta)} and {show(tb)}", e.span,
                        _mix_hint(ta, tb, "both operands must have the same type"))
        ta = _norm(ta)
        if op in ("<", "<=", ">", ">="):
            ctx.bound.put(e, ta)
            if isinstance(ta, (m.IntType, m.RealType, m.CharType)) or (
                isinstance(ta, (m.SetType, m.MultisetType)) and op in ("<", "<=")
            ) or (isinstance(ta, m.SeqType) and op in ("<", "<=")):
                return m.BoolType()
            raise _Fail(f"{op} is not defined on {show(ta)}", e.span, "compare ints or chars; for sets use <= (subset)")
        allowed = {
            "+": (m.IntType, m.RealType, m.SeqType, m.SetType, m.MultisetType),
            "-": (m.IntType, m.RealType, m.SetType, m.MultisetType),
            "*": (m.IntType, m.RealType, m.SetType, m.MultisetType),
            "/": (m.IntType, m.RealType),
            "%": (m.IntType,),
        }[op]
        if not isinstance(ta, allowed):
            raise _Fail(f"{op} is not defined on {show(ta)}", e.span, f"{op} works on {', '.join(c.__name__[:-4].lower() for c in allowed)}")
        return ta


def _span(e: m.Expr) -> m.Span:
    return getattr(e, "span", m.NO_SPAN)


def _inferred(bound: _ById) -> None:
    """Every constructor of a generic datatype got its type arguments (from its fields or
    from where it stands); Dafny refuses `None == None` the same way."""
    for e, t in bound.constructs:
        if any(isinstance(_prune(a), _TVar) for a in t.args):
            raise _Fail(f"cannot infer the type argument(s) of {e.name} here: it is a {show(t)}", e.span,
                        f"let the context fix its type, e.g. compare it with a value of type {t.name}<int>, "
                        f"or bind it as `var x: {t.name}<int> := {e.name}...; ...`")


def _fresh_instance(d: m.Datatype) -> m.DatatypeType:
    """d at unknown type arguments, one per type parameter (solved by unification)."""
    return m.DatatypeType(d.name, tuple(_TVar() for _ in d.type_params))


def _field_at(d: m.Datatype, field_type: m.Type, at: T) -> T:
    """A field's declared type at the instance `at` of its datatype (`T` of `Some(value: T)`
    at `Option<int>` is int)."""
    at = _prune(at)
    if not d.type_params or not isinstance(at, m.DatatypeType) or len(at.args) != len(d.type_params):
        return field_type
    return substitute(field_type, dict(zip((tp.name for tp in d.type_params), at.args, strict=True)))


def _pattern_text(c: m.Constructor) -> str:
    """`Fork(left, val, right)`, `Tip`: a pattern for the constructor c."""
    return f"{c.name}({', '.join(f.name for f in c.fields)})" if c.fields else c.name


def _fill(e: Any, bound: _ById) -> Any:
    """Rebuild a tree with every BoundVar's type resolved."""
    if isinstance(e, m.BoundVar):
        t = bound.get(id(e))
        if e.type is None and t is not None:
            return dataclasses.replace(e, type=_pretty(resolve(t)))  # type: ignore[arg-type]
        return e
    if isinstance(e, tuple):
        return tuple(_fill(x, bound) for x in e)
    if isinstance(e, m.Binary) and id(e) in bound and e.operand_type is None:
        filled = _fill(dataclasses.replace(e), bound)
        return dataclasses.replace(filled, operand_type=_pretty(resolve(bound[id(e)])))  # type: ignore[arg-type]
    if isinstance(e, m.Match) and e.datatype is None and isinstance(bound.get(id(e)), m.Datatype):
        return dataclasses.replace(_fill(dataclasses.replace(e), bound), datatype=bound[id(e)])
    if isinstance(e, m.Expr):
        changes = {}
        for f in dataclasses.fields(e):
            if f.name == "span":
                continue
            v = getattr(e, f.name)
            nv = _fill(v, bound)
            if nv is not v:
                changes[f.name] = nv
        return dataclasses.replace(e, **changes) if changes else e
    return e


def typecheck(spec: m.Spec, file_text: str) -> tuple[m.Spec, list[SpecError]]:
    return Checker(spec, file_text).run()


class ExprTypes:
    """The checker's types for the expressions of one spec: the one place where a spec
    expression gets its type (the Lean translator and the read-back ask here)."""

    def __init__(self, checker: Checker) -> None:
        self._checker = checker

    def of(self, e: m.Expr, scope: Mapping[str, m.Type] | None = None) -> m.Type | None:
        """The type of e, unknown parts defaulted to int; None where it does not typecheck.

        e is a sub-expression of the spec's clauses or helper bodies; or a node a translator
        built from them (`0 <= i` from a range), typed on the spot from its parts, with the
        names in `scope` (the bound variables around it)."""
        t = self._checker.types.get(id(e))
        if t is None:
            ctx = _Ctx(dict(scope or {}), True, "an expression", reuse=True)
            try:
                t = self._checker.infer(e, ctx)
            except _Fail:
                return None
        return resolve(t)


def expression_types(spec: m.Spec) -> ExprTypes:
    """Type every clause and helper body of spec (the spec may have errors: the clauses
    that fail give None for their parts)."""
    checker = Checker(spec, "")
    checker.run()
    return ExprTypes(checker)
