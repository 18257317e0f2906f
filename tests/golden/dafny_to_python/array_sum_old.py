"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def DoubleAll(a: list[int]) -> int:
    """Dafny method `DoubleAll`.

    modifies a
    ensures forall i :: 0 <= i < a.Length ==> a[i] == 2 * old(a[i])
    """
    i = 0
    total = 0
    while i < len(a):
        a[i] = 2 * a[i]
        total = total + a[i]
        i = i + 1
    return total
