"""Finite ranges for the bound variables of quantifiers and comprehensions.

Python can only run `forall`/`exists`/`set x | ...` over a finite generator, so each
binder needs a range found in the conjuncts of the range expression (`lo <= x < hi`,
`x in S`, or the two values of a `bool`). This is a pure reading of the syntax tree; the
emitter turns the plan into `for` clauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_scope import mentions
from verifier.translators.dafny_unsupported import unsupported

_Candidate = tuple[A.Expr, int]  # a bound and the index of the conjunct it came from (-1: derived)


def conjuncts(e: A.Expr | None) -> list[A.Expr]:
    """`a && b && c` as `[a, b, c]`; a chain `lo <= x < hi` as its comparisons."""
    match e:
        case None:
            return []
        case A.BinOp(op="&&", left=left, right=right):
            return conjuncts(left) + conjuncts(right)
        case A.Chain(operands=operands, ops=ops):
            return [A.BinOp(op, operands[i], operands[i + 1], pos=e.pos) for i, op in enumerate(ops)]
    return [e]


class BoundKind(StrEnum):
    COLLECTION = "collection"  # for x in S
    RANGE = "range"  # for x in range(lo, hi)
    BOOL = "bool"  # for x in (False, True)


@dataclass(frozen=True)
class Bound:
    """How one binder is enumerated: `exprs` is `(S,)` for a collection, `(lo, hi)` for
    a range (hi exclusive), `()` for a bool."""

    binder: A.Binder
    kind: BoundKind
    exprs: tuple[A.Expr, ...]


@dataclass(frozen=True)
class GeneratorPlan:
    """The binders in the order their generators must nest, and the conjuncts not used
    as exact bounds, left to filter on. `unbounded` is the first binder no bound was
    found for (the translation must refuse the expression once the others are written,
    so that an error inside an earlier bound is reported first, as Dafny reads it)."""

    bounds: tuple[Bound, ...]
    filters: tuple[A.Expr, ...]
    unbounded: A.Binder | None = None

    def refuse(self, node: A.Expr) -> None:
        """Raise the error for `unbounded`, if any, at `node`."""
        if self.unbounded is not None:
            raise unsupported(
                node,
                f"cannot find finite bounds for '{self.unbounded.name}' in this quantifier or comprehension",
                "unbounded quantifier",
                hint="write the range as 'lo <= x < hi' or 'x in s' conjuncts",
            )


def _plus1(x: A.Expr) -> A.Expr:
    if isinstance(x, A.IntLit):
        return A.IntLit(x.value + 1, pos=x.pos)
    return A.BinOp("+", x, A.IntLit(1, pos=x.pos), pos=x.pos)


@dataclass
class _Candidates:
    """Candidate bounds per binder name."""

    lows: dict[str, list[_Candidate]]
    highs: dict[str, list[_Candidate]]
    colls: dict[str, list[_Candidate]]


def _comparisons(conj: Sequence[A.Expr]) -> list[tuple[int, A.Expr, str, A.Expr]]:
    return [
        (i, c.left, c.op, c.right)
        for i, c in enumerate(conj)
        if isinstance(c, A.BinOp) and c.op in ("<", "<=", ">", ">=", "in")
    ]


def _direct(names: set[str], pairs: list[tuple[int, A.Expr, str, A.Expr]]) -> _Candidates:
    """Bounds read straight off one conjunct (exact: the conjunct can be dropped)."""
    c = _Candidates({n: [] for n in names}, {n: [] for n in names}, {n: [] for n in names})
    for i, left, op, right in pairs:
        if op == "in":
            if isinstance(left, A.Name) and left.name in names and not mentions(right, {left.name}):
                c.colls[left.name].append((right, i))
            continue
        if op in (">", ">="):
            left, right, op = right, left, ("<" if op == ">" else "<=")
        # left op right, op in < <=
        if isinstance(right, A.Name) and right.name in names and not mentions(left, {right.name}):
            c.lows[right.name].append((_plus1(left) if op == "<" else left, i))
        if isinstance(left, A.Name) and left.name in names and not mentions(right, {left.name}):
            c.highs[left.name].append((right if op == "<" else _plus1(right), i))
    return c


def _derive(names: set[str], pairs: list[tuple[int, A.Expr, str, A.Expr]], c: _Candidates) -> None:
    """Bounds through another binder: x < y < hi gives x < hi (not exact: the conjuncts stay)."""
    for _ in range(2):
        for _i, left, op, right in pairs:
            if op == "in":
                continue
            if op in (">", ">="):
                left, right = right, left
            if not (isinstance(left, A.Name) and isinstance(right, A.Name)):
                continue
            if left.name not in names or right.name not in names:
                continue
            for hi, _j in list(c.highs[right.name]):
                if left.name not in mentions(hi, names) and (hi, -1) not in c.highs[left.name]:
                    c.highs[left.name].append((hi, -1))
            for lo, _j in list(c.lows[left.name]):
                if right.name not in mentions(lo, names) and (lo, -1) not in c.lows[right.name]:
                    c.lows[right.name].append((lo, -1))


def _usable(cands: list[_Candidate], unplaced: set[str]) -> _Candidate | None:
    """The first candidate mentioning no binder placed later, exact ones first."""
    good = [(x, i) for x, i in cands if not mentions(x, unplaced)]
    exact = [(x, i) for x, i in good if i >= 0]
    return (exact or good or [None])[0]


def _bound_for(b: A.Binder, c: _Candidates, unplaced: set[str]) -> tuple[Bound, set[int]] | None:
    coll = _usable(c.colls[b.name], unplaced)
    lo = _usable(c.lows[b.name], unplaced)
    hi = _usable(c.highs[b.name], unplaced)
    if coll is not None:
        return Bound(b, BoundKind.COLLECTION, (coll[0],)), {coll[1]}
    if lo is not None and hi is not None:
        return Bound(b, BoundKind.RANGE, (lo[0], hi[0])), {lo[1], hi[1]}
    if b.type and b.type.name == "bool":
        return Bound(b, BoundKind.BOOL, ()), set()
    return None


def plan_generators(binders: Sequence[A.Binder], conj: Sequence[A.Expr]) -> GeneratorPlan:
    """A generator for each binder and the conjuncts left to filter on.

    Each binder gets a finite range from the conjuncts (`lo <= x < hi`, `x in S`); a
    bound on a binder may mention only binders placed before it. Conjuncts used as
    exact bounds are consumed; the others stay as filters, which keeps the meaning
    even where a derived (weaker) bound is used.
    """
    names = {b.name for b in binders}
    pairs = _comparisons(conj)
    cands = _direct(names, pairs)
    _derive(names, pairs, cands)
    placed: list[str] = []
    bounds: list[Bound] = []
    used: set[int] = set()
    pending = list(binders)
    unbounded = None
    while pending and unbounded is None:
        progress = False
        for b in list(pending):
            found = _bound_for(b, cands, names - set(placed) - {b.name})
            if found is None:
                continue
            bounds.append(found[0])
            used |= found[1]
            placed.append(b.name)
            pending.remove(b)
            progress = True
        if not progress:
            unbounded = pending[0]
    filters = tuple(c for i, c in enumerate(conj) if i not in used)
    return GeneratorPlan(tuple(bounds), filters, unbounded)
