"""Run a command with resource limits and a wall-clock timeout, losing no output.

rlimits are set in the child between fork and exec (`preexec_fn`), so they bind the
child and everything it spawns; the wall clock kills the whole process group, which
catches children that ignore SIGTERM or hang while blocked on I/O.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Variables a child legitimately needs; everything else (tokens, keys, proxies) is dropped.
_KEEP_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "TERM")


def scrubbed_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: os.environ[k] for k in _KEEP_ENV if k in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class Limits:
    """None means "not limited". Memory is address space, so it bounds virtual memory:
    leave it None for runtimes that reserve huge virtual ranges (mono, WebAssembly)."""

    wall_seconds: float = 30.0
    cpu_seconds: int | None = None
    memory_bytes: int | None = None
    file_size_bytes: int | None = None
    processes: int | None = None
    open_files: int | None = None
    output_bytes: int = 16 * 1024 * 1024  # per stream; the rest is dropped, `truncated` says so


@dataclass(frozen=True)
class CompletedRun:
    argv: tuple[str, ...]
    returncode: int | None  # None when killed by the wall clock
    stdout: bytes
    stderr: bytes
    seconds: float
    timed_out: bool = False
    truncated: bool = False

    @property
    def signal(self) -> int | None:
        rc = self.returncode
        return -rc if rc is not None and rc < 0 else None


def _preexec(limits: Limits) -> None:
    os.setsid()
    pairs = [
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_FSIZE, limits.file_size_bytes),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    for which, value in pairs:
        if value is not None:
            resource.setrlimit(which, (value, value))


def run_limited(
    argv: Sequence[str],
    *,
    limits: Limits,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> CompletedRun:
    """Run argv to completion or until `limits.wall_seconds`; never raises on the child's
    failure (the caller judges the result). `env=None` means a scrubbed environment."""
    started = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        cwd=str(cwd) if cwd is not None else None,
        env=dict(env) if env is not None else scrubbed_env(),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: _preexec(limits),
    )
    timed_out = False
    try:
        out, err = proc.communicate(stdin, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        out, err = proc.communicate()
    rc = None if timed_out else proc.returncode
    cap = limits.output_bytes
    truncated = len(out) > cap or len(err) > cap
    return CompletedRun(
        argv=tuple(argv),
        returncode=rc,
        stdout=out[:cap],
        stderr=err[:cap],
        seconds=time.monotonic() - started,
        timed_out=timed_out,
        truncated=truncated,
    )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
