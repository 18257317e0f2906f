"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Sum(xs: list[int]) -> int:
    """Dafny method `Sum`.

    ensures s == SumF(xs)
    """
    s = 0
    i = len(xs)
    while i > 0:
        i = i - 1
        s = s + xs[i]
    return s
