"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def UniqueElements(xs: list[int]) -> set[int]:
    """Dafny method `UniqueElements`.

    ensures forall x :: x in s ==> x in xs
    ensures forall i :: 0 <= i < |xs| ==> xs[i] in s
    """
    s = set()
    i = 0
    while i < len(xs):
        s = s | {xs[i]}
        i = i + 1
    return s
