"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def EvenDoubles(s: list[int]) -> tuple[set[int], set[int]]:
    """Dafny method `EvenDoubles`."""
    e = {x * 2 for x in s if x % 2 == 0}
    r = set(range(len(s)))
    return e, r
