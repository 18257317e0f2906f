"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def IsSorted(xs: list[int]) -> bool:
    """Dafny method `IsSorted`.

    ensures b <==> forall i, j :: 0 <= i < j < |xs| ==> xs[i] <= xs[j]
    """
    k = 1
    while k < len(xs):
        if xs[k - 1] > xs[k]:
            return False
        k = k + 1
    return True
