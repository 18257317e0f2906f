"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def DoubledArray(s: list[int]) -> list[int]:
    """Dafny method `DoubledArray`.

    ensures a.Length == |s|
    ensures forall i :: 0 <= i < a.Length ==> a[i] == 2 * s[i]
    """
    a = [0] * len(s)
    i = 0
    while i < len(s):
        a[i] = 2 * s[i]
        i = i + 1
    return a
