"""SIGKILL the real `proofroute serve` mid-job, start it again: every job accounted for."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

SPEC = 'name = "inc"\nsignature = "method Inc(x: int) returns (y: int)"\nensures = ["y == x + 1"]\n'
SLOW = "import time\n\ndef inc(x):\n    time.sleep(0.3)\n    return x + 1\n"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db: str, port: int, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--db", db, "--port", str(port),
                             "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
            return proc
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_sigkill_mid_job_and_restart_loses_nothing(database: str, tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    if database == "sqlite":
        db = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    else:
        db = request.getfixturevalue("postgres_url")
    port = _port()
    server = _start(db, port, tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        done = httpx.post(f"{url}/v1/jobs", json={"kind": "spec-check", "spec": SPEC}).json()["id"]
        while httpx.get(f"{url}/v1/jobs/{done}").json()["status"] in ("queued", "running"):
            time.sleep(0.2)
        slow = httpx.post(f"{url}/v1/jobs", json={"kind": "test", "spec": SPEC, "code": SLOW, "function": "inc",
                                                  "examples": 500}).json()["id"]
        queued = httpx.post(f"{url}/v1/jobs", json={"kind": "spec-check", "spec": SPEC}).json()["id"]
        while httpx.get(f"{url}/v1/jobs/{slow}").json()["status"] != "running":
            time.sleep(0.1)
        time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait(10)

        server = _start(db, port, tmp_path)
        jobs = {j["id"]: j for j in httpx.get(f"{url}/v1/jobs", params={"limit": 200}).json()["jobs"]}
        assert set(jobs) >= {done, slow, queued}
        assert jobs[done]["status"] == "verified"  # finished before the kill: intact
        assert jobs[slow]["status"] == "failed" and "stopped" in jobs[slow]["error"]
        deadline = time.monotonic() + 120
        while httpx.get(f"{url}/v1/jobs/{queued}").json()["status"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert httpx.get(f"{url}/v1/jobs/{queued}").json()["status"] == "verified"  # still run, after restart
        events = httpx.get(f"{url}/v1/jobs/{slow}/events", timeout=30).text
        assert "event: done" in events
    finally:
        server.kill()
        server.wait(10)
