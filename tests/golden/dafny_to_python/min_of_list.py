"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def MinOfList(xs: list[int]) -> int:
    """Dafny method `MinOfList`.

    requires |xs| > 0
    ensures m in xs
    ensures forall x :: x in xs ==> m <= x
    """
    m = xs[0]
    i = 1
    while i < len(xs):
        if xs[i] < m:
            m = xs[i]
        i = i + 1
    return m
