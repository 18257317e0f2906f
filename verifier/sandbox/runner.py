"""Call an untrusted Python function on many inputs, in one confined child process.

The property harness calls candidate functions thousands of times, so a child is started
once, loads the module once, and serves every call over a private pipe protocol
(protocol.py, served by worker.py). A call that overruns its timeout or kills its
process is reported, the child is torn down with everything it spawned, and the batch
goes on in a fresh child. `PythonWorker` keeps its child between batches;
`run_python_calls` is the one-shot form. The children come from child.py, booted on
demand or lent by a `SandboxPool`.
"""

from __future__ import annotations

import secrets
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.errors import SandboxViolation
from verifier.sandbox import values
from verifier.sandbox.child import Child, Lost, LostReason
from verifier.sandbox.containment import python_for_unprivileged
from verifier.sandbox.lend import Lend
from verifier.sandbox.limits import Limits
from verifier.sandbox.pool import SandboxPool
from verifier.sandbox.protocol import (
    Call,
    Called,
    CallError,
    CallStatus,
    Load,
    Loaded,
    LoadFailed,
    Ready,
    Rejected,
)
from verifier.sandbox.report import SandboxReport

if TYPE_CHECKING:
    from verifier.sandbox.protocol import Json, Reply

__all__ = ["CallBatch", "CallError", "CallOutcome", "CallStatus", "PythonWorker",
           "run_python_calls"]


@dataclass(frozen=True)
class CallOutcome:
    """One call. `value` and `args_after` are in the tagged JSON form of values.py."""

    index: int
    status: CallStatus
    value: Json = None
    args_after: Mapping[str, Json] = field(default_factory=dict)
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

    def result(self) -> Any:  # a user's value: its type is whatever the function returned
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
    calls: Sequence[Mapping[str, Json]],
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
        lend: Lend | None = None,
        module_name: str | None = None,
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
        if module_name is not None:  # dotted: imported as part of its package
            self.module_name = module_name
        self.package = self.module_name.rpartition(".")[0] or None
        self.lend = lend
        self.source = module_source
        self.function = function
        self.limits = limits
        self.predicates_source = predicates_source
        self.call_timeout = call_timeout if call_timeout is not None else limits.wall_seconds
        self.audit_hook = audit_hook
        self.interpreter = python_for_unprivileged() if drop_privileges else None
        self.drop_privileges = drop_privileges and self.interpreter is not None
        # A pool whose spares were jailed with other settings cannot serve this worker:
        # it then starts its own children, exactly as without a pool. Spares have no
        # lent folders (those are mounted when the jail is made).
        self.pool = pool if pool is not None and not lend and pool.serves(
            limits, audit_hook=audit_hook, drop_privileges=self.drop_privileges) else None
        self._child: Child | None = None
        self._report: SandboxReport | None = None
        self._load_error: CallError | None = None
        self._load_violations: tuple[str, ...] = ()
        self._started = 0

    # -- lifecycle -------------------------------------------------------------------
    def _ensure_child(self) -> Child | None:
        """A live child with the module loaded, or None when the module does not load."""
        if self._child is not None:
            return self._child
        if self._load_error is not None:
            return None
        setup = self.limits.wall_seconds
        child = self.pool.take() if self.pool is not None else None
        reply = self._boot(child, setup) if child is not None else None
        if (child is not None and isinstance(reply, Lost) and reply.why != LostReason.GARBLED
                and child.died()):
            # A spare can die while idle (OOM killer, a stray signal), and that says
            # nothing about this module: load it again in a child of our own, exactly as
            # without a pool (a module that really kills its child does so there too).
            self._dispose(child)
            child = None
        if child is None:
            child = Child(self.limits, drop_privileges=self.drop_privileges,
                          interpreter=self.interpreter, audit_hook=self.audit_hook, lend=self.lend)
            reply = self._boot(child, setup)
        self._started += 1
        lost = isinstance(reply, Lost)
        self._report = child.report(("the child died during start-up",) if lost else ())
        match reply:
            case Loaded(violations=violations):
                self._load_violations = violations
                self._child = child
                return child
            case LoadFailed(error=error, violations=violations):
                self._load_error, self._load_violations = error, violations
            case _:
                self._load_error = _start_error(child, reply, setup)
        self._dispose(child)
        return None

    def _boot(self, child: Child, setup: float) -> Reply | Lost:
        """Wait for the child's `Ready`, then load the module: the last reply."""
        reply = child.wait_ready(setup)
        if isinstance(reply, Ready):
            load = Load(source=self.source, filename=self.filename, module_name=self.module_name,
                        function=self.function, predicates=self.predicates_source,
                        package=self.package)
            reply = child.request(load, setup)
        return reply

    def _drop_child(self, *, collect: bool = True) -> tuple[bytes, bytes]:
        """Kill the current child now and return its raw output; see `_dispose`.

        `collect=False` (from `close`, whose caller has every batch already) skips
        waiting for the child's exit and its output pipes: with a pool that wait then
        happens on the pool's thread, off the caller's critical path."""
        child, self._child = self._child, None
        if child is None:
            return b"", b""
        if not collect and self.pool is not None:
            child.kill()
            self._dispose(child)
            return b"", b""
        child.stop()
        output = child.take_output()
        self._dispose(child)
        return output

    def _dispose(self, child: Child) -> None:
        """Tear a used child down: at once, or — with a pool — killed at once and the
        rest (uid sweep, cgroup, scratch removal) on the pool's background thread."""
        if self.pool is not None:
            self.pool.dispose(child)
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
    def run(self, calls: Sequence[Mapping[str, Json]]) -> CallBatch:
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
            outcome = self._call(child, index, call)
            outcomes.append(outcome)
            if outcome.status in (CallStatus.TIMEOUT, CallStatus.CRASHED):
                out, err = self._drop_child()  # the batch goes on in a fresh child
                raw_out.append(out)
                raw_err.append(err)
        if self._child is not None:
            out, err = self._child.take_output()
            raw_out.append(out)
            raw_err.append(err)
        return CallBatch(
            calls=tuple(outcomes),
            report=self._report or _empty_report(),
            load_error=self._load_error,
            load_violations=self._load_violations,
            raw_stdout=b"".join(raw_out)[: self.limits.output_bytes],
            raw_stderr=b"".join(raw_err)[: self.limits.output_bytes],
            seconds=time.monotonic() - started,
            children=self._started - first_child,
        )

    def _call(self, child: Child, index: int, args: Mapping[str, Json]) -> CallOutcome:
        """One call in `child`; TIMEOUT or CRASHED means the child must go."""
        nonce = secrets.token_hex(8)
        t0 = time.monotonic()
        reply = child.request(Call(index=index, nonce=nonce, args=dict(args)), self.call_timeout)
        match reply:
            case Called() if reply.nonce == nonce and reply.index == index:
                return _outcome(reply)
            case Lost():
                return self._lost(index, child, reply, time.monotonic() - t0)
            case _:  # a message we did not ask for: user code wrote on the protocol pipe
                return CallOutcome(index, CallStatus.CRASHED, error=CallError(
                    "ProtocolError", "the reply did not match the request (forged by user code?)"))

    def _lost(self, index: int, child: Child, lost: Lost, seconds: float) -> CallOutcome:
        """The reply never came: either our timeout or the child died under us."""
        alive = child.alive()
        if alive and lost.why == LostReason.GARBLED:
            return CallOutcome(index, CallStatus.CRASHED, seconds=seconds, error=CallError(
                "ProtocolError", "the child's reply was not a protocol line (forged by user code?)"
                f": {lost.detail}"))
        if alive and seconds >= self.call_timeout:
            return CallOutcome(index, CallStatus.TIMEOUT, seconds=seconds, error=CallError(
                "Timeout", f"call exceeded {self.call_timeout:g} s and was killed"))
        sig = child.exit_signal()
        tail = child.stderr_tail(1500)
        what = _signal_meaning(sig, child.proc.returncode)
        message = f"{what}{': ' + tail if tail else ''}"
        return CallOutcome(index, CallStatus.CRASHED, seconds=seconds, exit_signal=sig,
                           error=CallError("ChildDied", message))


def _start_error(child: Child, reply: Reply | Lost, setup: float) -> CallError:
    """Why a child did not get as far as loading the module."""
    match reply:
        case Rejected(message=message):
            return CallError("ProtocolError", f"the child rejected a request: {message}")
        case Lost(why=LostReason.GARBLED, detail=detail) if child.alive():
            return CallError("ProtocolError", "the child's reply was not a protocol line "
                             f"(forged by user code?): {detail}")
        case Lost(why=LostReason.TIMEOUT) if child.alive():
            return CallError(
                "Timeout", f"starting the child and loading the module took over {setup:g} s")
        case Lost():
            return CallError("ChildDied", f"sandbox child failed to start: {child.stderr_tail(2000)}")
        case _:
            return CallError("ProtocolError", f"unexpected reply while loading: {type(reply).__name__}")


def _outcome(reply: Called) -> CallOutcome:
    return CallOutcome(
        index=reply.index,
        status=CallStatus.VIOLATION if reply.violations else reply.status,
        value=reply.value,
        args_after=reply.args_after,
        error=reply.error,
        seconds=reply.seconds,
        stdout=reply.stdout,
        stderr=reply.stderr,
        output_truncated=bool(reply.output_dropped),
        violations=reply.violations,
        predicates=reply.predicates,
    )


def _signal_meaning(sig: int | None, returncode: int | None) -> str:
    if sig is None:
        return f"the sandbox child exited with code {returncode}"
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    why = {"SIGXCPU": " (CPU-seconds limit)", "SIGSEGV": " (stack overflow or native crash)",
           "SIGKILL": " (killed: memory or CPU limit)", "SIGXFSZ": " (file-size limit)"}
    return f"the sandbox child was killed by {name}{why.get(name, '')}"


def _empty_report() -> SandboxReport:
    return SandboxReport(scratch="", uid=None, network_isolated=False, pids_cgroup=False,
                         process_limit=None, audit_hook=False)
