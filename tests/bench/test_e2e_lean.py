"""End to end with the real Lean (through the Lean backend) and the real replay provider:
the recorded sample sessions are scored exactly, and a run killed in the middle resumes
without losing or redoing anything.

Lean-heavy (each check ~15-30 s on the WebAssembly build), so the cases are batched: one
run covers every scoring case and both kinds of interruption; the repair run shares the
Lean result cache with it, so only its one new file costs a Lean process.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from verifier.backends import get_backend

from verifier.bench.store import COMPLETIONS_FILE, RESULTS_FILE, RecordKey

pytestmark = [pytest.mark.slow, pytest.mark.lean]

SAMPLE = Path(__file__).resolve().parents[2] / "benchmarks" / "fvapps_sample"


@pytest.fixture(scope="module")
def lean_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    info = get_backend("lean").available()
    if not info.ok:
        pytest.fail(f"the real Lean is needed (run `proofroute setup --only lean`): {info.hint}")
    cache = tmp_path_factory.mktemp("lean-cache")  # shared by this module's runs
    return {**os.environ, "PROOFROUTE_CACHE_DIR": str(cache)}


def command(session: str, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "verifier", "bench", "fvapps", "tasks.jsonl",
        "--llm", f"replay:sessions/{session}.jsonl", "--out", str(out), "--json", *extra,
    ]  # fmt: skip


def lines(out: Path) -> list[str]:
    path = out / RESULTS_FILE
    return path.read_text().splitlines() if path.exists() else []


def descendants(pid: int) -> list[int]:
    """Processes below `pid`. The Lean backend starts each Lean in a session of its own,
    so a signal to our process group does not reach it: we collect them to end them."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def end_processes(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def interrupt_after(
    cmd: list[str], env: dict[str, str], out: Path, records: int, sig: int
) -> tuple[int, str]:
    """Start the run in its own process group; once `records` records are on disk and the
    next Lean check is running, send `sig` to the run's process group. Lean processes the
    run leaves behind are ended by this test. Returns the run's exit code and stderr."""
    proc = subprocess.Popen(
        cmd, cwd=SAMPLE, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 400
    children: list[int] = []
    stderr = b""
    try:
        while len(lines(out)) < records or not (children := descendants(proc.pid)):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no record in time"
            time.sleep(0.2)
        os.killpg(proc.pid, sig)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        end_processes(children)
    return proc.returncode, stderr.decode()


def expected(name: str) -> dict:
    return json.loads((SAMPLE / "expected" / f"{name}.json").read_text())


def check_scores(out: Path, summary: dict, want: dict) -> list[dict]:
    records = [json.loads(line) for line in lines(out)]
    keys = [RecordKey.of(r) for r in records]
    assert len(keys) == len(set(keys)), "a record was written twice"
    assert {k: summary[k] for k in want["summary"]} == want["summary"]
    got = {f"{r['task']}/{r['theorem'] or 'definitions'}": r["status"] for r in records}
    assert got == want["statuses"]
    for key, kind in want.get("diagnostic_kinds", {}).items():
        task, name = key.split("/")
        record = next(
            r for r in records if r["task"] == task and (r["theorem"] or "definitions") == name
        )
        assert kind in {d["kind"] for d in record["diagnostics"]}, (key, record["diagnostics"])
    for task, where in want.get("spec_incompatible_at", {}).items():
        record = next(r for r in records if r["task"] == task and r["theorem"] is None)
        first = record["spec_check"]["first_error"]
        assert (first["line"], first["source_line"]) == (where["line"], where["source_line"])
        assert record["attempts"] == 0  # the model was never asked
    for key, attempt in want.get("passed_at_attempt", {}).items():
        task, _ = key.split("/")
        record = next(r for r in records if r["task"] == task and r["theorem"] is None)
        assert record["passed_at_attempt"] == attempt
    return records


# Every sample task checked by the real Lean, three runs in all: near the suite's 900 s
# default on a loaded 2-core machine (774 s measured).
@pytest.mark.timeout(1800)
def test_scoring_session_interrupted_twice_resumes_and_scores_exactly(
    lean_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    cmd = command("scoring", out)
    # Ctrl-C once the definitions of the first task are recorded ...
    code, stderr = interrupt_after(cmd, lean_env, out, 1, signal.SIGINT)
    assert code == 130 and "Run the same command again to resume" in stderr, stderr
    first = lines(out)
    assert len(first) >= 1
    # ... then a hard kill (no clean-up at all) after the next record.
    interrupt_after(cmd, lean_env, out, len(first) + 1, signal.SIGKILL)
    second = lines(out)
    assert second[: len(first)] == first and len(second) > len(first)
    # The same command finishes the run.
    done = subprocess.run(cmd, cwd=SAMPLE, env=lean_env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert lines(out)[: len(second)] == second  # nothing finished rewritten or lost
    assert summary["complete"] and summary["resumed_records"] == len(second)
    assert summary["new_records"] == 16 - len(second)
    check_scores(out, summary, expected("scoring"))
    # Every reply was asked for once (none for fvs_legacy, whose spec does not elaborate):
    # the recording was never exhausted, and the log holds each reply once.
    log = [json.loads(x) for x in (out / COMPLETIONS_FILE).read_text().splitlines()]
    assert sum(1 for e in log if e["kind"] == "response") == 10
    # The report of that run: tables as JSON and a non-empty PNG.
    report = subprocess.run(
        [sys.executable, "-m", "verifier", "bench", "report", str(out), "--json"],
        capture_output=True, text=True, env=lean_env, timeout=120,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["summary"]["theorems_proved"] == expected("scoring")["summary"]["theorems_proved"]
    assert Path(data["plot"]).stat().st_size > 0


def test_repair_round_with_lean_feedback(lean_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = subprocess.run(
        command("repair_sum", out, "--ids", "fvs_sum", "--attempts", "2"),
        cwd=SAMPLE, env=lean_env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    check_scores(out, summary, expected("repair_sum"))
    prompts = [
        json.loads(x) for x in (out / COMPLETIONS_FILE).read_text().splitlines()
        if '"kind": "prompt"' in x
    ]
    feedback = prompts[1]["messages"][-1]["content"]
    assert "unit-failed" in feedback and "listSum [1, 2, 3]" in feedback
