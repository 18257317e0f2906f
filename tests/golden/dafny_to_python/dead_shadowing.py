"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def DeadShadow(n: int) -> int:
    """Dafny method `DeadShadow`."""
    r = 1
    i = 0
    while i < n:
        i = i + 1
    n_2 = n + 0
    r = r + n_2
    return r
