"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


class BoundedStack:
    """Dafny class `BoundedStack`."""

    def __init__(self, cap: int) -> None:
        """Dafny anonymous constructor.

        ensures items == [] && capacity == cap
        """
        self.items: list[int] = []
        self.capacity: int = 0
        self.items = []
        self.capacity = cap

    def Size(self) -> int:
        """Dafny function `Size`."""
        return len(self.items)

    def Push(self, x: int) -> None:
        """Dafny method `Push`.

        requires Valid() && |items| < capacity
        modifies this
        ensures Valid() && items == old(items) + [x]
        """
        self.items = [*self.items, x]

    def Pop(self) -> int:
        """Dafny method `Pop`.

        requires Valid() && |items| > 0
        modifies this
        ensures Valid() && items + [x] == old(items)
        """
        x = self.items[len(self.items) - 1]
        self.items = self.items[:len(self.items) - 1]
        return x

    @staticmethod
    def Max(a: int, b: int) -> int:
        """Dafny method `Max`.

        ensures m >= a && m >= b
        """
        m = a if a > b else b
        return m


class Cell:
    """Dafny class `Cell`."""

    def __init__(self) -> None:
        self.value: int = 0

    def Init(self, v: int) -> Cell:
        """Dafny constructor `Init`.

        ensures value == v
        """
        self.value = v
        return self

    def Add(self, d: int) -> None:
        """Dafny method `Add`.

        modifies this
        ensures value == old(value) + d
        """
        self.value = self.value + d


def UseBoundedStack(xs: list[int]) -> tuple[list[int], int, int, int]:
    """Dafny method `UseBoundedStack`."""
    s = BoundedStack(len(xs))
    i = 0
    while i < len(xs):
        s.Push(xs[i])
        i = i + 1
    size = s.Size()
    popped = []
    while s.Size() > 0:
        x = s.Pop()
        popped = [*popped, x]
    m = BoundedStack.Max(size, 3)
    cell = Cell().Init(size)
    cell.Add(10)
    c = cell.value
    return popped, size, m, c
