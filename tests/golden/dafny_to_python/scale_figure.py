"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dot:
    """Constructor `Dot` of datatype `Figure`."""


@dataclass(frozen=True)
class Disc:
    """Constructor `Disc` of datatype `Figure`."""

    r: int


@dataclass(frozen=True)
class Box:
    """Constructor `Box` of datatype `Figure`."""

    w: int
    h: int


Figure = Dot | Disc | Box


def ScaleFigure(f: Figure, k: int) -> Figure:
    """Dafny method `ScaleFigure`.

    requires k >= 0
    ensures g.Disc? <==> f.Disc?
    ensures g.Box? <==> f.Box?
    ensures f.Disc? ==> g == Disc(f.r * k)
    ensures f.Box? ==> g.w == f.w * k && g.h == f.h * k
    ensures f == Dot ==> g == Dot
    ensures FigureArea(g) == k * k * FigureArea(f)
    """
    match f:
        case Dot():
            g = Dot()
        case Disc(r):
            g = Disc(r * k)
        case Box(w, h):
            g = Box(w * k, h * k)
    return g
