"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Push(s: list[int], x: int) -> list[int]:
    """Dafny function `Push`."""
    return [*s, x]


def PushTwiceOnto(s: list[int], x: int) -> list[int]:
    """Dafny method `PushTwiceOnto`.

    ensures |r| == |s| + 2
    """
    r = Push(Push(s, x), x)
    return r


def SwapPositives(p: tuple[int, int]) -> tuple[int, int]:
    """Dafny method `SwapPositives`.

    ensures q.0 == p.1 && q.1 == p.0
    """
    q = (p[1], p[0])
    return q


def AddBytes(a: int, b: int) -> tuple[int, int]:
    """Dafny method `AddBytes`.

    requires a as int + b as int < 256
    ensures c as int == a as int + b as int
    """
    c = a + b
    half = c // 2
    return c, half


def NextOdd(o: int) -> int:
    """Dafny method `NextOdd`.

    requires o < 1001
    ensures p as int == o as int + 2
    """
    p = o + 2
    return p
