"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Squares(n: int) -> list[int]:
    """Dafny method `Squares`.

    ensures a.Length == n
    ensures forall i :: 0 <= i < n ==> a[i] == i * i
    """
    a = [0] * n
    i = 0
    while i < n:
        a[i] = i * i
        i = i + 1
    return a
