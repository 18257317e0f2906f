"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def TwoSum(xs: list[int], target: int) -> tuple[int, int]:
    """Dafny method `TwoSum`.

    requires exists p, q :: 0 <= p < q < |xs| && xs[p] + xs[q] == target
    ensures 0 <= i < j < |xs| && xs[i] + xs[j] == target
    ensures forall p, q :: 0 <= p < q < |xs| && xs[p] + xs[q] == target ==> i < p || (i == p && j <= q)
    """
    a = 0
    while a < len(xs):
        b = a + 1
        while b < len(xs):
            if xs[a] + xs[b] == target:
                return a, b
            b = b + 1
        a = a + 1
    return 0, 1
