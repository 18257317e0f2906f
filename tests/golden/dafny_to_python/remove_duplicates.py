"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def RemoveDuplicates(xs: list[int]) -> list[int]:
    """Dafny method `RemoveDuplicates`.

    ensures forall i, j :: 0 <= i < j < |r| ==> r[i] != r[j]
    ensures forall i :: 0 <= i < |xs| ==> xs[i] in r
    ensures forall i :: 0 <= i < |r| ==> r[i] in xs
    ensures forall i, j :: 0 <= i < j < |r| ==> FirstIndex(xs, r[i]) < FirstIndex(xs, r[j])
    """
    r = []
    seen = set()
    k = 0
    while k < len(xs):
        if xs[k] not in seen:
            r = [*r, xs[k]]
            seen = seen | {xs[k]}
        k = k + 1
    return r
