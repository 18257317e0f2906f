"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections.abc import Sequence


def _is_prefix(a: Sequence[object], b: Sequence[object]) -> bool:
    """Dafny's `<=` on sequences: `a` is a prefix of `b`."""
    return len(a) <= len(b) and list(b[: len(a)]) == list(a)


def _is_proper_prefix(a: Sequence[object], b: Sequence[object]) -> bool:
    """Dafny's `<` on sequences: `a` is a proper prefix of `b`."""
    return len(a) < len(b) and list(b[: len(a)]) == list(a)


def Prefixes(a: list[int], b: list[int]) -> tuple[bool, bool]:
    """Dafny method `Prefixes`.

    ensures p == (|a| <= |b| && a == b[..|a|])
    """
    p = _is_prefix(a, b)
    pp = _is_proper_prefix(a, b)
    return p, pp
