"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Factorial(n: int) -> int:
    """Dafny method `Factorial`.

    ensures f == Fact(n)
    """
    f = 1
    i = 0
    while i < n:
        i = i + 1
        f = f * i
    return f
