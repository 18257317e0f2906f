"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections import Counter


def MaxMultiplicity(xs: list[int]) -> int:
    """Dafny method `MaxMultiplicity`.

    ensures forall x :: x in xs ==> multiset(xs)[x] <= c
    ensures |xs| == 0 ==> c == 0
    ensures |xs| > 0 ==> exists x :: x in xs && multiset(xs)[x] == c
    """
    c = 0
    i = 0
    while i < len(xs):
        m = Counter(xs)[xs[i]]
        if m > c:
            c = m
        i = i + 1
    return c
