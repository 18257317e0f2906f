"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def ClassifyAge(age: int) -> int:
    """Dafny method `ClassifyAge`.

    ensures age < 18 ==> kind == 0
    ensures age >= 18 ==> kind == 1
    """
    kind = 0
    if age < 18:
        kind = 0
    elif age >= 18:
        kind = 1
    return kind


def FirstSmaller(a: list[int], b: list[int], i: int, j: int) -> int:
    """Dafny method `FirstSmaller`.

    requires 0 <= i < |a| && 0 <= j < |b|
    ensures k == 0 || k == 1
    """
    k = 0
    if a[i] <= b[j]:
        k = 0
    elif b[j] <= a[i]:
        k = 1
    return k


def Arbitrary(x: int) -> int:
    """Dafny method `Arbitrary`.

    ensures y == x || y == -x
    """
    y = x
    return y
