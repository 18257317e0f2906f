"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def FirstNegative(xs: list[int]) -> int:
    """Dafny method `FirstNegative`.

    ensures idx == -1 || (0 <= idx < |xs| && xs[idx] < 0)
    """
    idx = -1
    i = 0
    while i < len(xs):
        if xs[i] < 0:
            idx = i
            break
        i = i + 1
    return idx
