"""A real local Ray cluster for the scale-out tests: a head node and a second worker
node, each its own `ray start --block` process group on 127.0.0.1 with one CPU, in a
temporary directory of their own; ended by process group (and every process they left,
by pid) when the session's tests are done (started once per test process)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# The `ray` script of this interpreter, wherever pip put its scripts.
RAY = [sys.executable, "-m", "ray.scripts.scripts"]
START_TIMEOUT = 120.0


@dataclass(frozen=True)
class LocalCluster:
    address: str
    env: dict[str, str]  # what the cluster's processes run with (its own cache dir)
    root: Path
    nodes: tuple[subprocess.Popen[bytes], ...]

    def processes(self) -> list[int]:
        """Every live process below the cluster's two `ray start` processes."""
        return [pid for node in self.nodes for pid in descendants(node.pid)]

    @staticmethod
    def below(pid: int) -> list[int]:
        """Every live process below `pid` (a worker's toolchain processes)."""
        return descendants(pid)


def descendants(pid: int) -> list[int]:
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Ports a node would otherwise take at fixed defaults (two clusters of two test processes,
# or two nodes of one machine, would collide on them).
NODE_PORTS = ("--node-manager-port", "--object-manager-port", "--metrics-export-port",
              "--dashboard-agent-listen-port", "--dashboard-agent-grpc-port",
              "--runtime-env-agent-port")


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    ports = [f"{option}={_free_port()}" for option in NODE_PORTS]
    with log.open("wb") as handle:
        return subprocess.Popen(
            [*RAY, "start", "--block", "--node-ip-address", "127.0.0.1", "--num-cpus", "1",
             "--object-store-memory", "100000000", "--disable-usage-stats", *ports, *args],
            env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def _alive_nodes(address: str, env: dict[str, str]) -> int:
    probe = (f"import ray; ray.init(address={address!r}, log_to_driver=False); "
             "print(sum(1 for n in ray.nodes() if n['Alive']))")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=60)
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def _stop(cluster: LocalCluster) -> None:
    left = cluster.processes()
    for node in reversed(cluster.nodes):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(node.pid, signal.SIGTERM)
    for node in cluster.nodes:
        try:
            node.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(node.pid, signal.SIGKILL)
            node.wait()
    for pid in left:  # workers and toolchains in sessions of their own
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    # A short path: Ray's unix sockets live below it (108 bytes at most).
    root = Path(tempfile.mkdtemp(prefix="pr-ray-", dir="/tmp"))
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PROOFROUTE_CACHE_DIR"] = str(root / "cache")
    port = _free_port()
    address = f"127.0.0.1:{port}"
    head = _start(["--head", "--port", str(port), "--temp-dir", str(root / "ray"),
                   "--include-dashboard=false"], env, root / "head.log")
    nodes: list[subprocess.Popen[bytes]] = [head]
    cluster = LocalCluster(address, env, root, tuple(nodes))
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while b"Ray runtime started" not in (root / "head.log").read_bytes():
            assert head.poll() is None, (root / "head.log").read_text()
            assert time.monotonic() < deadline, "the Ray head did not start in time"
            time.sleep(0.5)
        nodes.append(_start(["--address", address], env, root / "worker.log"))
        cluster = LocalCluster(address, env, root, tuple(nodes))
        while _alive_nodes(address, env) < 2:
            assert nodes[1].poll() is None, (root / "worker.log").read_text()
            assert time.monotonic() < deadline, "the second Ray node did not join in time"
            time.sleep(1)
        yield cluster
    finally:
        _stop(cluster)
        shutil.rmtree(root, ignore_errors=True)
