"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


def CharStuff(s: str, c: str) -> tuple[str, bool, int, int]:
    """Dafny method `CharStuff`.

    requires |s| > 0
    """
    t = c + s[1:]
    has = c in s
    idx = 0 if s[0] == c else -1
    code = ord(s[0])
    return t, has, idx, code
