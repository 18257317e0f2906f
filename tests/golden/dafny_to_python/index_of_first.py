"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def IndexOfFirst(xs: list[int], x: int) -> int:
    """Dafny method `IndexOfFirst`.

    ensures -1 <= i < |xs|
    ensures i >= 0 ==> xs[i] == x && forall j :: 0 <= j < i ==> xs[j] != x
    ensures i == -1 ==> forall j :: 0 <= j < |xs| ==> xs[j] != x
    """
    i = 0
    while i < len(xs):
        if xs[i] == x:
            return i
        i = i + 1
    i = -1
    return i
