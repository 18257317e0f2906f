"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Sqrt(n: int) -> int:
    """Dafny method `Sqrt`.

    ensures r * r <= n < (r + 1) * (r + 1)
    """
    r = 0
    while (r + 1) * (r + 1) <= n:
        r = r + 1
    return r
