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
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from verifier import cancel
from verifier.sandbox.report import SandboxReport

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


# A sensible starting point for model-written code: every guard on, generous for
# algorithmic tasks. The harness and the loop narrow it per call.
UNTRUSTED_DEFAULTS = Limits(
    wall_seconds=30.0,
    cpu_seconds=30,
    memory_bytes=1 << 30,
    file_size_bytes=64 << 20,
    processes=64,
    open_files=256,
    output_bytes=1 << 20,
)


@dataclass(frozen=True)
class CompletedRun:
    argv: tuple[str, ...]
    returncode: int | None  # None when killed by the wall clock
    stdout: bytes
    stderr: bytes
    seconds: float
    timed_out: bool = False
    truncated: bool = False
    report: SandboxReport | None = None  # set by run_untrusted: which containment was active
    files: tuple[tuple[str, bytes], ...] = ()  # run_untrusted(collect=…): files it left in scratch

    @property
    def signal(self) -> int | None:
        rc = self.returncode
        return -rc if rc is not None and rc < 0 else None


_UNSET: object = object()


def apply_rlimits(limits: Limits, *, processes: int | object | None = _UNSET) -> None:
    """Set the rlimits in the calling process (a child, between fork and exec).

    `processes` overrides `limits.processes` when the caller computed a better value
    (RLIMIT_NPROC counts every process of the uid, see containment.py)."""
    nproc = limits.processes if processes is _UNSET else processes
    pairs = [
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_FSIZE, limits.file_size_bytes),
        (resource.RLIMIT_NPROC, nproc),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    for which, value in pairs:
        if value is not None:
            resource.setrlimit(which, (value, value))  # type: ignore[arg-type]


def _preexec(limits: Limits) -> None:
    os.setsid()
    apply_rlimits(limits)


def run_limited(
    argv: Sequence[str],
    *,
    limits: Limits,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    preexec: Callable[[], None] | None = None,
    after_exit: Callable[[], None] | None = None,
    answered: Callable[[], bool] | None = None,
) -> CompletedRun:
    """Run argv to completion or until `limits.wall_seconds`; never raises on the child's
    failure (the caller judges the result). `env=None` means a scrubbed environment.

    Output beyond `limits.output_bytes` per stream is read and dropped as it arrives, so
    a child writing gigabytes costs the parent no memory. `preexec` replaces the default
    child setup (new session + rlimits); it must do both itself (containment.Jail does).
    `after_exit` runs once the child is gone, before the output is collected: the place
    to kill descendants that left the process group and still hold the pipes open.
    `answered` says the child has given its answer (in a file): it is then stopped rather
    than waited for, so a runtime that hangs at exit costs nothing.
    """
    started = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        cwd=str(cwd) if cwd is not None else None,
        env=dict(env) if env is not None else scrubbed_env(),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=preexec if preexec is not None else (lambda: _preexec(limits)),
    )
    assert proc.stdout is not None and proc.stderr is not None
    out = CappedReader(proc.stdout, limits.output_bytes)
    err = CappedReader(proc.stderr, limits.output_bytes)
    if stdin is not None:
        assert proc.stdin is not None
        threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True).start()
    timed_out = _wait(proc, limits.wall_seconds, after_exit, answered)
    out.join(5)
    err.join(5)
    cancel.checkpoint()
    return CompletedRun(
        argv=tuple(argv),
        returncode=None if timed_out else proc.returncode,
        stdout=out.data(),
        stderr=err.data(),
        seconds=time.monotonic() - started,
        timed_out=timed_out,
        truncated=out.truncated or err.truncated,
    )


def _wait(proc: subprocess.Popen[bytes], wall_seconds: float, after_exit: Callable[[], None] | None,
          answered: Callable[[], bool] | None = None) -> bool:  # fmt: skip
    """Wait for the child (or its answer), then kill its process group; whether the
    wall-clock limit struck."""
    timed_out = False
    try:
        with cancel.killable(lambda: kill_group(proc.pid)):  # a cancelled job's child dies now
            _wait_for(proc, time.monotonic() + wall_seconds, answered)
    except subprocess.TimeoutExpired:
        timed_out = True
    except BaseException:
        # Ctrl-C or any error in the parent: never leave the child (e.g. a 2 GB Lean) behind.
        kill_group(proc.pid)
        proc.wait()
        if after_exit is not None:
            after_exit()
        raise
    # Kill the group even after a normal exit: a daemonized grandchild may linger.
    kill_group(proc.pid)
    proc.wait()
    if after_exit is not None:
        after_exit()
    return timed_out


def _wait_for(proc: subprocess.Popen[bytes], deadline: float, answered: Callable[[], bool] | None) -> None:
    """Until the child exits or has answered; TimeoutExpired at the deadline."""
    if answered is None:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        return
    while not answered():
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired(proc.args, 0)
        try:
            proc.wait(timeout=min(0.2, left))
            return
        except subprocess.TimeoutExpired:
            continue


class CappedReader:
    """Drains a pipe on a daemon thread, keeping the first `cap` bytes, dropping the rest."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self._stream = stream
        self._cap = cap
        self._chunks: list[bytes] = []
        self._kept = 0
        self.truncated = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        fd = self._stream.fileno()
        try:
            while chunk := os.read(fd, 1 << 16):
                room = self._cap - self._kept
                if len(chunk) > room:
                    self.truncated = True
                    chunk = chunk[: max(room, 0)]
                if chunk:
                    self._chunks.append(chunk)
                    self._kept += len(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                self._stream.close()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def data(self) -> bytes:
        return b"".join(self._chunks)

    def take(self) -> bytes:
        """What arrived since the last `take` (the cap still counts from the start)."""
        chunks, self._chunks = self._chunks, []
        return b"".join(chunks)


def _feed(pipe: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError):
        pipe.write(data)
    with contextlib.suppress(OSError):
        pipe.close()


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
