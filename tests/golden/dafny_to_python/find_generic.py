"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def FindIndexOf(xs: list[T], x: T) -> int:
    """Dafny method `FindIndexOf`.

    ensures -1 <= i < |xs|
    ensures i >= 0 ==> xs[i] == x && forall j :: 0 <= j < i ==> xs[j] != x
    ensures i == -1 <==> CountIn(xs, x) == 0
    """
    i = 0
    while i < len(xs):
        if xs[i] == x:
            return i
        i = i + 1
    i = -1
    return i
