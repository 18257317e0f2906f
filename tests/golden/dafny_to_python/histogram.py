"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Histogram(xs: list[int]) -> dict[int, int]:
    """Dafny method `Histogram`.

    ensures forall x :: x in h ==> x in xs
    ensures forall i :: 0 <= i < |xs| ==> xs[i] in h && h[xs[i]] == CountF(xs, xs[i])
    """
    h = {}
    i = len(xs)
    while i > 0:
        i = i - 1
        y = xs[i]
        h = {**h, y: h[y] + 1} if y in h else {**h, y: 1}
    return h
