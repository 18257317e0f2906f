"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def ValueCalls(a: int, b: int) -> int:
    """Dafny method `ValueCalls`."""
    def add(x):
        return lambda y: x + y
    r = (lambda x: x * 2)(a) + add(a)(b) + (lambda x, y: y - x)(a, b) + (lambda: 7)() + (lambda x: x // 3)(b)
    return r
