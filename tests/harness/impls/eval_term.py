"""EvalTerm(t): correct and wrong, over a datatype the spec reads with `match`
(dataclasses named like its constructors)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Num:
    n: int


@dataclass(frozen=True)
class Plus:
    left: Num | Plus | Scale
    right: Num | Plus | Scale


@dataclass(frozen=True)
class Scale:
    k: int
    arg: Num | Plus | Scale


def correct(t):
    match t:
        case Num(n):
            return n
        case Plus(a, b):
            return correct(a) + correct(b)
        case Scale(k, a):
            return k * correct(a)


def wrong_scale_ignored(t):
    match t:
        case Num(n):
            return n
        case Plus(a, b):
            return wrong_scale_ignored(a) + wrong_scale_ignored(b)
        case Scale(_, a):
            return wrong_scale_ignored(a)


def wrong_right_dropped(t):
    match t:
        case Num(n):
            return n
        case Plus(a, _):
            return wrong_right_dropped(a)
        case Scale(k, a):
            return k * wrong_right_dropped(a)
