"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def InRange(lo: int, x: int, hi: int) -> bool:
    """Dafny predicate `InRange`."""
    return lo <= x < hi


def Between(lo: int, x: int, hi: int) -> tuple[bool, bool, bool]:
    """Dafny method `Between`.

    ensures r == (lo <= x && x < hi)
    """
    r = InRange(lo, x, hi)
    s = lo < x <= hi
    eq = lo == x == hi
    return r, s, eq
