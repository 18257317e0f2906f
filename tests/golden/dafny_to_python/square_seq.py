"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SquareSeq(n: int, k: int) -> list[int]:
    """Dafny method `SquareSeq`.

    ensures s == SeqInit1(n, k)
    """
    s = []
    j = 0
    while j < n:
        s = [*s, j * j + k]
        j = j + 1
    return s
