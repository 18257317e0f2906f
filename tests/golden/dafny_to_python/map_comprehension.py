"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SquareMap(n: int) -> dict[int, int]:
    """Dafny method `SquareMap`.

    ensures forall i :: 0 <= i < n ==> i in m && m[i] == i * i
    """
    m = {i: i * i for i in range(n)}
    return m
