"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Num:
    """Constructor `Num` of datatype `Term`."""

    n: int


@dataclass(frozen=True)
class Plus:
    """Constructor `Plus` of datatype `Term`."""

    left: Term
    right: Term


@dataclass(frozen=True)
class Scale:
    """Constructor `Scale` of datatype `Term`."""

    k: int
    arg: Term


Term = Num | Plus | Scale


def EvalTerm(t: Term) -> int:
    """Dafny method `EvalTerm`.

    ensures v == Eval(t)
    ensures match t case Num(n) => v == n case Plus(a, b) => v == Eval(a) + Eval(b) case Scale(k, _) => k == 0 ==> v == 0
    """
    match t:
        case Num(n):
            v = n
        case Plus(a, b):
            x = EvalTerm(a)
            y = EvalTerm(b)
            v = x + y
        case Scale(k, a):
            x = EvalTerm(a)
            v = k * x
    return v
