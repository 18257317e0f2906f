"""One sandboxed Python child: spawn it in a jail, exchange typed messages, kill it.

The layer between the jail (containment.py) and its users: the pool (pool.py) boots
children ahead, the runner (runner.py) loads a module into one and runs calls. A child
knows nothing of the module it will run until it gets `protocol.Load`.

Spawning does not wait for the interpreter: `protocol.Init` (the audit policy) is
written at once and its reply read later by `wait_ready`, so a spare started by the pool
boots while the caller does other work. Every reply is read with a deadline and decoded
by protocol.py; whatever else arrives (a timeout, a closed pipe, a line that is not a
message) is a `Lost` with its reason, never an exception.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import os
import py_compile
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from verifier.sandbox import protocol
from verifier.sandbox.containment import Jail
from verifier.sandbox.errors import ChildStartFailed
from verifier.sandbox.lend import Lend
from verifier.sandbox.limits import CappedReader, Limits, kill_group
from verifier.sandbox.report import SandboxReport

_CHILD_FILES = ("worker.py", "audit.py", "values.py", "protocol.py")
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); import worker; worker.main(int(sys.argv[2]), int(sys.argv[3]))"
_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_RESPONSE_CAP = 2 * protocol.RESULT_CAP + (4 << 20)


class LostReason(enum.StrEnum):
    TIMEOUT = "timeout"  # no whole reply within the deadline
    CLOSED = "closed"  # the pipe closed (the child died) or took no request
    GARBLED = "garbled"  # a line that is not a reply, or more bytes than any reply has


@dataclass(frozen=True)
class Lost:
    """No usable reply: why, and what the protocol layer said about it."""

    why: LostReason
    detail: str = ""


class Child:
    """A live sandboxed interpreter and the jail around it; used by one worker, then killed."""

    def __init__(
        self,
        limits: Limits,
        *,
        drop_privileges: bool,
        interpreter: str | None,
        audit_hook: bool,
        preload: bool = False,
        lend: Lend | None = None,
    ) -> None:
        self.limits = limits
        self.audit_hook = audit_hook
        self.jail = Jail(limits, drop_privileges=drop_privileges, lend=lend)
        self.lend = self.jail.lend  # without what must never be lent
        self.interpreter = interpreter if self.jail.uid is not None and interpreter else sys.executable
        self.deny_read = deny_read(self.jail.scratch)
        try:
            self.proc, self._req_w, self._resp_r = self._spawn(install_worker(self.jail.scratch))
        except BaseException as exc:
            self.jail.close()
            if isinstance(exc, OSError):
                raise ChildStartFailed(self.interpreter, exc) from exc
            raise
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.out = CappedReader(self.proc.stdout, limits.output_bytes)
        self.err = CappedReader(self.proc.stderr, limits.output_bytes)
        self._buffer = bytearray()
        self._stopped = False
        self._closed = False
        init = protocol.Init(scratch=str(self.jail.scratch), deny_read=tuple(self.deny_read),
                             audit=audit_hook, output_cap=limits.output_bytes, preload=preload,
                             lend_paths=self.lend.paths, site_dirs=self.lend.site_dirs,
                             readable=self.lend.readable)
        # The pipe buffer holds the request until the interpreter is up to read it.
        self._init_sent = self._send(init)
        self._init_reply: protocol.Reply | Lost | None = None

    def _spawn(self, sandbox_dir: Path) -> tuple[subprocess.Popen[bytes], int, int]:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        try:
            proc = subprocess.Popen(
                [self.interpreter, "-I", "-B", "-c", _BOOT, str(sandbox_dir), str(req_r), str(resp_w)],
                cwd=self.jail.scratch,
                env=self.jail.env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(req_r, resp_w),
                preexec_fn=self.jail.preexec,
            )
        except BaseException:
            for fd in (req_w, resp_r):
                os.close(fd)
            raise
        finally:
            os.close(req_r)
            os.close(resp_w)
        return proc, req_w, resp_r

    # -- messages --------------------------------------------------------------------
    def wait_ready(self, timeout: float) -> protocol.Reply | Lost:
        """The reply to `Init` (a `Ready`: audit hook installed), waiting at most `timeout`;
        cached, so the pool and the worker may both ask."""
        if self._init_reply is None:
            self._init_reply = (self.receive(timeout) if self._init_sent
                                else Lost(LostReason.CLOSED, "the child took no request"))
        return self._init_reply

    def request(self, message: protocol.Request, timeout: float) -> protocol.Reply | Lost:
        """Send one request; its reply, or why there is none within `timeout`."""
        if not self._send(message):
            return Lost(LostReason.CLOSED, "the child took no request")
        return self.receive(timeout)

    def _send(self, message: protocol.Request) -> bool:
        try:
            view = memoryview(protocol.encode(message))
            while view:
                view = view[os.write(self._req_w, view):]
        except OSError:
            return False
        return True

    def receive(self, timeout: float) -> protocol.Reply | Lost:
        """The next reply line, decoded."""
        deadline = time.monotonic() + timeout
        scanned = 0
        while (end := self._buffer.find(b"\n", scanned)) < 0:
            scanned = len(self._buffer)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._resp_r], [], [], left)[0]:
                return Lost(LostReason.TIMEOUT)
            chunk = os.read(self._resp_r, 1 << 20)
            if not chunk:
                return Lost(LostReason.CLOSED, "the child closed its reply pipe")
            self._buffer += chunk
            if len(self._buffer) > _RESPONSE_CAP:
                return Lost(LostReason.GARBLED, f"a reply over {_RESPONSE_CAP} bytes")
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        try:
            return protocol.decode_reply(line)
        except protocol.ProtocolError as exc:
            return Lost(LostReason.GARBLED, str(exc))

    # -- state -----------------------------------------------------------------------
    def alive(self) -> bool:
        return self.proc.poll() is None

    def died(self) -> bool:
        """Gone (its pipe closed, not a timeout): reaped within half a second."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=0.5)
        return self.proc.returncode is not None

    def exit_signal(self) -> int | None:
        """The signal that killed the child, once it is gone (waits half a second)."""
        self.died()
        rc = self.proc.returncode
        return -rc if rc is not None and rc < 0 else None

    def usable(self) -> bool:
        """Alive, and jailed for the current working directory (the audit hook's deny
        list holds the parent's cwd at spawn): a spare may be handed out."""
        return self.alive() and self.deny_read == deny_read(self.jail.scratch)

    def stderr_tail(self, chars: int) -> str:
        return self.err.data()[-chars:].decode(errors="replace").strip()

    def take_output(self) -> tuple[bytes, bytes]:
        """What reached fd 1 and 2 directly since the last take (capped)."""
        return self.out.take(), self.err.take()

    def report(self, notes: tuple[str, ...] = ()) -> SandboxReport:
        report = self.jail.report(audit_hook=self.audit_hook, interpreter=self.interpreter)
        return replace(report, notes=report.notes + notes) if notes else report

    # -- teardown --------------------------------------------------------------------
    def kill(self) -> None:
        """SIGKILL the child's process group and cgroup: nothing of it runs user code
        after this returns (a SIGKILLed process never returns to user space)."""
        kill_group(self.proc.pid)
        self.jail.kill_now()

    def stop(self) -> None:
        """Kill the child and everything in its cgroup now; collect its raw output.

        No polite exit first: the child is idle between requests and holds nothing worth
        flushing (user output is captured per call), and an interpreter's orderly
        shutdown costs ~20 ms that every candidate would pay."""
        if self._stopped:
            return
        self._stopped = True
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=2)
        for fd in (self._req_w, self._resp_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.out.join(0.5)
        self.err.join(0.5)

    def cleanup(self) -> None:
        """The slow part of teardown: the full kill sweep (uid and cgroup, until none is
        left), reaping, removing the cgroup, the scratch dir and the uid's litter."""
        if self._closed:
            return
        self._closed = True
        self.stop()
        self.jail.kill_all()
        self.proc.wait()
        self.out.join(2)
        self.err.join(2)
        self.jail.close()


def deny_read(scratch: Path) -> list[str]:
    """What the child's audit hook refuses to read: the parent's home, the project and
    the parent's cwd — unless they hold scratch."""
    found: list[str] = []
    for candidate in (Path.home(), _PROJECT_ROOT, Path.cwd()):
        try:
            real = candidate.resolve()
        except OSError:
            continue
        if real == Path("/") or scratch.resolve().is_relative_to(real):
            continue
        if str(real) not in found:
            found.append(str(real))
    return found


def install_worker(directory: Path) -> Path:
    """The worker's modules, read-only in ``directory/.sandbox`` (returned), each with its
    bytecode beside it: the child runs with ``-B`` from a fresh copy, and would otherwise
    compile all four on every start (a few ms). Its bytecode is hash-checked against the
    source, so it is used only while it matches."""
    sandbox_dir = directory / ".sandbox"
    cache = sandbox_dir / "__pycache__"
    cache.mkdir(parents=True)
    for name, source, bytecode in _child_files():
        _write_read_only(sandbox_dir / name, source)
        _write_read_only(cache / f"{name[:-3]}.{sys.implementation.cache_tag}.pyc", bytecode)
    cache.chmod(0o555)
    sandbox_dir.chmod(0o555)
    return sandbox_dir


def _write_read_only(path: Path, data: bytes) -> None:
    """Created read-only at once (no chmod after): a spare is started per candidate."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


@functools.cache
def _child_files() -> tuple[tuple[str, bytes, bytes], ...]:
    """(name, source, checked-hash bytecode) of each module the child imports; compiled
    once per parent process. The child's Python has the parent's minor version
    (containment.python_for_unprivileged), so it reads the same bytecode format."""
    here = Path(__file__).parent
    found = []
    with tempfile.TemporaryDirectory(prefix="proofroute-pyc-") as tmp:
        for name in _CHILD_FILES:
            target = Path(tmp) / f"{name}c"
            py_compile.compile(str(here / name), cfile=str(target), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
            found.append((name, (here / name).read_bytes(), target.read_bytes()))
    return tuple(found)
