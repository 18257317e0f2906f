"""spec → z3, for concrete shapes: the checks of `spec check` decide in milliseconds.

Inputs are concrete (sampled) values; outputs are symbolic, but with a fixed *shape*:
a sequence of length n is n symbolic elements, a set of size n is n distinct symbolic
elements, a map n distinct keys with values. With every length known, quantifiers over
indices or members unroll into finite conjunctions; a quantifier whose bounds stay
symbolic becomes a real z3 quantifier (z3 may then answer "unknown", reported as such).
Callers enumerate shapes (`shapes_for`) to search for outputs.

Partial operations (index out of range, division by zero, map lookup of a missing key)
add side conditions under the current path condition: an output that makes a clause
undefined does not satisfy it — the same rule as the Python predicates.

Sets, multisets and maps are lists of `(element, present)` pairs; `present` is a z3 Bool,
so set difference, comprehensions and conditional inserts stay exact.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import z3
from verifier.specs import model as m
from verifier.specs.typecheck import ExprTypes, expression_types
from verifier.specs.values import hashable
from verifier.translators.spec_bounds import (
    BoolDomain,
    IntDomain,
    MemberDomain,
    NotBounded,
    domains,
    guard_of,
)
from verifier.translators.spec_z3_datatypes import (
    DatatypeSorts,
    DatatypeUnsupported,
    check_symbolic,
    sorts_for,
    value_from_z3,
    value_to_z3,
)

MAX_UNROLL = 4000
MAX_CALL_DEPTH = 60


class Unsupported(Exception):
    """This expression cannot be encoded for these shapes; callers report "not checked"."""

    def __init__(self, message: str, span: m.Span | None = None) -> None:
        super().__init__(message)
        self.span = span


@dataclass(frozen=True)
class SSeq:
    elems: tuple[Any, ...]


@dataclass(frozen=True)
class SSet:
    items: tuple[tuple[Any, Any], ...]  # (element, present)


@dataclass(frozen=True)
class SMultiset:
    items: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class SMap:
    items: tuple[tuple[Any, Any, Any], ...]  # (key, value, present); later entries win


TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


def _simp(e: Any) -> Any:
    return z3.simplify(e) if z3.is_expr(e) else e


def concrete_bool(e: Any) -> bool | None:
    s = _simp(e)
    if z3.is_true(s):
        return True
    if z3.is_false(s):
        return False
    return None


def concrete_int(e: Any) -> int | None:
    s = _simp(e)
    return s.as_long() if z3.is_int_value(s) else None


def _and(*xs: Any) -> Any:
    xs2 = [x for x in xs if not (z3.is_true(x))]
    if any(z3.is_false(x) for x in xs2):
        return FALSE
    if not xs2:
        return TRUE
    return xs2[0] if len(xs2) == 1 else z3.And(*xs2)


def _or(*xs: Any) -> Any:
    xs2 = [x for x in xs if not z3.is_false(x)]
    if any(z3.is_true(x) for x in xs2):
        return TRUE
    if not xs2:
        return FALSE
    return xs2[0] if len(xs2) == 1 else z3.Or(*xs2)


# ----------------------------------------------------------------------------- values


def _elem_type(t: m.Type) -> m.Type:
    if isinstance(t, m.StringType):
        return m.CharType()
    return t.elem  # type: ignore[attr-defined]


def is_collection(t: m.Type) -> bool:
    return isinstance(t, (m.SeqType, m.StringType, m.SetType, m.MultisetType, m.MapType, m.ArrayType))


def _sorts(datatypes: tuple[m.Datatype, ...]) -> DatatypeSorts:
    try:
        return sorts_for(datatypes)
    except DatatypeUnsupported as exc:
        raise Unsupported(str(exc)) from None


def from_python(value: Any, t: m.Type, datatypes: tuple[m.Datatype, ...] = ()) -> Any:
    """A runtime value (specs.values conventions) to its z3 form (`datatypes`: the spec's)."""
    def inner(x: Any, et: m.Type) -> Any:
        return from_python(x, et, datatypes)

    match t:
        case m.IntType() | m.NatType():
            return z3.IntVal(int(value))
        case m.BoolType():
            return z3.BoolVal(bool(value))
        case m.RealType():
            return z3.RealVal(f"{value.numerator}/{value.denominator}")
        case m.CharType():
            return z3.IntVal(ord(value))
        case m.StringType():
            return SSeq(tuple(z3.IntVal(ord(c)) for c in value))
        case m.SeqType(e) | m.ArrayType(e):
            if isinstance(value, str):
                return SSeq(tuple(z3.IntVal(ord(c)) for c in value))
            return SSeq(tuple(inner(x, e) for x in value))
        case m.SetType(e):
            return SSet(tuple((inner(_unhash(x, e), e), TRUE) for x in value))
        case m.MultisetType(e):
            items = Counter(value) if not isinstance(value, Counter) else value
            return SMultiset(tuple((inner(_unhash(x, e), e), TRUE) for x, c in items.items() for _ in range(max(c, 0))))
        case m.MapType(k, v):
            return SMap(tuple((inner(_unhash(a, k), k), inner(b, v), TRUE) for a, b in value.items()))
        case m.DatatypeType():
            try:
                return value_to_z3(_sorts(datatypes), value, t)
            except DatatypeUnsupported as exc:
                raise Unsupported(str(exc)) from None
    raise Unsupported(f"values of type {m.type_text(t)}")


def _unhash(x: Any, t: m.Type) -> Any:
    if isinstance(t, m.MapType) and isinstance(x, tuple):
        return dict(x)
    if isinstance(t, m.MultisetType) and isinstance(x, tuple):
        return Counter(dict(x))
    return x


Shape = int | None  # size of a collection; None for scalars


def shape_choices(t: m.Type, max_size: int) -> list[Shape]:
    if not is_collection(t):
        return [None]
    if is_collection(_elem_type(t) if not isinstance(t, m.MapType) else t.value) or (
        isinstance(t, m.MapType) and is_collection(t.key)
    ):
        raise Unsupported(f"symbolic values of nested type {m.type_text(t)}")
    return list(range(max_size + 1))


def shapes_for(
    types: Mapping[str, m.Type], max_size: int, limit: int = 200, *, fixed: Mapping[str, int] | None = None,
) -> Iterator[dict[str, Shape]]:
    """Every combination of sizes up to `max_size`, smallest total first, at most `limit`.

    `fixed` gives sizes already known (e.g. an ensures clause `|t| == |s|` pins `t` for a
    concrete input): those collections get only that size, whatever `max_size` is, so
    a long forced output is still found and the search over it is complete.
    """
    names = list(types)
    pinned = fixed or {}
    choices = [
        [pinned[n]] if n in pinned and shape_choices(types[n], 0) != [None] else shape_choices(types[n], max_size)
        for n in names
    ]
    combos = sorted(itertools.product(*choices), key=lambda c: sum(x or 0 for x in c))
    for combo in combos[:limit]:
        yield dict(zip(names, combo, strict=True))


class Fresh:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.n = 0

    def name(self, base: str) -> str:
        self.n += 1
        return f"{self.prefix}{base}!{self.n}"


def _scalar(t: m.Type, name: str, cons: list[Any], datatypes: tuple[m.Datatype, ...] = ()) -> Any:
    if isinstance(t, m.DatatypeType):
        try:
            check_symbolic(datatypes, t)
            dts = _sorts(datatypes)
            return z3.Const(name, dts.sort(dts.key(t)))
        except DatatypeUnsupported as exc:
            raise Unsupported(str(exc)) from None
    if isinstance(t, m.BoolType):
        return z3.Bool(name)
    if isinstance(t, m.RealType):
        return z3.Real(name)
    v = z3.Int(name)
    if isinstance(t, m.NatType):
        cons.append(v >= 0)
    if isinstance(t, m.CharType):
        cons.append(z3.And(v >= 0, v < 0x110000))
    return v


def symbolic(t: m.Type, name: str, shape: Shape, cons: list[Any], datatypes: tuple[m.Datatype, ...] = ()) -> Any:
    """A fresh value of type t with the given shape; type constraints go to `cons`."""
    if not is_collection(t):
        return _scalar(t, name, cons, datatypes)
    assert shape is not None
    if isinstance(t, m.MapType):
        keys = [_scalar(t.key, f"{name}.k{i}", cons, datatypes) for i in range(shape)]
        vals = [_scalar(t.value, f"{name}.v{i}", cons, datatypes) for i in range(shape)]
        if len(keys) > 1:
            cons.append(z3.Distinct(*keys))
        return SMap(tuple((k, v, TRUE) for k, v in zip(keys, vals, strict=True)))
    et = _elem_type(t)
    elems = [_scalar(et, f"{name}[{i}]", cons, datatypes) for i in range(shape)]
    if isinstance(t, m.SetType):
        if len(elems) > 1:
            cons.append(z3.Distinct(*elems))
        return SSet(tuple((e, TRUE) for e in elems))
    if isinstance(t, m.MultisetType):
        if isinstance(et, m.DatatypeType):
            raise Unsupported(f"symbolic values of type {m.type_text(t)}")
        for a, b in itertools.pairwise(elems):  # sorted: one representative per multiset
            cons.append(a <= b)
        return SMultiset(tuple((e, TRUE) for e in elems))
    return SSeq(tuple(elems))


def to_python(v: Any, t: m.Type, model: z3.ModelRef, datatypes: tuple[m.Datatype, ...] = ()) -> Any:
    """Read a symbolic value back under a model (runtime conventions)."""
    if isinstance(t, m.DatatypeType):
        try:
            return value_from_z3(_sorts(datatypes), v, t, model)
        except DatatypeUnsupported as exc:
            raise Unsupported(str(exc)) from None
    if is_collection(t) and datatypes:
        return _collection_to_python(v, t, model, datatypes)

    def ev(x: Any) -> Any:
        return model.eval(x, model_completion=True)

    match t:
        case m.IntType() | m.NatType():
            return ev(v).as_long()
        case m.BoolType():
            return z3.is_true(ev(v))
        case m.RealType():
            return ev(v).as_fraction()
        case m.CharType():
            return chr(ev(v).as_long())
        case m.StringType():
            return "".join(chr(ev(x).as_long()) for x in v.elems)
        case m.SeqType(e) | m.ArrayType(e):
            if isinstance(e, m.CharType):
                return "".join(chr(ev(x).as_long()) for x in v.elems)
            return [to_python(x, e, model) for x in v.elems]
        case m.SetType(e):
            return frozenset(to_python(x, e, model) for x, p in v.items if z3.is_true(ev(p)))
        case m.MultisetType(e):
            return Counter(to_python(x, e, model) for x, p in v.items if z3.is_true(ev(p)))
        case m.MapType(k, val):
            out = {}
            for a, b, p in v.items:
                if z3.is_true(ev(p)):
                    out[to_python(a, k, model)] = to_python(b, val, model)
            return out
    raise Unsupported(f"values of type {m.type_text(t)}")


def _collection_to_python(v: Any, t: m.Type, model: z3.ModelRef, datatypes: tuple[m.Datatype, ...]) -> Any:
    """`to_python` of a collection that may hold datatype values."""
    def back(x: Any, et: m.Type) -> Any:
        return to_python(x, et, model, datatypes)

    def present(p: Any) -> bool:
        return z3.is_true(model.eval(p, model_completion=True))

    match t:
        case m.SeqType(e) | m.ArrayType(e) if not isinstance(e, m.CharType):
            return [back(x, e) for x in v.elems]
        case m.SetType(e):
            return frozenset(hashable(back(x, e)) for x, p in v.items if present(p))
        case m.MultisetType(e):
            return Counter(hashable(back(x, e)) for x, p in v.items if present(p))
        case m.MapType(k, val):
            return {hashable(back(a, k)): back(b, val) for a, b, p in v.items if present(p)}
    return to_python(v, t, model)


def differs(a: Any, b: Any) -> Any:
    """z3 Bool: the two same-shaped symbolic values differ."""
    return z3.Not(eq(a, b))


# ----------------------------------------------------------------------------- operations


def eq(a: Any, b: Any) -> Any:
    if isinstance(a, SSeq) and isinstance(b, SSeq):
        if len(a.elems) != len(b.elems):
            return FALSE
        return _and(*(eq(x, y) for x, y in zip(a.elems, b.elems, strict=True)))
    if isinstance(a, SSet) and isinstance(b, SSet):
        return _and(subset(a, b), subset(b, a))
    if isinstance(a, SMultiset) and isinstance(b, SMultiset):
        return _and(msubset(a, b), msubset(b, a))
    if isinstance(a, SMap) and isinstance(b, SMap):
        ka = SSet(tuple((k, p) for k, _, p in a.items))
        kb = SSet(tuple((k, p) for k, _, p in b.items))
        vals = []
        for k, _, p in a.items:
            va, vb = lookup(a, k)[0], lookup(b, k)[0]
            if vb is None:  # b has no entries at all: the key sets already differ when p holds
                continue
            vals.append(z3.Implies(p, eq(va, vb)))
        return _and(eq(ka, kb), *vals)
    if isinstance(a, (SSeq, SSet, SMultiset, SMap)) or isinstance(b, (SSeq, SSet, SMultiset, SMap)):
        raise Unsupported("comparison of values of different kinds")
    return a == b


def member(x: Any, s: Any) -> Any:
    if isinstance(s, SSeq):
        return _or(*(eq(x, e) for e in s.elems))
    if isinstance(s, (SSet, SMultiset)):
        return _or(*(_and(p, eq(x, e)) for e, p in s.items))
    if isinstance(s, SMap):
        return _or(*(_and(p, eq(x, k)) for k, _, p in s.items))
    raise Unsupported("`in` on a value that is not a collection")


def subset(a: SSet, b: SSet) -> Any:
    return _and(*(z3.Implies(p, member(e, b)) for e, p in a.items))


def count(x: Any, s: SMultiset) -> Any:
    terms = [z3.If(_and(p, eq(x, e)), 1, 0) for e, p in s.items]
    return z3.Sum(*terms) if terms else z3.IntVal(0)


def msubset(a: SMultiset, b: SMultiset) -> Any:
    return _and(*(z3.Implies(p, count(e, a) <= count(e, b)) for e, p in a.items))


def distinct_items(items: tuple[tuple[Any, Any], ...]) -> tuple[tuple[Any, Any], ...]:
    """Keep each element once: present only if no earlier present element equals it."""
    out = []
    for i, (e, p) in enumerate(items):
        earlier = [_and(q, eq(f, e)) for f, q in items[:i]]
        out.append((e, _and(p, z3.Not(_or(*earlier))) if earlier else p))
    return tuple(out)


def lookup(mp: SMap, k: Any) -> tuple[Any, Any]:
    """(value, defined) of mp[k]; later entries win."""
    value: Any = None
    for key, v, p in mp.items:
        cond = _and(p, eq(k, key))
        value = v if value is None else ite(cond, v, value)
    return value, member(k, mp)


def ite(c: Any, a: Any, b: Any) -> Any:
    cb = concrete_bool(c)
    if cb is True:
        return a
    if cb is False:
        return b
    if isinstance(a, SSeq) and isinstance(b, SSeq):
        if len(a.elems) != len(b.elems):
            raise Unsupported("a sequence whose length depends on a symbolic condition")
        return SSeq(tuple(ite(c, x, y) for x, y in zip(a.elems, b.elems, strict=True)))
    if isinstance(a, SSet) and isinstance(b, SSet):
        return SSet(tuple((e, _and(c, p)) for e, p in a.items) + tuple((e, _and(z3.Not(c), p)) for e, p in b.items))
    if isinstance(a, SMultiset) and isinstance(b, SMultiset):
        return SMultiset(tuple((e, _and(c, p)) for e, p in a.items) + tuple((e, _and(z3.Not(c), p)) for e, p in b.items))
    if isinstance(a, SMap) and isinstance(b, SMap):
        return SMap(tuple((k, v, _and(c, p)) for k, v, p in a.items) + tuple((k, v, _and(z3.Not(c), p)) for k, v, p in b.items))
    if isinstance(a, (SSeq, SSet, SMultiset, SMap)) or isinstance(b, (SSeq, SSet, SMultiset, SMap)):
        raise Unsupported("if-then-else between values of different kinds")
    return z3.If(c, a, b)


def _sort_of(t: m.Type | None) -> Any:
    if t is None or isinstance(t, (m.IntType, m.NatType, m.CharType)):
        return z3.IntSort()
    if isinstance(t, m.BoolType):
        return z3.BoolSort()
    if isinstance(t, m.RealType):
        return z3.RealSort()
    raise Unsupported(f"a quantifier over {m.type_text(t)} values with no finite range")


# ----------------------------------------------------------------------------- evaluator


def _order(op: str, av: Any, bv: Any) -> Any:
    """`< <= > >=`: inclusion on sets and multisets, prefix on sequences, order on integers."""
    if op in (">", ">="):
        av, bv = bv, av
        op = "<" if op == ">" else "<="
    if isinstance(av, SSet):
        return subset(av, bv) if op == "<=" else _and(subset(av, bv), z3.Not(eq(av, bv)))
    if isinstance(av, SMultiset):
        return msubset(av, bv) if op == "<=" else _and(msubset(av, bv), z3.Not(eq(av, bv)))
    if isinstance(av, SSeq):
        n = len(av.elems)
        if n > len(bv.elems):
            return FALSE
        pre = eq(av, SSeq(bv.elems[:n]))
        return pre if op == "<=" else _and(pre, z3.BoolVal(n < len(bv.elems)))
    return av < bv if op == "<" else av <= bv


class Evaluator:
    """Evaluates spec expressions to z3 terms over a concrete-shape environment."""

    def __init__(self, spec: m.Spec, env: Mapping[str, Any], old_env: Mapping[str, Any] | None = None) -> None:
        self.spec = spec
        self.helpers = {h.name: h for h in spec.helpers}
        self.env: dict[str, Any] = dict(env)
        self.old_env = dict(old_env) if old_env is not None else None
        self.path: list[Any] = []
        self.side: list[Any] = []  # definedness conditions (already under their paths)
        self.depth = 0
        self.fresh = Fresh("q")
        self.types: ExprTypes | None = None  # the checker's, for generic constructors (made when first needed)

    @property
    def dts(self) -> DatatypeSorts:
        return _sorts(self.spec.datatypes)

    # --------------------------------------------------------------- plumbing
    def require(self, cond: Any) -> None:
        c = _simp(cond)
        if z3.is_true(c):
            return
        self.side.append(z3.Implies(_and(*self.path), c) if self.path else c)

    def under(self, cond: Any, e: m.Expr) -> Any:
        self.path.append(cond)
        try:
            return self.eval(e)
        finally:
            self.path.pop()

    def clause(self, e: m.Expr) -> tuple[Any, Any]:
        """(value, defined) of a boolean clause."""
        saved = self.side
        self.side = []
        try:
            v = self.eval(e)
            return v, _and(*self.side)
        finally:
            self.side = saved

    def with_binding(self, name: str, value: Any, e: m.Expr, cond: Any = None) -> Any:
        had = name in self.env
        old = self.env.get(name)
        self.env[name] = value
        try:
            return self.eval(e) if cond is None else self.under(cond, e)
        finally:
            if had:
                self.env[name] = old
            else:
                del self.env[name]

    # --------------------------------------------------------------- expressions
    def eval(self, e: m.Expr) -> Any:
        match e:
            case m.IntLit(v):
                return z3.IntVal(v)
            case m.RealLit(v):
                return z3.RealVal(f"{v.numerator}/{v.denominator}")
            case m.Convert(a, target):
                return self.convert(self.eval(a), target)
            case m.BoolLit(v):
                return z3.BoolVal(v)
            case m.CharLit(v):
                return z3.IntVal(ord(v))
            case m.StrLit(v):
                return SSeq(tuple(z3.IntVal(ord(c)) for c in v))
            case m.Var(name):
                if name not in self.env:
                    raise Unsupported(f"unknown name {name}", e.span)
                return self.env[name]
            case m.Unary("!", a):
                return z3.Not(self.eval(a))
            case m.Unary(_, a):
                return -self.eval(a)
            case m.Binary() if (same := m.array_identity(e)) is not None:
                return z3.BoolVal(same)
            case m.Binary(op, a, b):
                return self.binary(op, a, b, e)
            case m.Ite(c, a, b):
                cv = self.eval(c)
                cb = concrete_bool(cv)
                if cb is not None:
                    return self.eval(a if cb else b)
                return ite(cv, self.under(cv, a), self.under(z3.Not(cv), b))
            case m.Quantifier():
                return self.quantifier(e)
            case m.SetComp() | m.MapComp():
                return self.comprehension(e)
            case m.Let(v, value, body):
                return self.with_binding(v.name, self.eval(value), body)
            case m.Index() | m.Slice() | m.Update():
                return self.access(e)
            case m.Member(obj, "Floor"):
                return z3.ToInt(self.eval(obj))  # z3's to_int is the floor, as Dafny's .Floor
            case m.Member(obj, "Length"):
                return z3.IntVal(len(self.seq(self.eval(obj), e).elems))
            case m.Member(obj, name):  # a datatype's field: defined for the constructors that have it
                value, defined = self.dts.field(self.eval(obj).sort().name(), name, self.eval(obj))
                self.require(defined)
                return value
            case m.Construct(name, args):
                return self.construct(e, name, [self.eval(a) for a in args])
            case m.IsCtor(obj, ctor):
                v = self.eval(obj)
                return self.dts.is_ctor(v.sort().name(), ctor, v)
            case m.Match():
                return self.match(e)
            case m.Card(a):
                return self.card(self.eval(a))
            case m.Call(name, args):
                return self.call(name, [self.eval(a) for a in args], e)
            case m.Old(a):
                return self.old(a)
            case m.MultisetOf(a):
                return self.multiset_of(a, e)
            case m.SeqDisplay(xs):
                return SSeq(tuple(self.eval(x) for x in xs))
            case m.SeqInit():
                return self.seq_init(e)
            case m.SetDisplay(xs):
                return SSet(tuple((self.eval(x), TRUE) for x in xs))
            case m.MultisetDisplay(xs):
                return SMultiset(tuple((self.eval(x), TRUE) for x in xs))
            case m.MapDisplay(items):
                return SMap(tuple((self.eval(k), self.eval(v), TRUE) for k, v in items))
        raise Unsupported(f"expression {type(e).__name__}", getattr(e, "span", None))

    def undefined(self, e: m.Expr) -> Any:
        """A stand-in for `e` where it is undefined (an element of an empty sequence; the
        caller has required FALSE): a term of e's sort, so that it compares with others
        (`xs[0] != None` over an empty `xs`)."""
        if self.types is None:
            self.types = expression_types(self.spec)
        t = self.types.of(e)
        if isinstance(t, m.DatatypeType):
            try:
                return z3.FreshConst(self.dts.sort(self.dts.key(t)))
            except DatatypeUnsupported as exc:
                raise Unsupported(str(exc), getattr(e, "span", None)) from None
        return z3.RealVal(0) if isinstance(t, m.RealType) else z3.BoolVal(False) if isinstance(t, m.BoolType) else z3.IntVal(0)

    def construct(self, e: m.Construct, name: str, args: list[Any]) -> Any:
        """`C(args)`; a constructor of a generic datatype at the instance the type checker
        gave it (`None` in `r == None` is the sort Option_int)."""
        try:
            generic = next(d for d in self.spec.datatypes if d.ctor(name) is not None).type_params
            if not generic:
                return self.dts.construct(name, args)
            if self.types is None:
                self.types = expression_types(self.spec)
            t = self.types.of(e)
            return self.dts.construct(name, args, t if isinstance(t, m.DatatypeType) else None)
        except DatatypeUnsupported as exc:
            raise Unsupported(str(exc), e.span) from None

    def match(self, e: m.Match) -> Any:
        """Nested `If` on the recognizers, each case's variables bound to the accessors of
        its constructor (the catch-all's to the value). A case decided on a concrete value
        is the only one evaluated, so a recursive helper over a concrete tree ends."""
        dt = e.datatype
        assert dt is not None, "a match reaches the encoders only type checked"
        v = self.eval(e.scrutinee)
        key = v.sort().name()  # the instance's sort (`Option_int`): its constructors are dt's
        sort = self.dts.sort(key)
        arms: list[tuple[Any, m.MatchCase]] = []
        for case in e.cases:
            cond = TRUE if case.ctor is None else self.dts.is_ctor(key, case.ctor, v)
            decided = concrete_bool(cond)
            if decided is False:
                continue
            arms.append((cond, case))
            if decided is True:
                break
        # the type checker made the match exhaustive: the last arm left needs no test
        value = self._case(arms[-1][1], v, sort, dt, _and(*(z3.Not(c) for c, _ in arms[:-1])))
        for cond, case in reversed(arms[:-1]):
            value = ite(cond, self._case(case, v, sort, dt, cond), value)
        return value

    def _case(self, case: m.MatchCase, v: Any, sort: Any, dt: m.Datatype, cond: Any) -> Any:
        """A case's body under its condition, its pattern variables bound."""
        if case.ctor is None:
            values = [v]
        else:
            i = [c.name for c in dt.ctors].index(case.ctor)
            values = [sort.accessor(i, j)(v) for j in range(len(case.vars))]
        saved = dict(self.env)
        self.env.update({b.name: x for b, x in zip(case.vars, values, strict=True) if b.name != m.WILDCARD})
        try:
            return self.under(cond, case.body)
        finally:
            self.env = saved

    def comprehension(self, e: m.SetComp | m.MapComp) -> Any:
        """A set or map comprehension, one entry per value of its bound variable (under the
        range, as a guard)."""
        match e:
            case m.SetComp(vs, rng, term):
                items: list[tuple[Any, Any]] = []
                for binding in self.bindings(vs, guard_of("exists", rng, None), e):
                    saved = dict(self.env)
                    self.env.update(binding)
                    try:
                        g = self.eval(rng)
                        t = self.env[vs[0].name] if term is None else self.under(g, term)
                        items.append((t, g))
                    finally:
                        self.env = saved
                return SSet(tuple(items))
            case m.MapComp(v, rng, value):
                entries: list[tuple[Any, Any, Any]] = []
                for binding in self.bindings((v,), guard_of("exists", rng, None), e):
                    saved = dict(self.env)
                    self.env.update(binding)
                    try:
                        g = self.eval(rng)
                        entries.append((self.env[v.name], self.under(g, value), g))
                    finally:
                        self.env = saved
                return SMap(tuple(entries))
        raise AssertionError(e)  # pragma: no cover

    def access(self, e: m.Index | m.Slice | m.Update) -> Any:
        """`s[i]` (of a sequence or map; of a multiset: the multiplicity), `s[lo..hi]`,
        `s[k := v]`; out of range is a side condition."""
        match e:
            case m.Index(s, i):
                sv = self.eval(s)
                iv = self.eval(i)
                if isinstance(sv, SMultiset):  # the multiplicity, total: 0 when absent
                    return count(iv, sv)
                if isinstance(sv, SMap):
                    val, ok = lookup(sv, iv)
                    self.require(ok)
                    if val is None:
                        self.require(FALSE)
                        return z3.IntVal(0)
                    return val
                return self.index(sv, iv, e)
            case m.Slice(s, lo, hi):
                sv = self.seq(self.eval(s), e)
                n = len(sv.elems)
                lo_i = 0 if lo is None else self.const_int(self.eval(lo), lo)
                hi_i = n if hi is None else self.const_int(self.eval(hi), hi)
                if not 0 <= lo_i <= hi_i <= n:
                    self.require(FALSE)
                    return SSeq(())
                return SSeq(sv.elems[lo_i:hi_i])
            case m.Update(s, k, v):
                sv = self.eval(s)
                kv = self.eval(k)
                vv = self.eval(v)
                if isinstance(sv, SMap):
                    return SMap((*sv.items, (kv, vv, TRUE)))
                sv = self.seq(sv, e)
                self.require(_and(kv >= 0, kv < len(sv.elems)))
                return SSeq(tuple(ite(kv == j, vv, x) for j, x in enumerate(sv.elems)))
        raise AssertionError(e)  # pragma: no cover

    def convert(self, v: Any, target: m.Type) -> Any:
        """`x as real`, and `r as int`, which Dafny defines only for a whole r. A char is
        its code already (an Int): `c as int` is c, `n as char` needs n to be a code."""
        if isinstance(target, m.RealType):
            return z3.ToReal(v)
        if isinstance(target, m.CharType):
            self.require(z3.Or(z3.And(v >= 0, v < 0xD800), z3.And(v >= 0xE000, v <= 0x10FFFF)))
            return v
        if v.sort() == z3.IntSort():
            return v
        self.require(z3.IsInt(v))
        return z3.ToInt(v)

    def old(self, a: m.Expr) -> Any:
        """`old(a)`: a with the pre-state values of the modified arrays."""
        if self.old_env is None:
            return self.eval(a)
        saved = self.env
        self.env = {**self.env, **self.old_env}
        try:
            return self.eval(a)
        finally:
            self.env = saved

    def multiset_of(self, a: m.Expr, e: m.Expr) -> Any:
        av = self.eval(a)
        if isinstance(av, SSeq):
            return SMultiset(tuple((x, TRUE) for x in av.elems))
        if isinstance(av, SSet):
            return SMultiset(distinct_items(av.items))
        raise Unsupported("multiset(...) of this value", e.span)

    def seq_init(self, e: m.SeqInit) -> SSeq:
        """`seq(n, i => body)` for an n known here (the inputs are fixed): the n bodies.
        Dafny requires n >= 0."""
        n = concrete_int(self.eval(e.length))
        if n is None:
            raise Unsupported("seq(n, ...) with a length that depends on the outputs", e.span)
        self.require(z3.BoolVal(n >= 0))
        return SSeq(tuple(self.with_binding(e.var.name, z3.IntVal(i), e.body) for i in range(max(n, 0))))

    def seq(self, v: Any, e: m.Expr) -> SSeq:
        if not isinstance(v, SSeq):
            raise Unsupported("expected a sequence", getattr(e, "span", None))
        return v

    def const_int(self, v: Any, e: m.Expr) -> int:
        c = concrete_int(v)
        if c is None:
            raise Unsupported("a slice bound that depends on the outputs", getattr(e, "span", None))
        return c

    def index(self, sv: Any, iv: Any, e: m.Expr) -> Any:
        sv = self.seq(sv, e)
        n = len(sv.elems)
        ci = concrete_int(iv)
        if ci is not None:
            if 0 <= ci < n:
                return sv.elems[ci]
            self.require(FALSE)
            return sv.elems[0] if n else self.undefined(e)
        self.require(_and(iv >= 0, iv < n))
        if n == 0:
            return self.undefined(e)
        out = sv.elems[-1]
        for j in range(n - 2, -1, -1):
            out = ite(iv == j, sv.elems[j], out)
        return out

    def card(self, v: Any) -> Any:
        if isinstance(v, SSeq):
            return z3.IntVal(len(v.elems))
        if isinstance(v, SSet):
            items = distinct_items(v.items)
            return z3.Sum(*(z3.If(p, 1, 0) for _, p in items)) if items else z3.IntVal(0)
        if isinstance(v, SMultiset):
            return z3.Sum(*(z3.If(p, 1, 0) for _, p in v.items)) if v.items else z3.IntVal(0)
        if isinstance(v, SMap):
            items = distinct_items(tuple((k, p) for k, _, p in v.items))
            return z3.Sum(*(z3.If(p, 1, 0) for _, p in items)) if items else z3.IntVal(0)
        raise Unsupported("|...| of this value")

    def binary(self, op: str, a: m.Expr, b: m.Expr, e: m.Binary) -> Any:
        if op in ("&&", "||", "==>", "<==>"):
            av = self.eval(a)
            if op == "&&":
                return _and(av, self.under(av, b))
            if op == "||":
                return _or(av, self.under(z3.Not(av), b))
            if op == "==>":
                return z3.Implies(av, self.under(av, b))
            return av == self.eval(b)
        av, bv = self.eval(a), self.eval(b)
        if op == "==":
            return eq(av, bv)
        if op == "!=":
            return z3.Not(eq(av, bv))
        if op == "in":
            return member(av, bv)
        if op == "!in":
            return z3.Not(member(av, bv))
        if op in ("<", "<=", ">", ">="):
            return _order(op, av, bv)
        return self.arith(op, av, bv, e)

    def arith(self, op: str, av: Any, bv: Any, e: m.Binary) -> Any:
        """`+ - * / %` on integers, and the set, multiset and sequence operators written alike."""
        if op == "+":
            if isinstance(av, SSeq):
                return SSeq(av.elems + bv.elems)
            if isinstance(av, SSet):
                return SSet(av.items + bv.items)
            if isinstance(av, SMultiset):
                return SMultiset(av.items + bv.items)
            return av + bv
        if op == "-":
            if isinstance(av, SSet):
                return SSet(tuple((x, _and(p, z3.Not(member(x, bv)))) for x, p in av.items))
            if isinstance(av, SMultiset):
                raise Unsupported("multiset difference", e.span)
            return av - bv
        if op == "*":
            if isinstance(av, SSet):
                return SSet(tuple((x, _and(p, member(x, bv))) for x, p in av.items))
            if isinstance(av, SMultiset):
                raise Unsupported("multiset intersection", e.span)
            return av * bv
        if op in ("/", "%"):
            self.require(bv != 0)
            ca, cb = concrete_int(av), concrete_int(bv)
            if ca is not None and cb is not None and cb != 0:
                r = ca % abs(cb)
                return z3.IntVal((ca - r) // cb if op == "/" else r)
            # z3's integer div/mod are Euclidean, like Dafny's
            return av / bv if op == "/" else av % bv
        raise Unsupported(f"operator {op}", e.span)

    # --------------------------------------------------------------- quantifiers
    def bindings(self, vs: tuple[m.BoundVar, ...], guard: list[m.Expr], e: m.Expr) -> Iterator[dict[str, Any]]:
        """Every finite binding of the variables (raises Unsupported when not finite)."""
        try:
            doms = domains(vs, guard)
        except NotBounded as nb:
            raise Unsupported(f"the range of {nb.var.name} is not bounded", nb.var.span) from None

        def rec(i: int, acc: dict[str, Any]) -> Iterator[dict[str, Any]]:
            if i == len(doms):
                yield dict(acc)
                return
            d = doms[i]
            saved = dict(self.env)
            self.env.update(acc)
            try:
                if isinstance(d, IntDomain):
                    lo, hi = concrete_int(self.eval(d.lo)), concrete_int(self.eval(d.hi))
                    if lo is None or hi is None:
                        raise Unsupported(f"the bounds of {d.var.name} depend on symbolic values", d.var.span)
                    if hi - lo > MAX_UNROLL:
                        raise Unsupported(f"the range of {d.var.name} is too large to unroll", d.var.span)
                    values: list[Any] = [z3.IntVal(k) for k in range(lo, hi)]
                elif isinstance(d, MemberDomain):
                    coll = self.eval(d.coll)
                    if isinstance(coll, SSeq):
                        values = list(coll.elems)
                    elif isinstance(coll, (SSet, SMultiset)):
                        values = [x for x, _ in coll.items]
                    elif isinstance(coll, SMap):
                        values = [k for k, _, _ in coll.items]
                    else:
                        raise Unsupported("a quantifier over a non-collection", d.var.span)
                else:
                    assert isinstance(d, BoolDomain)
                    values = [FALSE, TRUE]
            finally:
                self.env = saved
            for v in values:
                acc[d.var.name] = v
                yield from rec(i + 1, acc)
            acc.pop(d.var.name, None)

        yield from rec(0, {})

    def quantifier(self, e: m.Quantifier) -> Any:
        try:
            return self._unrolled(e)
        except Unsupported:
            return self._symbolic_quantifier(e)

    def _instance(self, e: m.Quantifier) -> Any:
        if e.kind == "forall":
            if e.range is None:
                return self.eval(e.body)
            r = self.eval(e.range)
            return z3.Implies(r, self.under(r, e.body))
        if e.range is None:
            return self.eval(e.body)
        r = self.eval(e.range)
        return _and(r, self.under(r, e.body))

    def _unrolled(self, e: m.Quantifier) -> Any:
        parts = []
        side_before = len(self.side)
        try:
            for binding in self.bindings(e.vars, guard_of(e.kind, e.range, e.body), e):
                saved = dict(self.env)
                self.env.update(binding)
                try:
                    parts.append(self._instance(e))
                finally:
                    self.env = saved
        except Unsupported:
            del self.side[side_before:]
            raise
        return _and(*parts) if e.kind == "forall" else _or(*parts)

    def _symbolic_quantifier(self, e: m.Quantifier) -> Any:
        consts = []
        saved = dict(self.env)
        for v in e.vars:
            c = z3.Const(self.fresh.name(v.name), _sort_of(v.type))
            consts.append(c)
            self.env[v.name] = c
        outer_side = self.side
        self.side = []
        try:
            body = self._instance(e)
            side = list(self.side)
        finally:
            self.side = outer_side
            self.env = saved
        if side:
            self.side.append(z3.ForAll(consts, _and(*side)))
        return z3.ForAll(consts, body) if e.kind == "forall" else z3.Exists(consts, body)

    # --------------------------------------------------------------- helpers
    def call(self, name: str, args: list[Any], e: m.Expr) -> Any:
        h = self.helpers.get(name)
        if h is None:
            raise Unsupported(f"unknown function {name}", getattr(e, "span", None))
        if self.depth >= MAX_CALL_DEPTH:
            raise Unsupported(f"recursion of {name} deeper than {MAX_CALL_DEPTH} calls", getattr(e, "span", None))
        saved_env, saved_old = self.env, self.old_env
        self.env = {p.name: a for p, a in zip(h.params, args, strict=True)}
        self.old_env = None
        self.depth += 1
        try:
            for r in h.requires:
                self.require(self.eval(r.expr))
            return self.eval(h.body)
        finally:
            self.depth -= 1
            self.env, self.old_env = saved_env, saved_old


# ----------------------------------------------------------------------------- encodings


@dataclass(frozen=True)
class Encoded:
    """The z3 form of a spec's clauses at one point: each clause as (value, defined)."""

    requires: tuple[tuple[Any, Any], ...]
    ensures: tuple[tuple[Any, Any], ...]
    outputs: Mapping[str, Any]
    constraints: tuple[Any, ...]  # type constraints on the symbolic values

    def clause(self, i: int) -> Any:
        v, ok = self.ensures[i]
        return _and(ok, v)

    def post(self) -> Any:
        return _and(*(_and(ok, v) for v, ok in self.ensures))

    def pre(self) -> Any:
        return _and(*(_and(ok, v) for v, ok in self.requires))


def output_types(spec: m.Spec) -> dict[str, m.Type]:
    """Everything the method produces: out-parameters and modified arrays (after-state)."""
    out = {p.name: p.type for p in spec.returns}
    for f in spec.modifies:
        p = spec.param(f.name)
        if p is not None:
            out[f.name] = p.type
    return out


def encode_post(
    spec: m.Spec, args: Mapping[str, Any], shape: Mapping[str, Shape], prefix: str = "out"
) -> Encoded:
    """Concrete inputs, symbolic outputs of the given shape (arrays keep their length)."""
    cons: list[Any] = []
    env = {p.name: from_python(args[p.name], p.type, spec.datatypes) for p in spec.params}
    old_env = {name: env[name] for name in spec.modified}
    outs: dict[str, Any] = {}
    for name, t in output_types(spec).items():
        if name in spec.modified:
            size = len(args[name])
            outs[name] = symbolic(m.SeqType(_elem_type(t)), f"{prefix}.{name}", size, cons)
        else:
            outs[name] = symbolic(t, f"{prefix}.{name}", shape.get(name), cons, spec.datatypes)
    ev = Evaluator(spec, {**env, **outs}, old_env)
    ensures = tuple(ev.clause(c.expr) for c in spec.ensures)
    return Encoded((), ensures, outs, tuple(cons))


def encode_concrete(spec: m.Spec, args: Mapping[str, Any], result: Mapping[str, Any]) -> Encoded:
    """Everything concrete (for checking z3 against the Python predicates)."""
    env = {p.name: from_python(args[p.name], p.type, spec.datatypes) for p in spec.params}
    old_env = {name: env[name] for name in spec.modified}
    outs = {name: from_python(result[name], t, spec.datatypes) for name, t in output_types(spec).items()}
    ev_pre = Evaluator(spec, env)
    requires = tuple(ev_pre.clause(c.expr) for c in spec.requires)
    ev = Evaluator(spec, {**env, **outs}, old_env)
    ensures = tuple(ev.clause(c.expr) for c in spec.ensures)
    return Encoded(requires, ensures, outs, ())


def encode_pre(spec: m.Spec, shape: Mapping[str, Shape], prefix: str = "in") -> tuple[Encoded, dict[str, Any]]:
    """Symbolic inputs of the given shape, for "is requires satisfiable"."""
    cons: list[Any] = []
    env = {p.name: symbolic(p.type if not isinstance(p.type, m.ArrayType) else m.SeqType(p.type.elem),
                            f"{prefix}.{p.name}", shape.get(p.name), cons, spec.datatypes) for p in spec.params}
    ev = Evaluator(spec, env)
    requires = tuple(ev.clause(c.expr) for c in spec.requires)
    return Encoded(requires, (), {}, tuple(cons)), env
