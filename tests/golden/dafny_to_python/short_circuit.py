"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SafeIsZero(s: list[int], i: int) -> tuple[bool, bool]:
    """Dafny method `SafeIsZero`.

    ensures r == (0 <= i < |s| && s[i] == 0)
    """
    r = 0 <= i < len(s) and s[i] == 0
    t = i < 0 or i >= len(s) or s[i] != 0
    return r, t
