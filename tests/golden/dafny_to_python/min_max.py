"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def MinMax(xs: list[int]) -> tuple[int, int]:
    """Dafny method `MinMax`.

    requires |xs| > 0
    ensures lo in xs && hi in xs
    ensures forall x :: x in xs ==> lo <= x <= hi
    """
    lo, hi = xs[0], xs[0]
    i = 1
    while i < len(xs):
        if xs[i] < lo:
            lo = xs[i]
        if xs[i] > hi:
            hi = xs[i]
        i = i + 1
    return lo, hi
