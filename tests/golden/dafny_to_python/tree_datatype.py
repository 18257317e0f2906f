"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Leaf:
    """Constructor `Leaf` of datatype `Tree`."""


@dataclass(frozen=True)
class Node:
    """Constructor `Node` of datatype `Tree`."""

    left: Tree
    value: int
    right: Tree


Tree = Leaf | Node


def Insert(t: Tree, x: int) -> Tree:
    """Dafny function `Insert`."""
    match t:
        case Leaf():
            return Node(Leaf(), x, Leaf())
        case Node(l_, v, r):
            if x < v:
                return Node(Insert(l_, x), v, r)
            return Node(l_, v, Insert(r, x))


def Inorder(t: Tree) -> list[int]:
    """Dafny function `Inorder`."""
    match t:
        case Leaf():
            return []
        case Node(l_, v, r):
            return [*Inorder(l_), v, *Inorder(r)]


def Size(t: Tree) -> int:
    """Dafny function `Size`."""
    if isinstance(t, Leaf):
        return 0
    return Size(t.left) + 1 + Size(t.right)


def TreeSort(xs: list[int]) -> tuple[list[int], int]:
    """Dafny method `TreeSort`."""
    t = Leaf()
    i = 0
    while i < len(xs):
        t = Insert(t, xs[i])
        i = i + 1
    ys = Inorder(t)
    n = Size(t)
    return ys, n
