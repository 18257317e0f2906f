"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


Shift: int = 3


def SwapPair(p: tuple[int, int]) -> tuple[int, int]:
    """Dafny function `SwapPair`."""
    a, b = p
    return (b, a)


def SumPair(p: tuple[int, int]) -> int:
    """Dafny function `SumPair`."""
    x, y = p
    return x + y


def PairSums(n: int) -> tuple[int, int]:
    """Dafny method `PairSums`."""
    q = SwapPair((n, n + Shift))
    s = SumPair(q)
    t = (lambda u, v: u - v)(*q)
    return s, t


def Ramp(n: int) -> list[int]:
    """Dafny method `Ramp`.

    ensures a.Length == n
    """
    a = [0] * n
    i = 0
    while i < n:
        a[i] = i + Shift
        i = i + 1
    return a


def Firsts(k: int) -> list[int]:
    """Dafny method `Firsts`.

    ensures |r| == 3
    """
    a = [k, k + 1, k + 2]
    r = list(a)
    return r


def CountEq(s: list[T], x: T) -> int:
    """Dafny method `CountEq`."""
    c = 0
    i = 0
    while i < len(s):
        if s[i] == x:
            c = c + 1
        i = i + 1
    return c


def HavocForms(n: int) -> tuple[int, int, int]:
    """Dafny method `HavocForms`."""
    t = 0
    a = [0] * 2
    a[0] = n
    r = n
    q = 0
    p: int = 0
    c: int = 0
    p, c = PairSums(n)
    s = a[0] + q + p + c
    return r, s, t
