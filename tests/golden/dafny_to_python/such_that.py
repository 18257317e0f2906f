"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def CountLessBySearch(a: set[int], t: int) -> int:
    """Dafny method `CountLessBySearch`."""
    c = 0
    shrink = a
    while shrink != set():
        i = next(i for i in shrink)
        shrink = shrink - {i}
        if i < t:
            c = c + 1
    return c


def FirstSquareAbove(n: int) -> int:
    """Dafny method `FirstSquareAbove`.

    ensures k * k > n
    """
    k = 0
    k = next(k_2 for k_2 in range(n + 1 + 1) if k_2 * k_2 > n)
    return k


def PickIndexOf(s: list[int]) -> tuple[int, int]:
    """Dafny method `PickIndexOf`.

    requires |s| > 0
    """
    x = 0
    y = 0
    x, y = next((x_2, y_2) for x_2 in s for y_2 in range(len(s)) if s[y_2] == x_2)
    return x, y
