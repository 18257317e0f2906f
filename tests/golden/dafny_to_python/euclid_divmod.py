"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def _div(a: int, b: int) -> int:
    """Dafny's Euclidean division: the remainder is never negative."""
    return a // b if b > 0 else -(a // -b)


def _mod(a: int, b: int) -> int:
    """Dafny's Euclidean modulus: always in [0, |b|)."""
    return a % abs(b)


def DivMod(a: int, b: int) -> tuple[int, int]:
    """Dafny method `DivMod`.

    requires b != 0
    ensures a == b * q + r
    ensures 0 <= r < (if b > 0 then b else -b)
    """
    q = _div(a, b)
    r = _mod(a, b)
    return q, r
