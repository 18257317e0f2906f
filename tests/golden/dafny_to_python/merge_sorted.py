"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Merge(a: list[int], b: list[int]) -> list[int]:
    """Dafny method `Merge`.

    requires Sorted(a)
    requires Sorted(b)
    ensures Sorted(r)
    ensures multiset(r) == multiset(a) + multiset(b)
    """
    r = []
    i, j = 0, 0
    while i < len(a) or j < len(b):
        if j == len(b) or (i < len(a) and a[i] <= b[j]):
            r = [*r, a[i]]
            i = i + 1
        else:
            r = [*r, b[j]]
            j = j + 1
    return r
