"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Max(a: int, b: int) -> int:
    """Dafny method `Max`.

    ensures m >= a && m >= b
    ensures m == a || m == b
    """
    m = a if a >= b else b
    return m
