"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def CountChar(s: str, c: str) -> int:
    """Dafny method `CountChar`.

    ensures n == |set i | 0 <= i < |s| && s[i] == c|
    """
    n = 0
    k = 0
    while k < len(s):
        if s[k] == c:
            n = n + 1
        k = k + 1
    return n
