"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Sign(x: int) -> int:
    """Dafny function `Sign`."""
    if x < 0:
        return -1
    if x == 0:
        return 0
    return 1


def Signs(x: int, y: int) -> tuple[int, int]:
    """Dafny method `Signs`."""
    s = Sign(x)
    p = Sign(x) * Sign(y)
    return s, p
