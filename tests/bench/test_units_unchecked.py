"""Units this toolchain cannot decide (neither the unit nor its negation is proved) set
the sample apart as `units_unchecked`: never passed, never the model's failure, and only
when nothing else is wrong. (The backend side with the real Lean: test_lean_real.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from verifier.backends.lean import LeanBackend

from verifier.bench import LoggedLLM, ResultsStore, RunConfig, load_tasks, summarize
from verifier.bench.runner import FvappsRunner, definitions_status, units_unchecked
from verifier.bench.store import COMPLETIONS_FILE
from verifier.llm import get_llm
from verifier.results import CheckResult, Diagnostic, Obligation, Severity, Verdict

UNCHECKED = Diagnostic("unit-unchecked", "unit test 2: half 3.0 … could not be checked",
                       severity=Severity.WARNING)  # fmt: skip
INFO = Diagnostic("adaptation", "noncomputable section", severity=Severity.INFO)


def result(*diagnostics: Diagnostic, unit2: Verdict = Verdict.UNKNOWN, how2: str = "unchecked",
           units: Verdict = Verdict.UNKNOWN, verdict: Verdict = Verdict.UNKNOWN,
           extra: tuple[Obligation, ...] = ()) -> CheckResult:  # fmt: skip
    obligations = (*extra, Obligation("units", units), Obligation("unit 1", Verdict.VERIFIED, "kernel"),
                   Obligation("unit 2", unit2, how2))  # fmt: skip
    return CheckResult(verdict, (INFO, *diagnostics), obligations)


def test_only_unchecked_units_is_a_toolchain_limit() -> None:
    r = result(UNCHECKED, Diagnostic("warning", "unused variable", severity=Severity.WARNING))
    assert units_unchecked(r)
    assert definitions_status(r, missing=False, has_units=True) == "units_unchecked"
    assert definitions_status(r, missing=True, has_units=True) == "failed"


@pytest.mark.parametrize(
    "r",
    [
        result(UNCHECKED, Diagnostic("unit-failed", "unit 3 proved false"), units=Verdict.REFUTED,
               verdict=Verdict.REFUTED),
        result(UNCHECKED, Diagnostic("error", "type mismatch", line=3)),
        result(UNCHECKED, Diagnostic("sorry", "declaration uses sorry", line=2)),
        result(UNCHECKED, Diagnostic("crash", "the axiom audit gave no answer", severity=Severity.WARNING)),
        result(UNCHECKED, Diagnostic("adaptation", "the task's statements did not elaborate",
                                     severity=Severity.WARNING)),
        result(UNCHECKED, unit2=Verdict.UNKNOWN, how2="doubtful"),
        result(UNCHECKED, extra=(Obligation("helper", Verdict.UNKNOWN),)),
        result(),  # units unknown without any unchecked unit
    ],
    ids=["refuted-unit", "error", "sorry", "crash", "task-warning", "doubtful-unit",
         "doubtful-theorem", "no-unchecked"],
)  # fmt: skip
def test_anything_else_wrong_is_a_failure(r: CheckResult) -> None:
    assert not units_unchecked(r)
    assert definitions_status(r, missing=False, has_units=True) == "failed"


class UncheckableUnits:
    """Every answer's units are undecidable here; spec checks elaborate."""

    def __init__(self) -> None:
        self.calls = 0

    def check(self, source: str, *, timeout: float = 300) -> CheckResult:
        return CheckResult(Verdict.UNKNOWN, (Diagnostic("sorry", "declaration uses sorry"),))

    def check_task(self, source: str, *, task: str, timeout: float = 600,
                   units: str | None = None) -> CheckResult:  # fmt: skip
        self.calls += 1
        return result(UNCHECKED)


def test_runner_sets_the_sample_apart_without_repair_rounds(tmp_path: Path) -> None:
    sample = Path(__file__).parents[2] / "benchmarks" / "fvapps_sample" / "tasks.jsonl"
    (task,) = [t for t in load_tasks(sample) if t.apps_id == "fvs_sum"]
    session = tmp_path / "session.jsonl"
    session.write_text(json.dumps({"content": "def listSum (xs : List Nat) : Nat := 0"}) + "\n")
    checker = UncheckableUnits()
    runner = FvappsRunner(
        llm=LoggedLLM(get_llm(f"replay:{session}"), tmp_path / "out" / COMPLETIONS_FILE),
        checker=checker, store=ResultsStore(tmp_path / "out"), config=RunConfig(attempts=3),
    )  # fmt: skip
    outcome = runner.run([task])
    definitions = next(r for r in outcome.records if r["theorem"] is None)
    assert definitions["status"] == "units_unchecked" and definitions["attempts"] == 1
    assert checker.calls == 1  # one reply, one check: no repair round for a toolchain limit
    assert definitions["units_checked"] == [
        {"unit": 1, "how": "kernel", "verdict": "verified"},
        {"unit": 2, "how": "unchecked", "verdict": "unknown"},
    ]
    assert {r["status"] for r in outcome.records if r["theorem"]} == {"skipped"}
    summary = summarize(outcome.records)
    assert (summary["units_unchecked"], summary["tasks_units_unchecked"]) == (1, 1)
    assert summary["units_passed"] == 0 and summary["theorems_total"] == 0
    assert summary["proof_rate"] is None and summary["pass_at_k"] == {}


def test_a_float_unit_passed_by_eval_is_a_pass_and_a_refuted_one_a_failure() -> None:
    """A unit the kernel cannot decide but `#eval` (in the sandbox) ran: passed as any other
    unit when it held (`eval`), the model's failure when the value differed (`eval-refuted`);
    never set apart as a toolchain limit."""
    passed = result(unit2=Verdict.VERIFIED, how2="eval", units=Verdict.VERIFIED, verdict=Verdict.VERIFIED)
    assert not units_unchecked(passed)
    assert definitions_status(passed, missing=False, has_units=True) == "passed"
    refuted = result(Diagnostic("unit-failed", "unit test 2 failed: half 3.0 (expected 1.4)"),
                     unit2=Verdict.REFUTED, how2="eval-refuted", units=Verdict.REFUTED,
                     verdict=Verdict.REFUTED)  # fmt: skip
    assert not units_unchecked(refuted)
    assert definitions_status(refuted, missing=False, has_units=True) == "failed"


FLOAT_TASK = {
    "apps_id": "fvs_half", "apps_question": "Return half of x.",
    "spec": "def half (x : Float) : Float :=\n  sorry\n",
    "units": "/--\ninfo: 1.500000\n-/\n#guard_msgs in\n#eval half 3.0\n\n/--\ninfo: 0.250000\n-/\n"
             "#guard_msgs in\n#eval half 0.5",
    "sorries": 1, "apps_difficulty": "introductory", "assurance_level": "guarded",
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.lean
def test_a_right_answer_to_a_float_task_passes_with_the_real_lean(tmp_path: Path, real_lean: LeanBackend) -> None:
    """With the real WebAssembly Lean: the kernel decides neither Float unit, `#eval` runs
    both in the sandbox and they hold, so the sample's definitions pass (not set apart)."""
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps(FLOAT_TASK) + "\n")
    session = tmp_path / "session.jsonl"
    session.write_text(json.dumps({"content": "def half (x : Float) : Float := x / 2"}) + "\n")
    runner = FvappsRunner(
        llm=LoggedLLM(get_llm(f"replay:{session}"), tmp_path / "out" / COMPLETIONS_FILE),
        checker=real_lean, store=ResultsStore(tmp_path / "out"), config=RunConfig(attempts=1),
    )  # fmt: skip
    outcome = runner.run(load_tasks(tasks))
    definitions = next(r for r in outcome.records if r["theorem"] is None)
    assert definitions["status"] == "passed", definitions
    assert definitions["units_checked"] == [
        {"unit": 1, "how": "eval", "verdict": "verified"},
        {"unit": 2, "how": "eval", "verdict": "verified"},
    ]
    summary = summarize(outcome.records)
    assert summary["units_passed"] == 1 and summary["units_unchecked"] == 0
