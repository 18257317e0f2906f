"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def IsVowel(c: str) -> bool:
    """Dafny predicate `IsVowel`."""
    return c in "aeiouAEIOU"


def CountVowels(s: str) -> int:
    """Dafny method `CountVowels`.

    ensures n <= |s|
    """
    n = 0
    i = 0
    while i < len(s):
        if IsVowel(s[i]):
            n = n + 1
        i = i + 1
    return n
