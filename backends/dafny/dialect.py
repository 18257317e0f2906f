"""Every difference between Dafny versions, in one object.

Dafny 2.x/3.x write compiled functions as `function method`; Dafny 4 makes plain
`function` compiled and spells ghost ones `ghost function`. Translators ask the dialect
instead of testing version numbers themselves. The Dafny backend extends this with
command-line differences.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    major: int

    @property
    def name(self) -> str:
        return f"dafny{self.major}"

    def function_keyword(self, *, compiled: bool) -> str:
        if self.major >= 4:
            return "function" if compiled else "ghost function"
        return "function method" if compiled else "function"

    def predicate_keyword(self, *, compiled: bool) -> str:
        if self.major >= 4:
            return "predicate" if compiled else "ghost predicate"
        return "predicate method" if compiled else "predicate"


DAFNY2 = Dialect(major=2)
DAFNY4 = Dialect(major=4)


def dialect_for_version(version: str) -> Dialect:
    """'2.3.0.10506' -> Dafny 2 rules; '4.8.1' -> Dafny 4 rules; 3.x uses 2.x syntax."""
    try:
        major = int(version.strip().split(".")[0])
    except ValueError:
        major = 2
    return Dialect(major=major)
