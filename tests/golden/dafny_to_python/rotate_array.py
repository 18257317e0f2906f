"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def RotateLeft(a: list[int]) -> None:
    """Dafny method `RotateLeft`.

    requires a.Length > 0
    modifies a
    ensures forall i :: 0 <= i < a.Length ==> a[i] == old(a[(i + 1) % a.Length])
    """
    copy = list(a)
    i = 0
    while i < len(a):
        a[i] = copy[(i + 1) % len(a)]
        i = i + 1
