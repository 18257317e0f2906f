"""Start a real `proofroute serve` process on loopback and wait until it answers.

For what must talk to the service as its users do — the client's and the CLI's tests, the
load benchmark — rather than to an app object in-process: its own process, its own
store file, its own data folder (scratch space), stopped with SIGTERM (or killed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from verifier.errors import ServiceError


@dataclass(frozen=True)
class Launched:
    url: str
    db: str
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def launched(folder: Path, *, workers: int = 2, replay_dir: Path | None = None, db: str | None = None,
             env: Mapping[str, str] | None = None, start_seconds: float = 60.0) -> Iterator[Launched]:
    """`proofroute serve` on 127.0.0.1 with its store, data and cache under `folder`;
    stopped (SIGTERM) on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    db = db or f"sqlite:///{folder / 'jobs.sqlite3'}"
    argv = [sys.executable, "-m", "verifier", "serve", "--port", str(port), "--db", db, "--workers", str(workers),
            "--shutdown-seconds", "5"]
    if replay_dir is not None:
        argv += ["--replay-dir", str(replay_dir)]
    log = folder / f"serve-{port}.log"
    # its own data folder (scratch) and result cache: nothing leaks in from earlier runs
    environment = {**os.environ, "XDG_DATA_HOME": str(folder / "data"),
                   "PROOFROUTE_CACHE_DIR": str(folder / "cache"), **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=environment)
    server = Launched(f"http://127.0.0.1:{port}", db, process, log)
    try:
        _wait_ready(server, start_seconds)
        yield server
    finally:
        stop(server)


def _wait_ready(server: Launched, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if httpx.get(f"{server.url}/v1/jobs?limit=1", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop(server)
    tail = server.log.read_text("utf-8", "replace")[-2000:]
    raise ServiceError(f"`proofroute serve` did not start at {server.url}:\n{tail}", status=None,
                       code="unreachable", hint="see the server's log above")


def stop(server: Launched, *, kill: bool = False) -> None:
    """SIGTERM (graceful: running jobs get the shutdown deadline), or SIGKILL with `kill`."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        server.process.wait(30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
