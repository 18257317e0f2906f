"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def ReverseInPlace(a: list[int]) -> None:
    """Dafny method `ReverseInPlace`.

    modifies a
    ensures forall k :: 0 <= k < a.Length ==> a[k] == old(a[a.Length - 1 - k])
    """
    i, j = 0, len(a) - 1
    while i < j:
        a[i], a[j] = a[j], a[i]
        i, j = i + 1, j - 1
