"""Does a task's own spec elaborate on the toolchain in use? (pure: judges a check result)

FVAPPS was written against Lean 4.12-era APIs; a share of its tasks name things since
removed (e.g. `List.get?`) and cannot elaborate on a newer Lean whatever a model writes.
The runner checks each task's spec (its definitions and theorems with `sorry`) once,
before asking the model. A spec with an elaboration error is `spec_incompatible`: counted
apart with its first error, never a model failure, and the model is not asked. Only an
error Lean reported in the spec's own lines decides that; a timeout, a crash, a missing
module or a construct the checker refuses leaves it `undecided`, and the task runs as
usual (those cases have their own statuses there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from verifier.results import CheckResult, Severity

ELABORATION_ERROR = "error"  # the Lean backend's kind for an error Lean reported in the file
NOT_BLOCKING = frozenset({"sorry"})  # what every FVAPPS spec has by design


class SpecStatus(StrEnum):
    ELABORATED = "elaborated"
    INCOMPATIBLE = "spec_incompatible"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class SpecError:
    """The first elaboration error of a spec, with the spec line it is on."""

    line: int | None
    col: int | None
    message: str
    source_line: str

    def describe(self) -> str:
        where = f"line {self.line}" + (f", col {self.col}" if self.col is not None else "")
        shown = f"\n  {self.source_line.strip()}" if self.source_line.strip() else ""
        return f"{where}: {self.message}{shown}"


@dataclass(frozen=True)
class SpecCheck:
    status: SpecStatus
    error: SpecError | None = None
    reason: str = ""  # why UNDECIDED: the kinds of what stopped the check
    toolchain: str | None = None
    toolchain_version: str | None = None
    seconds: float = 0.0

    def as_record(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "first_error": None if self.error is None else {
                "line": self.error.line, "col": self.error.col,
                "message": self.error.message[:1000], "source_line": self.error.source_line,
            },
            "reason": self.reason,
            "toolchain": self.toolchain,
            "toolchain_version": self.toolchain_version,
        }  # fmt: skip

    @classmethod
    def from_record(cls, data: object) -> SpecCheck | None:
        """The check as a results record stored it; None for anything else."""
        if not isinstance(data, Mapping) or data.get("status") not in {s.value for s in SpecStatus}:
            return None
        error = data.get("first_error")
        return cls(
            status=SpecStatus(data["status"]),
            error=SpecError(error.get("line"), error.get("col"), str(error.get("message")),
                            str(error.get("source_line") or ""))
            if isinstance(error, Mapping) else None,
            reason=str(data.get("reason") or ""),
            toolchain=data.get("toolchain"),
            toolchain_version=data.get("toolchain_version"),
        )  # fmt: skip


def judge_spec(result: CheckResult, spec: str) -> SpecCheck:
    """ELABORATED when Lean reported nothing worse than the spec's `sorry`s; INCOMPATIBLE
    at the first elaboration error; UNDECIDED when the check itself did not get through."""
    common = {"toolchain": result.toolchain, "toolchain_version": result.toolchain_version,
              "seconds": result.seconds or 0.0}  # fmt: skip
    errors = [d for d in result.diagnostics
              if d.kind == ELABORATION_ERROR and d.severity == Severity.ERROR]  # fmt: skip
    if errors:
        first = min(errors, key=lambda d: (d.line is None, d.line or 0, d.col or 0))
        lines = spec.splitlines()
        source = lines[first.line - 1] if first.line and 0 < first.line <= len(lines) else ""
        error = SpecError(first.line, first.col, first.message, source)
        return SpecCheck(SpecStatus.INCOMPATIBLE, error, **common)
    blocking = sorted({d.kind for d in result.diagnostics
                       if d.severity == Severity.ERROR and d.kind not in NOT_BLOCKING})  # fmt: skip
    if blocking:
        return SpecCheck(SpecStatus.UNDECIDED, reason=", ".join(blocking), **common)
    return SpecCheck(SpecStatus.ELABORATED, **common)
