"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def AllPositive(s: list[int]) -> bool:
    """Dafny predicate `AllPositive`."""
    return all(s[i] > 0 for i in range(len(s)))


def HasZero(s: list[int]) -> bool:
    """Dafny predicate `HasZero`."""
    return any(s[i] == 0 for i in range(len(s)))


def StrictlyIncreasing(s: list[int]) -> bool:
    """Dafny predicate `StrictlyIncreasing`."""
    return all(s[i] < s[j] for i in range(len(s)) for j in range(i + 1, len(s)))


def Classify(s: list[int]) -> tuple[bool, bool, bool, bool]:
    """Dafny method `Classify`."""
    pos = AllPositive(s)
    zero = HasZero(s)
    inc = StrictlyIncreasing(s)
    anyBig = any(x > 100 for x in s)
    return pos, zero, inc, anyBig
