"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def _div(a: int, b: int) -> int:
    """Dafny's Euclidean division: the remainder is never negative."""
    return a // b if b > 0 else -(a // -b)


def _mod(a: int, b: int) -> int:
    """Dafny's Euclidean modulus: always in [0, |b|)."""
    return a % abs(b)


def NegOps(x: int, y: int) -> tuple[int, int, int, int]:
    """Dafny method `NegOps`.

    requires y != 0
    """
    a = _div(-x, y)
    b = _mod(-x, y)
    c = -_div(x, y)
    d = x - -y
    return a, b, c, d
