"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class None_(Generic[T]):
    """Constructor `None` of datatype `Option`."""


@dataclass(frozen=True)
class Some(Generic[T]):
    """Constructor `Some` of datatype `Option`."""

    value: T


Option = None_ | Some


def FindOption(xs: list[int], x: int) -> Option[int]:
    """Dafny method `FindOption`.

    ensures r.Some? ==> 0 <= r.value < |xs| && xs[r.value] == x && forall j :: 0 <= j < r.value ==> xs[j] != x
    ensures r == None <==> x !in xs
    """
    i = 0
    while i < len(xs):
        if xs[i] == x:
            return Some(i)
        i = i + 1
    return None_()
