"""Warm Lean checkers: one long-lived process elaborates many files against one import.

On the WebAssembly build a file costs ~12-15 s, almost all of it start-up (loading the
glue, the wasm module and the `.olean`s). `trusted_driver.lean`, run with `lean --run`,
pays that once and then checks each file against a fresh copy of the imported
environment in ~0.1-2 s, with the same elaborator and kernel (measured in
benchmarks/lean_backend.py; docs/lean.md). A cold check is the same driver started for
one file, so warm and cold verdicts come from the same code.

Safety: the driver parses each command with Lean's own parser and refuses, before
elaborating it, anything outside `allowlist.txt`; what is allowed runs only Lean's own
elaborators, so no model code runs and nothing from one check reaches the next (each file
starts from the pristine imported environment).

Timeouts: each request carries its time budget (`budget-ms N`); the driver interrupts
the elaborator and the kernel through an `IO.CancelToken` when it runs out and answers
"timeout" itself, so the same session serves the next check. Only if it has not answered
`GRACE_SECONDS` after the budget (something that does not poll the token), or it goes over
the memory cap, is the whole process group killed and the session replaced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.resources
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from verifier.backends.lean.messages import LeanMessage
from verifier.backends.lean.verdict import Record, RunOutcome

from verifier import cancel, lifeline
from verifier.results import Severity

log = logging.getLogger(__name__)

DONE = b"PROOFROUTE-DONE"
MSG = b"PROOFROUTE-MSG "
REC = b"PROOFROUTE-REC "
FAIL = b"PROOFROUTE-FAIL "
TIMEOUT = b"PROOFROUTE-TIMEOUT"  # the driver's deadline interrupted the check
BUDGET = "budget-ms"  # optional first line of a request: the driver's deadline in ms
GRACE_SECONDS = 10.0  # after the budget, for the driver to unwind and answer before it is killed
# The trusted driver (trusted_driver.lean) checks the file against this allowlist itself.
DRIVER = "trusted_driver.lean"
ALLOWLIST = "allowlist.txt"

_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "information": Severity.INFO}


class SessionError(Exception):
    """The session could not start or died; the caller falls back to a process per file."""


def _package_text(name: str) -> str:
    return importlib.resources.files("verifier.backends.lean").joinpath(name).read_text(encoding="utf-8")


class WarmSession:
    """One `lean --run trusted_driver.lean DIR ALLOWLIST MODULES…` process; one check at a
    time. The driver refuses what is outside the allowlist before elaborating it, so no
    model code runs in it and a session can serve check after check. Each request
    carries its budget; the driver answers a timeout itself, and `grace` seconds after
    the budget an unanswered request kills the process."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        modules: Sequence[str],
        *,
        start_timeout: float = 300.0,
        memory_cap_bytes: int = 6 * 1024**3,
        grace: float = GRACE_SECONDS,
    ) -> None:
        self.modules = tuple(modules)
        self.memory_cap_bytes = memory_cap_bytes
        self.grace = grace
        self.dir = Path(tempfile.mkdtemp(prefix="proofroute-lean-session-"))
        driver = self.dir / "ProofrouteDriver.lean"
        driver.write_text(_package_text(DRIVER), encoding="utf-8")
        allowlist = self.dir / "allowlist.txt"
        allowlist.write_text(_package_text(ALLOWLIST), encoding="utf-8")
        env = dict(env)
        if "LEAN_WASM_MOUNTS" in env:
            env["LEAN_WASM_MOUNTS"] = ":".join(p for p in (env["LEAN_WASM_MOUNTS"], str(self.dir)) if p)
        self._log = open(self.dir / "driver.log", "wb")  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(
            # under a lifeline: a session whose owner dies without closing it ends too
            lifeline.command([*argv, "--run", str(driver), str(self.dir), str(allowlist), *self.modules]),
            cwd=self.dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,  # read in full by the OS, never closed early
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._next = 0
        self._lean: int | None = None
        self._started = time.monotonic()
        self.start_timeout = start_timeout
        self.startup_seconds: float | None = None

    def wait_ready(self) -> None:
        """Block until the driver has imported its modules; SessionError if it cannot."""
        while not (self.dir / "ready").exists():
            if not self.alive or time.monotonic() - self._started > self.start_timeout:
                tail = self._log_tail()
                self.close()
                raise SessionError(f"the warm Lean session did not start: {tail}")
            time.sleep(0.05)
        self.startup_seconds = time.monotonic() - self._started

    def _log_tail(self) -> str:
        try:
            return (self.dir / "driver.log").read_text(encoding="utf-8", errors="replace")[-500:]
        except OSError:
            return ""

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def check(self, text: str, timeout: float) -> RunOutcome:
        """Check one file's text within `timeout` seconds. The driver answers a timeout
        itself and the session lives on (`session_survived`); it is killed only when it
        has not answered within the grace period after that, or is over the memory cap."""
        answer = self.exchange(text, timeout)
        if isinstance(answer, RunOutcome):
            return answer
        return dataclasses.replace(parse_response(answer, timeout), session_survived=self.alive)

    def exchange(self, text: str, timeout: float) -> bytes | RunOutcome:
        """The driver's raw answer for one file, or how the session failed to give one."""
        if not self.alive:
            raise SessionError("the warm Lean session is not running")
        n = self._next
        self._next += 1
        source = self.dir / f"Check{n}.lean"
        source.write_text(text, encoding="utf-8")
        request = self.dir / f"req-{n}"
        tmp = self.dir / f"req-{n}.tmp"
        tmp.write_text(request_text(source, timeout), encoding="utf-8")
        tmp.replace(request)
        response = self.dir / f"resp-{n}"
        deadline = time.monotonic() + timeout + self.grace
        delay = 0.005
        while not response.exists():
            if cancel.requested():  # a cancelled job: the busy session goes with it
                self.close()
                cancel.checkpoint()
            if time.monotonic() > deadline:  # the driver did not stop itself: not interruptible
                self.close()
                return RunOutcome(timed_out=True, timeout=timeout, session_survived=False)
            if self._rss() > self.memory_cap_bytes:
                self.close()
                return RunOutcome(returncode=-9, timeout=timeout, session_survived=False,
                                  stderr_tail="killed: resident memory over the cap")  # fmt: skip
            if not self.alive:
                rc = self.proc.poll()
                tail = self._log_tail()
                self.close()
                return RunOutcome(returncode=rc if rc else -1, timeout=timeout, session_survived=False,
                                  stderr_tail=f"the warm Lean session died: {tail}")  # fmt: skip
            time.sleep(delay)
            delay = min(delay * 1.5, 0.05)
        data = response.read_bytes()
        for path in (source, request, response):
            path.unlink(missing_ok=True)
        return data

    def _lean_pid(self) -> int | None:
        """Lean's own pid: the lifeline's child (found once; the memory cap watches it)."""
        if self._lean is None:
            self._lean = next((pid for pid, ppid in _processes() if ppid == self.proc.pid), None)
        return self._lean

    def _rss(self) -> int:
        pid = self._lean_pid()
        if pid is None:
            return 0
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
                for row in fh:
                    if row.startswith("VmRSS:"):
                        return int(row.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return 0

    def close(self) -> None:
        with contextlib.suppress(OSError):
            (self.dir / "stop").write_text("stop\n")
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        with contextlib.suppress(OSError):
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _processes() -> list[tuple[int, int]]:
    """(pid, parent pid) of every process this user can see."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                # the command name may hold spaces and parentheses: fields follow the last ')'
                found.append((int(entry.name), int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])))
    return found


def request_text(source: Path, timeout: float) -> str:
    """A check request: the budget line (the driver's own deadline), then the file's path.
    A request without the budget line (the `#eval` route's) has no deadline in the driver."""
    return f"{BUDGET} {max(1, round(timeout * 1000))}\n{source}\n"


def parse_response(data: bytes, timeout: float = 0.0) -> RunOutcome:
    """The driver's framed answer -> messages and records (pure; texts are length-prefixed).

    A `PROOFROUTE-TIMEOUT` line voids the rest: the check was interrupted, so what it
    reported may lack declarations; the outcome is a bare timeout, as when it is killed."""
    messages: list[LeanMessage] = []
    records: list[Record] = []
    stray: list[str] = []
    done = False
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        line = data[pos:end]
        pos = end + 1
        if line.startswith(MSG):
            fields = line[len(MSG) :].decode("ascii", "replace").split()
            nbytes = int(fields[5])
            text = data[pos : pos + nbytes].decode("utf-8", "replace")
            pos += nbytes + 1
            messages.append(_message(fields, text))
        elif line.startswith(REC):
            *tag, nbytes_text = line[len(REC) :].decode("utf-8", "replace").split(" ")
            nbytes = int(nbytes_text)
            records.append(Record(" ".join(tag), data[pos : pos + nbytes].decode("utf-8", "replace")))
            pos += nbytes + 1
        elif line.startswith(DONE):
            done = True
        elif line.startswith(TIMEOUT):  # a framing line, never inside a length-prefixed text
            return RunOutcome(timed_out=True, timeout=timeout)
        elif line.strip():
            stray.append(line.decode("utf-8", "replace"))
    if not done:
        stray.append("the warm Lean session's answer is incomplete")
    return RunOutcome(messages=tuple(messages), stray=tuple(stray), returncode=_rc(messages),
                      timeout=timeout, records=tuple(records))  # fmt: skip


def _rc(messages: Sequence[LeanMessage]) -> int:
    return 1 if any(m.severity == Severity.ERROR for m in messages) else 0


def _message(fields: list[str], text: str) -> LeanMessage:
    """From the driver's header fields (Lean's columns are 0-based; ours 1-based)."""
    severity, line, col, end_line, end_col = fields[:5]
    e_line, e_col = int(end_line), int(end_col)
    return LeanMessage(
        severity=_SEVERITY.get(severity, Severity.ERROR),
        text=text,
        line=int(line),
        col=int(col) + 1,
        end_line=e_line if e_line >= 0 else None,
        end_col=e_col + 1 if e_col >= 0 else None,
    )


class SessionPool:
    """Warm sessions per import set, at most `size` in all; each serves one check at a time.

    `try_acquire` takes an idle session, else starts one if there is room, and waits up to
    `wait_for_starting` seconds for one of its imports to become ready; it returns None
    (the caller checks in a fresh process) only when none is starting, e.g. every session
    is busy and the pool is full. Waiting is never slower: a fresh process runs the same
    driver and costs what a session's start-up costs (measured in docs/lean.md, "Warm
    sessions"), and one started beside a booting session takes cores from it.
    `acquire` waits for a session in every case (`LeanBackend.warm_up`).
    """

    def __init__(self, argv: Sequence[str], env: dict[str, str], *, size: int = 1) -> None:
        self.argv = tuple(argv)
        self.env = dict(env)
        self.size = max(1, size)
        self._idle: dict[tuple[str, ...], list[WarmSession]] = {}
        self._count: dict[tuple[str, ...], int] = {}  # idle + starting + busy, per key
        self._starting: dict[tuple[str, ...], int] = {}
        self._all: set[WarmSession] = set()
        self._cond = threading.Condition()
        self._broken: str | None = None
        self._closed = False

    def _pop_idle(self, key: tuple[str, ...]) -> tuple[WarmSession | None, list[WarmSession]]:
        dead = []
        idle = self._idle.get(key, [])
        while idle:
            session = idle.pop()
            if session.alive:
                return session, dead
            dead.append(session)
            self._forget(session)
        return None, dead

    def _forget(self, session: WarmSession) -> None:
        self._all.discard(session)
        self._count[session.modules] = max(0, self._count.get(session.modules, 1) - 1)

    def _start_if_room(self, key: tuple[str, ...]) -> list[WarmSession]:
        evicted: list[WarmSession] = []
        if self._closed or self._broken:
            return evicted
        if sum(self._count.values()) >= self.size:
            for other, idle in self._idle.items():
                if other != key and idle:
                    victim = idle.pop()
                    self._forget(victim)
                    evicted.append(victim)
                    break
            else:
                return evicted
        self._count[key] = self._count.get(key, 0) + 1
        self._starting[key] = self._starting.get(key, 0) + 1
        threading.Thread(target=self._start, args=(key,), daemon=True).start()
        return evicted

    def _start(self, key: tuple[str, ...]) -> None:
        session = None
        try:
            session = WarmSession(self.argv, self.env, key)
            with self._cond:
                self._all.add(session)
                closed = self._closed
            if closed:
                raise SessionError("pool closed")
            session.wait_ready()
        except (SessionError, OSError) as exc:
            with self._cond:
                self._starting[key] = max(0, self._starting.get(key, 1) - 1)
                self._count[key] = max(0, self._count.get(key, 1) - 1)
                if session is not None:
                    self._all.discard(session)
                if not self._closed:
                    self._broken = str(exc)  # don't pay a failing start-up on every check
                self._cond.notify_all()
            if session is not None:
                session.close()
            log.warning("warm Lean session failed to start: %s", exc)
            return
        with self._cond:
            self._starting[key] = max(0, self._starting.get(key, 1) - 1)
            self._idle.setdefault(key, []).append(session)
            self._cond.notify_all()

    def try_acquire(
        self, modules: Sequence[str], *, wait_for_starting: float = 0.0
    ) -> WarmSession | None:
        key = tuple(modules)
        deadline = time.monotonic() + wait_for_starting
        with self._cond:
            if self._broken:
                raise SessionError(self._broken)
            session, dead = self._pop_idle(key)
            evicted = [] if session is not None else self._start_if_room(key)
            while session is None and self._starting.get(key, 0) > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed or self._broken:
                    break
                self._cond.wait(timeout=min(remaining, 1.0))
                session, more = self._pop_idle(key)
                dead += more
        for s in (*dead, *evicted):
            s.close()
        return session

    def acquire(self, modules: Sequence[str], timeout: float = 600.0) -> WarmSession:
        key = tuple(modules)
        deadline = time.monotonic() + timeout
        requested = False
        with self._cond:
            while True:
                if self._broken:
                    raise SessionError(self._broken)
                session, dead = self._pop_idle(key)
                for s in dead:
                    s.close()
                if session is not None:
                    return session
                if not requested:
                    requested = True
                    for s in self._start_if_room(key):
                        s.close()
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise SessionError("no warm Lean session became ready in time")
                self._cond.wait(timeout=min(remaining, 1.0))

    def release(self, session: WarmSession) -> None:
        with self._cond:
            if session.alive and not self._closed:
                self._idle.setdefault(session.modules, []).append(session)
                self._cond.notify_all()
                return
            self._forget(session)
            self._cond.notify_all()
        session.close()

    def pids(self) -> tuple[int, ...]:
        """Process ids of the running sessions: a timeout the driver answered itself keeps
        its process, one it did not answer replaces it (tests and the benchmark look)."""
        with self._cond:
            return tuple(sorted(s.proc.pid for s in self._all if s.alive))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            sessions = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._count.clear()
            self._starting.clear()
            self._cond.notify_all()
        for s in sessions:
            s.close()
