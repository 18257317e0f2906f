"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def AliasWrite(a: list[int], v: int) -> tuple[int, bool]:
    """Dafny method `AliasWrite`.

    requires a.Length > 0
    modifies a
    ensures r == v && same
    ensures a[0] == v
    """
    b = a
    b[0] = v
    r = a[0]
    same = a is b
    return r, same
