"""What the model is told: the system prompt, the task, and repair feedback.

The wording lives in jinja2 templates (`verifier/prompts/*.j2`, package data) so it can
be read and changed without touching code; `StrictUndefined` turns a misspelt variable
into an error instead of a silently empty prompt. Feedback is built as data
(`FeedbackItem`) first, so the transcript records what was found, not only the prose.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from verifier.backends.dafny.dialect import Dialect
from verifier.llm import Message
from verifier.results import CheckResult, Diagnostic, Verdict
from verifier.specs import model as m
from verifier.translators.spec_dafny import BODY_MARKER, render_dafny
from verifier.translators.spec_lean import decl_name

MAX_FEEDBACK_ITEMS = 6  # the first few errors carry the signal; a wall of them drowns it


@dataclass(frozen=True)
class FeedbackItem:
    """One finding to show the model: where, what, the offending line, the clause, inputs."""

    message: str
    where: str = ""
    source_line: str | None = None
    clause: str | None = None
    counterexample: str | None = None


@dataclass(frozen=True)
class Feedback:
    """Why an attempt failed, at which stage ("reply", "guard", "quicktest", "dafny")."""

    stage: str
    items: tuple[FeedbackItem, ...]
    verdict: Verdict | None = None

    def headline(self) -> str:
        first = self.items[0].message if self.items else ""
        return f"{self.stage}: {first}"[:200]


@dataclass(frozen=True)
class DialectRules:
    version: str
    rules: tuple[str, ...]


def dialect_rules(dialect: Dialect, version: str | None = None) -> DialectRules:
    if dialect.major >= 4:
        rules = (
            "Dafny 4 syntax: `function` and `predicate` are compiled; write `ghost function` / "
            "`ghost predicate` for specification-only ones.",
        )
    else:
        rules = (
            "Dafny 2 syntax: a function or predicate called from method code must be "
            "`function method` / `predicate method` (plain `function` is ghost).",
            "Not in Dafny 2: `seq(n, i => ...)`, `expect`, `for` loops, `x <- s` in "
            "quantifiers, members inside datatypes, `:-`, `is`, `ghost function`.",
        )
    return DialectRules(version or f"{dialect.major}.x", rules)


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("verifier", "prompts"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def approx_tokens(text: str) -> int:
    """A provider-independent size estimate (about 4 characters a token for code and
    English), used to keep prompts measured without a tokenizer dependency."""
    return (len(text) + 3) // 4


def format_value(value: object) -> str:
    """Values in Dafny-like spelling for prompts: [1, 2], {1, 2}, true/false, "s", Disc(3)."""
    parts = _datatype_parts(value)
    if parts is not None:
        return parts[0] + ("(" + ", ".join(format_value(v) for v in parts[1]) + ")" if parts[1] else "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) == 1 else '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(format_value(v) for v in value)) + "}"
    if isinstance(value, dict):
        inner = ", ".join(f"{format_value(k)} := {format_value(v)}" for k, v in value.items())
        return "map[" + inner + "]"
    if hasattr(value, "elements") and callable(value.elements):  # Counter: a multiset
        return "multiset{" + ", ".join(format_value(v) for v in sorted(value.elements())) + "}"
    return str(value)


def _datatype_parts(value: object) -> tuple[str, list[object]] | None:
    """(constructor, fields) of a datatype value: a dataclass instance, or the sandbox's
    {"$dataclass": name, "fields": {...}} for one that crossed it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__, [getattr(value, f.name) for f in dataclasses.fields(value)]
    if isinstance(value, dict) and set(value) == {"$dataclass", "fields"} and isinstance(value["fields"], dict):
        return str(value["$dataclass"]), list(value["fields"].values())
    return None


def format_args(args: dict[str, object]) -> str:
    return ", ".join(f"{k}={format_value(v)}" for k, v in args.items())


class PromptBuilder:
    """Builds the messages of one spec's conversation."""

    def __init__(self, spec: m.Spec, dialect: Dialect, *, version: str | None = None) -> None:
        self.spec = spec
        self.dialect = dialect
        self.skeleton = render_dafny(spec, dialect).replace(
            f"  {BODY_MARKER}\n", "  // your implementation and proof\n"
        )
        self.system_text = render("system.j2", dialect=dialect_rules(dialect, version))
        examples = [
            f"{spec.method}({format_args(dict(ex.args))}) gives {format_args(dict(ex.result))}"
            for ex in spec.examples
        ]
        self.task_text = render("task.j2", spec=spec, skeleton=self.skeleton, examples=examples)

    def initial(self) -> list[Message]:
        return [Message("system", self.system_text), Message("user", self.task_text)]

    def repair(self, feedback: Feedback) -> str:
        items = feedback.items[:MAX_FEEDBACK_ITEMS]
        verdict_text = {
            Verdict.REFUTED: "found errors in your program",
            Verdict.UNKNOWN: "could not verify your program (timeout or an unproved goal)",
        }.get(feedback.verdict or Verdict.UNKNOWN, "did not verify your program")
        return render(
            "repair.j2",
            stage=feedback.stage,
            verdict_text=verdict_text,
            items=items,
            omitted=max(0, len(feedback.items) - len(items)),
        )


def source_line(source: str | None, line: int | None) -> str | None:
    if not source or not line:
        return None
    lines = source.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else None


def shown_errors(result: CheckResult) -> list[Diagnostic]:
    """The errors worth showing: output lines the backend could not place (no line) only
    when there is nothing better."""
    placed = [d for d in result.errors if not (d.kind == "other" and d.line is None)]
    return placed or list(result.errors)


def dafny_feedback(
    result: CheckResult, source: str, executed: Sequence[str | None] = ()
) -> Feedback:
    """Feedback from Dafny's diagnostics: each error with its line, the clause a related
    location points at, and counterexample inputs (`executed[i]` is what running the
    candidate on diagnostic i's model inputs showed, when that was possible)."""
    items: list[FeedbackItem] = []
    for i, d in enumerate(shown_errors(result)):
        clause = None
        for rel in d.related:
            clause = source_line(source, rel.line) or rel.message
            break
        cex = executed[i] if i < len(executed) else None
        if cex is None and d.counterexample is not None and d.counterexample.inputs:
            cex = format_args(dict(d.counterexample.inputs)) + " (solver model, not executed)"
        where = f"line {d.line}" if d.line else ""
        items.append(FeedbackItem(d.message, where, source_line(source, d.line), clause, cex))
    if not items:
        what = "; ".join(f"{o.name}: {o.verdict.value}" for o in result.obligations
                         if o.verdict != Verdict.VERIFIED)
        items.append(FeedbackItem(f"the program was not verified ({what or result.verdict.value})"))
    return Feedback("dafny", tuple(items), result.verdict)


# ---------------------------------------------------------------------------- Lean route


class LeanPromptBuilder:
    """The messages of one spec's conversation on the Lean route. The task is the spec's
    Lean rendering itself (`render_lean`): exactly the statements the proofs are checked
    against, so the model sees what it must keep."""

    def __init__(self, spec: m.Spec, task: str, *, version: str | None = None,
                 mathlib: bool = False) -> None:
        self.spec = spec
        self.task = task
        self.system_text = render("lean_system.j2", version=version or "4", mathlib=mathlib)
        function = decl_name(spec.method)
        examples = [
            f"{function}({format_args(dict(ex.args))}) gives {format_args(dict(ex.result))}"
            for ex in spec.examples
        ]
        self.task_text = render("lean_task.j2", spec=spec, task=task, function=function,
                                examples=examples)

    def initial(self) -> list[Message]:
        return [Message("system", self.system_text), Message("user", self.task_text)]

    def repair(self, feedback: Feedback) -> str:
        items = feedback.items[:MAX_FEEDBACK_ITEMS]
        verdict_text = {
            Verdict.REFUTED: "found errors in your file",
            Verdict.UNKNOWN: "did not accept your file (unfinished proof, a refused construct, "
                             "a changed statement or a timeout)",
        }.get(feedback.verdict or Verdict.UNKNOWN, "did not accept your file")
        return render("lean_repair.j2", stage=feedback.stage, verdict_text=verdict_text,
                      items=items, omitted=max(0, len(feedback.items) - len(items)))


# Lean diagnostics that explain a failure (adaptation notes and the like are bookkeeping).
_LEAN_FAILURE_KINDS = frozenset({"error", "sorry", "axiom", "unsound", "statement-mismatch",
                                 "unit-failed", "unit-unchecked", "toolchain-mismatch",
                                 "timeout", "crash"})


def lean_feedback(result: CheckResult, source: str) -> Feedback:
    """Feedback from Lean's diagnostics: each failure with its line and the offending
    source line (Lean's own message already shows the unsolved goal)."""
    shown = [d for d in result.diagnostics
             if d.kind in _LEAN_FAILURE_KINDS and d.severity != "info"]
    errors = [d for d in shown if d.severity == "error"] or shown
    items: list[FeedbackItem] = []
    for d in errors:
        where = f"line {d.line}" if d.line else ""
        items.append(FeedbackItem(d.message.strip(), where, source_line(source, d.line)))
    if not items:
        what = "; ".join(f"{o.name}: {o.verdict.value}" for o in result.obligations
                         if o.verdict != Verdict.VERIFIED)
        items.append(FeedbackItem(f"the file was not verified ({what or result.verdict.value})"))
    return Feedback("lean", tuple(items), result.verdict)
