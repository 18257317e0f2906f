"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SetOps(a: list[int], b: list[int]) -> tuple[set[int], set[int], set[int], bool, bool]:
    """Dafny method `SetOps`.

    ensures forall x :: x in u <==> x in a || x in b
    """
    sa = set(a)
    sb = set(b)
    u = sa | sb
    n = sa & sb
    d = sa - sb
    sub = sa <= sb
    disj = sa.isdisjoint(sb)
    return u, n, d, sub, disj
