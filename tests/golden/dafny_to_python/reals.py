"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from fractions import Fraction


def has_close_elements(numbers: list[Fraction], threshold: Fraction) -> bool:
    """Dafny method `has_close_elements`.

    requires threshold >= 0.0
    ensures res ==> exists i: int, j: int :: 0 <= i < |numbers| && 0 <= j < |numbers| && i != j && (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) < threshold
    """
    res = False
    idx = 0
    while idx < len(numbers) and not res:
        idx2 = 0
        while idx2 < idx and not res:
            distance = numbers[idx] - numbers[idx2] if numbers[idx2] - numbers[idx] < Fraction(0) else numbers[idx2] - numbers[idx]
            if distance < threshold:
                res = True
                return res
            idx2 = idx2 + 1
        idx = idx + 1
    return res


def MixReals(x: Fraction, n: int) -> tuple[Fraction, int]:
    """Dafny method `MixReals`.

    requires x != 0.0
    """
    z = -Fraction(1, 2)
    y = x * Fraction(3, 2) / x + Fraction(n) - Fraction(1, 4) + z / x
    f = y // 1 + Fraction(y // 1) // 1
    return y, f
