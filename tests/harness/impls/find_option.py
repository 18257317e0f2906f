"""FindOption(xs, x): correct and wrong, returning a generic datatype at Option<int>
(dataclasses named like its constructors; `None` is `None_`, as the compiler names it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class None_:
    pass


@dataclass(frozen=True)
class Some:
    value: int


def correct(xs, x):
    for i, y in enumerate(xs):
        if y == x:
            return Some(i)
    return None_()


def wrong_last_occurrence(xs, x):
    for i in reversed(range(len(xs))):
        if xs[i] == x:
            return Some(i)
    return None_()


def wrong_never_none(xs, x):
    for i, y in enumerate(xs):
        if y == x:
            return Some(i)
    return Some(0)


def wrong_plain_int(xs, x):
    return xs.index(x) if x in xs else -1
