"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def MapOps(keys: list[int], v: int) -> tuple[dict[int, int], set[int], bool, int]:
    """Dafny method `MapOps`.

    ensures forall k :: k in keys ==> k in m
    """
    m = {}
    i = 0
    while i < len(keys):
        m = {**m, keys[i]: v + i}
        i = i + 1
    ks = set(m)
    has = 0 in m
    size = len(m)
    return m, ks, has, size
