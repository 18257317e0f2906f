"""Lean's `--json` output as typed messages (pure; tested on recorded outputs).

Lean prints one JSON object per line: severity `information|warning|error`, `pos` and
`endPos` with 1-based lines and 0-based columns, `kind` (e.g. `hasSorry`) on recent
versions, and `data`, the text. Lines that are not JSON (stray prints, a crashing
runtime) are kept apart: they are evidence of trouble, never silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from verifier.results import Severity

_SEVERITIES = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFO,
    "info": Severity.INFO,
}

# Both spellings: newer Lean uses backticks, older (e.g. v4.12, FVAPPS' pin) quotes.
SORRY_TEXTS = ("declaration uses `sorry`", "declaration uses 'sorry'")


@dataclass(frozen=True)
class LeanMessage:
    """One message; `line` and `col` are 1-based (Lean's 0-based column converted)."""

    severity: Severity
    text: str
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None
    kind: str = ""
    file: str = ""

    @property
    def is_sorry(self) -> bool:
        return self.kind == "hasSorry" or any(t in self.text for t in SORRY_TEXTS)

    def shifted(self, lines: int) -> LeanMessage:
        """The same message with line numbers moved by `lines` (undoing injected lines)."""

        def move(n: int | None) -> int | None:
            return None if n is None else n + lines

        return LeanMessage(
            self.severity, self.text, move(self.line), self.col, move(self.end_line),
            self.end_col, self.kind, self.file,
        )  # fmt: skip


@dataclass(frozen=True)
class ParsedOutput:
    messages: tuple[LeanMessage, ...]
    stray: tuple[str, ...]  # non-empty non-JSON lines


def _pos(value: object) -> tuple[int | None, int | None]:
    if not isinstance(value, dict):
        return None, None
    line, col = value.get("line"), value.get("column")
    return (
        line if isinstance(line, int) else None,
        col + 1 if isinstance(col, int) else None,
    )


def parse_message(obj: dict[str, object]) -> LeanMessage | None:
    """One decoded JSON object -> message, or None if it is not a Lean message."""
    severity = _SEVERITIES.get(str(obj.get("severity", "")))
    if severity is None or "data" not in obj:
        return None
    line, col = _pos(obj.get("pos"))
    end_line, end_col = _pos(obj.get("endPos"))
    kind = obj.get("kind")
    return LeanMessage(
        severity=severity,
        text=str(obj.get("data", "")),
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
        kind=kind if isinstance(kind, str) and kind != "[anonymous]" else "",
        file=str(obj.get("fileName", "")),
    )


def parse_json_output(stdout: str) -> ParsedOutput:
    messages: list[LeanMessage] = []
    stray: list[str] = []
    for raw in stdout.splitlines():
        line = raw.strip()
        if not line:
            continue
        message = None
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            if isinstance(obj, dict):
                message = parse_message(obj)
        if message is None:
            stray.append(raw)
        else:
            messages.append(message)
    return ParsedOutput(tuple(messages), tuple(stray))
