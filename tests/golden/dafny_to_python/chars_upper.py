"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Upper(c: str) -> str:
    """Dafny function `Upper`."""
    if "a" <= c <= "z":
        return chr(ord(c) - ord("a") + ord("A"))
    return c


def ToUpper(s: str) -> str:
    """Dafny method `ToUpper`.

    ensures |t| == |s|
    ensures forall i :: 0 <= i < |s| ==> t[i] == Upper(s[i])
    """
    t = ""
    i = 0
    while i < len(s):
        t = t + Upper(s[i])
        i = i + 1
    return t
