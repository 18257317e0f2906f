"""verifier.cancel: a cancel reaches a real child process and a real blocked HTTP call."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from verifier import cancel
from verifier.sandbox.limits import Limits, run_limited


def _cancel_after(scope: cancel.Scope, seconds: float) -> None:
    threading.Timer(seconds, scope.cancel).start()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_cancel_kills_the_child_process_at_once(tmp_path: Path) -> None:
    scope = cancel.Scope("t")
    started = time.monotonic()
    with cancel.running(scope):
        _cancel_after(scope, 1.0)
        with pytest.raises(cancel.Cancelled):
            # the shell writes its pid, then becomes a 60 s sleep unless killed
            run_limited(["sh", "-c", "echo $$ > pid; exec sleep 60"], limits=Limits(wall_seconds=60), cwd=tmp_path)
    assert time.monotonic() - started < 10
    pid = int((tmp_path / "pid").read_text())
    assert not _alive(pid)


def test_outside_a_scope_nothing_changes() -> None:
    run = run_limited(["sh", "-c", "echo hi"], limits=Limits(wall_seconds=30))
    assert run.returncode == 0 and run.stdout.strip() == b"hi"
    assert cancel.interruptible(lambda: 41 + 1) == 42
    cancel.checkpoint()  # no scope: never raises


def test_a_cancel_ends_a_model_call_that_never_answers() -> None:
    """A real socket that accepts and never replies: the waiting thread is freed anyway."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1/chat/completions"
        scope = cancel.Scope("model")
        started = time.monotonic()
        with cancel.running(scope), httpx.Client(timeout=120) as client:
            _cancel_after(scope, 0.5)
            with pytest.raises(cancel.Cancelled):
                cancel.interruptible(lambda: client.post(url, json={}), stop=client.close)
        assert time.monotonic() - started < 5


def test_stops_registered_after_the_cancel_run_at_once() -> None:
    scope = cancel.Scope()
    scope.cancel()
    stopped: list[str] = []
    with cancel.running(scope), cancel.killable(lambda: stopped.append("x")):
        pass
    assert stopped == ["x"]
    with pytest.raises(cancel.Cancelled):
        scope.checkpoint()


def test_threads_of_a_pool_see_the_scope_when_propagated() -> None:
    scope = cancel.Scope()
    seen: list[cancel.Scope | None] = []
    with cancel.running(scope):
        worker = threading.Thread(target=cancel.propagating(lambda: seen.append(cancel.current())))
        worker.start()
        worker.join()
    assert seen == [scope]
