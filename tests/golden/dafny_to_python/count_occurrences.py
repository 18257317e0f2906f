"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def CountOccurrences(xs: list[int], x: int) -> int:
    """Dafny method `CountOccurrences`.

    ensures c == CountF(xs, x)
    """
    c = 0
    i = len(xs)
    while i > 0:
        i = i - 1
        if xs[i] == x:
            c = c + 1
    return c
