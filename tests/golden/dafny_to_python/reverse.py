"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Reverse(xs: list[int]) -> list[int]:
    """Dafny method `Reverse`.

    ensures |r| == |xs|
    ensures forall i :: 0 <= i < |xs| ==> r[i] == xs[|xs| - 1 - i]
    """
    r = []
    i = len(xs)
    while i > 0:
        i = i - 1
        r = [*r, xs[i]]
    return r
