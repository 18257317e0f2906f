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


def Corner(m: _ArrayND) -> int:
    """Dafny method `Corner`.

    requires m.Length0 > 0 && m.Length1 > 0
    """
    t = m[0, 0]
    return t


def Table(rows: int, cols: int) -> tuple[list[int], int]:
    """Dafny method `Table`.

    ensures |sums| == rows
    """
    m = _ArrayND.filled((rows, cols), 0)
    i = 0
    while i < rows:
        j = 0
        while j < cols:
            m[i, j] = i * cols + j
            j = j + 1
        i = i + 1
    sums = []
    i = 0
    while i < rows:
        s = 0
        j = 0
        while j < m.lengths[1]:
            s = s + m[i, j]
            j = j + 1
        sums = [*sums, s]
        i = i + 1
    last = m[m.lengths[0] - 1, m.lengths[1] - 1] if rows > 0 and cols > 0 else -1
    return sums, last
