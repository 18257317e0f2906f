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


def FindIndex(s: list[int], x: int, from_: int) -> Option[int]:
    """Dafny function `FindIndex`."""
    if from_ >= len(s):
        return None_()
    if s[from_] == x:
        return Some(from_)
    return FindIndex(s, x, from_ + 1)


def Lookup(s: list[int], x: int) -> tuple[bool, int]:
    """Dafny method `Lookup`."""
    r = FindIndex(s, x, 0)
    match r:
        case None_():
            found, idx = False, -1
        case Some(i):
            found, idx = True, i
    return found, idx
