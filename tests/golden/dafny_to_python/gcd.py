"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Gcd(a: int, b: int) -> int:
    """Dafny method `Gcd`.

    requires a > 0 || b > 0
    ensures g == GcdF(a, b)
    """
    x, y = a, b
    while y != 0:
        x, y = y, x % y
    g = x
    return g
