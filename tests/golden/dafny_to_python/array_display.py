"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
T = TypeVar("T")
V = TypeVar("V")


def CopyOfArray(s: list[T]) -> list[T]:
    """Dafny method `CopyOfArray`.

    ensures t.Length == s.Length
    ensures forall j :: 0 <= j < s.Length ==> t[j] == s[j]
    ensures fresh(t)
    """
    t = [s[i] for i in range(len(s))]
    return t


def SquaresOf(n: int) -> list[int]:
    """Dafny method `SquaresOf`.

    ensures |r| == n
    """
    a = [i * i for i in range(n)]
    r = list(a)
    return r


def ArrayDisplays(k: int) -> tuple[list[int], list[str], int]:
    """Dafny method `ArrayDisplays`.

    ensures a.Length == 3 && b.Length == 2
    """
    a = [k, -k, 0]
    b = ["x", "_"]
    s = a[0] + a[1] + a[2]
    return a, b, s


def MergeMaps(m1: dict[K, V], m2: dict[K, V]) -> dict[K, V]:
    """Dafny method `MergeMaps`.

    ensures forall k :: k in m2 ==> k in r
    """
    r = {k: m2[k] if k in m2 else m1[k] for k in set(m1) | set(m2)}
    return r
