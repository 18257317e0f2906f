"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def FindFirst(a: list[T], P: Callable[[T], bool]) -> int:
    """Dafny method `FindFirst`.

    ensures 0 <= n <= a.Length
    """
    n = 0
    while n != len(a):
        if P(a[n]):
            return n
        n = n + 1
    return n


def ApplyTwice(f: Callable[[int], int], x: int) -> int:
    """Dafny function `ApplyTwice`."""
    return f(f(x))


def Incr(x: int) -> int:
    """Dafny function `Incr`."""
    return x + 1


def UseLambdas(k: int) -> tuple[int, list[int]]:
    """Dafny method `UseLambdas`."""
    def g(x):
        return x * k
    def h(x, y):
        return x + y
    r = ApplyTwice(g, k) + ApplyTwice(Incr, 3) + h(1, 2)
    s = [g(1), h(2, 3)]
    return r, s
