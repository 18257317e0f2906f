"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections import Counter


def IsPermutation(a: list[int], b: list[int]) -> bool:
    """Dafny method `IsPermutation`.

    ensures r == (multiset(a) == multiset(b))
    """
    r = Counter(a) == Counter(b)
    return r
