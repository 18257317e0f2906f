"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Shadow(n: int) -> int:
    """Dafny method `Shadow`."""
    x = 1
    r = 0
    i = 0
    while i < n:
        x_2 = i * 2
        r = r + x_2
        i = i + 1
    r = r + x
    return r
