"""The Ray executor: units run on actors spread over a Ray cluster.

Each actor is one worker process that opens the job once (`Job.open`: a warm verifier
backend and a sandbox pool) and then does units one at a time, so every slot of the
cluster keeps its toolchain warm. The caller's process keeps the only queue: a
dispatcher thread hands the next unit to an idle actor, waits on the running ones, and
completes the caller's futures, so results come back to one writer on the caller's side.

A worker that dies (killed, out of memory, its node gone) loses the unit it was doing:
the dispatcher starts a replacement actor, which Ray places wherever there is room, and
sends the unit again, up to `max_retries` times (`WorkerLost` after that). An exception
raised by the job itself (a toolchain error) is the unit's result, not a lost worker,
and is re-raised to the caller as it was. `close` (Ctrl-C) fails every unfinished future
with `ExecutorClosed`, so nothing half-done is ever reported, lets each worker close
its toolchains, and kills the actors.
"""

from __future__ import annotations

import collections
import logging
import os
import socket
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic

import ray
import ray.exceptions

from verifier.scale.executor import (
    C,
    ExecutorClosed,
    ExecutorError,
    ExecutorKind,
    ExecutorSettings,
    ExecutorStats,
    Job,
    R,
    U,
    WorkerLost,
)

log = logging.getLogger(__name__)

NAMESPACE = "proofroute"
START_TIMEOUT = 600.0  # seconds for every worker to open its job (a cold Lean header)
POLL = 0.2
CONNECT_TIMEOUT = 10.0
STOP_TIMEOUT = 15.0  # for workers to close their toolchains before they are killed


@dataclass(frozen=True)
class WorkerInfo:
    pid: int
    node: str
    host: str


class _Worker:
    """The actor: one process, one open job, one unit at a time (the dispatcher sends
    no second one). Its second thread is for `stop`, which must reach it mid-unit."""

    def __init__(self, job: Job[Any, Any, Any]) -> None:
        self._job = job
        self._context = job.open()

    def describe(self) -> WorkerInfo:
        node = ray.get_runtime_context().get_node_id()
        return WorkerInfo(pid=os.getpid(), node=node, host=socket.gethostname())

    def work(self, unit: Any) -> Any:
        return self._job.work(self._context, unit)

    def stop(self) -> None:
        """Close the job: its toolchain processes (a Lean session runs in a process group
        of its own) end with it instead of outliving a killed worker."""
        self._job.close(self._context)


_RemoteWorker = ray.remote(max_restarts=0, max_task_retries=0, max_concurrency=2)(_Worker)


@dataclass
class _Item(Generic[U, R]):
    unit: U
    future: Future[R]
    tries: int = 0


@dataclass
class _Slot:
    actor: Any  # a Ray actor handle
    info: WorkerInfo | None = None
    busy: bool = False


@dataclass
class _Counts:
    submitted: int = 0
    retried: int = 0
    lost: int = 0


@dataclass
class _State(Generic[U, R]):
    pending: collections.deque[_Item[U, R]] = field(default_factory=collections.deque)
    running: dict[Any, tuple[_Slot, _Item[U, R]]] = field(default_factory=dict)
    slots: list[_Slot] = field(default_factory=list)
    counts: _Counts = field(default_factory=_Counts)
    closed: bool = False


class RayExecutor(Generic[U, R, C]):
    """Units of `job` on `workers` actors of the cluster at `settings.ray_address()`."""

    kind = ExecutorKind.RAY

    def __init__(self, job: Job[U, R, C], settings: ExecutorSettings) -> None:
        address = settings.ray_address()
        _reachable(address)
        try:
            ray.init(address=address, namespace=NAMESPACE, log_to_driver=False,
                     configure_logging=False)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise ExecutorError(
                f"cannot join the Ray cluster at {address}: {exc}",
                hint="start one with `ray start --head` (see docs/scale.md) or fix "
                "--ray-address / RAY_ADDRESS",
            ) from None
        self._settings = settings
        self._job = job
        cpus = float(ray.cluster_resources().get("CPU", 1.0))
        self.slots = settings.workers or max(1, int(cpus // settings.cpus_per_worker))
        self._lock = threading.Condition()
        self._state: _State[U, R] = _State()
        self._state.slots = [self._start_worker() for _ in range(self.slots)]
        self._wait_ready()
        self._thread = threading.Thread(target=self._dispatch, name="ray-dispatch", daemon=True)
        self._thread.start()

    # -- the caller's side ------------------------------------------------------------

    def submit(self, unit: U) -> Future[R]:
        future: Future[R] = Future()
        with self._lock:
            if self._state.closed:
                raise ExecutorClosed("the Ray executor was closed before this unit started")
            self._state.pending.append(_Item(unit, future))
            self._state.counts.submitted += 1
            self._lock.notify()
        return future

    def stats(self) -> ExecutorStats:
        with self._lock:
            c = self._state.counts
            return ExecutorStats(ExecutorKind.RAY, workers=self.slots, submitted=c.submitted,
                                 retried=c.retried, workers_lost=c.lost)

    def workers(self) -> list[tuple[WorkerInfo | None, bool]]:
        """Each worker and whether it is doing a unit now (to watch, or to kill in tests)."""
        with self._lock:
            return [(slot.info, slot.busy) for slot in self._state.slots]

    def close(self) -> None:
        with self._lock:
            if self._state.closed:
                return
            self._state.closed = True
            unfinished = [*self._state.pending, *(i for _, i in self._state.running.values())]
            self._state.pending.clear()
            self._state.running.clear()
            slots = list(self._state.slots)
            self._lock.notify_all()
        for item in unfinished:
            if not item.future.done():
                item.future.set_exception(
                    ExecutorClosed("the run stopped before this unit finished; it is redone "
                                   "when the run resumes"))
        self._thread.join(timeout=10)
        stopping = [slot.actor.stop.remote() for slot in slots]
        ray.wait(stopping, num_returns=len(stopping), timeout=STOP_TIMEOUT)
        for slot in slots:
            ray.kill(slot.actor, no_restart=True)
        ray.shutdown()

    def __enter__(self) -> RayExecutor[U, R, C]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers ----------------------------------------------------------------------

    def _start_worker(self) -> _Slot:
        actor = _RemoteWorker.options(  # type: ignore[attr-defined]
            num_cpus=self._settings.cpus_per_worker, scheduling_strategy="SPREAD"
        ).remote(self._job)
        return _Slot(actor)

    def _wait_ready(self) -> None:
        """Every worker opened its job; else the first worker's error, with the fix."""
        refs = [slot.actor.describe.remote() for slot in self._state.slots]
        try:
            infos = ray.get(refs, timeout=START_TIMEOUT)
        except (ray.exceptions.RayError, TimeoutError) as exc:
            for slot in self._state.slots:
                ray.kill(slot.actor, no_restart=True)
            ray.shutdown()
            raise ExecutorError(
                f"a Ray worker could not start: {_root_cause(exc)}",
                hint="every node needs proofroute and the same toolchains as this machine "
                "(one image per toolchain version, see docs/scale.md)",
            ) from None
        for slot, info in zip(self._state.slots, infos, strict=True):
            slot.info = info

    def _replace(self, dead: _Slot) -> _Slot:
        """A new actor in the dead one's place (Ray puts it wherever there is room)."""
        fresh = self._start_worker()
        self._state.slots[self._state.slots.index(dead)] = fresh
        ref = fresh.actor.describe.remote()
        # Not waited on here: the dispatcher must keep serving; filled in when it answers.
        threading.Thread(target=self._learn, args=(fresh, ref), daemon=True).start()
        return fresh

    def _learn(self, slot: _Slot, ref: Any) -> None:
        try:
            info = ray.get(ref, timeout=START_TIMEOUT)
        except (ray.exceptions.RayError, TimeoutError):
            return  # its first unit will find out and count it lost
        with self._lock:
            slot.info = info

    # -- the dispatcher thread --------------------------------------------------------

    def _dispatch(self) -> None:
        """The loop, and should it ever fail, every waiting caller told why (a caller
        blocked on a future that nobody will complete would hang the run)."""
        try:
            self._serve()
        except Exception as exc:
            log.exception("the Ray dispatcher failed")
            with self._lock:
                self._state.closed = True
                items = [*self._state.pending, *(i for _, i in self._state.running.values())]
                self._state.pending.clear()
                self._state.running.clear()
            for item in items:
                item.future.set_exception(ExecutorError(f"the Ray executor failed: {exc}"))

    def _serve(self) -> None:
        while True:
            with self._lock:
                if self._state.closed:
                    return
                self._assign()
                refs = list(self._state.running)
                if not refs:
                    self._lock.wait(POLL)
                    continue
            done, _ = ray.wait(refs, num_returns=1, timeout=POLL)
            for ref in done:
                self._finish(ref)

    def _assign(self) -> None:
        state = self._state
        for slot in state.slots:
            if not state.pending:
                return
            if not slot.busy:
                item = state.pending.popleft()
                slot.busy = True
                state.running[slot.actor.work.remote(item.unit)] = (slot, item)

    def _finish(self, ref: Any) -> None:
        try:
            value = ray.get(ref)
        except ray.exceptions.RayTaskError as exc:  # the job's own exception
            self._settle(ref, error=_unwrap(exc))
            return
        except ray.exceptions.RayError as exc:
            # Any other: the worker or its node is gone (killed, crashed, or killed by
            # Ray's memory monitor, which Ray reports as OutOfMemoryError).
            self._lost(ref, exc)
            return
        self._settle(ref, value=value)

    def _settle(self, ref: Any, *, value: Any = None, error: BaseException | None = None) -> None:
        with self._lock:
            entry = self._state.running.pop(ref, None)
            if entry is None:
                return  # closed meanwhile: the future already says so
            slot, item = entry
            slot.busy = False
        if error is not None:
            item.future.set_exception(error)
        else:
            item.future.set_result(value)

    def _lost(self, ref: Any, exc: BaseException) -> None:
        with self._lock:
            entry = self._state.running.pop(ref, None)
            if entry is None:
                return
            slot, item = entry
            self._state.counts.lost += 1
            self._replace(slot)
            if item.tries >= self._settings.max_retries:
                give_up = True
            else:
                give_up = False
                item.tries += 1
                self._state.counts.retried += 1
                self._state.pending.appendleft(item)
        log.warning("a Ray worker died (%s); unit %s", _first_line(exc),
                    "given up" if give_up else "sent to another worker")
        if give_up:
            item.future.set_exception(WorkerLost(
                f"a unit lost its worker {item.tries + 1} times: {_first_line(exc)}",
                hint="look at the Ray logs of the nodes (`ray logs`); a unit that kills its "
                "worker every time needs more memory per worker (--ray-cpus-per-worker)",
            ))


def _reachable(address: str) -> None:
    """Fail at once on an address nothing listens on (Ray itself would retry for minutes)."""
    if address == "auto":
        return
    host, _, port = address.split("://")[-1].rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT).close()
    except (OSError, ValueError) as exc:
        raise ExecutorError(
            f"no Ray cluster answers at {address}: {exc}",
            hint="start one with `ray start --head` (see docs/scale.md), or fix "
            "--ray-address / RAY_ADDRESS (HOST:PORT of the head node)",
        ) from None


def _unwrap(exc: ray.exceptions.RayTaskError) -> BaseException:
    """The job's own exception as it was raised on the worker, when Ray could carry it."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        return cause
    return ExecutorError(f"a unit failed on a Ray worker: {_first_line(exc)}")


def _root_cause(exc: BaseException) -> str:
    """What went wrong on the worker: the innermost exception Ray carried, else the last
    `...Error: ...` line of its report (where the traceback ends)."""
    seen: BaseException = exc
    while isinstance(cause := getattr(seen, "cause", None), BaseException):
        seen = cause
    if seen is not exc:
        return f"{type(seen).__name__}: {_first_line(seen)}"
    lines = [line.strip() for line in str(exc).splitlines() if "Error: " in line]
    return lines[-1] if lines else _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
