"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sprig:
    """Constructor `Sprig` of datatype `Shrub`."""


@dataclass(frozen=True)
class Bough:
    """Constructor `Bough` of datatype `Shrub`."""

    left: Shrub
    val: int
    right: Shrub


Shrub = Sprig | Bough


@dataclass(frozen=True)
class End:
    """Constructor `End` of datatype `Chain`."""


@dataclass(frozen=True)
class Link:
    """Constructor `Link` of datatype `Chain`."""

    head: int
    tail: Chain


Chain = End | Link


def BuildChain(n: int) -> Chain:
    """Dafny function `BuildChain`."""
    if n == 0:
        return End()
    return Link(n, BuildChain(n - 1))


def RootOr(t: Shrub, d: int) -> int:
    """Dafny function `RootOr`."""
    if isinstance(t, Sprig):
        return d
    match t:
        case Bough(_, v, _):
            return v


def FirstTwo(xs: Chain) -> int:
    """Dafny function `FirstTwo`.

    requires xs.Link? && xs.tail.Link?
    """
    match xs:
        case Link(a, Link(b, _)):
            return a * 10 + b


def LetPatterns(n: int, m: int) -> int:
    """Dafny method `LetPatterns`."""
    k = -n if n < 0 else n
    xs = Link(k % 7, BuildChain(k % 5 + 1))
    t = Bough(Sprig(), m, Sprig()) if m > 0 else Sprig()
    s = FirstTwo(xs) + RootOr(t, n)
    return s
