"""`proofroute bench fvapps` argument and data errors: reported before any model request
or Lean check, with the exit code of bad input."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from verifier.cli import main
from verifier.cli.commands.bench import default_out_dir


def invoke(*args: str):
    return CliRunner().invoke(main, ["bench", "fvapps", *args])


def test_missing_data_file(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "none.jsonl"), "--llm", "replay:x.jsonl")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_unknown_task_id(sample_dir: Path, tmp_path: Path) -> None:
    result = invoke(
        str(sample_dir / "tasks.jsonl"), "--llm", "replay:x.jsonl", "--ids", "fvs_sum,nope",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "unknown task id(s): nope" in result.output


def test_resuming_with_other_settings_is_refused(sample_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(
        '{"schema": 1, "benchmark": "fvapps", "data": "d", "llm": "replay:other.jsonl", '
        '"attempts": 1, "temperature": 0.0, "max_tokens": 4096, "prompt_version": 1}'
    )
    result = invoke(str(sample_dir / "tasks.jsonl"), "--llm", "replay:x.jsonl", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "llm: 'replay:other.jsonl' -> 'replay:x.jsonl'" in result.output


def test_default_out_dir_is_derived_from_data_and_model() -> None:
    assert default_out_dir("data/train.parquet", "openai:gpt-4o-mini") == Path(
        "runs/fvapps-train-openai-gpt-4o-mini"
    )
    assert default_out_dir("t.jsonl", "replay:sessions/scoring.jsonl") == Path(
        "runs/fvapps-t-replay-scoring"
    )


def test_run_with_progress_display_and_a_toolchain_mismatch(
    sample_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    """The whole command with the real Lean backend and replay provider, on the one task
    the backend answers without starting Lean (its Mathlib import is not available on the
    WebAssembly build), with the TTY progress display on."""
    import json

    from verifier.backends import get_backend

    from verifier.cli.commands import bench

    info = get_backend("lean").available()
    assert info.ok, info.hint
    if info.details.get("mathlib") == "yes":
        return  # a Mathlib toolchain would really check this task: covered elsewhere
    monkeypatch.setattr(bench, "is_tty", lambda: True)
    monkeypatch.chdir(sample_dir)
    args = [
        "tasks.jsonl", "--llm", "replay:sessions/scoring.jsonl", "--ids", "fvs_mathlib",
        "--out", str(tmp_path),
    ]  # fmt: skip
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "toolchain mismatch 1" in result.output
    records = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [(r["theorem"], r["status"]) for r in records] == [
        (None, "toolchain_mismatch"),
        ("sumSq_zero", "skipped"),
    ]
    again = invoke(*args, "--json")
    assert again.exit_code == 0
    summary = json.loads(again.output[again.output.index("{"):])
    assert summary["resumed_records"] == 2 and summary["new_records"] == 0
    assert summary["toolchain_mismatch"] == 1 and summary["theorems_total"] == 0
