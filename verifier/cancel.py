"""Cancellation that reaches what a run is blocked on: a verifier process, a model call.

A job service runs a generation on a worker thread; its client may cancel it while that
thread waits for Dafny (seconds to minutes) or for a model's reply. Checking a flag
between events is not enough: the wait itself must end. So the code that starts a child
process or makes a blocking call registers how to stop it (`killable`) with the run's
`Scope`, found through a context variable; `Scope.cancel()` (from any thread) runs every
registered stop, and the waiting thread then raises `Cancelled`.

Outside a scope (the CLI, the Python API) every helper here does nothing but call through.
`Cancelled` is a BaseException so that no `except Exception` on the way up swallows it.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Cancelled(BaseException):
    """The run's scope was cancelled; raised in the thread doing the run's work."""


class Scope:
    """One run's cancellation: a flag, and the stops of what the run is waiting on."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._stops: dict[int, Callable[[], None]] = {}
        self._next = 0

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        """Set the flag and stop everything registered (idempotent, any thread)."""
        with self._lock:
            self._event.set()
            stops = list(self._stops.values())
        for stop in stops:
            with contextlib.suppress(Exception):
                stop()

    def wait(self, timeout: float | None) -> bool:
        return self._event.wait(timeout)

    def checkpoint(self) -> None:
        if self.cancelled:
            raise Cancelled(self.name)

    @contextlib.contextmanager
    def registered(self, stop: Callable[[], None]) -> Iterator[None]:
        with self._lock:
            token, self._next = self._next, self._next + 1
            self._stops[token] = stop
            already = self._event.is_set()
        if already:
            stop()
        try:
            yield
        finally:
            with self._lock:
                self._stops.pop(token, None)


_CURRENT: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("proofroute_cancel_scope", default=None)


def current() -> Scope | None:
    return _CURRENT.get()


@contextlib.contextmanager
def running(scope: Scope) -> Iterator[Scope]:
    """Make `scope` the current one for this thread's work (and threads started with
    `propagating`)."""
    token = _CURRENT.set(scope)
    try:
        yield scope
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def killable(stop: Callable[[], None]) -> Iterator[None]:
    """While inside, a cancel of the current scope calls `stop` (e.g. kill a process group)."""
    scope = current()
    if scope is None:
        yield
        return
    with scope.registered(stop):
        yield


def requested() -> bool:
    """Whether the current scope (if any) has been cancelled: for a polling wait."""
    scope = current()
    return scope is not None and scope.cancelled


def checkpoint() -> None:
    """Raise `Cancelled` when the current scope has been cancelled."""
    scope = current()
    if scope is not None:
        scope.checkpoint()


def propagating(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` bound to the caller's context, for a thread pool: its work stays cancellable."""
    return _bound(contextvars.copy_context(), fn)


def _bound(context: contextvars.Context, fn: Callable[..., T]) -> Callable[..., T]:
    def run(*args: object, **kwargs: object) -> T:
        return context.copy().run(fn, *args, **kwargs)

    return run


def interruptible(fn: Callable[[], T], *, stop: Callable[[], None] | None = None) -> T:
    """`fn()`, but a cancel of the current scope ends the wait at once (raising `Cancelled`)
    rather than when `fn` returns: for a model call, which has no process to kill. `fn`
    runs on a helper thread; `stop` (e.g. closing the HTTP client) is called on cancel so
    the abandoned call ends early too."""
    scope = current()
    if scope is None:
        return fn()
    scope.checkpoint()
    box: list[T] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            box.append(fn())
        except BaseException as exc:  # handed to the waiting thread, re-raised there
            failure.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=_bound(contextvars.copy_context(), work), daemon=True,
                              name=f"interruptible-{scope.name}")
    with scope.registered(stop or (lambda: None)):
        thread.start()
        while not done.wait(0.1):
            scope.checkpoint()
    if failure:
        raise failure[0]
    return box[0]
