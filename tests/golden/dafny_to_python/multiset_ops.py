"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections import Counter


def MultisetOps(a: list[int], b: list[int], x: int) -> tuple[Counter[int], Counter[int], Counter[int], int, int, bool]:
    """Dafny method `MultisetOps`."""
    ma = Counter(a)
    mb = Counter(b)
    u = ma + mb
    d = ma - mb
    i = ma & mb
    c = ma[x]
    n = u.total()
    sub = ma <= mb
    return u, d, i, c, n, sub
