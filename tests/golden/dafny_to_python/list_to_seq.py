"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Nil(Generic[T]):
    """Constructor `Nil` of datatype `List`."""


@dataclass(frozen=True)
class Cons(Generic[T]):
    """Constructor `Cons` of datatype `List`."""

    head: T
    tail: List[T]


List = Nil | Cons


def ListToSeq(l_: List[T]) -> list[T]:
    """Dafny method `ListToSeq`.

    ensures |s| == Length(l)
    ensures s == Elems(l)
    """
    s = []
    cur = l_
    while isinstance(cur, Cons):
        s = [*s, cur.head]
        cur = cur.tail
    return s
