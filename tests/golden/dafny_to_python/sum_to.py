"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SumTo(n: int) -> int:
    """Dafny method `SumTo`.

    ensures s == n * (n + 1) / 2
    """
    s = 0
    i = 0
    while i < n:
        i = i + 1
        s = s + i
    return s
