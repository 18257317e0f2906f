"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Power(b: int, e: int) -> int:
    """Dafny method `Power`.

    ensures p == Pow(b, e)
    """
    p = 1
    i = 0
    while i < e:
        p = p * b
        i = i + 1
    return p
