"""What Lean made of a task's own text, checked on its own with its `sorry`s (pure).

A model's answer is compared with the task on what Lean elaborated for both. When the
task itself cannot be elaborated here, the comparison falls back to source text, and the
answer's result says so with the reason: Lean's errors in the task, a construct of the
task the checker does not accept, or a check that did not finish. The warning that the
task's statements "did not elaborate" is only ever given when Lean reported an error in
the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from verifier.backends.lean.harness import BuiltFile
from verifier.backends.lean.trusted import TrustedReport
from verifier.backends.lean.verdict import RunOutcome

from verifier.results import Severity

FALLBACK = "so they were compared as source text only"


class TaskElaboration(StrEnum):
    ELABORATED = "elaborated"
    FAILED = "failed"  # Lean reported an error in the task's text
    REFUSED = "refused"  # the task holds something other than `sorry` the checker rejects
    TIMED_OUT = "timed-out"
    CRASHED = "crashed"  # Lean ended without a usable report

    @property
    def lasting(self) -> bool:
        """Whether another check of the same task text would say the same."""
        return self not in (TaskElaboration.TIMED_OUT, TaskElaboration.CRASHED)


@dataclass(frozen=True)
class TaskStatements:
    status: TaskElaboration
    report: TrustedReport | None = None  # only when ELABORATED
    detail: str = ""  # the first error or finding, "line N: text"

    def warning(self) -> str | None:
        """What an answer's result says when the comparison fell back to source text."""
        match self.status:
            case TaskElaboration.ELABORATED:
                return None
            case TaskElaboration.FAILED:
                head = "the task's statements did not elaborate on this toolchain"
            case TaskElaboration.REFUSED:
                head = "the task itself uses what the checker does not accept"
            case TaskElaboration.TIMED_OUT:
                head = "the task's statements were not elaborated within the time limit"
            case TaskElaboration.CRASHED:
                head = "Lean gave no usable report on the task's statements"
        return f"{head}, {FALLBACK}" + (f" ({self.detail})" if self.detail else "")


def judge_task(outcome: RunOutcome, report: TrustedReport, built: BuiltFile) -> TaskStatements:
    """ELABORATED only when Lean finished, reported no error, and every finding of the
    trusted driver on the task is one of its `sorry`s."""
    if outcome.timed_out:
        return TaskStatements(TaskElaboration.TIMED_OUT)
    errors = [m for m in outcome.messages if m.severity == Severity.ERROR]
    if errors:
        first = errors[0]
        line = built.to_model_line(first.line)
        where = f"line {line}: " if line is not None and line > 0 else ""
        return TaskStatements(TaskElaboration.FAILED, detail=f"{where}{first.text[:300]}")
    if outcome.returncode not in (0, 1, None) or outcome.stray:
        return TaskStatements(TaskElaboration.CRASHED, detail=outcome.stderr_tail[-300:])
    others = [f for f in report.findings if f.kind != "sorry"]
    if others:
        first_finding = others[0]
        return TaskStatements(
            TaskElaboration.REFUSED, detail=f"line {first_finding.line}: {first_finding.message[:300]}"
        )
    return TaskStatements(TaskElaboration.ELABORATED, report=report)
