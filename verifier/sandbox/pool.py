"""Warm spares: jailed, booted sandbox children waiting for the module they will run.

Why: starting a child costs ~0.1 s (fork + jail set-up, a pids-cgroup move that waits
for an RCU grace period, a network namespace, interpreter start, the worker's imports
and audit hook) and teardown a few ms more. The generate loop quick-tests one small
candidate after another, so that cost alone was a third of Dafny's time per candidate.
A `SandboxPool` pays it ahead, on a background thread, while the current candidate runs
or while Dafny checks it; the next `PythonWorker` finds a child that only needs ``load``.

What does *not* change: every child is still used for one worker only (a fresh private
uid, cgroup, network namespace and scratch dir each; never returned to the pool), its
audit hook is installed before it is handed out, and a used child is SIGKILLed (with its
whole cgroup) the moment its worker lets it go. Only the slower rest of the teardown —
the uid sweep, removing the cgroup, the scratch dir and the uid's litter in ``/tmp`` —
runs on the background thread, and `close()` (also at interpreter exit) waits for it.

The pool only lends children (child.py); running calls is the runner's (runner.py),
which takes from a pool it is given. Usage (one pool per set of limits, shared by the
threads of a process)::

    pool = SandboxPool(QUICK_LIMITS)           # starts two spares in the background
    with PythonWorker(module_source=src, function="F", limits=QUICK_LIMITS,
                      pool=pool) as worker:
        batch = worker.run(calls)              # the worker's child is a warm spare
    ...
    pool.close()                               # or `with SandboxPool(...) as pool:`

`shared_pool(limits)` returns one process-wide pool per limits, closed at exit.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import logging
import threading
import time

from verifier.sandbox.child import Child
from verifier.sandbox.containment import host_support, python_for_unprivileged
from verifier.sandbox.limits import Limits

log = logging.getLogger(__name__)

_WAIT_FOR_STARTING = 5.0  # seconds to wait for a spare being started before going cold


class SandboxPool:
    """Keeps `spares` jailed children booted (audit hook installed), one module each.

    Thread-safe: `take` may be called from several threads (one worker per thread).
    Children are started and torn down on one daemon thread; when no spare is ready and
    none is being started, a worker starts its own child exactly as without a pool, so a
    pool can only make a worker faster, never change what it does.
    """

    def __init__(
        self,
        limits: Limits,
        *,
        spares: int = 2,
        audit_hook: bool = True,
        drop_privileges: bool = True,
    ) -> None:
        # Two by default: a candidate that follows a failed one at once (no Dafny call in
        # between) still finds one booted while the other's replacement starts.
        if spares < 0:
            raise ValueError("spares must be >= 0")
        self.limits = limits
        self.spares = spares
        self.audit_hook = audit_hook
        # Probed here, once, so the background thread never races the probes.
        host_support()
        self.interpreter = python_for_unprivileged() if drop_privileges else None
        self.drop_privileges = drop_privileges and self.interpreter is not None
        self.warm = 0  # children handed out ready (or already starting)
        self.cold = 0  # times a worker had to start its own child
        self._ready: collections.deque[Child] = collections.deque()
        self._starting = 0
        self._out: set[int] = set()  # ids of spares handed out and not yet disposed
        self._dead: list[Child] = []
        self._tearing = 0  # teardowns in progress on the background thread
        self._start_failed = False  # the last start failed: do not wait for the next
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="sandbox-pool", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # -- public --------------------------------------------------------------------------
    def serves(self, limits: Limits, *, audit_hook: bool, drop_privileges: bool) -> bool:
        """True if this pool's spares were jailed exactly as such a worker's would be."""
        return (not self._closed and limits == self.limits and audit_hook == self.audit_hook
                and drop_privileges == self.drop_privileges)

    def prestart(self, spares: int | None = None) -> None:
        """Raise the number of spares kept ready (e.g. to the loop's candidates per round)."""
        with self._cond:
            if spares is not None:
                self.spares = max(self.spares, spares)
            self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every child workers let go of is fully torn down (scratch dir,
        cgroup and the uid's processes gone). For callers and tests that inspect the host
        right after a run; False if `timeout` passed first."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._closed or (not self._dead and self._tearing == 0), timeout)

    def close(self) -> None:
        """Kill the idle spares and finish every pending teardown; idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        with self._cond:
            left = list(self._ready) + self._dead
            self._ready.clear()
            self._dead = []
        for child in left:
            _cleanup(child)
        with contextlib.suppress(Exception):
            atexit.unregister(self.close)

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ready(self) -> tuple[Child, ...]:
        """The spares idle now, oldest first (a snapshot, for tests and diagnostics)."""
        with self._cond:
            return tuple(self._ready)

    # -- for the runner: lend a child, take it back dead ------------------------------------
    def take(self) -> Child | None:
        """A booted (or booting) spare for one worker; None: the worker starts its own."""
        deadline = time.monotonic() + _WAIT_FOR_STARTING
        with self._cond:
            while not self._closed:
                while self._ready:
                    child = self._ready.popleft()
                    if child.usable():
                        self.warm += 1
                        self._out.add(id(child))
                        return child
                    self._dead.append(child)
                    self._cond.notify_all()
                left = deadline - time.monotonic()
                coming = self._starting > 0 or (self._due() and not self._start_failed)
                if not coming or left <= 0 or self.spares == 0:
                    break
                # One is being started (or is about to be, its slot just freed): waiting
                # for it is no slower than a cold start, and two children booting at once
                # on a small machine would slow both.
                self._cond.wait(left)
            self.cold += 1
            return None

    def dispose(self, child: Child) -> None:
        """A worker is done with `child` (killed, or about to be: `Child.stop`/`kill`);
        the rest of its teardown runs in the background, and its slot frees for a new spare."""
        with self._cond:
            self._out.discard(id(child))
            if not self._closed:
                self._dead.append(child)
                self._cond.notify_all()  # tear it down, and start its replacement
                return
        _cleanup(child)

    # -- background ----------------------------------------------------------------------
    def _due(self) -> bool:
        """A spare slot is free: the background thread starts one next (lock held)."""
        return len(self._ready) + self._starting + len(self._out) < self.spares

    def _loop(self) -> None:
        while True:
            with self._cond:
                # A spare handed out still holds its slot: the replacement is started
                # when the worker lets it go, so the start (a few ms of this process's
                # CPU and GIL) falls between candidates — in the loop, while Dafny
                # checks — rather than slowing the candidate that is running.
                while not self._closed and not self._dead and not self._due():
                    self._cond.wait()
                if self._closed:
                    return
                # Starting a spare comes before tearing down: the next candidate may be
                # only milliseconds away, and teardown can wait.
                if self._due():
                    dead = None
                    self._starting += 1
                else:
                    dead = self._dead.pop()
                    self._tearing += 1
            if dead is not None:
                _cleanup(dead)
                with self._cond:
                    self._tearing -= 1
                    self._cond.notify_all()
                continue
            child = None
            try:
                child = Child(self.limits, drop_privileges=self.drop_privileges,
                               interpreter=self.interpreter, audit_hook=self.audit_hook,
                               preload=True)
            except Exception:  # a host problem: workers fall back to cold starts
                log.exception("starting a sandbox spare failed")
            with self._cond:
                self._starting -= 1
                self._start_failed = child is None
                if child is not None:
                    if self._closed:
                        self._dead.append(child)
                    else:
                        self._ready.append(child)
                self._cond.notify_all()
            if child is None:
                time.sleep(1.0)  # do not spin on a broken host


def _cleanup(child: Child) -> None:
    try:
        child.cleanup()
    except Exception:
        log.exception("sandbox teardown failed (scratch %s)", child.jail.scratch)


_SHARED: dict[tuple[Limits, bool, bool], SandboxPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(limits: Limits, *, audit_hook: bool = True, drop_privileges: bool = True,
                spares: int = 2) -> SandboxPool:
    """The process-wide pool for these settings (created on first use, closed at exit).

    For callers that create a `PythonWorker` per task and have no place to keep a pool:
    ``PythonWorker(..., limits=L, pool=shared_pool(L))``."""
    key = (limits, audit_hook, drop_privileges)
    with _SHARED_LOCK:
        pool = _SHARED.get(key)
        if pool is None or pool._closed:
            pool = SandboxPool(limits, spares=spares, audit_hook=audit_hook,
                               drop_privileges=drop_privileges)
            _SHARED[key] = pool
        elif spares > pool.spares:
            pool.prestart(spares)
        return pool
