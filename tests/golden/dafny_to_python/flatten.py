"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Flat(ss: list[list[int]]) -> list[int]:
    """Dafny function `Flat`."""
    if len(ss) == 0:
        return []
    return ss[0] + Flat(ss[1:])


def Flatten(ss: list[list[int]]) -> tuple[list[int], int]:
    """Dafny method `Flatten`."""
    r = Flat(ss)
    total = len(r)
    return r, total
