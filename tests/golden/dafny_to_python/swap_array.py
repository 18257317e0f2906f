"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Swap(a: list[int], i: int, j: int) -> None:
    """Dafny method `Swap`.

    requires 0 <= i < a.Length
    requires 0 <= j < a.Length
    modifies a
    ensures a[i] == old(a[j]) && a[j] == old(a[i])
    ensures forall k :: 0 <= k < a.Length && k != i && k != j ==> a[k] == old(a[k])
    """
    t = a[i]
    a[i] = a[j]
    a[j] = t
