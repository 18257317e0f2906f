"""Call an untrusted Python function on many inputs, in one confined child process.

The property harness calls candidate functions thousands of times, so a child is started
once, loads the module once, and serves every call over a private pipe protocol
(worker.py). A call that overruns its timeout or kills its process is reported, the
child is torn down with everything it spawned, and the batch goes on in a fresh child.
`PythonWorker` keeps its child between batches; `run_python_calls` is the one-shot form.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.errors import SandboxViolation
from verifier.sandbox import values
from verifier.sandbox.containment import Jail, SandboxReport, python_for_unprivileged
from verifier.sandbox.limits import CappedReader, Limits, kill_group

if TYPE_CHECKING:
    from verifier.sandbox.pool import SandboxPool

_CHILD_FILES = ("worker.py", "audit.py", "values.py")
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); import worker; worker.main(int(sys.argv[2]), int(sys.argv[3]))"
_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_RESULT_CAP = 32 << 20  # encoded bytes of one reply's value + arguments
_RESPONSE_CAP = 2 * _RESULT_CAP + (4 << 20)


class CallStatus(enum.StrEnum):
    """How a call ended; only RETURNED and RAISED say something about the code's logic."""

    RETURNED = "returned"
    RAISED = "raised"
    VIOLATION = "violation"  # the sandbox refused something (the call may have gone on)
    TIMEOUT = "timeout"  # per-call timeout; the child was killed, the batch went on
    CRASHED = "crashed"  # the child died (memory/CPU rlimit, segfault, os._exit)
    BAD_INPUT = "bad_input"  # the arguments did not fit the signature
    NOT_RUN = "not_run"  # the module failed to load


@dataclass(frozen=True)
class CallError:
    """An exception in the child; `line`/`text` point into the user's own file."""

    type: str
    message: str
    line: int | None = None
    text: str | None = None
    traceback: str = ""
    attempted: str | None = None

    def render(self, filename: str = "<module>") -> str:
        where = f"{filename}:{self.line}: " if self.line is not None else ""
        return f"{where}{self.type}: {self.message}"


@dataclass(frozen=True)
class CallOutcome:
    """One call. `value` and `args_after` are in the tagged JSON form of values.py."""

    index: int
    status: CallStatus
    value: Any = None
    args_after: Mapping[str, Any] = field(default_factory=dict)
    error: CallError | None = None
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    output_truncated: bool = False
    violations: tuple[str, ...] = ()
    predicates: Mapping[str, bool | str] = field(default_factory=dict)
    exit_signal: int | None = None  # for CRASHED: the signal that killed the child

    @property
    def ok(self) -> bool:
        return self.status == CallStatus.RETURNED

    def result(self) -> Any:
        """The returned value decoded back to Python (sets, Counters, tuples as lists)."""
        return values.decode(self.value)


@dataclass(frozen=True)
class CallBatch:
    """All calls of one `run`, in input order, with what containment was in force.

    Violations are reported, not raised, so a harness sees every call's outcome; callers
    that treat any violation as fatal use `raise_for_violation()`."""

    calls: tuple[CallOutcome, ...]
    report: SandboxReport
    load_error: CallError | None = None
    load_violations: tuple[str, ...] = ()
    raw_stdout: bytes = b""  # what reached fd 1/2 directly (os.write), capped
    raw_stderr: bytes = b""
    seconds: float = 0.0
    children: int = 1  # child processes started for this batch

    @property
    def violations(self) -> tuple[str, ...]:
        return self.load_violations + tuple(v for c in self.calls for v in c.violations)

    def violation_error(self) -> SandboxViolation | None:
        found = self.violations
        if not found:
            return None
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return SandboxViolation(
            f"untrusted code attempted {found[0]}{more}",
            attempted=found[0],
            hint="the sandbox refuses network, processes, native code and files outside scratch",
        )

    def raise_for_violation(self) -> None:
        error = self.violation_error()
        if error is not None:
            raise error


def run_python_calls(
    module_source: str | None,
    module_path: Path | None,
    function: str,
    calls: Sequence[Mapping[str, Any]],
    *,
    limits: Limits,
    predicates_source: str | None = None,
    call_timeout: float | None = None,
    pool: SandboxPool | None = None,
) -> CallBatch:
    """Load the module in a sandboxed child and call `function` once per entry of `calls`.

    Each call maps parameter names to tagged JSON values (values.py); a ``"$args"`` entry
    holds positional values. `call_timeout` defaults to `limits.wall_seconds`.
    `predicates_source` defines public functions evaluated after every normal return,
    their parameters bound by name: an argument's name (value after the call),
    ``old_<name>`` (a deep copy from before) and ``result``. With a `pool` (same
    limits) the child is a warm spare from it, already jailed and booted.
    """
    with PythonWorker(
        pool=pool,
        module_source=module_source,
        module_path=module_path,
        function=function,
        limits=limits,
        predicates_source=predicates_source,
        call_timeout=call_timeout,
    ) as worker:
        return worker.run(calls)


class _Child:
    """One live sandboxed interpreter and the jail around it.

    Spawning does not wait for the interpreter: the ``init`` request (audit policy) is
    written at once and its reply read later by `wait_ready`, so a spare started by
    `SandboxPool` boots while the caller does other work. The child knows nothing of the
    module it will run until `PythonWorker` sends ``load``."""

    def __init__(
        self,
        limits: Limits,
        *,
        drop_privileges: bool,
        interpreter: str | None,
        audit_hook: bool,
        preload: bool = False,
    ) -> None:
        self.limits = limits
        self.audit_hook = audit_hook
        self.jail = Jail(limits, drop_privileges=drop_privileges)
        self.interpreter = interpreter if self.jail.uid is not None and interpreter else sys.executable
        self.deny_read = _deny_read(self.jail.scratch)
        sandbox_dir = self.jail.scratch / ".sandbox"
        sandbox_dir.mkdir()
        for name in _CHILD_FILES:
            target = sandbox_dir / name
            shutil.copyfile(Path(__file__).with_name(name), target)
            target.chmod(0o444)
        sandbox_dir.chmod(0o555)
        req_r, self.req_w = os.pipe()
        self.resp_r, resp_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
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
            for fd in (req_r, resp_w, self.req_w, self.resp_r):
                os.close(fd)
            self.jail.close()
            raise
        os.close(req_r)
        os.close(resp_w)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        cap = limits.output_bytes
        self.out = CappedReader(self.proc.stdout, cap)
        self.err = CappedReader(self.proc.stderr, cap)
        self.buffer = bytearray()
        self.closed = False
        self.stopped = False
        self.garbled = False  # the last reply was not a JSON line we can use
        self.started = time.monotonic()
        init = {
            "op": "init",
            "scratch": str(self.jail.scratch),
            "deny_read": self.deny_read,
            "allow_read": [],
            "audit": audit_hook,
            "output_cap": limits.output_bytes,
            "result_cap": _RESULT_CAP,
            "preload": preload,
        }
        # The pipe buffer holds the request until the interpreter is up to read it.
        self.init_sent = self.send(init)
        self._init_reply: dict[str, Any] | None = None
        self._init_done = False

    def wait_ready(self, timeout: float) -> dict[str, Any] | None:
        """The ``init`` reply (audit hook installed), waiting at most `timeout`; cached."""
        if not self._init_done:
            self._init_reply = self.receive(timeout) if self.init_sent else None
            self._init_done = True
        return self._init_reply

    def send(self, msg: Mapping[str, Any]) -> bool:
        data = json.dumps(msg, separators=(",", ":")).encode() + b"\n"
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.req_w, view):]
        except OSError:
            return False
        return True

    def receive(self, timeout: float) -> dict[str, Any] | None:
        """The next reply line, or None if the child died or overran `timeout`."""
        deadline = time.monotonic() + timeout
        self.garbled = False
        scanned = 0
        while (end := self.buffer.find(b"\n", scanned)) < 0:
            scanned = len(self.buffer)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.resp_r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.resp_r, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
            if len(self.buffer) > _RESPONSE_CAP:
                self.garbled = True
                return None
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            self.garbled = True
            return None
        return reply

    def request(self, msg: Mapping[str, Any], timeout: float) -> dict[str, Any] | None:
        """Send one request; the reply, or None if the child died or overran `timeout`."""
        if not self.send(msg):
            return None
        return self.receive(timeout)

    def exit_signal(self) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=0.5)
        rc = self.proc.returncode
        return -rc if rc is not None and rc < 0 else None

    def stop(self) -> None:
        """Kill the child and everything in its cgroup now; collect its raw output.

        No polite ``exit`` request first: the child is idle between requests and holds
        nothing worth flushing (user output is captured per call), and an interpreter's
        orderly shutdown costs ~20 ms that every candidate would pay."""
        if self.stopped:
            return
        self.stopped = True
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=2)
        for fd in (self.req_w, self.resp_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.out.join(0.5)
        self.err.join(0.5)

    def kill(self) -> None:
        """SIGKILL the child's process group and cgroup: nothing of it runs user code
        after this returns (a SIGKILLed process never returns to user space)."""
        kill_group(self.proc.pid)
        self.jail.kill_now()

    def cleanup(self) -> None:
        """The slow part of teardown: the full kill sweep (uid and cgroup, until none is
        left), reaping, removing the cgroup, the scratch dir and the uid's litter."""
        if self.closed:
            return
        self.closed = True
        self.stop()
        self.jail.kill_all()
        self.proc.wait()
        self.out.join(2)
        self.err.join(2)
        self.jail.close()

    def close(self, *, graceful: bool = True) -> None:
        """Stop and clean up now. `graceful` is accepted for compatibility; see `stop`."""
        del graceful
        self.cleanup()


class PythonWorker:
    """A sandboxed interpreter with the untrusted module loaded, reusable across batches.

    The child persists between `run` calls (cheap: one process start per worker) and is
    replaced after a timeout or a crash. State the module keeps in globals therefore
    survives from call to call, as it would in any long-running program; use a fresh
    worker (or `run_python_calls`) when calls must not see each other.
    """

    def __init__(
        self,
        *,
        module_source: str | None = None,
        module_path: Path | None = None,
        function: str,
        limits: Limits,
        predicates_source: str | None = None,
        call_timeout: float | None = None,
        audit_hook: bool = True,
        drop_privileges: bool = True,
        pool: SandboxPool | None = None,
    ) -> None:
        if (module_source is None) == (module_path is None):
            raise ValueError("give exactly one of module_source and module_path")
        if module_path is not None:
            module_source = Path(module_path).read_text(encoding="utf-8")
            self.filename = str(module_path)
            self.module_name = Path(module_path).stem
        else:
            self.filename = "<module>"
            self.module_name = "candidate"
        assert module_source is not None
        self.source = module_source
        self.function = function
        self.limits = limits
        self.predicates_source = predicates_source
        self.call_timeout = call_timeout if call_timeout is not None else limits.wall_seconds
        self.audit_hook = audit_hook
        self.interpreter = python_for_unprivileged() if drop_privileges else None
        self.drop_privileges = drop_privileges and self.interpreter is not None
        # A pool whose spares were jailed with other settings cannot serve this worker:
        # it then starts its own children, exactly as without a pool.
        self.pool = pool if pool is not None and pool.serves(
            limits, audit_hook=audit_hook, drop_privileges=self.drop_privileges) else None
        self._child: _Child | None = None
        self._report: SandboxReport | None = None
        self._load_error: CallError | None = None
        self._load_violations: tuple[str, ...] = ()
        self._started = 0

    def interpreter_for(self, jail: Jail) -> str:
        """The Python that runs a child in `jail` (the parent's own when uid is kept)."""
        return self.interpreter if jail.uid is not None and self.interpreter else sys.executable

    # -- lifecycle -------------------------------------------------------------------
    def _ensure_child(self) -> _Child | None:
        """A live child with the module loaded, or None when the module does not load."""
        if self._child is not None:
            return self._child
        if self._load_error is not None:
            return None
        setup = self.limits.wall_seconds
        child = self.pool._take() if self.pool is not None else None
        reply = self._boot(child, setup) if child is not None else None
        if child is not None and reply is None and not child.garbled and _died(child):
            # A spare can die while idle (OOM killer, a stray signal), and that says
            # nothing about this module: load it again in a child of our own, exactly as
            # without a pool (a module that really kills its child does so there too).
            self._dispose(child)
            child = None
        if child is None:
            child = _Child(self.limits, drop_privileges=self.drop_privileges,
                           interpreter=self.interpreter, audit_hook=self.audit_hook)
            reply = self._boot(child, setup)
        self._started += 1
        notes = () if reply is not None else ("the child died during start-up",)
        self._report = _with_notes(child.jail.report(audit_hook=self.audit_hook,
                                                     interpreter=child.interpreter), notes)
        if reply is None or not reply.get("ok"):
            err = (reply or {}).get("error")
            if isinstance(err, dict):
                self._load_error = _error(err)
            elif child.proc.poll() is None and not child.garbled:
                self._load_error = CallError(
                    "Timeout", f"starting the child and loading the module took over {setup:g} s")
            else:
                tail = child.err.data()[-2000:].decode(errors="replace").strip()
                self._load_error = CallError("ChildDied", f"sandbox child failed to start: {tail}")
            self._load_violations = tuple((reply or {}).get("violations", ()))
            self._dispose(child)
            return None
        self._load_violations = tuple(reply.get("violations", ()))
        self._child = child
        return child

    def _boot(self, child: _Child, setup: float) -> dict[str, Any] | None:
        """Wait for the child's ``init`` reply, then load the module: the last reply."""
        reply = child.wait_ready(setup)
        if reply is not None and reply.get("ok"):
            load = {"op": "load", "source": self.source, "filename": self.filename,
                    "module_name": self.module_name, "function": self.function,
                    "predicates": self.predicates_source}
            reply = child.request(load, setup)
        return reply

    def _drop_child(self, *, graceful: bool = True, collect: bool = True) -> tuple[bytes, bytes]:
        """Kill the current child now and return its raw output; see `_dispose`.

        `collect=False` (from `close`, whose caller has every batch already) skips
        waiting for the child's exit and its output pipes: with a pool that wait then
        happens on the pool's thread, off the caller's critical path."""
        del graceful  # children are always killed: see _Child.stop
        child, self._child = self._child, None
        if child is None:
            return b"", b""
        if not collect and self.pool is not None:
            child.kill()
            self._dispose(child)
            return b"", b""
        child.stop()
        out, err = child.out.take(), child.err.take()
        self._dispose(child)
        return out, err

    def _dispose(self, child: _Child) -> None:
        """Tear a used child down: at once, or — with a pool — killed at once and the
        rest (uid sweep, cgroup, scratch removal) on the pool's background thread."""
        if self.pool is not None:
            self.pool._dispose(child)
        else:
            child.cleanup()

    def close(self) -> None:
        """Kill the child (if any); its jail is removed now, or by the pool's thread."""
        self._drop_child(collect=False)

    def __enter__(self) -> PythonWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls -----------------------------------------------------------------------
    def run(self, calls: Sequence[Mapping[str, Any]]) -> CallBatch:
        started = time.monotonic()
        first_child = self._started
        outcomes: list[CallOutcome] = []
        raw_out: list[bytes] = []
        raw_err: list[bytes] = []
        for index, call in enumerate(calls):
            child = self._ensure_child()
            if child is None:
                outcomes.append(CallOutcome(index, CallStatus.NOT_RUN, error=self._load_error))
                continue
            nonce = secrets.token_hex(8)
            request = {"op": "call", "index": index, "nonce": nonce, "args": dict(call)}
            t0 = time.monotonic()
            reply = child.request(request, self.call_timeout)
            if reply is not None and (reply.get("nonce") != nonce or reply.get("index") != index):
                # A line we did not ask for: user code wrote on the protocol pipe.
                outcomes.append(CallOutcome(index, CallStatus.CRASHED, error=CallError(
                    "ProtocolError", "the reply did not match the request (forged by user code?)")))
                out, err = self._drop_child(graceful=False)
                raw_out.append(out)
                raw_err.append(err)
                continue
            if reply is None:
                outcomes.append(self._lost(index, child, time.monotonic() - t0))
                out, err = self._drop_child(graceful=False)
                raw_out.append(out)
                raw_err.append(err)
                continue
            outcomes.append(_outcome(index, reply))
        if self._child is not None:
            raw_out.append(self._child.out.take())
            raw_err.append(self._child.err.take())
        report = self._report or _empty_report()
        return CallBatch(
            calls=tuple(outcomes),
            report=report,
            load_error=self._load_error,
            load_violations=self._load_violations,
            raw_stdout=b"".join(raw_out)[: self.limits.output_bytes],
            raw_stderr=b"".join(raw_err)[: self.limits.output_bytes],
            seconds=time.monotonic() - started,
            children=self._started - first_child,
        )

    def _lost(self, index: int, child: _Child, seconds: float) -> CallOutcome:
        """The reply never came: either our timeout or the child died under us."""
        alive = child.proc.poll() is None
        if alive and child.garbled:
            return CallOutcome(index, CallStatus.CRASHED, seconds=seconds, error=CallError(
                "ProtocolError", "the child's reply was not a protocol line (forged by user code?)"))
        if alive and seconds >= self.call_timeout:
            return CallOutcome(index, CallStatus.TIMEOUT, seconds=seconds, error=CallError(
                "Timeout", f"call exceeded {self.call_timeout:g} s and was killed"))
        sig = child.exit_signal()
        tail = child.err.data()[-1500:].decode(errors="replace").strip()
        what = _signal_meaning(sig, child.proc.returncode)
        message = f"{what}{': ' + tail if tail else ''}"
        return CallOutcome(index, CallStatus.CRASHED, seconds=seconds, exit_signal=sig,
                           error=CallError("ChildDied", message))


def _died(child: _Child) -> bool:
    """The child is gone (its pipe closed, not a timeout): reaped within a moment."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.proc.wait(timeout=0.5)
    return child.proc.returncode is not None


def _outcome(index: int, reply: Mapping[str, Any]) -> CallOutcome:
    violations = tuple(str(v) for v in reply.get("violations", ()))
    status = CallStatus(reply.get("status", "crashed"))
    if violations:
        status = CallStatus.VIOLATION
    err = reply.get("error")
    return CallOutcome(
        index=index,
        status=status,
        value=reply.get("value"),
        args_after=reply.get("args_after") or {},
        error=_error(err) if isinstance(err, dict) else None,
        seconds=float(reply.get("seconds", 0.0)),
        stdout=str(reply.get("stdout", "")),
        stderr=str(reply.get("stderr", "")),
        output_truncated=bool(reply.get("output_dropped")),
        violations=violations,
        predicates=reply.get("predicates") or {},
    )


def _error(err: Mapping[str, Any]) -> CallError:
    return CallError(
        type=str(err.get("type", "Error")),
        message=str(err.get("message", "")),
        line=err.get("line"),
        text=err.get("text"),
        traceback=str(err.get("traceback", "")),
        attempted=err.get("attempted"),
    )


def _signal_meaning(sig: int | None, returncode: int | None) -> str:
    if sig is None:
        return f"the sandbox child exited with code {returncode}"
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    why = {"SIGXCPU": " (CPU-seconds limit)", "SIGSEGV": " (stack overflow or native crash)",
           "SIGKILL": " (killed: memory or CPU limit)", "SIGXFSZ": " (file-size limit)"}
    return f"the sandbox child was killed by {name}{why.get(name, '')}"


def _deny_read(scratch: Path) -> list[str]:
    """The parent's home, the project and the parent's cwd — unless they hold scratch."""
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


def _with_notes(report: SandboxReport, notes: tuple[str, ...]) -> SandboxReport:
    if not notes:
        return report
    from dataclasses import replace

    return replace(report, notes=report.notes + notes)


def _empty_report() -> SandboxReport:
    return SandboxReport(scratch="", uid=None, network_isolated=False, pids_cgroup=False,
                         process_limit=None, audit_hook=False)
