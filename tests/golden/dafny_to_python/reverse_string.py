"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def ReverseString(s: str) -> str:
    """Dafny method `ReverseString`.

    ensures |r| == |s|
    ensures forall i :: 0 <= i < |s| ==> r[i] == s[|s| - 1 - i]
    """
    r = ""
    i = 0
    while i < len(s):
        r = s[i] + r
        i = i + 1
    return r
