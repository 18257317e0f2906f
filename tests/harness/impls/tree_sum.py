"""TreeSum(t): correct and wrong, over a recursive datatype (dataclasses named like its
constructors)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tip:
    pass


@dataclass(frozen=True)
class Fork:
    left: Tip | Fork
    val: int
    right: Tip | Fork


def correct(t):
    if isinstance(t, Tip):
        return 0
    return correct(t.left) + t.val + correct(t.right)


def wrong_left_only(t):
    if isinstance(t, Tip):
        return 0
    return wrong_left_only(t.left) + t.val


def wrong_top_only(t):
    return 0 if isinstance(t, Tip) else t.val
