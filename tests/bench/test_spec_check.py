"""A task whose own spec does not elaborate is `spec_incompatible`: judged from the check
of the spec alone, checked once per task, counted apart, never asked of the model.
(The same with the real Lean: the `fvs_legacy` sample task in test_e2e_lean.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.bench import LoggedLLM, ResultsStore, RunConfig, load_tasks, summarize
from verifier.bench.compare import load_runs
from verifier.bench.runner import FvappsRunner
from verifier.bench.scoring import rate_by_attempts
from verifier.bench.spec_check import SpecCheck, SpecError, SpecStatus, judge_spec
from verifier.bench.store import COMPLETIONS_FILE, RecordKey
from verifier.errors import VerifierCrashed
from verifier.llm import get_llm
from verifier.results import CheckResult, Diagnostic, Severity, ToolchainInfo, Verdict

SPEC = "def f (n : Nat) : Nat :=\n  sorry\n\ntheorem f_spec (n : Nat) : f n = [n].get? 0 :=\n  sorry\n"
SORRY = Diagnostic("sorry", "declaration uses `sorry`", line=2, col=3)


def result(*diagnostics: Diagnostic, verdict: Verdict = Verdict.UNKNOWN) -> CheckResult:
    return CheckResult(verdict, diagnostics, toolchain="lean-wasm", toolchain_version="4.28.0")


def test_only_sorries_and_warnings_is_elaborated() -> None:
    check = judge_spec(result(
        SORRY,
        Diagnostic("warning", "unused variable `n`", severity=Severity.WARNING, line=1),
        Diagnostic("error", "no theorem to check: …", severity=Severity.WARNING),
        Diagnostic("adaptation", "noncomputable section", severity=Severity.INFO),
    ), SPEC)  # fmt: skip
    assert check.status is SpecStatus.ELABORATED and check.error is None


def test_first_elaboration_error_with_its_source_line() -> None:
    check = judge_spec(result(
        SORRY,
        Diagnostic("error", "second", line=4, col=50),
        Diagnostic("error", "The environment does not contain `List.get?`", line=4, col=40),
        verdict=Verdict.REFUTED,
    ), SPEC)  # fmt: skip
    assert check.status is SpecStatus.INCOMPATIBLE
    assert check.error == SpecError(
        4, 40, "The environment does not contain `List.get?`",
        "theorem f_spec (n : Nat) : f n = [n].get? 0 :=",
    )  # fmt: skip
    assert check.toolchain_version == "4.28.0"
    assert "line 4, col 40" in check.error.describe() and "[n].get? 0" in check.error.describe()


@pytest.mark.parametrize("kind", ["timeout", "crash", "toolchain-mismatch", "unknown-construct"])
def test_a_check_that_did_not_get_through_decides_nothing(kind: str) -> None:
    check = judge_spec(result(SORRY, Diagnostic(kind, "…")), SPEC)
    assert check.status is SpecStatus.UNDECIDED and check.reason == kind


def test_record_round_trip() -> None:
    check = judge_spec(result(Diagnostic("error", "unknown", line=4, col=1)), SPEC)
    again = SpecCheck.from_record(json.loads(json.dumps(check.as_record())))
    assert again == SpecCheck(check.status, check.error, "", "lean-wasm", "4.28.0")
    assert SpecCheck.from_record({"status": "nonsense"}) is None
    assert SpecCheck.from_record(None) is None


def legacy_task():
    """The sample's `fvs_legacy` (its spec names the removed `List.get?`) and `fvs_sum`."""
    tasks = {t.apps_id: t for t in load_tasks(Path(__file__).parents[2] / "benchmarks" / "fvapps_sample" / "tasks.jsonl")}
    return tasks["fvs_legacy"], tasks["fvs_sum"]


def runner(out: Path, checker, *, k: int = 1, version: str | None = None, replies: int = 0) -> FvappsRunner:
    session = out.parent / f"{out.name}-session.jsonl"
    session.write_text((json.dumps({"content": "```lean\ndef listSum (xs : List Nat) : Nat := xs.foldl (· + ·) 0\n```"}) + "\n") * replies)
    llm = LoggedLLM(get_llm(f"replay:{session}"), out / COMPLETIONS_FILE)
    info = ToolchainInfo(name="lean", ok=True, version=version) if version else None
    return FvappsRunner(llm=llm, checker=checker, store=ResultsStore(out), config=RunConfig(k=k), toolchain=info)


def test_incompatible_spec_is_checked_once_and_never_asked(tmp_path: Path, rules: type) -> None:
    legacy, _ = legacy_task()
    checker = rules()
    outcome = runner(tmp_path / "out", checker, k=3).run([legacy])  # a recording with no reply
    assert outcome.complete and len(outcome.records) == 9
    assert checker.spec_calls == [legacy.spec] and checker.calls == []
    definitions = [r for r in outcome.records if r["theorem"] is None]
    assert [r["status"] for r in definitions] == ["spec_incompatible"] * 3
    assert {r["status"] for r in outcome.records if r["theorem"]} == {"skipped"}
    first = definitions[0]
    assert first["spec_check"]["first_error"]["line"] == 7
    assert "xs.get? i" in first["spec_check"]["first_error"]["source_line"]
    assert [d["kind"] for d in first["diagnostics"]] == ["spec-incompatible"]
    assert "xs.get? i" in first["diagnostics"][0]["message"]
    assert first["attempts"] == 0 and first["input_tokens"] == 0
    # the check's time is counted once, on the record that paid for it
    assert [r["check_seconds"] for r in definitions] == [0.25, 0.0, 0.0]


def test_resumed_run_takes_the_recorded_check(tmp_path: Path, rules: type) -> None:
    legacy, _ = legacy_task()
    runner(tmp_path / "out", rules(), k=1, version="4.28.0").run([legacy])
    again = rules()
    outcome = runner(tmp_path / "out", again, k=2, version="4.28.0").run([legacy])
    assert again.spec_calls == [] and outcome.new_records == 3
    assert outcome.records[3]["status"] == "spec_incompatible"
    # another toolchain checks the spec again
    other = rules()
    runner(tmp_path / "out", other, k=3, version="4.29.0").run([legacy])
    assert other.spec_calls == [legacy.spec]


def test_elaborating_spec_goes_to_the_model_with_its_check_recorded(tmp_path: Path, rules: type) -> None:
    _, fvs_sum = legacy_task()
    checker = rules()
    outcome = runner(tmp_path / "out", checker, replies=3).run([fvs_sum])
    definitions = next(r for r in outcome.records if r["theorem"] is None)
    assert definitions["status"] != "spec_incompatible"
    assert definitions["spec_check"]["status"] == "elaborated"
    assert checker.spec_calls == [fvs_sum.spec] and len(checker.calls) >= 1


def test_a_crashed_spec_check_leaves_the_task_to_the_model(tmp_path: Path, rules: type) -> None:
    legacy, _ = legacy_task()

    class Crashing(rules):  # type: ignore[misc, valid-type]
        def check(self, source: str, *, timeout: float = 300) -> CheckResult:
            raise VerifierCrashed("lean died")

    checker = Crashing()
    outcome = runner(tmp_path / "out", checker, replies=1).run([legacy])
    definitions = outcome.records[0]
    assert definitions["spec_check"]["status"] == "undecided"
    assert "lean died" in definitions["spec_check"]["reason"]
    assert definitions["status"] == "failed" and len(checker.calls) == 1  # the model was asked


def spec_incompatible_records() -> list[dict]:
    from tests.bench.test_report import definitions, records, theorem

    return [*records(), definitions("t4", 0, "spec_incompatible", theorems=("d",)),
            theorem("t4", 0, "d", "skipped", at=0)]  # fmt: skip


def test_counted_apart_and_out_of_every_rate(tmp_path: Path) -> None:
    from tests.bench.test_report import records

    before, after = summarize(records()), summarize(spec_incompatible_records())
    assert (after["spec_incompatible"], after["tasks_spec_incompatible"]) == (1, 1)
    assert (before["spec_incompatible"], before["tasks_spec_incompatible"]) == (0, 0)
    assert after["tasks_toolchain_mismatch"] == before["tasks_toolchain_mismatch"] == 1
    for key in ("theorems_total", "theorems_proved", "proof_rate", "units_passed", "pass_at_k"):
        assert after[key] == before[key], key
    assert rate_by_attempts(spec_incompatible_records(), 3) == rate_by_attempts(records(), 3)
    store = ResultsStore(tmp_path / "fvapps")
    for record in spec_incompatible_records():
        store.append(record)
    (run,) = load_runs([tmp_path / "fvapps"])
    assert dict(run.set_apart) == {"toolchain_mismatch": 2, "spec_incompatible": 1}
    assert store.get(RecordKey("t4", 0))["status"] == "spec_incompatible"
