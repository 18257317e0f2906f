"""FVAPPS unit tests (`/-- info: 8 -/` + `#guard_msgs in #eval f 3`) as data (pure).

Native Lean runs them as written. The WebAssembly build cannot run most compiled code, so
each test becomes two kernel checks, `f 3 = 8` and `¬(f 3 = 8)`, each tried by
`decide +kernel` (or `decide`): passed, failed, or unchecked when neither is proved
(harness.py, verdict.py); parsing them into
(expression, expected) pairs here keeps that adaptation a pure, testable step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = re.compile(
    r"/--\s*(?P<doc>.*?)-/\s*#guard_msgs\s+in\s+#eval\s+(?P<expr>.*?)(?=\n\s*\n|\n\s*/--|\n\s*#|\Z)",
    re.DOTALL,
)
_EVAL = re.compile(r"#eval\s")


@dataclass(frozen=True)
class UnitTest:
    """`expected` is None when the docstring is not a single `info:` (e.g. an error)."""

    index: int
    expr: str
    expected: str | None
    text: str  # the block as written


def parse_units(units: str) -> tuple[UnitTest, ...]:
    tests = []
    for i, m in enumerate(_BLOCK.finditer(units), start=1):
        doc = m.group("doc").strip()
        expected = None
        if doc.startswith("info:"):
            value = doc[len("info:") :].strip()
            if value and "info:" not in value and "error:" not in value:
                expected = " ".join(value.split())
        expr = " ".join(m.group("expr").split())
        tests.append(UnitTest(i, expr, expected, m.group(0).strip()))
    return tuple(tests)


def count_unparsed(units: str) -> int:
    """`#eval`s outside `#guard_msgs` blocks: they test nothing and are reported."""
    return len(_EVAL.findall(units)) - len(_BLOCK.findall(units))
