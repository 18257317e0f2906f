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


def Length(l_: List[T]) -> int:
    """Dafny function `Length`."""
    match l_:
        case Nil():
            return 0
        case Cons(_, t):
            return 1 + Length(t)


def Build(n: int) -> tuple[List[int], int]:
    """Dafny method `Build`.

    ensures k == n
    """
    l_ = Nil()
    i = 0
    while i < n:
        l_ = Cons(i, l_)
        i = i + 1
    k = Length(l_)
    return l_, k
