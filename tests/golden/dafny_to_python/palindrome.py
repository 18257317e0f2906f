"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def IsPalindrome(s: str) -> bool:
    """Dafny method `IsPalindrome`.

    ensures b <==> forall i :: 0 <= i < |s| ==> s[i] == s[|s| - 1 - i]
    """
    i = 0
    while i < len(s) // 2:
        if s[i] != s[len(s) - 1 - i]:
            return False
        i = i + 1
    return True
