"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Half(x: int) -> int:
    """Dafny function `Half`."""
    return x // 2


def LastDigit(x: int) -> int:
    """Dafny function `LastDigit`."""
    return x % 10


def Halves(x: int) -> tuple[int, int, int]:
    """Dafny method `Halves`.

    ensures h == x / 2 && d == x % 10 && m == (-x) / 3
    """
    h = Half(x)
    d = LastDigit(x)
    m = -x // 3
    return h, d, m
