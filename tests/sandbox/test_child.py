"""child.py: one jailed interpreter, typed messages in and out, and nothing left after it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from verifier.errors import ProofrouteError
from verifier.sandbox import ChildStartFailed, Limits, host_support
from verifier.sandbox.child import Child, Lost, LostReason
from verifier.sandbox.containment import pids_of_uid, python_for_unprivileged
from verifier.sandbox.protocol import Call, Called, CallStatus, Load, Loaded, LoadFailed, Ready

LIMITS = Limits(wall_seconds=10, cpu_seconds=10, memory_bytes=512 << 20, processes=16,
                open_files=64, file_size_bytes=1 << 20, output_bytes=4096)
MODULE = "import time\ndef f(x):\n    return x * 2\ndef nap(t):\n    time.sleep(t)\n"


@pytest.fixture
def child():
    c = Child(LIMITS, drop_privileges=True, interpreter=python_for_unprivileged(), audit_hook=True)
    yield c
    c.cleanup()


def load(child: Child, function: str = "f", source: str = MODULE) -> object:
    ready = child.wait_ready(10)
    assert isinstance(ready, Ready) and ready.audit, ready
    return child.request(Load(source=source, filename="m.py", module_name="m",
                              function=function), 10)


def test_a_child_boots_loads_and_answers_calls(child: Child) -> None:
    ready = child.wait_ready(10)
    assert isinstance(ready, Ready) and ready.pid == child.proc.pid
    assert child.wait_ready(0) is ready  # cached: the pool and the worker may both ask
    if child.jail.uid is not None:
        assert ready.uid == child.jail.uid != os.getuid()
    assert isinstance(load(child), Loaded)
    reply = child.request(Call(index=3, nonce="n3", args={"x": 21}), 5)
    assert reply == Called(index=3, nonce="n3", status=CallStatus.RETURNED,
                           seconds=reply.seconds, value=42, args_after={"x": 21})
    assert child.report().scratch == str(child.jail.scratch)


def test_a_module_without_the_function_is_a_load_failure(child: Child) -> None:
    reply = load(child, function="g")
    assert isinstance(reply, LoadFailed) and reply.error.type == "LookupError"
    assert "'g'" in reply.error.message


def test_no_reply_in_time_is_lost_with_its_reason(child: Child) -> None:
    assert isinstance(load(child, function="nap"), Loaded)
    assert child.request(Call(index=0, nonce="a", args={"t": 5}), 0.3) == Lost(LostReason.TIMEOUT)
    assert child.alive()
    child.kill()
    assert child.died() and child.exit_signal() == 9
    lost = child.request(Call(index=1, nonce="b", args={"t": 0}), 2)
    assert isinstance(lost, Lost) and lost.why == LostReason.CLOSED


def test_cleanup_leaves_no_process_and_no_scratch() -> None:
    c = Child(LIMITS, drop_privileges=True, interpreter=python_for_unprivileged(), audit_hook=True)
    assert isinstance(c.wait_ready(10), Ready)
    scratch, uid = c.jail.scratch, c.jail.uid
    assert (scratch / ".sandbox" / "worker.py").exists()
    c.cleanup()
    assert not scratch.exists() and not c.alive()
    if uid is not None:
        assert pids_of_uid(uid) == []


@pytest.mark.skipif(not host_support().is_root,
                    reason="only a root parent runs the child under another interpreter")
def test_a_child_that_cannot_start_is_a_typed_error_and_leaves_nothing() -> None:
    missing = "/nonexistent-proofroute/python3"
    before = set(Path(tempfile.gettempdir()).glob("proofroute-sbx-*"))
    with pytest.raises(ChildStartFailed) as info:
        Child(LIMITS, drop_privileges=True, interpreter=missing, audit_hook=True)
    error = info.value
    assert isinstance(error, ProofrouteError) and isinstance(error, OSError)
    assert error.interpreter == missing and isinstance(error.reason, FileNotFoundError)
    assert missing in str(error) and error.hint
    assert set(Path(tempfile.gettempdir()).glob("proofroute-sbx-*")) <= before
