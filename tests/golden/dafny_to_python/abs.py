"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Abs(x: int) -> int:
    """Dafny method `Abs`.

    ensures y >= 0
    ensures y == x || y == -x
    """
    y = -x if x < 0 else x
    return y
