"""ListToSeq(l): correct and wrong, over a recursive generic datatype List<T> (tested at
T := int and T := string)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Nil:
    pass


@dataclass(frozen=True)
class Cons:
    head: Any
    tail: Nil | Cons


def correct(l):  # noqa: E741 - the spec's parameter name
    out = []
    while isinstance(l, Cons):
        out.append(l.head)
        l = l.tail  # noqa: E741
    return out


def wrong_reversed(l):  # noqa: E741
    return correct(l)[::-1]


def wrong_drops_last(l):  # noqa: E741
    return correct(l)[:-1]
