"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def SliceParts(s: list[int], i: int, j: int) -> tuple[list[int], list[int], list[int]]:
    """Dafny method `SliceParts`.

    requires 0 <= i <= j <= |s|
    ensures pre + mid + suf == s
    """
    mid = s[i:j]
    pre = s[:i]
    suf = s[j:]
    return mid, pre, suf
