"""`proofroute submit | jobs | watch` against a real `proofroute serve` on loopback, run
as a user runs them (a subprocess whose stdout and stderr are pipes, not a terminal),
and the `--json` contract: exactly one JSON object on stdout, errors included."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.service.launch import Launched, launched

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "verifier" / "demo"
SPEC = DEMO / "specs" / "max_of_list.toml"
SESSION = DEMO / "sessions" / "max_of_list.jsonl"


def proofroute(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def one_object(stdout: str) -> dict:
    """The whole of stdout is one JSON object (json.loads refuses anything after it)."""
    value = json.loads(stdout)
    assert isinstance(value, dict), stdout
    return value


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    with launched(tmp_path_factory.mktemp("cli-service"), workers=1) as server:
        yield server


@pytest.mark.dafny
@pytest.mark.slow
def test_submit_wait_and_watch_a_recorded_session(service: Launched) -> None:
    run = proofroute("submit", str(SPEC), "--replay", str(SESSION), "--wait", "--json", "--server", service.url)
    assert run.returncode == 0, run.stderr
    job = one_object(run.stdout)
    assert job["status"] == "verified" and job["kind"] == "generate"
    # progress went to stderr as plain lines, as `generate` prints them
    assert "attempt 2: Dafny VERIFIED" in run.stderr and "done: verified" in run.stderr
    watched = proofroute("watch", job["id"], "--server", service.url)
    assert watched.returncode == 0, watched.stderr
    assert watched.stdout.strip() == f"{job['id']}: verified — max_of_list: verified"
    lines = watched.stderr.splitlines()
    assert lines[0].endswith("queued (generate)") and lines[-1].endswith("done: verified")
    listed = one_object(proofroute("jobs", "--json", "--status", "verified", "--server", service.url).stdout)
    assert job["id"] in [j["id"] for j in listed["jobs"]]


def test_submit_prints_the_id_and_jobs_lists_and_cancels(service: Launched, tmp_path: Path) -> None:
    spec = tmp_path / "abs.toml"
    spec.write_text('name = "abs"\nsignature = "method Abs(x: int) returns (y: int)"\nensures = ["y >= 0"]\n')
    env = {"PROOFROUTE_URL": service.url}
    submitted = proofroute("submit", str(spec), "--kind", "spec-check", env=env)
    assert submitted.returncode == 0, submitted.stderr
    job_id = submitted.stdout.strip()
    assert len(job_id) == 32
    table = proofroute("jobs", env=env)
    assert table.returncode == 0 and job_id[:20] in table.stdout
    cancelled = one_object(proofroute("jobs", "--cancel", job_id, "--json", env=env).stdout)
    assert cancelled["id"] == job_id and cancelled["status"] in ("cancelled", "verified")


def test_json_errors_are_one_object_with_the_exit_code(service: Launched, tmp_path: Path) -> None:
    missing = proofroute("watch", "no-such-job", "--json", "--server", service.url)
    error = one_object(missing.stdout)["error"]
    assert missing.returncode == 6 and error["code"] == "not_found" and error["status"] == 404
    assert error["body"]["error"]["hint"]
    nowhere = proofroute("jobs", "--json", "--server", "http://127.0.0.1:9")
    assert nowhere.returncode == 6 and one_object(nowhere.stdout)["error"]["code"] == "unreachable"
    usage = proofroute("submit", str(tmp_path / "absent.toml"), "--json")
    assert usage.returncode == 2 and one_object(usage.stdout)["error"]["type"] == "UsageError"
    no_model = proofroute("submit", str(SPEC), "--json", "--server", service.url)
    assert no_model.returncode == 2 and "--llm" in one_object(no_model.stdout)["error"]["hint"]


def test_generate_json_on_a_bad_spec_prints_an_error_object(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nsignature = "method X(a: int returns (b: int)"\n')
    run = proofroute("generate", str(bad), "--llm", f"replay:{SESSION}", "--json", "--out", str(tmp_path))
    assert run.returncode == 2
    error = one_object(run.stdout)["error"]
    assert error["type"] == "SpecError" and error["location"]["line"] == 2 and error["location"]["col"] == 30
    assert "bad.toml:2:30" in run.stderr  # the human message with its caret stays on stderr


@pytest.mark.dafny
@pytest.mark.slow
def test_an_unreachable_model_provider_has_its_own_exit_code(tmp_path: Path) -> None:
    """A refused connection (nothing listens on port 9) after the retries: exit 5, not the
    "not verified" 1 — the run says nothing about the spec."""
    run = proofroute("generate", str(SPEC), "--llm", "openai:gpt-test", "--json", "--out", str(tmp_path),
                     env={"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert run.returncode == 5, run.stderr
    result = one_object(run.stdout)["results"][0]
    assert result["error"] == "LLMUnreachable" and "cannot reach" in result["reason"]
    assert "model provider failed" in run.stderr  # progress lines on a non-terminal stderr


def test_watch_on_a_terminal_draws_the_live_panel(service: Launched, tmp_path: Path) -> None:
    """stderr a real pseudo-terminal: the compact live display instead of plain lines."""
    spec = tmp_path / "abs.toml"
    spec.write_text('name = "abs"\nsignature = "method Abs(x: int) returns (y: int)"\nensures = ["y >= 0"]\n')
    job_id = proofroute("submit", str(spec), "--kind", "spec-check", "--server", service.url).stdout.strip()
    controller, terminal = pty.openpty()
    chunks: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(controller, chunks), daemon=True)
    reader.start()  # drained while the panel is drawn: a full pty buffer would block the child
    try:
        run = subprocess.run([sys.executable, "-m", "verifier", "watch", job_id, "--server", service.url],
                             stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=120,
                             env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}, check=False)
    finally:
        os.close(terminal)
        reader.join(10)
        os.close(controller)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert run.returncode == 0 and run.stdout.startswith(f"{job_id}: verified")
    assert f"job {job_id}" in screen and "attempts 0" in screen and "done: verified" in screen
    assert "\x1b[" in screen  # drawn with terminal control sequences, not plain lines


def _read_all(fd: int, chunks: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other end is closed and drained
            return
        if not chunk:
            return
        chunks.append(chunk)
