"""What one unit of a whole-program run comes to: a typed record, and its JSON line.

`run_unit` returns a `UnitRecord` (so an executor on another process or machine hands
back a typed value); the results store keeps `as_json()`, which is also what scoring and
reports read back from disk.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verifier.bench.dafny_program import DafnyBenchRule
from verifier.results import Diagnostic, Verdict

MAX_RECORDED_DIAGNOSTICS = 20


class Status(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NEEDS_NEWER_DAFNY = "needs_newer_dafny"
    TASK_UNPARSABLE = "task_unparsable"
    TASK_UNSOUND = "task_unsound"
    REFERENCE_FAILS = "reference_fails"
    NOT_ROUTED = "not_routed"


# Statuses that say the task cannot be scored on this toolchain (left out of every rate).
SET_APART = frozenset(set(Status) - {Status.PASSED, Status.FAILED})


@dataclass(frozen=True)
class AttemptLine:
    """One attempt as the record shows it: what decided it."""

    attempt: int
    passed: bool
    verdict: Verdict | None
    contract_kept: bool
    dafnybench_rule: bool | None
    problem: str | None


@dataclass(frozen=True)
class Spent:
    llm_seconds: float = 0.0
    check_seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True)
class TaskFacts:
    """The task fields every record repeats (for grouping and for resuming safely)."""

    task: str
    benchmark: str
    language: str
    source: str
    difficulty: str
    task_sha256: str


@dataclass(frozen=True)
class UnitRecord:
    facts: TaskFacts
    sample: int
    status: Status
    reason: str = ""
    passed_at_attempt: int | None = None
    attempts: int = 0
    verdict: Verdict | None = None
    contract_kept: bool = False
    dafnybench_rule: DafnyBenchRule | None = None
    history: tuple[AttemptLine, ...] = ()
    program: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    spent: Spent = Spent()

    def as_json(self) -> dict[str, Any]:
        f = self.facts
        record: dict[str, Any] = {
            "task": f.task, "sample": self.sample, "theorem": None, "benchmark": f.benchmark,
            "language": f.language, "source": f.source, "difficulty": f.difficulty,
            "task_sha256": f.task_sha256, "status": str(self.status),
            "passed_at_attempt": self.passed_at_attempt, "attempts": self.attempts,
        }  # fmt: skip
        if self.status in SET_APART:
            return record | {"reason": self.reason}
        rule = self.dafnybench_rule
        return record | {
            "verdict": str(self.verdict) if self.verdict else None,
            "contract_kept": self.contract_kept,
            "dafnybench_rule": None if rule is None else {
                "verified": rule.verified, "spec_preserved": rule.spec_preserved,
                "no_avoid_verify": rule.no_avoid_verify, "passed": rule.passed},
            "history": [_line(h) for h in self.history],
            "program": self.program,
            "diagnostics": diagnostics_json(self.diagnostics),
            "llm_seconds": round(self.spent.llm_seconds, 3),
            "check_seconds": round(self.spent.check_seconds, 3),
            "input_tokens": self.spent.input_tokens,
            "output_tokens": self.spent.output_tokens,
        }  # fmt: skip


def _line(h: AttemptLine) -> dict[str, Any]:
    return {"attempt": h.attempt, "passed": h.passed,
            "verdict": str(h.verdict) if h.verdict else None,
            "contract_kept": h.contract_kept, "dafnybench_rule": h.dafnybench_rule,
            "problem": h.problem}  # fmt: skip


def diagnostics_json(diagnostics: Sequence[Diagnostic]) -> list[dict[str, Any]]:
    return [
        {"kind": d.kind, "severity": str(d.severity), "line": d.line, "col": d.col,
         "message": d.message[:1000]}
        for d in diagnostics[:MAX_RECORDED_DIAGNOSTICS]
    ]  # fmt: skip
