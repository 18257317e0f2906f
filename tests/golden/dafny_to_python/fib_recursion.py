"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Fib(n: int) -> int:
    """Dafny function `Fib`."""
    if n < 2:
        return n
    return Fib(n - 1) + Fib(n - 2)


def FibIter(n: int) -> int:
    """Dafny method `FibIter`.

    ensures f == Fib(n)
    """
    a, b = 0, 1
    i = 0
    while i < n:
        a, b = b, a + b
        i = i + 1
    f = a
    return f


def FibRec(n: int) -> int:
    """Dafny method `FibRec`.

    requires n <= 20
    ensures f == Fib(n)
    """
    f = Fib(n)
    return f
