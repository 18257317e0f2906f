"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coin:
    """Constructor `Coin` of datatype `Item`."""

    value: int


@dataclass(frozen=True)
class Gem:
    """Constructor `Gem` of datatype `Item`."""

    carats: int
    name: str


@dataclass(frozen=True)
class Nothing:
    """Constructor `Nothing` of datatype `Item`."""


Item = Coin | Gem | Nothing


def ItemWorth(it: Item) -> int:
    """Dafny function `ItemWorth`."""
    match it:
        case Coin(v):
            if v >= 0:
                return v
            return 0
        case Gem(_, _):
            return 100
        case Nothing():
            return 0


def SmallNonNegatives(u: set[int], x: int) -> tuple[bool, set[int], int]:
    """Dafny method `SmallNonNegatives`.

    ensures b == (0 <= x)
    """
    b = x >= 0
    s = {y for y in u if y >= -3 and y <= 3 and y != 1}
    w = ItemWorth(Gem(x, "g"))
    match Coin(x):
        case Coin(_):
            w = w + 1
        case Gem(_, _):
            pass
        case Nothing():
            pass
    return b, s, w
