"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Sq(x: int) -> int:
    """Dafny function `Sq`."""
    return x * x


def Quad(x: int) -> int:
    """Dafny function `Quad`."""
    return Sq(Sq(x))


def SumSquares(a: int, b: int) -> int:
    """Dafny function `SumSquares`."""
    return Sq(a) + Sq(b)


def Fourth(x: int, y: int) -> tuple[int, int]:
    """Dafny method `Fourth`.

    ensures q == x * x * x * x
    """
    q = Quad(x)
    s = SumSquares(x, y)
    return q, s
