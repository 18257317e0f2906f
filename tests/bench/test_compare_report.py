"""`bench report RUN1 RUN2 --format md|html`: runs side by side, from records made here."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from verifier.bench import ResultsStore
from verifier.bench.compare import load_runs
from verifier.bench.compare_render import plots
from verifier.cli import main


def program_run(directory: Path, llm: str, outcomes: dict[tuple[str, str], list[int | None]]) -> Path:
    """outcomes: (task, source) -> passed_at_attempt per sample (None: failed; -1: set apart)."""
    store = ResultsStore(directory)
    store.check_manifest({"benchmark": "vericoding", "data": "d.jsonl", "llm": llm, "attempts": 2,
                          "temperature": 0.8, "max_tokens": 4096, "prompt_version": 1, "k": 2,
                          "toolchain": {"name": "dafny", "version": "2.3.0.10506"}})  # fmt: skip
    for (task, source), samples in outcomes.items():
        for sample, at in enumerate(samples):
            status = "needs_newer_dafny" if at == -1 else ("passed" if at else "failed")
            store.append({"task": task, "sample": sample, "theorem": None, "source": source,
                          "difficulty": "no qa issue", "status": status,
                          "passed_at_attempt": at if at and at > 0 else None,
                          "attempts": 0 if at == -1 else (at or 2), "reason": "r"})  # fmt: skip
    return directory


def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    a = program_run(tmp_path / "model-a", "replay:a.jsonl", {
        ("t1", "apps"): [1, None], ("t2", "apps"): [None, None],
        ("t3", "humaneval"): [2, 1], ("t4", "verina"): [-1, -1]})  # fmt: skip
    b = program_run(tmp_path / "model-b", "replay:b.jsonl", {
        ("t1", "apps"): [1, 1], ("t2", "apps"): [None, 2],
        ("t3", "humaneval"): [None, None], ("t4", "verina"): [-1, -1]})  # fmt: skip
    return a, b


def test_runs_line_up_with_exact_figures(tmp_path: Path) -> None:
    a, b = load_runs(two_runs(tmp_path))
    assert (a.label, a.unit, a.scored, a.solved) == ("model-a", "tasks", 3, 2)
    assert dict(a.pass_at_k) == {1: 0.5, 2: 2 / 3}
    assert a.by_attempts == (2 / 6, 3 / 6)
    assert dict(a.set_apart) == {"needs_newer_dafny": 1}
    assert (b.solved, dict(b.pass_at_k)[1]) == (2, 0.5)
    assert "dafny 2.3.0.10506" in a.toolchain


def test_every_plot_says_what_it_counts(tmp_path: Path) -> None:
    drawn = plots(load_runs(two_runs(tmp_path)))
    labels = {p.title: p.ylabel for p in drawn}
    assert labels["pass@k"] == "pass@k (% of scored tasks, unbiased estimator)"
    assert labels["passed within a attempts"] == "samples passed (% of scored samples)"
    assert labels["solved by source"] == "tasks solved (% of scored tasks in the source)"
    assert all(p.png.startswith(b"\x89PNG") for p in drawn)


def test_markdown_and_html_pages(tmp_path: Path) -> None:
    a, b = two_runs(tmp_path)
    md = CliRunner().invoke(main, ["bench", "report", str(a), str(b / "results.jsonl"), "--format", "md"])
    assert md.exit_code == 0, md.output
    assert "| apps | 1/2 (50.0%), pass@1 25.0% | 2/2 (100.0%), pass@1 75.0% |" in md.stdout
    assert "| set apart | needs_newer_dafny 1 | needs_newer_dafny 1 |" in md.stdout
    assert "| llm | replay:a.jsonl | replay:b.jsonl |" in md.stdout
    assert md.stdout.count("](data:image/png;base64,") == 4
    out = tmp_path / "report.html"
    page = CliRunner().invoke(main, ["bench", "report", str(a), str(b), "--format", "html", "-o", str(out)])
    assert page.exit_code == 0, page.output
    text = out.read_text()
    assert text.count("<img alt=") == 4 and "src='data:image/png;base64," in text
    assert "<td>humaneval</td><td>1/1 (100.0%), pass@1 100.0%</td>" in text


def test_json_of_several_runs(tmp_path: Path) -> None:
    a, b = two_runs(tmp_path)
    result = CliRunner().invoke(main, ["bench", "report", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.stdout)["runs"]
    assert [r["label"] for r in runs] == ["model-a", "model-b"]


def test_a_folder_without_results_says_what_to_give(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", "report", str(tmp_path), "--format", "md"])
    assert result.exit_code == 2
    assert "no results.jsonl here" in result.output


def test_an_fvapps_run_is_counted_in_theorems(tmp_path: Path) -> None:
    from tests.bench.test_report import records as fvapps_records

    store = ResultsStore(tmp_path / "fvapps")
    for record in fvapps_records():
        store.append(record)
    (run,) = load_runs([tmp_path / "fvapps"])
    assert run.unit == "theorems"
    assert (run.scored, run.solved) == (4, 2)  # t2 scored, nothing proved
    assert dict(run.set_apart) == {"toolchain_mismatch": 2}
