"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Hyp2(a: int, b: int) -> int:
    """Dafny function `Hyp2`."""
    x = a * a
    y = b * b
    return x + y


def Hyp(a: int, b: int) -> int:
    """Dafny method `Hyp`.

    ensures h == a * a + b * b
    """
    h = Hyp2(a, b)
    return h
