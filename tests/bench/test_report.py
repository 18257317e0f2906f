"""Scoring and the report, from records made here (no model, no Lean)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.bench import ResultsStore, build_report, summarize
from verifier.bench.scoring import by_field, rate_by_attempts
from verifier.cli import main


def definitions(task, sample, status, *, difficulty="interview", level="guarded", theorems=("a", "b"), at=1):
    return {
        "task": task, "sample": sample, "theorem": None, "kind": "definitions", "status": status,
        "theorems": list(theorems), "difficulty": difficulty, "assurance_level": level,
        "passed_at_attempt": at if status == "passed" else None, "attempts": at,
        "llm_seconds": 1.0, "check_seconds": 10.0, "input_tokens": 100, "output_tokens": 50,
    }


def theorem(task, sample, name, status, *, difficulty="interview", level="guarded", at=1):
    return {
        "task": task, "sample": sample, "theorem": name, "kind": "theorem", "status": status,
        "difficulty": difficulty, "assurance_level": level,
        "proved_at_attempt": at if status == "proved" else None, "attempts": at,
        "llm_seconds": 2.0, "check_seconds": 20.0, "input_tokens": 200, "output_tokens": 80,
    }


def records() -> list[dict]:
    """Task t1 (2 samples): sample 0 proves a only, sample 1 proves a and b (at attempt 2).
    Task t2 (2 samples): definitions fail in sample 0, toolchain mismatch in sample 1.
    Task t3 (1 sample, competition): only a toolchain mismatch."""
    return [
        definitions("t1", 0, "passed", difficulty="introductory", level="guarded_and_plausible"),
        theorem("t1", 0, "a", "proved", difficulty="introductory", level="guarded_and_plausible"),
        theorem("t1", 0, "b", "failed", difficulty="introductory", level="guarded_and_plausible", at=3),
        definitions("t1", 1, "passed", difficulty="introductory", level="guarded_and_plausible", at=2),
        theorem("t1", 1, "a", "proved", difficulty="introductory", level="guarded_and_plausible"),
        theorem("t1", 1, "b", "proved", difficulty="introductory", level="guarded_and_plausible", at=2),
        definitions("t2", 0, "failed", at=3),
        theorem("t2", 0, "a", "skipped", at=0),
        theorem("t2", 0, "b", "skipped", at=0),
        definitions("t2", 1, "toolchain_mismatch"),
        theorem("t2", 1, "a", "skipped", at=0),
        theorem("t2", 1, "b", "skipped", at=0),
        definitions("t3", 0, "toolchain_mismatch", difficulty="competition", theorems=("c",)),
        theorem("t3", 0, "c", "skipped", difficulty="competition", at=0),
    ]


def test_summary_counts_and_pass_at_k() -> None:
    s = summarize(records())
    assert s["tasks"] == 3 and s["samples"] == 5
    # t1: a, b proved; t2: a, b scored (sample 0 valid) and failed; t3: nothing valid
    assert (s["theorems_total"], s["theorems_proved"]) == (4, 2)
    assert s["tasks_all_proved"] == 1
    assert (s["units_passed"], s["samples_units_passed"]) == (1, 2)
    assert (s["toolchain_mismatch"], s["tasks_toolchain_mismatch"]) == (2, 1)
    assert s["proof_rate"] == 0.5
    p1, p2 = s["pass_at_k"]["1"], s["pass_at_k"]["2"]
    # theorems (n, c): t1.a (2, 2), t1.b (2, 1), t2.a (1, 0), t2.b (1, 0)
    assert p1["theorems"] == pytest.approx((1 + 0.5 + 0 + 0) / 4)
    assert p2["theorems"] == pytest.approx((1 + 1) / 2)  # only t1 has two valid samples
    assert p1["units"] == pytest.approx((1 + 0) / 2)
    assert p1["tasks_all_proved"] == pytest.approx((0.5 + 0) / 2)
    assert s["input_tokens"] == 5 * 100 + 9 * 200
    assert s["check_seconds"] == pytest.approx(5 * 10 + 9 * 20)


def test_tables_by_difficulty_and_assurance_level() -> None:
    difficulty = by_field(records(), "difficulty")
    assert list(difficulty) == ["competition", "interview", "introductory"]
    assert difficulty["introductory"]["theorems_proved"] == 2
    assert difficulty["competition"]["theorems_total"] == 0
    assert difficulty["competition"]["tasks_toolchain_mismatch"] == 1
    levels = by_field(records(), "assurance_level")
    assert levels["guarded"]["tasks"] == 2 and levels["guarded_and_plausible"]["tasks"] == 1


def test_rate_by_attempts_is_cumulative() -> None:
    curve = rate_by_attempts(records(), 3)
    # valid theorem samples: t1 (4) + t2 sample 0 (2) = 6; proved at 1: 2, by 2: 3
    assert curve["theorems"] == pytest.approx([2 / 6, 3 / 6, 3 / 6])
    # valid definitions: t1 s0 (1), t1 s1 (2), t2 s0 (failed)
    assert curve["definitions"] == pytest.approx([1 / 3, 2 / 3, 2 / 3])


def write_run(directory: Path) -> None:
    store = ResultsStore(directory)
    store.check_manifest({"benchmark": "fvapps", "llm": "replay:x.jsonl", "attempts": 3, "data": "d.jsonl"})
    for record in records():
        store.append(record)


def test_report_writes_a_png_plot(tmp_path: Path) -> None:
    write_run(tmp_path)
    report = build_report(tmp_path)
    png = Path(report.plot)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
    assert report.summary["theorems_proved"] == 2
    assert report.by_attempts["attempts"] == [1, 2, 3]


def test_report_cli_json_and_tables(tmp_path: Path) -> None:
    write_run(tmp_path)
    result = CliRunner().invoke(main, ["bench", "report", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["tasks_all_proved"] == 1
    assert set(data["by_difficulty"]) == {"competition", "interview", "introductory"}
    assert Path(data["plot"]).stat().st_size > 0
    text = CliRunner().invoke(main, ["bench", "report", str(tmp_path), "--no-plot"])
    assert text.exit_code == 0, text.output
    assert "by difficulty" in text.output and "introductory" in text.output
    assert "pass@k" in text.output


def test_report_of_a_directory_without_results_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", "report", str(tmp_path)])
    assert result.exit_code == 2
    assert "no results.jsonl" in result.output
