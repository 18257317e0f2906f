"""Where a run's units of work execute: the executor protocol and the local pool.

Why a seam: a benchmark or a batch `generate` is thousands of independent units whose
cost is the verifier (a Lean check costs 12-130 s here). On one machine they run on the
caller's threads sharing one warm backend; on a cluster (`verifier.scale.ray_executor`)
each worker process holds its own warm backend and sandbox pool. The caller does not
change: it submits units and gets futures back, and it alone writes the results (one
writer), so the resumable JSONL stays what it is on one machine.

A `Job` says what a worker holds and how it does one unit. It is a frozen, picklable
value, because a cluster ships it to every worker, where `open` builds the warm state
once (a DafnyServer pool, a Lean session, sandbox spares) and `work` then runs unit after
unit against it. A unit's result must be picklable too; a unit never writes to the
caller's disk.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from verifier.errors import ProofrouteError

U = TypeVar("U")  # a unit of work
R = TypeVar("R")  # its result
C = TypeVar("C")  # what a worker holds between units (warm backend, sandbox pool)
U_contra = TypeVar("U_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)

RAY_ADDRESS_ENV = "RAY_ADDRESS"


class ExecutorKind(StrEnum):
    LOCAL = "local"
    RAY = "ray"


class ExecutorError(ProofrouteError, RuntimeError):
    """The executor cannot run the work (no cluster, a worker that cannot start, ...)."""

    exit_code = 2


class ExecutorClosed(ProofrouteError):
    """The executor was closed (Ctrl-C, an error elsewhere) before this unit finished.

    Deliberately not a `VerifierCrashed`: a unit cut short by the caller is unfinished
    work, to be done on resume, never a failed check in the results."""


class WorkerLost(ProofrouteError):
    """A unit lost its worker more times than it may be retried."""


class Job(Protocol[U_contra, R_co, C]):
    """What every worker holds (`open`, once) and how it does one unit (`work`)."""

    def open(self) -> C: ...

    def work(self, context: C, unit: U_contra) -> R_co: ...

    def close(self, context: C) -> None: ...


@dataclass(frozen=True)
class ExecutorStats:
    """What the run cost in workers: shown with the summary, asserted by the tests."""

    kind: ExecutorKind
    workers: int
    submitted: int = 0
    retried: int = 0  # units sent to another worker after theirs died
    workers_lost: int = 0


class Executor(Protocol[U_contra, R_co]):
    """Runs units somewhere; `slots` is how many run at once (callers size their own
    concurrency by it). `close` fails every unfinished future with `ExecutorClosed`."""

    kind: ExecutorKind
    slots: int

    def submit(self, unit: U_contra) -> Future[R_co]: ...

    def stats(self) -> ExecutorStats: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ExecutorSettings:
    """The user's choice: `--executor`, `--ray-address` (or RAY_ADDRESS), `--jobs`."""

    kind: ExecutorKind = ExecutorKind.LOCAL
    address: str | None = None
    workers: int | None = None  # local: threads (default 1); ray: actors (default: CPUs)
    cpus_per_worker: float = 1.0
    max_retries: int = 3

    def ray_address(self) -> str:
        """The cluster to join; an error that says how to give one when there is none."""
        address = self.address or os.environ.get(RAY_ADDRESS_ENV)
        if not address:
            raise ExecutorError(
                "--executor ray needs a cluster address",
                hint="pass --ray-address HOST:PORT (or 'auto' for a cluster started on this "
                "machine with `ray start --head`), or set RAY_ADDRESS; see docs/scale.md",
            )
        return address


class LocalExecutor(Generic[U, R, C]):
    """The default: one warm context in this process, used by the caller's own threads.

    A unit runs in the thread that submits it (the future is done when `submit`
    returns): the caller's thread pool is the local pool, as it was before this seam,
    so Ctrl-C interrupts a check in the main thread at once. `slots` only tells the
    caller how many threads to use; the job opened its backend for that many."""

    kind = ExecutorKind.LOCAL

    def __init__(self, job: Job[U, R, C], *, slots: int = 1) -> None:
        if slots < 1:
            raise ValueError("slots must be >= 1")
        self.slots = slots
        self._job = job
        self._context = job.open()
        self._idle = threading.Condition()
        self._running = 0
        self._submitted = 0
        self._closed = False

    def submit(self, unit: U) -> Future[R]:
        with self._idle:
            if self._closed:
                raise ExecutorClosed("the local executor was closed before this unit started")
            self._submitted += 1
            self._running += 1
        future: Future[R] = Future()
        try:
            future.set_result(self._job.work(self._context, unit))
        except Exception as exc:  # the unit's own error is its result, as on a cluster
            future.set_exception(exc)
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()
        return future

    def stats(self) -> ExecutorStats:
        return ExecutorStats(ExecutorKind.LOCAL, workers=1, submitted=self._submitted)

    def close(self) -> None:
        """Waits for units still running in other threads (their results are real and
        their callers record them), then closes the context."""
        with self._idle:
            if self._closed:
                return
            self._closed = True
            while self._running:
                self._idle.wait()
        self._job.close(self._context)

    def __enter__(self) -> LocalExecutor[U, R, C]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
