"""`SandboxPool`: warm spares are used once each, jailed like cold children, cleaned up.

The hostile payloads run through a pool in test_adversarial.py (every test there has a
``warm-spare`` variant); these tests pin down what is particular to the pool.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from verifier.sandbox import (
    CallStatus,
    Limits,
    PythonWorker,
    SandboxPool,
    run_python_calls,
    shared_pool,
)
from verifier.sandbox.containment import pids_of_uid
from verifier.sandbox.protocol import Ready

LIMITS = Limits(wall_seconds=10, cpu_seconds=10, memory_bytes=512 << 20, processes=16,
                open_files=64, file_size_bytes=1 << 20, output_bytes=4096)

MODULE = '''\
import os

state = []


def f(x):
    state.append(x)
    return x + 1, len(state), os.getcwd()


def spin(x):
    while True:
        pass
'''


def wait_ready(pool: SandboxPool, timeout: float = 20.0) -> None:
    """Until a spare has been started (so the next take is really warm)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spares = pool.ready()
        if spares and isinstance(spares[0].wait_ready(timeout), Ready):
            return
        time.sleep(0.01)
    raise AssertionError("no spare became ready")


@pytest.fixture
def pool():
    with SandboxPool(LIMITS) as p:
        yield p


def test_a_warm_spare_runs_the_module_and_is_jailed_like_a_cold_child(pool: SandboxPool) -> None:
    wait_ready(pool)
    warm = run_python_calls(MODULE, None, "f", [{"x": 1}], limits=LIMITS, pool=pool)
    cold = run_python_calls(MODULE, None, "f", [{"x": 1}], limits=LIMITS)
    assert pool.warm == 1 and pool.cold == 0
    assert warm.calls[0].result()[:2] == cold.calls[0].result()[:2] == [2, 1]
    assert warm.report.mechanisms[:4] == cold.report.mechanisms[:4]
    strip = [m.split(":")[0] for m in warm.report.mechanisms]
    assert strip == [m.split(":")[0] for m in cold.report.mechanisms]
    assert warm.report.rlimits == cold.report.rlimits
    assert "audit-hook" in warm.report.mechanisms


def test_each_child_serves_one_worker_only(pool: SandboxPool) -> None:
    seen = []
    for _ in range(3):
        wait_ready(pool)
        batch = run_python_calls(MODULE, None, "f", [{"x": 1}, {"x": 2}], limits=LIMITS, pool=pool)
        # Module state starts empty in every worker: a fresh process each time.
        assert [c.result()[1] for c in batch.calls] == [1, 2]
        seen.append((batch.report.uid, batch.report.scratch))
    assert len(set(seen)) == 3
    assert pool.warm == 3


def test_used_and_idle_children_are_gone_after_close() -> None:
    pool = SandboxPool(LIMITS)
    wait_ready(pool)
    batch = run_python_calls(MODULE, None, "f", [{"x": 1}], limits=LIMITS, pool=pool)
    wait_ready(pool)
    idle = pool.ready()[0]
    pool.close()
    assert not Path(batch.report.scratch).exists()
    assert not idle.jail.scratch.exists()
    assert idle.proc.poll() is not None
    for uid in (batch.report.uid, idle.jail.uid):
        if uid is not None:
            assert pids_of_uid(uid) == []
    if idle.jail.cgroup is not None:
        assert not idle.jail.cgroup.exists()


def test_flush_waits_for_the_background_teardown(pool: SandboxPool) -> None:
    batch = run_python_calls(MODULE, None, "f", [{"x": 1}], limits=LIMITS, pool=pool)
    assert pool.flush(30)
    assert not Path(batch.report.scratch).exists()


def test_a_timeout_replaces_the_child_and_the_batch_goes_on(pool: SandboxPool) -> None:
    wait_ready(pool)
    with PythonWorker(module_source=MODULE, function="spin", limits=LIMITS, call_timeout=0.5,
                      pool=pool) as worker:
        batch = worker.run([{"x": 1}, {"x": 2}])
    assert [c.status for c in batch.calls] == [CallStatus.TIMEOUT, CallStatus.TIMEOUT]
    assert batch.children == 2


def test_a_worker_with_other_limits_does_not_use_the_pool(pool: SandboxPool) -> None:
    other = Limits(wall_seconds=5, cpu_seconds=5, memory_bytes=512 << 20, processes=8)
    with PythonWorker(module_source=MODULE, function="f", limits=other, pool=pool) as worker:
        assert worker.pool is None
        batch = worker.run([{"x": 1}])
    assert batch.calls[0].result()[0] == 2
    assert batch.report.process_limit == 8
    assert pool.warm == 0


def test_a_spare_that_died_while_idle_is_not_handed_out(pool: SandboxPool) -> None:
    wait_ready(pool)
    dead = pool.ready()[0]
    dead.kill()
    batch = run_python_calls(MODULE, None, "f", [{"x": 1}], limits=LIMITS, pool=pool)
    assert batch.load_error is None and batch.calls[0].result()[0] == 2
    assert batch.report.scratch != str(dead.jail.scratch)


def test_a_spare_jailed_for_another_cwd_is_not_handed_out(
    pool: SandboxPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wait_ready(pool)
    stale = pool.ready()[0]
    (tmp_path / "secret.txt").write_text("hunter2")
    monkeypatch.chdir(tmp_path)  # the new cwd must be unreadable, as for a cold child
    batch = run_python_calls("def f(p):\n    return open(p).read()\n", None, "f",
                             [{"p": str(tmp_path / "secret.txt")}], limits=LIMITS, pool=pool)
    assert batch.calls[0].status == CallStatus.VIOLATION
    assert "hunter2" not in repr(batch)
    assert batch.report.scratch != str(stale.jail.scratch)
    assert pool.flush(30) and not stale.jail.scratch.exists()


def test_shared_pool_is_one_per_limits() -> None:
    a = shared_pool(LIMITS)
    assert shared_pool(LIMITS) is a
    other = Limits(wall_seconds=3)
    b = shared_pool(other)
    assert b is not a and b.limits == other
    b.close()
    assert shared_pool(other) is not b
    shared_pool(other).close()


def test_prestart_keeps_more_spares_ready(pool: SandboxPool) -> None:
    pool.prestart(2)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(pool.ready()) < 2:
        time.sleep(0.02)
    assert len(pool.ready()) == 2
    uids = {c.jail.uid for c in pool.ready()}
    assert len(uids) == 2 or os.geteuid() != 0
