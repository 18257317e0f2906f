"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def InsertionSort(a: list[int]) -> None:
    """Dafny method `InsertionSort`.

    modifies a
    ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
    ensures multiset(a[..]) == multiset(old(a[..]))
    """
    i = 1
    while i < len(a):
        j = i
        while j > 0 and a[j - 1] > a[j]:
            a[j - 1], a[j] = a[j], a[j - 1]
            j = j - 1
        i = i + 1
