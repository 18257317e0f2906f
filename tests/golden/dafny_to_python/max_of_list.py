"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def MaxOfList(xs: list[int]) -> int:
    """Dafny method `MaxOfList`.

    requires |xs| > 0
    ensures forall i :: 0 <= i < |xs| ==> xs[i] <= m
    ensures exists i :: 0 <= i < |xs| && xs[i] == m
    """
    m = xs[0]
    i = 1
    while i < len(xs):
        if xs[i] > m:
            m = xs[i]
        i = i + 1
    return m
