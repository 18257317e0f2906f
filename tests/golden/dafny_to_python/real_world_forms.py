"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


class _ArrayND:
    """A Dafny multi-dimensional array (`array2<T>`...): fixed lengths, one cell per index
    tuple (`m[i, j]`), compared by identity like every Dafny array."""

    def __init__(self, lengths: tuple[int, ...], cells: list[object]) -> None:
        self.lengths = lengths
        self.cells = cells

    @staticmethod
    def filled(lengths: tuple[int, ...], value: object) -> _ArrayND:
        size = 1
        for n in lengths:
            size *= n
        return _ArrayND(lengths, [value] * size)

    def _offset(self, index: tuple[int, ...]) -> int:
        offset = 0
        for i, n in zip(index, self.lengths, strict=True):
            if not 0 <= i < n:
                raise IndexError(f"index {index} out of range for lengths {self.lengths}")
            offset = offset * n + i
        return offset

    def __getitem__(self, index: tuple[int, ...]) -> object:
        return self.cells[self._offset(index)]

    def __setitem__(self, index: tuple[int, ...], value: object) -> None:
        self.cells[self._offset(index)] = value


def RemoveKey(m: dict[int, int], k: int) -> dict[int, int]:
    """Dafny function `RemoveKey`."""
    m_p = {j: m[j] for j in m if j != k}
    return m_p


def ClampDigit(x: int) -> int:
    """Dafny function `ClampDigit`."""
    if x < 0:
        return 0
    if x > 9:
        return 9
    return x


def ToDigit(x: int) -> int:
    """Dafny function `ToDigit`."""
    return ClampDigit(x)


class Counter_:
    """Dafny class `Counter`."""

    def __init__(self) -> None:
        self.count: int = 0
        self.next_: Counter_ | None = None

    def Init(self, start: int) -> None:
        """Dafny method `Init`.

        modifies `count
        modifies this`next
        ensures count == start && next == null
        """
        self.count = start
        self.next_ = None

    def Bump(self) -> int:
        """Dafny method `Bump`.

        modifies this
        ensures v == old(count) + 1
        """
        self.count = self.count + 1
        v = self.count
        return v


def CountedFrom(start: int) -> tuple[int, bool]:
    """Dafny method `CountedFrom`.

    ensures v == start + 1
    """
    c = Counter_()
    c.Init(start)
    d: Counter_ | None = None
    v = c.Bump()
    empty = d is None
    return v, empty


def TenTable(n: int) -> int:
    """Dafny method `TenTable`."""
    t = _ArrayND((n + 1, 2), [i * 10 + j for i in range(n + 1) for j in range(2)])
    corner = t[n, 1] + t.lengths[0]
    return corner


def Cleared(s: list[int]) -> list[int]:
    """Dafny method `Cleared`.

    ensures |r| == |s|
    """
    a = [0] * len(s)
    for _i, _v in [(i, s[i] * 0) for i in range(len(a))]:
        a[_i] = _v
    r = list(a)
    return r


def DigitOwner(p: int, m: dict[int, int]) -> tuple[int, dict[int, int]]:
    """Dafny method `DigitOwner`."""
    d = ToDigit(p)
    rest = RemoveKey(m, p)
    return d, rest
