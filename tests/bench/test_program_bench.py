"""`proofroute bench dafnybench` and `bench vericoding` end to end: the real Dafny, recorded
sessions of known answers (tests/bench/data/*/session.jsonl, one reply per request in
request order), exact scores, and resuming."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from verifier.cli import main

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.slow


def bench(kind: str, data: Path, session: Path, out: Path, *extra: str) -> dict[str, Any]:
    args = ["bench", kind, str(data), "--llm", f"replay:{session}", "--out", str(out), "--json", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def records(out: Path) -> dict[tuple[str, int], dict[str, Any]]:
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {(r["task"], r["sample"]): r for r in rows}


def dafnybench(out: Path) -> dict[str, Any]:
    return bench(
        "dafnybench", DATA / "dafnybench", DATA / "dafnybench" / "session.jsonl", out,
        "--k", "2", "--attempts", "2",
    )  # fmt: skip


def test_dafnybench_scores_a_recorded_session_exactly(tmp_path: Path) -> None:
    summary = dafnybench(tmp_path / "run")
    assert (summary["tasks"], summary["scored_tasks"], summary["solved_tasks"]) == (6, 3, 3)
    assert summary["set_apart"] == {
        "needs_newer_dafny": 1, "reference_fails": 1, "task_unparsable": 1}
    assert summary["pass_at_k"] == {"1": pytest.approx(2 / 3), "2": 1.0}
    rows = records(tmp_path / "run")
    # the published hints-removed file does not parse: the ground truth states the contract
    assert rows[("broken_removal", 1)]["passed_at_attempt"] == 1
    assert "postcondition" in rows[("wrong_truth", 0)]["reason"]
    assert "the audit cannot read the task" in rows[("bitwise_or", 1)]["reason"]
    assert rows[("dafny4_only", 0)]["status"] == "needs_newer_dafny"
    assert "ghost" in rows[("dafny4_only", 0)]["reason"].lower()
    # equivalent syntax: ours accepts it, DafnyBench's textual rule does not; then passed
    first, second = rows[("max_index", 0)]["history"]
    assert first["contract_kept"] and first["verdict"] == "verified"
    assert first["dafnybench_rule"] is False and second["passed"]
    assert rows[("max_index", 0)]["passed_at_attempt"] == 2
    # a weakened ensures is refused on the parse; an `assume` by the audit
    weak, assumed = rows[("max_index", 1)]["history"]
    assert not weak["contract_kept"] and "ensures" in weak["problem"]
    assert assumed["verdict"] == "unknown" and assumed["problem"].startswith("unsound")
    assert rows[("sum_to", 0)]["history"][0]["verdict"] == "refuted"
    assert rows[("sum_to", 0)]["passed_at_attempt"] == 2
    # a helper lemma with an `ensures`: verified, but DafnyBench's rule refuses it
    lemma, nothing = rows[("sum_to", 1)]["history"]
    assert lemma["verdict"] == "verified" and lemma["dafnybench_rule"] is False
    assert nothing["problem"].startswith("no-program")
    assert rows[("sum_to", 1)]["status"] == "failed"


def test_dafnybench_resumes_an_interrupted_run(tmp_path: Path) -> None:
    full = dafnybench(tmp_path / "full")
    out = tmp_path / "cut"
    shutil.copytree(tmp_path / "full", out)
    lines = (out / "results.jsonl").read_text().splitlines(keepends=True)
    (out / "results.jsonl").write_text("".join(lines[:5]) + lines[5][:40])  # torn last line
    resumed = dafnybench(out)
    assert resumed["resumed_records"] == 5 and resumed["new_records"] == 7
    assert resumed["pass_at_k"] == full["pass_at_k"]
    assert {k: r["status"] for k, r in records(out).items()} == {
        k: r["status"] for k, r in records(tmp_path / "full").items()
    }
    again = dafnybench(out)
    assert again["new_records"] == 0 and again["resumed_records"] == 12


def test_vericoding_scores_by_source_and_sets_apart_with_reasons(tmp_path: Path) -> None:
    summary = bench(
        "vericoding", DATA / "vericoding" / "tasks.jsonl", DATA / "vericoding" / "session.jsonl",
        tmp_path / "run", "--attempts", "2", "--language", "all",
    )  # fmt: skip
    assert (summary["tasks"], summary["scored_tasks"], summary["solved_tasks"]) == (6, 3, 2)
    assert summary["pass_at_k"]["1"] == pytest.approx(2 / 3)
    assert summary["set_apart"] == {"needs_newer_dafny": 1, "not_routed": 1, "task_unsound": 1}
    by_source = summary["by_source"]
    assert (by_source["apps"]["scored_tasks"], by_source["apps"]["solved_tasks"]) == (2, 1)
    assert by_source["humaneval"]["pass_at_k"] == {"1": 1.0}
    assert by_source["verina"]["scored_tasks"] == 0
    assert by_source["verina"]["set_apart"] == {"needs_newer_dafny": 1, "not_routed": 1}
    rows = records(tmp_path / "run")
    assert rows[("VC1", 0)]["passed_at_attempt"] == 1  # a body-only answer
    stub, full_file = rows[("VC2", 0)]["history"]  # the stub back, then a whole file
    assert stub["problem"].startswith("unsound") and full_file["passed"]
    assert "'Trusted' has no body" in rows[("VC3", 0)]["reason"]
    assert "not routed" in rows[("VL1", 0)]["reason"]
    changed, weakened = rows[("VC5", 0)]["history"]
    assert "`Pos`: its body differs" in changed["problem"]
    assert "`Positive`: its ensures differs" in weakened["problem"]


def test_two_jobs_write_every_record_once(tmp_path: Path) -> None:
    truth = (DATA / "dafnybench" / "DafnyBench" / "dataset" / "ground_truth" / "sum_to.dfy").read_text()
    reply = json.dumps({"kind": "response", "content": f"```dafny\n{truth}```"})
    session = tmp_path / "session.jsonl"
    session.write_text(f"{reply}\n" * 4)  # the same reply for every request: any order
    summary = bench(
        "dafnybench", DATA / "dafnybench", session, tmp_path / "run",
        "--ids", "sum_to,max_index", "--k", "2", "--jobs", "2",
    )  # fmt: skip
    rows = records(tmp_path / "run")
    assert len((tmp_path / "run" / "results.jsonl").read_text().splitlines()) == 4 == len(rows)
    assert [rows[(t, s)]["status"] for t in ("max_index", "sum_to") for s in (0, 1)] == [
        "failed", "failed", "passed", "passed"]
    assert summary["new_records"] == 4 and summary["complete"]
