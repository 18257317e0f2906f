"""Dafny types as the translator sees them: their Python spellings, the subset's type
rules, and the inference of an expression's type.

The Python runtime conventions are shared with the spec layer and the property harness:
int/nat → int, bool → bool, char → str of length 1, string (= seq<char>) → str,
seq<T> → list, set<T> → set (frozenset when nested), multiset<T> → collections.Counter,
map<K,V> → dict, array<T> → list, tuples → tuple, datatypes → dataclasses.

The program verified, so inference only has to recover what Dafny already checked, as
far as the translation's choices depend on it (`+` on sequences vs sets, `/` on ints, a
nested set being a frozenset). What it cannot tell is `UNKNOWN` (`?`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_ast import Type
from verifier.translators.dafny_bounds import conjuncts
from verifier.translators.dafny_scope import ProgramIndex, Scope, py_identifier
from verifier.translators.dafny_unsupported import unsupported

INT = Type("int")
NAT = Type("nat")
BOOL = Type("bool")
CHAR = Type("char")
REAL = Type("real")
STRING = Type("seq", (CHAR,))
UNKNOWN = Type("?")

_INTS = {"int", "nat"}
_COLLECTIONS = {"seq", "set", "multiset", "map", "array", "iset", "imap"}


def is_int(t: Type | None) -> bool:
    return t is not None and t.name in _INTS


def bv_width(t: Type | None) -> int | None:
    """N of a bitvector type `bvN` (its values are the ints 0 .. 2^N - 1), else None."""
    found = re.fullmatch(r"bv(\d+)", t.name) if t is not None else None
    return int(found.group(1)) if found else None


def is_string(t: Type | None) -> bool:
    return t is not None and t.name == "seq" and len(t.args) == 1 and t.args[0].name == "char"


def is_kind(t: Type | None, *names: str) -> bool:
    return t is not None and t.name in names


def elem(t: Type | None) -> Type:
    """Element type of seq/set/multiset/array, key type of a map; UNKNOWN otherwise."""
    if t is None or not t.args:
        return UNKNOWN
    return t.args[0]


def array_rank(t: Type | None) -> int:
    """2 for `array2<T>` (or `array2?<T>`), 3 for `array3<T>`...; 0 for anything else."""
    found = re.fullmatch(r"array([2-9]|[1-9]\d+)\??", t.name) if t is not None else None
    return int(found.group(1)) if found else 0


def tuple_parts(t: Type | None, n: int) -> tuple[Type, ...]:
    """The `n` component types of a tuple type; UNKNOWN for each when `t` does not say."""
    if t is not None and t.name == "tuple" and len(t.args) == n:
        return t.args
    return (UNKNOWN,) * n


def map_value(t: Type | None) -> Type:
    if t is None or t.name != "map" or len(t.args) != 2:
        return UNKNOWN
    return t.args[1]


def python_hint(t: Type | None, *, nested: bool = False) -> str:
    """The annotation for a value of Dafny type `t` (`nested`: inside a set/map key)."""
    if t is None or t.name == "?":
        return "object"
    name = t.name
    if name in _INTS or bv_width(t) is not None:
        return "int"
    if name == "bool":
        return "bool"
    if name == "real":
        return "Fraction"
    if name == "->":
        params = ", ".join(python_hint(a) for a in t.args[:-1])
        return f"Callable[[{params}], {python_hint(t.args[-1])}]"
    if name == "char" or is_string(t):
        return "str"
    if name in ("seq", "array", "array?"):
        return f"list[{python_hint(elem(t))}]"
    if array_rank(t):
        return "_ArrayND"
    if name == "set":
        inner = python_hint(elem(t), nested=True)
        return f"frozenset[{inner}]" if nested else f"set[{inner}]"
    if name == "multiset":
        return f"Counter[{python_hint(elem(t), nested=True)}]"
    if name == "map":
        return f"dict[{python_hint(elem(t), nested=True)}, {python_hint(map_value(t))}]"
    if name == "tuple":
        if not t.args:
            return "tuple[()]"
        return "tuple[" + ", ".join(python_hint(a, nested=nested) for a in t.args) + "]"
    # a datatype, class or type parameter: named as the translation names it
    if t.args:
        return f"{py_identifier(name)}[" + ", ".join(python_hint(a) for a in t.args) + "]"
    if name.endswith("?"):
        return f"{py_identifier(name[:-1])} | None"  # a nullable class type `C?`
    return py_identifier(name)


def dafny_text(t: Type | None) -> str:
    """The Dafny spelling of `t` (used in metadata and messages)."""
    if t is None:
        return "?"
    if is_string(t):
        return "string"
    if t.name == "tuple":
        return "(" + ", ".join(dafny_text(a) for a in t.args) + ")"
    if t.name == "->":
        return "(" + ", ".join(dafny_text(a) for a in t.args[:-1]) + ") -> " + dafny_text(t.args[-1])
    if t.args:
        return f"{t.name}<" + ", ".join(dafny_text(a) for a in t.args) + ">"
    return t.name


# ---------------------------------------------------------------- type rules of the subset

_KNOWN_TYPES = {
    "int", "nat", "bool", "char", "string", "real", "seq", "set", "iset", "multiset", "map", "imap",
    "array", "array?", "tuple", "->", "?",
}  # fmt: skip

_BOOL_OPS = {"&&", "||", "==>", "<==", "<==>", "==", "!=", "<", "<=", ">", ">=", "in", "!in", "!!"}


def subst_of(dt: A.Datatype, typ: Type) -> dict[str, Type]:
    """The binding of `dt`'s type parameters in the instance `typ` (empty if unknown)."""
    if typ.name == dt.name and len(typ.args) == len(dt.type_params):
        return dict(zip(dt.type_params, typ.args, strict=True))
    return {}


def apply_subst(t: Type, subst: Mapping[str, Type]) -> Type:
    """`t` with the type parameters of `subst` replaced."""
    if not subst:
        return t
    if t.name in subst and not t.args:
        return subst[t.name]
    return Type(t.name, tuple(apply_subst(a, subst) for a in t.args))


class TypeInference:
    """Types of expressions in the current `scope`, and the subset's rules on types.

    `typevars` is shared with the emitter: the type parameters declared so far."""

    def __init__(self, index: ProgramIndex, scope: Scope, typevars: set[str],
                 helpers: set[str]) -> None:
        self.index = index
        self.scope = scope
        self.typevars = typevars
        self.helpers = helpers  # the module's `Needs.helpers`: a declared array2 needs `_ArrayND`

    def infer(self, e: A.Expr) -> Type:
        """The type of `e` (UNKNOWN where it cannot tell)."""
        match e:
            case A.IntLit() | A.Cardinality():
                return INT
            case A.UnaryOp(op="!", operand=x) if bv_width(bits := self.infer(x)) is not None:
                return bits  # the complement of a bitvector
            case A.BoolLit() | A.Chain() | A.Quantifier() | A.UnaryOp(op="!"):
                return BOOL
            case A.BinOp(op=op) if op in _BOOL_OPS:
                return BOOL
            case A.CharLit():
                return CHAR
            case A.RealLit():
                return REAL
            case A.StringLit():
                return STRING
            case A.Name():
                return self._name_type(e)
            case A.BinOp(left=left, right=right) | A.IfExpr(then=left, else_=right):
                t = self.infer(left)
                return t if t.name != "?" else self.infer(right)
            case (A.UnaryOp(operand=x) | A.Old(operand=x) | A.Update(seq=x) | A.DatatypeUpdate(obj=x)
                  | A.StmtExpr(body=x)):
                return self.infer(x)
            case A.MultiIndex(seq=seq):
                return elem(self.infer(seq))
            case A.NewArray(elem_type=t, sizes=sizes) if len(sizes) > 1:
                return Type(f"array{len(sizes)}", (t,))
            case A.Index(seq=seq):
                st = self.infer(seq)
                return map_value(st) if st.name == "map" else INT if st.name == "multiset" else elem(st)
            case A.Slice(seq=seq):
                return Type("seq", (elem(self.infer(seq)),))
            case A.Field():
                return self._field_type(e)
            case A.Call():
                return self._call_type(e)
            case A.AsExpr(type=t):
                return t
            case A.Lambda():
                return Type("->", (*(b.type or UNKNOWN for b in e.params), UNKNOWN))
            case A.ThisExpr() if self.scope.this_class is not None:
                return Type(self.scope.this_class.name)
            case A.NewObject():
                cls, _ = self.new_target(e)
                return Type(cls.name) if cls is not None else UNKNOWN
            case A.NewArray(elem_type=t):
                return Type("array", (t,))
        return self._infer_display(e)

    def _infer_display(self, e: A.Expr) -> Type:
        match e:
            case A.SeqDisplay(elements=xs):
                return Type("seq", (self.infer(xs[0]) if xs else UNKNOWN,))
            case A.SetDisplay(elements=xs):
                return Type("set", (self.infer(xs[0]) if xs else UNKNOWN,))
            case A.MultisetDisplay(elements=xs):
                return Type("multiset", (self.infer(xs[0]) if xs else UNKNOWN,))
            case A.MultisetOf(operand=x):
                return Type("multiset", (elem(self.infer(x)),))
            case A.MapDisplay(items=items):
                if not items:
                    return Type("map", (UNKNOWN, UNKNOWN))
                return Type("map", (self.infer(items[0][0]), self.infer(items[0][1])))
            case A.TupleDisplay(elements=xs):
                return Type("tuple", tuple(self.infer(x) for x in xs))
        return self._infer_binding(e)

    def _infer_binding(self, e: A.Expr) -> Type:
        """Types of the expressions that bind names (in a scope of their own)."""
        with self.scope.nested():
            match e:
                case A.LetExpr(binders=binders, values=(value,), body=body) if len(binders) > 1:
                    parts = tuple_parts(self.infer(value), len(binders))
                    for b, t in zip(binders, parts, strict=True):
                        self.scope.declare(b.name, b.type or t)
                    return self.infer(body)
                case A.LetExpr(binders=binders, values=values, body=body):
                    for b, v in zip(binders, values, strict=False):
                        self.scope.declare(b.name, b.type or self.infer(v))
                    return self.infer(body)
                case A.LetSuchThat(binders=binders, cond=cond, body=body):
                    self._declare_binders(binders, cond)
                    return self.infer(body)
                case A.MatchExpr():
                    return self._match_type(e)
                case A.SetComprehension(binders=binders, range=rng, body=body):
                    self._declare_binders(binders, rng)
                    return Type("set", (self.infer(body or A.Name(binders[0].name)),))
                case A.MapComprehension(binders=binders, range=rng, key=key, value=value):
                    self._declare_binders(binders, rng)
                    key_t = self.infer(key or A.Name(binders[0].name))
                    return Type("map", (key_t, self.infer(value)))
                case A.SeqConstructor(init=A.Lambda(param=param, body=body)):
                    self.scope.declare(param, INT)
                    return Type("seq", (self.infer(body),))
                case A.SeqConstructor(init=init):
                    ft = self.infer(init)
                    return Type("seq", (ft.args[-1] if ft.name == "->" and ft.args else UNKNOWN,))
        return UNKNOWN

    def _match_type(self, e: A.MatchExpr) -> Type:
        scrut_t = self.infer(e.scrutinee)
        for case in e.cases:
            with self.scope.nested():
                self.bind_pattern(case.pattern, scrut_t)
                t = self.infer(case.body)
            if t.name != "?":
                return t
        return UNKNOWN

    def _declare_binders(self, binders: tuple[A.Binder, ...], rng: A.Expr | None) -> None:
        for b in binders:
            self.scope.declare(b.name, b.type or self.binder_type(b.name, rng))

    def _name_type(self, e: A.Name) -> Type:
        var = self.scope.lookup(e.name)
        if var is not None:
            return var.type
        if e.name in self.index.consts:
            c = self.index.consts[e.name]
            return c.type or self.infer(c.value)
        if e.name in self.index.ctors:
            return Type(self.index.ctors[e.name][0].name)
        if e.name in self.index.functions:
            f = self.index.functions[e.name]
            params = tuple(p.type for p in f.params if not p.ghost)
            return Type("->", (*params, f.result or BOOL))
        return UNKNOWN

    def binder_type(self, name: str, rng: A.Expr | None) -> Type:
        """A bound variable without a declared type: the element type of `x in S`, else int."""
        for c in conjuncts(rng):
            match c:
                case A.BinOp(op="in", left=A.Name(name=n), right=right) if n == name:
                    return elem(self.infer(right))
        return INT

    def _field_type(self, e: A.Field) -> Type:
        if e.name in ("Length", "Floor") or re.fullmatch(r"Length\d+", e.name):
            return INT
        if e.name.endswith("?"):
            return BOOL
        ot = self.infer(e.obj)
        if e.name == "Keys" and ot.name == "map":
            return Type("set", (elem(ot),))
        if e.name == "Values" and ot.name == "map":
            return Type("set", (map_value(ot),))
        if e.name.isdigit() and ot.name == "tuple":
            i = int(e.name)
            return ot.args[i] if i < len(ot.args) else UNKNOWN
        cls = self.index.classes.get(ot.name.rstrip("?"))
        if cls is not None:
            f = next((f for f in cls.fields if f.name == e.name), None)
            if f is not None:
                return f.type
            c = next((c for c in cls.members if isinstance(c, A.Const) and c.name == e.name), None)
            if c is not None:
                return c.type or self.infer(c.value)
        if ot.name in self.index.datatypes:
            dt = self.index.datatypes[ot.name]
            for c in dt.ctors:
                for f in c.fields:
                    if f.name == e.name:
                        return apply_subst(f.type, subst_of(dt, ot))
        return UNKNOWN

    def member_of(self, e: A.Expr) -> tuple[A.Class, A.Decl] | None:
        """The class member `e` calls: `obj.m` (by obj's class), `C.m` (static) or an
        implicit `m` inside a class."""
        match e:
            case A.Field(obj=A.Name(name=cname), name=name) if self.index.holder(cname) and self.scope.lookup(cname) is None:
                cls = self.index.holder(cname)
            case A.Field(obj=obj, name=name):
                cls = self.index.holder(self.infer(obj).name.rstrip("?"))
            case A.Name(name=name) if self.scope.this_class is not None and self.scope.lookup(name) is None:
                cls = self.scope.this_class
            case _:
                return None
        member = self.index.find_member(cls, name) if cls is not None else None
        return (cls, member) if cls is not None and member is not None else None

    def new_target(self, e: A.NewObject) -> tuple[A.Class | None, str]:
        """The class and constructor name of `new ...` (`M.C.Init` -> C, "Init")."""
        parts = e.cls.split(".")
        if parts[-1] in self.index.classes:
            return self.index.classes[parts[-1]], ""
        if len(parts) >= 2 and parts[-2] in self.index.classes:
            return self.index.classes[parts[-2]], parts[-1]
        return None, ""

    def _call_type(self, e: A.Call) -> Type:
        found = self.member_of(e.func)
        if found is not None:
            member = found[1]
            if isinstance(member, A.Function):
                return member.result or BOOL
            if isinstance(member, A.Method):
                outs = [p.type for p in member.returns if not p.ghost]
                return outs[0] if len(outs) == 1 else Type("tuple", tuple(outs))
        if not isinstance(e.func, A.Name):
            return UNKNOWN
        name = e.func.name
        var = self.scope.lookup(name)
        if var is not None:
            return var.type.args[-1] if var.type.name == "->" and var.type.args else UNKNOWN
        if name in self.index.functions:
            f = self.index.functions[name]
            result = f.result or BOOL
            if f.type_params and result.name in f.type_params and not result.args:
                # a generic result: the argument given for a parameter of that type
                for p, a in zip(f.params, e.args, strict=False):
                    if p.type.name == result.name and not p.type.args:
                        return self.infer(a)
            return result
        if name in self.index.methods:
            outs = [p.type for p in self.index.methods[name].returns if not p.ghost]
            return outs[0] if len(outs) == 1 else Type("tuple", tuple(outs))
        if name in self.index.ctors:
            dt, ctor = self.index.ctors[name]
            if not dt.type_params:
                return Type(dt.name)
            subst: dict[str, Type] = {}
            for f, a in zip(ctor.fields, e.args, strict=False):
                if f.type.name in dt.type_params and not f.type.args:
                    subst[f.type.name] = self.infer(a)
            return Type(dt.name, tuple(subst.get(t, UNKNOWN) for t in dt.type_params))
        return UNKNOWN

    def call_result_types(self, e: A.Expr) -> list[Type]:
        """The types of the values `e` returns: a method's compiled outs, else one."""
        if isinstance(e, A.Call) and (found := self.member_of(e.func)) is not None and isinstance(found[1], A.Method):
            return [p.type for p in found[1].returns if not p.ghost]
        if self.index.is_method_call(e):
            assert isinstance(e, A.Call) and isinstance(e.func, A.Name)
            return [p.type for p in self.index.methods[e.func.name].returns if not p.ghost]
        return [self.infer(e)]

    def bind_pattern(self, p: A.Pattern, typ: Type) -> None:
        """Declare the variables `p` captures from a value of type `typ` in the innermost
        scope (names starting with `_` capture nothing)."""
        match p:
            case A.PatName(name=name):
                nullary = name in self.index.ctors and not self.index.ctors[name][1].fields
                if not (nullary or name.startswith("_")):
                    self.scope.declare(name, typ)
            case A.PatCtor(name=name, args=args):
                if name not in self.index.ctors:
                    raise unsupported(p, f"unknown constructor '{name}'", "pattern")
                dt, ctor = self.index.ctors[name]
                if len(args) != len(ctor.fields):
                    raise unsupported(p, f"constructor '{name}' takes {len(ctor.fields)} arguments", "pattern")
                subst = subst_of(dt, typ)
                for a, f in zip(args, ctor.fields, strict=True):
                    self.bind_pattern(a, apply_subst(f.type, subst))
            case A.PatTuple(elements=elements):
                for i, a in enumerate(elements):
                    self.bind_pattern(a, typ.args[i] if typ.name == "tuple" and i < len(typ.args) else UNKNOWN)
            case A.PatLit():
                pass
            case _:
                raise unsupported(p, "unsupported pattern", "pattern")

    # ------------------------------------------------------------ the subset's type rules
    def check_type(self, node: A.Node, t: Type) -> None:
        """Refuse a declared type outside the subset where it is declared: `real`,
        classes, `array2`..., and sets or map keys Python cannot hash. A type
        nobody checks would otherwise be treated like an int or an object, silently
        (a `bv8` treated as an int would not wrap around)."""
        known = (*self.index.datatypes, *self.index.classes, *self.typevars)
        if t.name not in _KNOWN_TYPES and t.name.rstrip("?") not in known and bv_width(t) is None:
            if array_rank(t):
                self.helpers.add("_ArrayND")  # callers build one to pass it in
                return self.check_type(node, elem(t))
            else:
                what = f"the type '{t.name}' (a class, trait, newtype or type synonym?) is"
            raise unsupported(node, f"{what} outside the supported subset", t.name)
        if t.name in ("set", "multiset", "map") and t.args:
            self.require_hashable(node, t.args[0])
        for a in t.args:
            self.check_type(node, a)

    def require_hashable(self, node: A.Node, t: Type) -> None:
        """Refuse elements that Python cannot hash: the translation would raise TypeError.

        A sequence is a list, a multiset a Counter, a map a dict; a top-level set becomes
        a frozenset, but a set, sequence or map inside a tuple or a datatype value stays
        mutable, so `{Box([1])}` cannot be built either.
        """
        bad = self._unhashable_part(t, top=True)
        if bad is None:
            return
        what = "sequences" if bad.name in ("seq", "array", "array?") else dafny_text(bad)
        raise unsupported(
            node,
            f"sets, multisets and map keys of {what} are outside the supported subset (Python cannot hash {dafny_text(t)})",
            "set of sequences" if what == "sequences" else "unhashable set element",
        )

    def _unhashable_part(self, t: Type, *, top: bool = False, seen: frozenset[str] = frozenset()) -> Type | None:
        if t.name in ("seq", "array", "array?"):
            return None if is_string(t) else t
        if t.name in ("map", "multiset") or (t.name == "set" and not top):
            return t
        if t.name == "tuple":
            return next((b for a in t.args if (b := self._unhashable_part(a, seen=seen)) is not None), None)
        dt = self.index.datatypes.get(t.name)
        if dt is not None and t.name not in seen:
            binding = dict(zip(dt.type_params, t.args, strict=False))
            for c in dt.ctors:
                for f in c.fields:
                    ft = binding.get(f.type.name, f.type) if not f.type.args else f.type
                    bad = self._unhashable_part(ft, seen=seen | {t.name})
                    if bad is not None:
                        return bad
        return None
