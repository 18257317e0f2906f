"""The executor options on the command line: refused before any work when they cannot
work, with the fix in the message."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "benchmarks" / "fvapps_sample"


def test_bench_on_ray_without_an_address_is_refused_before_anything_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    out = tmp_path / "run"
    result = CliRunner().invoke(main, [
        "bench", "fvapps", f"{SAMPLE}/tasks.jsonl", "--llm", "replay:x.jsonl",
        "--executor", "ray", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--executor ray needs a cluster address" in result.output
    assert "RAY_ADDRESS" in result.output and "docs/scale.md" in result.output
    assert not out.exists()


def test_generate_on_ray_refuses_a_replay_for_several_specs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:1")  # never reached
    specs = [str(ROOT / "verifier" / "demo" / "specs" / f"{n}.toml") for n in ("find", "count_evens")]
    result = CliRunner().invoke(main, [
        "generate", *specs, "--llm", f"replay:{ROOT}/verifier/demo/sessions/find.jsonl",
        "--executor", "ray"])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "each spec's worker starts it from the first reply" in result.output


def test_the_options_are_on_every_command_that_runs_work() -> None:
    for command in (["bench", "fvapps"], ["generate"]):
        result = CliRunner().invoke(main, [*command, "--help"])
        assert "--executor [local|ray]" in result.output
        assert "--ray-address" in result.output and "--ray-cpus-per-worker" in result.output


def test_an_address_nothing_answers_on_is_refused_at_once(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, [
        "bench", "fvapps", str(SAMPLE / "tasks.jsonl"), "--llm", "replay:x.jsonl",
        "--executor", "ray", "--ray-address", f"127.0.0.1:{port}",
        "--out", str(tmp_path / "run")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"no Ray cluster answers at 127.0.0.1:{port}" in result.output
    assert "ray start --head" in result.output
