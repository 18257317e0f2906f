"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def BinarySearch(a: list[int], key: int) -> int:
    """Dafny method `BinarySearch`.

    requires forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
    ensures -1 <= index < a.Length
    ensures index >= 0 ==> a[index] == key && forall k :: 0 <= k < index ==> a[k] != key
    ensures index == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != key
    """
    lo, hi = 0, len(a)
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if a[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    index = lo if lo < len(a) and a[lo] == key else -1
    return index
