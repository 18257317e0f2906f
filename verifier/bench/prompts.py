"""The messages the model sees, rendered from the `fvapps_*.j2` templates in verifier/prompts/.

Prompt text lives in templates (package data, `StrictUndefined` so a missing variable is
an error, not an empty hole); this module only chooses what goes into them. Changing a
template changes what a finished record means, hence `PROMPT_VERSION` in the run manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier import prompting
from verifier.bench.fvapps_data import FvappsTask
from verifier.bench.lean_source import SpecParts, assemble
from verifier.llm import Message
from verifier.results import Diagnostic

PROMPT_VERSION = 1
MAX_FEEDBACK_DIAGNOSTICS = 12


@dataclass(frozen=True)
class FeedbackItem:
    """A diagnostic as the model sees it: kind, place, message, the offending line."""

    kind: str
    message: str
    line: int | None = None
    col: int | None = None
    source_line: str = ""


def render(template: str, **values: object) -> str:
    return prompting.render(template, **values).strip() + "\n"


def system_message(*, lean_version: str = "4", mathlib: bool = False) -> Message:
    return Message("system", render("fvapps_system.j2", lean_version=lean_version, mathlib=mathlib))


def definitions_messages(
    task: FvappsTask, parts: SpecParts, *, lean_version: str = "4", mathlib: bool = False
) -> list[Message]:
    user = render(
        "fvapps_definitions.j2",
        question=task.question.strip(),
        definitions=assemble(parts.preamble, parts.definitions).strip(),
        units=task.units.strip(),
        theorems=assemble(parts.theorems).strip(),
    )
    return [system_message(lean_version=lean_version, mathlib=mathlib), Message("user", user)]


def theorem_messages(
    parts: SpecParts,
    definitions_code: str,
    name: str,
    *,
    lean_version: str = "4",
    mathlib: bool = False,
) -> list[Message]:
    user = render(
        "fvapps_theorem.j2",
        definitions=definitions_code.strip(),
        statement=parts.theorem(name).text.strip(),
    )
    return [system_message(lean_version=lean_version, mathlib=mathlib), Message("user", user)]


def feedback_items(diagnostics: Sequence[Diagnostic], source: str) -> list[FeedbackItem]:
    """Diagnostics worth showing, most useful first (errors before warnings), with the line
    of the checked file they point at, so the model need not count lines."""
    lines = source.splitlines()
    ordered = sorted(diagnostics, key=lambda d: (d.severity != "error", d.line or 0))
    items = []
    for diag in ordered:
        text = ""
        if diag.line is not None and 1 <= diag.line <= len(lines):
            text = lines[diag.line - 1].rstrip()
        items.append(FeedbackItem(diag.kind, diag.message, diag.line, diag.col, text))
    return items


def repair_message(
    *,
    stage: str,
    theorem: str | None,
    attempt: int,
    attempts: int,
    diagnostics: Sequence[Diagnostic],
    source: str,
) -> Message:
    items = feedback_items(diagnostics, source)
    shown = items[:MAX_FEEDBACK_DIAGNOSTICS]
    text = render(
        "fvapps_repair.j2",
        stage=stage,
        theorem=theorem or "",
        attempt=attempt,
        attempts=attempts,
        diagnostics=shown,
        more=len(items) - len(shown),
        source=source.strip(),
    )
    return Message("user", text)
