"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SeqIsValue(s: list[int]) -> tuple[list[int], list[int]]:
    """Dafny method `SeqIsValue`.

    requires |s| > 0
    ensures u == s
    ensures |t| == |s| && t[0] == s[0] + 1
    """
    t = s
    u = t
    t = [*t[:0], t[0] + 1, *t[1:]]
    return t, u
