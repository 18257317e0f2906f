"""Read a spec's `requires` into facts a generator can build in: bounds, sizes, sortedness.

Filtering random inputs through `pre` wastes almost every draw once a precondition is
narrow (a sorted array, a target that is the sum of two elements), and Hypothesis then
gives up. So the shapes that occur in practice are recognised here and turned into
construction rules; whatever is not recognised is left to the filter. The rules are only
a *help*: the final strategy still filters every input through the whole `pre`, so a
rule that is looser than its clause costs draws, never correctness.

Recognised (after inlining predicate helpers such as `Sorted(a)`):

- linear comparisons between constants, int parameters, `|c|` and `c.Length` (`0 <= x < 100`,
  `|xs| > 0`, `i < a.Length`, `|a| == |b|`, `lo <= hi`);
- `x in c` for a scalar parameter and a collection parameter;
- element bounds `forall i :: 0 <= i < |a| ==> 0 <= a[i] < 10` and `forall x :: x in s ==> x > 0`;
- sortedness `forall i, j :: 0 <= i < j < |a| ==> a[i] <= a[j]` (or `<`, or adjacent
  `a[i-1] <= a[i]`) and distinctness (`a[i] != a[j]`);
- `x == E` and `exists p, q :: ... && x == E` where E only mentions earlier values: x is
  computed from E after drawing witnesses for p and q.

Draw order is fixed so that no rule can form a cycle: collections first, then scalars,
each group in declaration order; a relation between two values is attached to the later.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from verifier.specs import model as m
from verifier.specs.values import is_char_seq
from verifier.translators.spec_bounds import conjuncts, free_vars

SCALARS = (m.IntType, m.NatType, m.CharType)


@dataclass
class Facts:
    """What the requires say about one parameter (mutable while reading, then rendered)."""

    name: str
    type: m.Type
    order: int
    lows: list[str] = field(default_factory=list)  # python exprs, inclusive (value or size)
    highs: list[str] = field(default_factory=list)
    const_lo: int | None = None
    const_hi: int | None = None
    elem_lo: int | None = None
    elem_hi: int | None = None
    sorted: bool = False
    unique: bool = False
    member_of: str | None = None
    derived: tuple[tuple[str, ...], str] | None = None  # (statements, expression)
    len_highs: list[tuple[str, int]] = field(default_factory=list)  # value <= |c| + k
    notes: list[str] = field(default_factory=list)

    def lower(self, value: int) -> None:
        self.const_lo = value if self.const_lo is None else max(self.const_lo, value)

    def upper(self, value: int) -> None:
        self.const_hi = value if self.const_hi is None else min(self.const_hi, value)


def is_collection(t: m.Type) -> bool:
    return isinstance(t, (m.SeqType, m.ArrayType, m.StringType, m.SetType, m.MultisetType, m.MapType))


def elem_type(t: m.Type) -> m.Type | None:
    if is_char_seq(t):
        return m.CharType()
    if isinstance(t, (m.SeqType, m.ArrayType, m.SetType, m.MultisetType)):
        return t.elem
    if isinstance(t, m.MapType):
        return t.key
    return None


def var(name: str) -> str:
    from verifier.translators.spec_python import py_name

    return f"v_{py_name(name)}"


# ------------------------------------------------------------------ expression helpers


def subst(e: Any, mapping: dict[str, m.Expr]) -> Any:
    """Replace free variables; bound variables shadow the mapping."""
    if not mapping:
        return e
    if isinstance(e, m.Var):
        return mapping.get(e.name, e)
    if isinstance(e, (m.Quantifier, m.SetComp)):
        inner = {k: v for k, v in mapping.items() if k not in {b.name for b in e.vars}}
        return dataclasses.replace(e, **{f: subst(getattr(e, f), inner) for f in _expr_fields(e)})
    if isinstance(e, m.MapComp):
        inner = {k: v for k, v in mapping.items() if k != e.var.name}
        return dataclasses.replace(e, range=subst(e.range, inner), value=subst(e.value, inner))
    if isinstance(e, m.Let):
        inner = {k: v for k, v in mapping.items() if k != e.var.name}
        return dataclasses.replace(e, value=subst(e.value, mapping), body=subst(e.body, inner))
    if isinstance(e, m.SeqInit):
        inner = {k: v for k, v in mapping.items() if k != e.var.name}
        return dataclasses.replace(e, length=subst(e.length, mapping), body=subst(e.body, inner))
    if isinstance(e, m.MatchCase):
        inner = {k: v for k, v in mapping.items() if k not in {b.name for b in e.vars}}
        return dataclasses.replace(e, body=subst(e.body, inner))
    if isinstance(e, m.Expr):
        return dataclasses.replace(e, **{f: subst(getattr(e, f), mapping) for f in _expr_fields(e)})
    if isinstance(e, tuple):
        return tuple(subst(x, mapping) for x in e)
    return e


def _expr_fields(e: m.Expr) -> list[str]:
    out = []
    for f in dataclasses.fields(e):
        v = getattr(e, f.name)
        if isinstance(v, (m.Expr, tuple)) and f.name != "vars":
            out.append(f.name)
    return out


def bound_names(e: Any, acc: set[str] | None = None) -> set[str]:
    acc = set() if acc is None else acc
    if isinstance(e, (m.Quantifier, m.SetComp)):
        acc.update(b.name for b in e.vars)
    elif isinstance(e, (m.MapComp, m.Let, m.SeqInit)):
        acc.add(e.var.name)
    elif isinstance(e, m.MatchCase):
        acc.update(b.name for b in e.vars)
    if isinstance(e, m.Expr):
        for f in _expr_fields(e):
            bound_names(getattr(e, f), acc)
    elif isinstance(e, tuple):
        for x in e:
            bound_names(x, acc)
    return acc


def inline(e: Any, spec: m.Spec, depth: int = 0, stack: tuple[str, ...] = ()) -> Any:
    """Inline calls of non-recursive helpers, so `Sorted(a)` reads as its quantifier."""
    if depth > 4:
        return e
    if isinstance(e, m.Call):
        h = spec.helper(e.name)
        args = tuple(inline(a, spec, depth, stack) for a in e.args)
        if h is None or h.name in stack or h.requires or len(args) != len(h.params):
            return dataclasses.replace(e, args=args)
        arg_free: set[str] = set()
        for a in args:
            free_vars(a, arg_free)
        if arg_free & bound_names(h.body):
            return dataclasses.replace(e, args=args)
        body = subst(h.body, {p.name: a for p, a in zip(h.params, args, strict=True)})
        return inline(body, spec, depth + 1, (*stack, h.name))
    if isinstance(e, m.Expr):
        return dataclasses.replace(e, **{f: inline(getattr(e, f), spec, depth, stack) for f in _expr_fields(e)})
    if isinstance(e, tuple):
        return tuple(inline(x, spec, depth, stack) for x in e)
    return e


# ------------------------------------------------------------------ linear terms

# A term is (kind, name, offset): kind "const" (name None), "var" (scalar parameter),
# "len" (size of a collection parameter), "bvar" (bound variable), or "elem" (name is
# (collection, bound variable, index offset)).
Term = tuple[str, Any, int]


class Reader:
    """Turns comparisons into `t1 <= t2 + k` facts over the terms above."""

    def __init__(self, spec: m.Spec, bound: set[str] | None = None) -> None:
        self.spec = spec
        self.bound = set(bound or ())
        self.scalars = {p.name for p in spec.params if isinstance(p.type, SCALARS)}
        self.colls = {p.name for p in spec.params if is_collection(p.type)}
        # `c[i]` is an element only of these; a map's c[k] is a value, a multiset's a count
        self.indexed = {p.name for p in spec.params if isinstance(p.type, (m.SeqType, m.ArrayType, m.StringType))}

    def term(self, e: m.Expr) -> Term | None:
        match e:
            case m.IntLit(v):
                return ("const", None, v)
            case m.CharLit(v) if len(v) == 1:
                return ("const", None, ord(v))
            case m.Unary("-", a):
                t = self.term(a)
                return ("const", None, -t[2]) if t and t[0] == "const" else None
            case m.Var(name) if name in self.bound:
                return ("bvar", name, 0)
            case m.Var(name) if name in self.scalars:
                return ("var", name, 0)
            case m.Card(m.Var(name)) | m.Member(m.Var(name), "Length") if name in self.colls:
                return ("len", name, 0)
            case m.Index(m.Var(c), idx) if c in self.indexed:
                t = self.term(idx)
                if t is not None and t[0] == "bvar":
                    return ("elem", (c, t[1], t[2]), 0)
                return None
            case m.Binary("+", a, b):
                ta, tb = self.term(a), self.term(b)
                if ta is None or tb is None:
                    return None
                if tb[0] == "const":
                    return (ta[0], ta[1], ta[2] + tb[2])
                if ta[0] == "const":
                    return (tb[0], tb[1], tb[2] + ta[2])
                return None
            case m.Binary("-", a, b):
                ta, tb = self.term(a), self.term(b)
                if ta is None or tb is None or tb[0] != "const":
                    return None
                return (ta[0], ta[1], ta[2] - tb[2])
            case m.Binary("*", a, b):
                ta, tb = self.term(a), self.term(b)
                if ta and tb and ta[0] == tb[0] == "const":
                    return ("const", None, ta[2] * tb[2])
        return None

    def facts(self, e: m.Expr) -> list[tuple[Term, Term, int]] | None:
        """`a <= b + k` facts equivalent to a comparison, or None."""
        if not isinstance(e, m.Binary) or e.op not in ("<", "<=", ">", ">=", "=="):
            return None
        a, b = self.term(e.left), self.term(e.right)
        if a is None or b is None:
            return None
        a0, b0 = (a[0], a[1], 0), (b[0], b[1], 0)
        # a + oa  OP  b + ob   →   a0 <= b0 + k
        d = b[2] - a[2]
        if e.op == "<=":
            return [(a0, b0, d)]
        if e.op == "<":
            return [(a0, b0, d - 1)]
        if e.op == ">=":
            return [(b0, a0, -d)]
        if e.op == ">":
            return [(b0, a0, -d - 1)]
        return [(a0, b0, d), (b0, a0, -d)]


# ------------------------------------------------------------------ reading the requires


@dataclass(frozen=True)
class Analysis:
    facts: dict[str, Facts]
    draw_order: tuple[str, ...]
    notes: tuple[str, ...]  # "requires[0] `...` → ..." for every conjunct put to use
    filtered: tuple[str, ...]  # conjuncts left to the filter


def analyze(spec: m.Spec, exists_witness: Any = None) -> Analysis:
    """Facts per parameter. `exists_witness(facts, quantifier)` handles `exists`
    conjuncts and `exists_witness(facts, None, target=(name, expr))` solves `x == E`;
    both need the expression emitter, which strategies.py provides."""
    colls = [p for p in spec.params if is_collection(p.type)]
    others = [p for p in spec.params if not is_collection(p.type)]
    order = [p.name for p in (*colls, *others)]
    facts = {p.name: Facts(p.name, p.type, order.index(p.name)) for p in spec.params}
    for f in facts.values():
        if isinstance(f.type, m.NatType):
            f.lower(0)
    notes: list[str] = []
    filtered: list[str] = []
    reader = Reader(spec)
    for i, clause in enumerate(spec.requires):
        for conj in conjuncts(inline(clause.expr, spec)):
            effect = _use(conj, facts, reader, spec)
            if effect is None and exists_witness is not None and isinstance(conj, m.Quantifier) and conj.kind == "exists":
                effect = exists_witness(facts, conj)
            if effect is None:
                effect = _solve_for(conj, facts, reader, exists_witness)
            where = f"requires[{i}] `{clause.text}`"
            if effect is None:
                if where not in filtered:
                    filtered.append(where)
            else:
                notes.append(f"{where} → {effect}")
    for f in facts.values():  # lo <= i <= |c| + k needs |c| >= lo - k: build that in too
        if f.const_lo is not None and f.member_of is None and f.derived is None:
            for c, k in f.len_highs:
                facts[c].lower(f.const_lo - k)
    return Analysis(facts, tuple(order), tuple(notes), tuple(filtered))


def _expr_of(t: Term, k: int) -> str | int:
    """Python text of term t plus k (an int when constant)."""
    kind, name, off = t
    total = off + k
    if kind == "const":
        return total
    base = f"len({var(name)})" if kind == "len" else var(name)
    if total == 0:
        return base
    return f"{base} + {total}" if total > 0 else f"{base} - {-total}"


def _bound(f: Facts, upper: bool, value: str | int) -> str:
    if isinstance(value, int):
        if upper:
            f.upper(value)
        else:
            f.lower(value)
    else:
        (f.highs if upper else f.lows).append(value)
    what = f"|{f.name}|" if is_collection(f.type) else f.name
    shown = re.sub(r"\bv_(\w+)", r"\1", re.sub(r"len\(v_(\w+)\)", r"|\1|", str(value)))
    return f"{what} {'<=' if upper else '>='} {shown}"


def _use(conj: m.Expr, facts: dict[str, Facts], reader: Reader, spec: m.Spec) -> str | None:
    got = reader.facts(conj)
    if got is not None:
        effects = [_linear(a, b, k, facts) for a, b, k in got]
        if all(e is not None for e in effects):
            return "; ".join(e for e in effects if e)
        return None
    if isinstance(conj, m.Binary) and conj.op == "in":
        x, c = conj.left, conj.right
        if isinstance(x, m.Var) and isinstance(c, m.Var) and x.name in reader.scalars | _bools(spec) \
                and c.name in reader.colls and not isinstance(facts[c.name].type, m.MapType) \
                and facts[x.name].member_of is None and facts[x.name].derived is None:
            facts[x.name].member_of = var(c.name)
            return f"{x.name} drawn from the elements of {c.name}"
        return None
    if isinstance(conj, m.Quantifier) and conj.kind == "forall":
        return _forall(conj, facts, spec)
    return None


def _bools(spec: m.Spec) -> set[str]:
    return {p.name for p in spec.params if isinstance(p.type, m.BoolType)}


def _linear(a: Term, b: Term, k: int, facts: dict[str, Facts]) -> str | None:
    """a <= b + k, with a and b at offset 0."""
    if a[0] not in ("const", "var", "len") or b[0] not in ("const", "var", "len"):
        return None
    if a[0] == "const" and b[0] == "const":
        return ""
    if b[0] == "const":  # a <= c + k: an upper bound on a
        return _bound(facts[a[1]], True, b[2] + k)
    if a[0] == "const":  # c <= b + k: a lower bound on b
        return _bound(facts[b[1]], False, a[2] - k)
    fa, fb = facts[a[1]], facts[b[1]]
    if fa is fb:
        return None
    if fa.order > fb.order:  # a is drawn later: a <= b + k
        if a[0] == "var" and b[0] == "len":
            fa.len_highs.append((b[1], k))
        return _bound(fa, True, _expr_of(b, k))
    return _bound(fb, False, _expr_of(a, -k))  # b >= a - k


def _solve_for(conj: m.Expr, facts: dict[str, Facts], reader: Reader, exists_witness: Any) -> str | None:
    """`x == E` with E over values drawn before x: compute x."""
    if not (isinstance(conj, m.Binary) and conj.op == "=="):
        return None
    for x, e in ((conj.left, conj.right), (conj.right, conj.left)):
        if not (isinstance(x, m.Var) and x.name in facts) or is_collection(facts[x.name].type):
            continue
        f = facts[x.name]
        if f.derived is not None or f.member_of is not None:
            continue
        fv = free_vars(e)
        if x.name in fv or any(n not in facts or facts[n].order >= f.order for n in fv):
            continue
        if exists_witness is None:
            return None
        return exists_witness(facts, None, target=(x.name, e))
    return None


def _guard_shape(guard: list[m.Expr], reader: Reader, names: list[str]) -> dict[str, Any] | None:
    """Per bound variable: const lower bound, (collection, k) exclusive upper bound,
    `u < v` pairs, `u != v` pairs and `v in c`. None if any conjunct is something else."""
    lo: dict[str, int] = {}
    hi: dict[str, tuple[str, int]] = {}
    less: set[tuple[str, str]] = set()
    neq: set[frozenset[str]] = set()
    member: dict[str, str] = {}
    for g in guard:
        if isinstance(g, m.Binary) and g.op == "!=" and isinstance(g.left, m.Var) and isinstance(g.right, m.Var) \
                and {g.left.name, g.right.name} <= set(names):
            neq.add(frozenset((g.left.name, g.right.name)))
            continue
        if isinstance(g, m.Binary) and g.op == "in" and isinstance(g.left, m.Var) and g.left.name in names \
                and isinstance(g.right, m.Var) and g.right.name in reader.colls:
            member[g.left.name] = g.right.name
            continue
        got = reader.facts(g)
        if got is None:
            return None
        for a, b, k in got:
            if a[0] == "const" and b[0] == "bvar":
                lo[b[1]] = max(lo.get(b[1], a[2] - k), a[2] - k)
            elif a[0] == "bvar" and b[0] == "len":
                hi[a[1]] = (b[1], k + 1)
            elif a[0] == "bvar" and b[0] == "bvar" and k <= -1:
                less.add((a[1], b[1]))
            else:
                return None
    return {"lo": lo, "hi": hi, "less": less, "neq": neq, "member": member}


def _conclusion(body: m.Expr) -> m.Expr:
    while isinstance(body, m.Binary) and body.op == "==>":
        body = body.right
    return body


def _forall(q: m.Quantifier, facts: dict[str, Facts], spec: m.Spec) -> str | None:
    from verifier.translators.spec_bounds import guard_of

    names = [v.name for v in q.vars]
    reader = Reader(spec, set(names))
    guard = guard_of("forall", q.range, q.body)
    shape = _guard_shape(guard, reader, names)
    if shape is None:
        return None
    concl = conjuncts(_conclusion(q.body))
    if len(names) == 1:
        (i,) = names
        if i in shape["member"]:
            c = shape["member"][i]
            return _elem_bounds(concl, reader, facts[c], lambda t: t[0] == "bvar" and t[1] == i and t[2] == 0)
        lo, hi = shape["lo"].get(i), shape["hi"].get(i)
        if hi is None:
            return None
        c, k = hi
        if lo == 0 and k == 0:
            return _elem_bounds(concl, reader, facts[c], lambda t: t[0] == "elem" and t[1] == (c, i, 0) and t[2] == 0)
        if (lo, k) in ((1, 0), (0, -1)) and len(concl) == 1:
            got = reader.facts(concl[0])
            first, second = ((c, i, -1), (c, i, 0)) if lo == 1 else ((c, i, 0), (c, i, 1))
            if got and len(got) == 1:
                a, b, kk = got[0]
                if a == ("elem", first, 0) and b == ("elem", second, 0) and kk in (0, -1):
                    return _sorted(facts[c], strict=kk == -1)
        return None
    if len(names) == 2 and len(concl) == 1:
        i, j = names
        if (j, i) in shape["less"]:
            i, j = j, i
        hi_i, hi_j = shape["hi"].get(i), shape["hi"].get(j)
        if hi_j is None or hi_j[1] != 0 or shape["lo"].get(i) != 0:
            return None
        c = hi_j[0]
        ordered = (i, j) in shape["less"]
        both = hi_i == (c, 0) and shape["lo"].get(j) == 0 and frozenset((i, j)) in shape["neq"]
        g = concl[0]
        ei, ej = ("elem", (c, i, 0), 0), ("elem", (c, j, 0), 0)
        if isinstance(g, m.Binary) and g.op == "!=" and (ordered or both):
            pair = {reader.term(g.left), reader.term(g.right)}
            if pair == {ei, ej}:
                facts[c].unique = True
                return f"{c}: distinct elements"
            return None
        got = reader.facts(g)
        if ordered and got and len(got) == 1:
            a, b, kk = got[0]
            if (a, b) == (ei, ej) and kk in (0, -1):
                return _sorted(facts[c], strict=kk == -1)
    return None


def _sorted(f: Facts, strict: bool) -> str:
    f.sorted = True
    if strict:
        f.unique = True
        return f"{f.name}: built strictly sorted"
    return f"{f.name}: built sorted"


def _elem_bounds(concl: list[m.Expr], reader: Reader, f: Facts, is_elem: Any) -> str | None:
    done = []
    for g in concl:
        got = reader.facts(g)
        if not got:
            continue
        for a, b, k in got:
            if is_elem(a) and b[0] == "const":
                f.elem_hi = b[2] + k if f.elem_hi is None else min(f.elem_hi, b[2] + k)
                done.append(f"elements of {f.name} <= {f.elem_hi}")
            elif is_elem(b) and a[0] == "const":
                f.elem_lo = a[2] - k if f.elem_lo is None else max(f.elem_lo, a[2] - k)
                done.append(f"elements of {f.name} >= {f.elem_lo}")
    return "; ".join(done) if done else None
