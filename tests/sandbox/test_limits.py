from __future__ import annotations

import sys

import pytest

from verifier.sandbox import Limits, run_limited, scrubbed_env


@pytest.mark.slow
def test_wall_clock_kills_a_sleeper_and_its_children() -> None:
    code = "import subprocess,time; subprocess.Popen(['sleep','30']); time.sleep(30)"
    run = run_limited([sys.executable, "-c", code], limits=Limits(wall_seconds=1))
    assert run.timed_out and run.returncode is None
    assert run.seconds < 10


@pytest.mark.slow
def test_cpu_limit_stops_a_busy_loop() -> None:
    run = run_limited([sys.executable, "-c", "while True: pass"], limits=Limits(cpu_seconds=1))
    assert not run.timed_out
    assert run.signal is not None  # SIGXCPU or SIGKILL


def test_environment_is_scrubbed(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    assert "OPENAI_API_KEY" not in scrubbed_env()
    code = "import os; print(os.environ.get('OPENAI_API_KEY'))"
    run = run_limited([sys.executable, "-c", code], limits=Limits())
    assert run.stdout.strip() == b"None"


def test_output_is_capped() -> None:
    code = "import sys; sys.stdout.write('x' * 100000)"
    run = run_limited([sys.executable, "-c", code], limits=Limits(output_bytes=1000))
    assert run.truncated and len(run.stdout) == 1000
