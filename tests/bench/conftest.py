"""Shared pieces of the bench tests: the shipped sample, and a checker double for the
pure runner tests (the end-to-end tests use the real Lean backend instead)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verifier.results import CheckResult, Diagnostic, Obligation, Verdict

SAMPLE = Path(__file__).resolve().parents[2] / "benchmarks" / "fvapps_sample"


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE


class RuleChecker:
    """Judges by simple textual rules so runner logic can be tested in milliseconds:
    `sorry`/`axiom`/`native_decide` fail, a theorem statement absent from the source fails, units fail
    when the source contains a marker of the sample's wrong definitions, a Mathlib import
    is a toolchain mismatch. `fail_on_call` raises on that call (a crash mid-run)."""

    WRONG_MARKERS = ("then 0 else 1", "| [] => 1")
    REMOVED_NAMES = ("get?",)  # a task's spec naming one does not elaborate

    def __init__(self, fail_on_call: int | None = None) -> None:
        self.calls: list[str] = []
        self.spec_calls: list[str] = []
        self.fail_on_call = fail_on_call

    def check(self, source: str, *, timeout: float = 300) -> CheckResult:
        """A task's own spec: an error at the first line naming a removed name."""
        self.spec_calls.append(source)
        if "import Mathlib" in source:
            return CheckResult(Verdict.UNKNOWN, (Diagnostic("toolchain-mismatch", "no Mathlib"),))
        diags = [Diagnostic("sorry", "declaration uses 'sorry'")] if "sorry" in source else []
        for number, line in enumerate(source.splitlines(), start=1):
            for name in self.REMOVED_NAMES:
                if name in line:
                    col = line.index(name)
                    diags.append(Diagnostic("error", f"unknown constant `{name}`", line=number, col=col))
        verdict = Verdict.REFUTED if any(d.kind == "error" for d in diags) else Verdict.UNKNOWN
        return CheckResult(verdict, tuple(diags), toolchain="rules", seconds=0.25)

    def check_task(
        self, source: str, *, task: str, timeout: float = 600, units: str | None = None
    ) -> CheckResult:
        self.calls.append(source)
        if self.fail_on_call is not None and len(self.calls) == self.fail_on_call:
            raise KeyboardInterrupt  # what Ctrl-C does to a run in the middle of a check
        if "import Mathlib" in source:
            return CheckResult(Verdict.UNKNOWN, (Diagnostic("toolchain-mismatch", "no Mathlib"),))
        diags = []
        if re.search(r"\bsorry\b", source):
            diags.append(Diagnostic("sorry", "declaration uses 'sorry'"))
        if "native_decide" in source:
            diags.append(Diagnostic("unsound", "native_decide"))
        if re.search(r"^axiom\b", source, re.M):
            diags.append(Diagnostic("axiom", "axiom declared"))
        names = re.findall(r"^theorem (\S+)", task, re.M)
        for name in names:
            statement = re.search(rf"^theorem {name}\b.*?:=", task, re.M | re.S)
            assert statement is not None
            if statement.group(0) not in source:
                diags.append(Diagnostic("statement-mismatch", f"{name} changed"))
        obligations = [Obligation(n, Verdict.UNKNOWN if diags else Verdict.VERIFIED) for n in names]
        if units:
            ok = not any(marker in source for marker in self.WRONG_MARKERS)
            obligations.append(Obligation("units", Verdict.VERIFIED if ok else Verdict.REFUTED))
            if not ok:
                diags.append(Diagnostic("unit-failed", "a unit test failed", line=1, col=1))
        verdict = Verdict.VERIFIED if not diags else Verdict.UNKNOWN
        return CheckResult(verdict, tuple(diags), tuple(obligations), toolchain="rules", seconds=0.5)


@pytest.fixture
def rules() -> type[RuleChecker]:
    return RuleChecker
