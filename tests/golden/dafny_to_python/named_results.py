"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def _div(a: int, b: int) -> int:
    """Dafny's Euclidean division: the remainder is never negative."""
    return a // b if b > 0 else -(a // -b)


def _mod(a: int, b: int) -> int:
    """Dafny's Euclidean modulus: always in [0, |b|)."""
    return a % abs(b)


def PowerOf(b: int, n: int) -> int:
    """Dafny function `PowerOf`.

    ensures p >= 0
    """
    if n == 0:
        return 1
    return b * PowerOf(b, n - 1)


def Twin(x: int) -> tuple[int, int]:
    """Dafny function `Twin`."""
    return (x, x)


def CubeAndTwin(b: int) -> tuple[int, int]:
    """Dafny method `CubeAndTwin`.

    ensures r == PowerOf(b, 3)
    """
    r = PowerOf(b, 3)
    t = Twin(b)[0] + 0
    return r, t


def QuotRem(a: int, b: int) -> tuple[int, int]:
    """Dafny function `QuotRem`.

    requires b > 0
    """
    return (_div(a, b), _mod(a, b))


def SplitBySeven(a: int) -> tuple[int, int]:
    """Dafny method `SplitBySeven`.

    ensures a == 7 * q + r
    """
    x, y = QuotRem(a, 7)
    q = x
    r = y
    return q, r
