"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from fractions import Fraction


def Average(xs: list[Fraction]) -> Fraction:
    """Dafny method `Average`.

    requires |xs| > 0
    ensures avg * (|xs| as real) == SumR(xs)
    """
    total = Fraction(0)
    i = 0
    while i < len(xs):
        total = total + xs[i]
        i = i + 1
    avg = total / Fraction(len(xs))
    return avg
