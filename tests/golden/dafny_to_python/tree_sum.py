"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tip:
    """Constructor `Tip` of datatype `BinTree`."""


@dataclass(frozen=True)
class Fork:
    """Constructor `Fork` of datatype `BinTree`."""

    left: BinTree
    val: int
    right: BinTree


BinTree = Tip | Fork


def TreeSum(t: BinTree) -> int:
    """Dafny method `TreeSum`.

    ensures s == TreeTotal(t)
    """
    match t:
        case Tip():
            s = 0
        case Fork(l_, v, r):
            a = TreeSum(l_)
            b = TreeSum(r)
            s = a + v + b
    return s
