"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections.abc import Callable


def ApplyAll(xs: list[int], f: Callable[[int], int]) -> list[int]:
    """Dafny method `ApplyAll`.

    ensures |ys| == |xs|
    ensures forall i :: 0 <= i < |xs| ==> ys[i] == f(xs[i])
    """
    ys = []
    k = 0
    while k < len(xs):
        ys = [*ys, f(xs[k])]
        k = k + 1
    return ys
