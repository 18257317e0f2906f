"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


class TShape:
    """Dafny trait `TShape`."""

    def Describe(self) -> int:
        """Dafny method `Describe`."""
        a = self.Area()
        s = a * self.scale
        return s


class TSquare(TShape):
    """Dafny class `TSquare`."""

    def __init__(self, s: int) -> None:
        """Dafny anonymous constructor.

        ensures side == s && scale == 1
        """
        self.scale: int = 0
        self.side: int = 0
        self.side = s
        self.scale = 1

    def Area(self) -> int:
        """Dafny function `Area`."""
        return self.side * self.side


class TRect(TShape):
    """Dafny class `TRect`."""

    def __init__(self, w0: int, h0: int) -> None:
        """Dafny anonymous constructor."""
        self.scale: int = 0
        self.w: int = 0
        self.h: int = 0
        self.w, self.h = w0, h0
        self.scale = 2

    def Area(self) -> int:
        """Dafny function `Area`."""
        return self.w * self.h


def ShapesTotal(n: int) -> int:
    """Dafny method `ShapesTotal`."""
    sq = TSquare(n)
    r = TRect(n, 3)
    shapes = [sq, r]
    t = 0
    i = 0
    while i < len(shapes):
        d = shapes[i].Describe()
        t = t + d
        i = i + 1
    return t
