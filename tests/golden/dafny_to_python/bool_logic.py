"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def Logic(a: bool, b: bool, c: bool) -> tuple[bool, bool, bool, bool]:
    """Dafny method `Logic`.

    ensures imp == (!a || b)
    """
    imp = not a or b
    exp = a or not b
    iff = a == b
    mix = not ((a and b) or (not a and c)) or b != c
    return imp, exp, iff, mix
