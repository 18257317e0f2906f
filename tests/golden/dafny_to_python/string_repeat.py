"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Repeat(s: str, n: int) -> str:
    """Dafny method `Repeat`.

    ensures |r| == |s| * n
    """
    r = ""
    i = 0
    while i < n:
        r = r + s
        i = i + 1
    return r
