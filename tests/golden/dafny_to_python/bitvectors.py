"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def XorSwap(X: int, Y: int) -> tuple[int, int]:
    """Dafny method `XorSwap`.

    ensures x == Y && y == X
    """
    x, y = X, Y
    x = x ^ y
    y = x ^ y
    x = x ^ y
    return x, y


def XorAll(a: list[int], b: list[int]) -> list[int]:
    """Dafny method `XorAll`.

    requires |a| == |b|
    ensures |r| == |a| && forall i :: 0 <= i < |r| ==> r[i] == a[i] ^ b[i]
    """
    r = []
    i = 0
    while i < len(a):
        r = [*r, a[i] ^ b[i]]
        i = i + 1
    return r


def Wrap(a: int, b: int, d: int) -> tuple[int, int, int, int, int, int, int]:
    """Dafny method `Wrap`.

    requires d < 16
    """
    sum_ = (a + 200) & 0xff
    diff = (a - 10) & 0xff
    prod = (b * 300) & 0xffff
    shl = (b << d) & 0xffff
    shr = b >> d
    low = (~a) & 0xff & 15
    neg = (-a) & 0xff
    return sum_, diff, prod, shl, shr, low, neg


def BitCount(x: int) -> int:
    """Dafny method `BitCount`.

    ensures 0 <= n <= 16
    """
    n = 0
    y = x
    i = 0
    while i < 16:
        if y & 1 == 1:
            n = n + 1
        y = y >> 1
        i = i + 1
    return n


def FromInt(k: int) -> tuple[int, int]:
    """Dafny method `FromInt`.

    requires k < 256
    ensures back == k
    """
    b = k
    back = b
    return b, back
