"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Sqr(x: int) -> int:
    """Dafny function `Sqr`."""
    return x * x


len_: int = 3


K_p: int = 4


def PrimedNames(x: int) -> tuple[int, int]:
    """Dafny method `PrimedNames`.

    ensures s' == x + 1 && s_p == 2 * x
    """
    x_p = x + 1
    x_p_2 = x * 2
    s_p = x_p
    s_p_2 = x_p_2
    return s_p, s_p_2


def LocalNamedLikeFunction(x: int) -> int:
    """Dafny method `LocalNamedLikeFunction`.

    ensures y == x * x + 7
    """
    Sqr_2 = Sqr(x)
    y = Sqr_2 + len_ + K_p
    return y
