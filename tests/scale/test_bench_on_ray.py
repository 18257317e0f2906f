"""`proofroute bench fvapps --executor ray` on a real two-node local cluster, with the
real Lean on the workers and the recorded sample session: a worker killed in the middle
of a check, then Ctrl-C, then the same command resumes; the scores equal the local
pool's, record for record, and nothing finished is lost or written twice."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

from verifier.bench.store import COMPLETIONS_FILE, RESULTS_FILE, RecordKey

if TYPE_CHECKING:
    from tests.scale.conftest import LocalCluster

pytestmark = [pytest.mark.slow, pytest.mark.lean]
T = TypeVar("T")

SAMPLE = Path(__file__).resolve().parents[2] / "benchmarks" / "fvapps_sample"
SCORES = ("tasks", "samples", "theorems_total", "theorems_proved", "tasks_all_proved",
          "units_passed", "samples_units_passed", "toolchain_mismatch", "spec_errors",
          "spec_incompatible")


def command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "verifier", "bench", "fvapps", "tasks.jsonl",
            "--llm", "replay:sessions/scoring.jsonl", "--out", str(out), "--json", *extra]


def lines(out: Path) -> list[str]:
    path = out / RESULTS_FILE
    return path.read_text().splitlines() if path.exists() else []


def statuses(out: Path) -> dict[RecordKey, str]:
    records = [json.loads(line) for line in lines(out)]
    keys = [RecordKey.of(r) for r in records]
    assert len(keys) == len(set(keys)), "a record was written twice"
    return {RecordKey.of(r): r["status"] for r in records}


def title(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def checking_worker(cluster: LocalCluster) -> int | None:
    """A worker actor in the middle of a check (Ray titles it `ray::_Worker.work`)."""
    for pid in cluster.processes():
        if title(pid).startswith("ray::_Worker.work"):
            return pid
    return None


def kill_tree(cluster: LocalCluster, pid: int) -> None:
    """The worker and the Lean it started (in a session of its own, so it would outlive
    it and keep a core busy)."""
    for victim in [pid, *cluster.below(pid)]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(victim, signal.SIGKILL)


def wait_for(
    condition: Callable[[], T | None], what: str, proc: subprocess.Popen[bytes]
) -> T:
    """The first truthy value of `condition`, while the run is still going."""
    deadline = time.monotonic() + 900
    while not (value := condition()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"no {what} in time"
        time.sleep(0.2)
    return value


# Three runs' worth of real Lean (each worker's warm session started twice, a killed one
# replaced): past the suite's 900 s default on a loaded 2-core machine.
@pytest.mark.timeout(1800)
def test_worker_killed_then_ctrl_c_then_resume_scores_as_the_local_pool(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    env = {**os.environ, "PROOFROUTE_CACHE_DIR": str(tmp_path / "local-cache")}
    env.pop("RAY_ADDRESS", None)
    # The cluster asks the model in no fixed order, so it is answered by request from the
    # model log of a local-pool run of the same command (recorded: a recorded session, as
    # docs/scale.md says); the local pool's scores are the sample's expected ones, which
    # tests/bench/test_e2e_lean.py checks the local pool against.
    local = json.loads((SAMPLE / "expected" / "scoring.json").read_text())
    remote = tmp_path / "ray"
    remote.mkdir()
    shutil.copy(SAMPLE / "sessions" / "scoring.completions.jsonl", remote / COMPLETIONS_FILE)
    cmd = command(remote, "--executor", "ray", "--ray-address", ray_cluster.address)
    proc = subprocess.Popen(cmd, cwd=SAMPLE, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        victim = wait_for(lambda: checking_worker(ray_cluster), "check under way", proc)
        kill_tree(ray_cluster, victim)
        before = len(lines(remote))
        wait_for(lambda: len(lines(remote)) >= before + 2 and checking_worker(ray_cluster),
                 "records after the kill", proc)
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr.decode()
    assert "a Ray worker died" in stderr.decode() and "sent to another worker" in stderr.decode()
    assert "Run the same command again to resume" in stderr.decode()
    interrupted = lines(remote)
    assert 0 < len(interrupted) < 13

    again = subprocess.run(cmd, cwd=SAMPLE, env=env, capture_output=True, text=True,
                           timeout=1800)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert lines(remote)[: len(interrupted)] == interrupted  # nothing finished lost or redone
    assert summary["complete"] and summary["resumed_records"] == len(interrupted)
    assert summary["executor"] | {"submitted": None} == {
        "kind": "ray", "workers": 2, "submitted": None, "retried": 0, "workers_lost": 0}
    assert {k: summary[k] for k in SCORES} == {k: local["summary"][k] for k in SCORES}
    got = {f"{key.task}/{key.theorem or 'definitions'}": status for key, status in statuses(remote).items()}
    assert got == local["statuses"]
