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
from typing import Any

from verifier.errors import SandboxViolation
from verifier.sandbox import values
from verifier.sandbox.containment import Jail, SandboxReport, python_for_unprivileged
from verifier.sandbox.limits import CappedReader, Limits, kill_group

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
) -> CallBatch:
    """Load the module in a sandboxed child and call `function` once per entry of `calls`.

    Each call maps parameter names to tagged JSON values (values.py); a ``"$args"`` entry
    holds positional values. `call_timeout` defaults to `limits.wall_seconds`.
    `predicates_source` defines public functions evaluated after every normal return,
    their parameters bound by name: an argument's name (value after the call),
    ``old_<name>`` (a deep copy from before) and ``result``.
    """
    with PythonWorker(
        module_source=module_source,
        module_path=module_path,
        function=function,
        limits=limits,
        predicates_source=predicates_source,
        call_timeout=call_timeout,
    ) as worker:
        return worker.run(calls)


class _Child:
    """One live sandboxed interpreter and the jail around it."""

    def __init__(self, worker: PythonWorker) -> None:
        self.jail = Jail(worker.limits, drop_privileges=worker.drop_privileges)
        self.interpreter = worker.interpreter_for(self.jail)
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
        cap = worker.limits.output_bytes
        self.out = CappedReader(self.proc.stdout, cap)
        self.err = CappedReader(self.proc.stderr, cap)
        self.buffer = bytearray()
        self.closed = False
        self.garbled = False  # the last reply was not a JSON line we can use

    def request(self, msg: Mapping[str, Any], timeout: float) -> dict[str, Any] | None:
        """Send one request; the reply, or None if the child died or overran `timeout`."""
        data = json.dumps(msg, separators=(",", ":")).encode() + b"\n"
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.req_w, view):]
        except OSError:
            return None
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

    def exit_signal(self) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=0.5)
        rc = self.proc.returncode
        return -rc if rc is not None and rc < 0 else None

    def close(self, *, graceful: bool = True) -> None:
        if self.closed:
            return
        self.closed = True
        if graceful and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                os.write(self.req_w, b'{"op":"exit"}\n')
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=0.2)
        kill_group(self.proc.pid)
        self.jail.kill_all()
        self.proc.wait()
        for fd in (self.req_w, self.resp_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.out.join(2)
        self.err.join(2)
        self.jail.close()


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
        self._child: _Child | None = None
        self._report: SandboxReport | None = None
        self._load_error: CallError | None = None
        self._load_violations: tuple[str, ...] = ()
        self._started = 0

    def interpreter_for(self, jail: Jail) -> str:
        return self.interpreter if jail.uid is not None and self.interpreter else sys.executable

    # -- lifecycle -------------------------------------------------------------------
    def _ensure_child(self) -> _Child | None:
        """A live child with the module loaded, or None when the module does not load."""
        if self._child is not None:
            return self._child
        if self._load_error is not None:
            return None
        child = _Child(self)
        self._started += 1
        init = {
            "op": "init",
            "scratch": str(child.jail.scratch),
            "deny_read": _deny_read(child.jail.scratch),
            "allow_read": [],
            "audit": self.audit_hook,
            "output_cap": self.limits.output_bytes,
            "result_cap": _RESULT_CAP,
        }
        setup = self.limits.wall_seconds
        reply = child.request(init, setup)
        if reply is not None and reply.get("ok"):
            load = {"op": "load", "source": self.source, "filename": self.filename,
                    "module_name": self.module_name, "function": self.function,
                    "predicates": self.predicates_source}
            reply = child.request(load, setup)
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
            child.close()
            return None
        self._load_violations = tuple(reply.get("violations", ()))
        self._child = child
        return child

    def _drop_child(self, *, graceful: bool = True) -> tuple[bytes, bytes]:
        child, self._child = self._child, None
        if child is None:
            return b"", b""
        child.close(graceful=graceful)
        return child.out.take(), child.err.take()

    def close(self) -> None:
        self._drop_child()

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
