"""Finite domains for quantified variables, read off the quantifier's guard.

Executable targets (Python, z3 with concrete inputs) can only enumerate a quantifier when
every bound variable provably ranges over a finite set. The domain found here is a
superset of the values that satisfy the guard (bounds may be loosened through other bound
variables: from `0 <= i < j < |s|`, i gets [0, |s|)), and the translated quantifier still
evaluates the whole guard, so enumerating the domain is exact. No domain → `NotBounded`,
which translators report as "not executable" — never as true.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.specs import model as m


class NotBounded(Exception):
    def __init__(self, var: m.BoundVar) -> None:
        super().__init__(var.name)
        self.var = var


@dataclass(frozen=True)
class IntDomain:
    var: m.BoundVar
    lo: m.Expr  # inclusive
    hi: m.Expr  # exclusive


@dataclass(frozen=True)
class MemberDomain:
    var: m.BoundVar
    coll: m.Expr  # seq/set/multiset elements or map keys


@dataclass(frozen=True)
class BoolDomain:
    var: m.BoundVar


Domain = IntDomain | MemberDomain | BoolDomain


def conjuncts(e: m.Expr | None) -> list[m.Expr]:
    if e is None:
        return []
    if isinstance(e, m.Binary) and e.op == "&&":
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def guard_of(kind: str, rng: m.Expr | None, body: m.Expr | None) -> list[m.Expr]:
    """Conjuncts every satisfying/relevant binding must meet."""
    out = conjuncts(rng)
    if body is None:
        return out
    if kind == "forall":
        while isinstance(body, m.Binary) and body.op == "==>":
            out += conjuncts(body.left)
            body = body.right
    else:
        out += conjuncts(body)
    return out


def free_vars(e: object, acc: set[str] | None = None) -> set[str]:
    acc = set() if acc is None else acc
    if isinstance(e, m.Var):
        acc.add(e.name)
    elif isinstance(e, (m.Quantifier, m.SetComp)):
        inner: set[str] = set()
        for part in (e.range, getattr(e, "body", None), getattr(e, "term", None)):
            if part is not None:
                free_vars(part, inner)
        acc |= inner - {v.name for v in e.vars}
    elif isinstance(e, m.MapComp):
        inner = free_vars(e.range) | free_vars(e.value)
        acc |= inner - {e.var.name}
    elif isinstance(e, m.Let):
        free_vars(e.value, acc)
        acc |= free_vars(e.body) - {e.var.name}
    elif isinstance(e, m.SeqInit):
        free_vars(e.length, acc)
        acc |= free_vars(e.body) - {e.var.name}
    elif isinstance(e, m.MatchCase):
        acc |= free_vars(e.body) - {v.name for v in e.vars}
    elif isinstance(e, m.Expr):
        for v in e.__dict__.values():
            if isinstance(v, m.Expr):
                free_vars(v, acc)
            elif isinstance(v, tuple):
                for x in v:
                    if isinstance(x, tuple):
                        for y in x:
                            free_vars(y, acc)
                    else:
                        free_vars(x, acc)
    return acc


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _plus(e: m.Expr, k: int) -> m.Expr:
    if k == 0:
        return e
    if isinstance(e, m.IntLit):
        return m.IntLit(e.value + k, e.span)
    return m.Binary("+", e, m.IntLit(k), e.span)


def _bounds(guard: list[m.Expr], name: str) -> tuple[list[m.Expr], list[m.Expr], list[m.Expr]]:
    """Lower bounds (inclusive), upper bounds (exclusive) and collections for `name`."""
    lows: list[m.Expr] = []
    highs: list[m.Expr] = []
    members: list[m.Expr] = []
    for c in guard:
        if not isinstance(c, m.Binary):
            continue
        op, a, b = c.op, c.left, c.right
        if op == "in" and isinstance(a, m.Var) and a.name == name:
            members.append(b)
            continue
        if op not in _FLIP and op != "==":
            continue
        if isinstance(b, m.Var) and b.name == name and not (isinstance(a, m.Var) and a.name == name):
            a, b = b, a
            op = _FLIP.get(op, op)
        if not (isinstance(a, m.Var) and a.name == name) or name in free_vars(b):
            continue
        if op == "==":
            lows.append(b)
            highs.append(_plus(b, 1))
        elif op == "<":
            highs.append(b)
        elif op == "<=":
            highs.append(_plus(b, 1))
        elif op == ">":
            lows.append(_plus(b, 1))
        elif op == ">=":
            lows.append(b)
    return lows, highs, members


def domains(vars_: tuple[m.BoundVar, ...], guard: list[m.Expr]) -> list[Domain]:
    """Domains in an order where each refers only to variables bound before it (or free)."""
    names = {v.name for v in vars_}
    info = {v.name: _bounds(guard, v.name) for v in vars_}

    def lo_of(name: str, seen: frozenset[str]) -> m.Expr | None:
        for e in info[name][0]:
            fv = free_vars(e) & names
            if not fv:
                return e
        for e in info[name][0]:  # loosen through another bound variable: x > y >= lo(y)
            if isinstance(e, m.Var) and e.name in names and e.name not in seen:
                found = lo_of(e.name, seen | {name})
                if found is not None:
                    return found
            if isinstance(e, m.Binary) and e.op == "+" and isinstance(e.left, m.Var) and isinstance(e.right, m.IntLit) \
                    and e.right.value >= 0 and e.left.name in names and e.left.name not in seen:
                found = lo_of(e.left.name, seen | {name})
                if found is not None:
                    return found
        return None

    def hi_of(name: str, seen: frozenset[str]) -> m.Expr | None:
        for e in info[name][1]:
            if not (free_vars(e) & names):
                return e
        for e in info[name][1]:  # x < y < hi(y)  (or x <= y, encoded as y + 1)
            base, k = (e, 0)
            if isinstance(e, m.Binary) and e.op == "+" and isinstance(e.right, m.IntLit):
                base, k = e.left, e.right.value
            if isinstance(base, m.Var) and base.name in names and base.name not in seen and k >= 0:
                found = hi_of(base.name, seen | {name})
                if found is not None:
                    return _plus(found, k)
        return None

    out: list[Domain] = []
    for v in vars_:
        members = [c for c in info[v.name][2] if not (free_vars(c) & names)]
        if members:
            out.append(MemberDomain(v, members[0]))
            continue
        if isinstance(v.type, m.BoolType):
            out.append(BoolDomain(v))
            continue
        if isinstance(v.type, (m.IntType, m.NatType)) or v.type is None:
            lo = lo_of(v.name, frozenset())
            if lo is None and isinstance(v.type, m.NatType):
                lo = m.IntLit(0)
            hi = hi_of(v.name, frozenset())
            if lo is not None and hi is not None:
                out.append(IntDomain(v, lo, hi))
                continue
        raise NotBounded(v)
    return out
