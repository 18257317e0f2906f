"""The Ray executor on a real local cluster (two nodes) with the real Dafny: checks give
the verdicts of the local pool, a worker killed in the middle of a check has the check
redone by another worker, and closing fails unfinished units as unfinished."""

from __future__ import annotations

import os
import signal
import time
import uuid
from typing import TYPE_CHECKING

import pytest

from verifier.results import CheckResult, Verdict
from verifier.scale import (
    CheckJob,
    CheckRequest,
    ExecutorClosed,
    ExecutorError,
    ExecutorKind,
    ExecutorSettings,
    LocalExecutor,
)
from verifier.scale.ray_executor import RayExecutor

if TYPE_CHECKING:
    from tests.scale.conftest import LocalCluster

pytestmark = [pytest.mark.slow, pytest.mark.dafny]

SUM = """method Sum{tag}{i}(n: nat) returns (s: nat)
  ensures s == n * (n + 1) / 2
{{
  s := 0; var k := 0;
  while k < n invariant k <= n invariant s == k * (k + 1) / 2 {{ k := k + 1; s := s + k; }}
}}
"""
WRONG = """method Max{tag}(a: int, b: int) returns (m: int) ensures m >= a && m >= b {{ m := a; }}
"""


def program(methods: int) -> str:
    """A file that verifies, in about half a second per method (deterministic, unlike a
    time limit); a fresh tag so no result cache on any worker has seen it."""
    tag = uuid.uuid4().hex[:8]
    return "".join(SUM.format(tag=tag, i=i) for i in range(methods))


def wrong() -> str:
    return WRONG.format(tag=uuid.uuid4().hex[:8])


def settings(cluster: LocalCluster, **extra: object) -> ExecutorSettings:
    return ExecutorSettings(ExecutorKind.RAY, address=cluster.address, **extra)  # type: ignore[arg-type]


def summary(result: CheckResult) -> tuple[Verdict, list[tuple[str, int | None, str]]]:
    return result.verdict, [(d.kind, d.line, d.message) for d in result.diagnostics]


def test_checks_on_the_cluster_give_the_local_pools_verdicts(ray_cluster: LocalCluster) -> None:
    requests = [CheckRequest(s, 60.0) for s in (program(2), wrong(), program(1), wrong())]
    with LocalExecutor(CheckJob("dafny"), slots=1) as local:
        expected = [summary(local.submit(r).result()) for r in requests]
    with RayExecutor(CheckJob("dafny"), settings(ray_cluster)) as remote:
        assert remote.slots == 2  # one worker per CPU of the two nodes
        nodes = {info.node for info, _ in remote.workers() if info is not None}
        assert len(nodes) == 2  # spread over both nodes
        futures = [remote.submit(r) for r in requests]
        got = [summary(f.result(timeout=600)) for f in futures]
        assert remote.stats().submitted == 4 and remote.stats().retried == 0
    assert got == expected
    assert [v for v, _ in got] == [Verdict.VERIFIED, Verdict.REFUTED] * 2


def busy_worker(executor: RayExecutor, deadline: float) -> int:
    while time.monotonic() < deadline:
        for info, busy in executor.workers():
            if busy and info is not None:
                return info.pid
        time.sleep(0.05)
    raise AssertionError("no worker became busy")


def test_a_worker_killed_mid_check_has_its_check_redone_elsewhere(
    ray_cluster: LocalCluster,
) -> None:
    requests = [CheckRequest(program(10), 120.0), CheckRequest(program(10), 120.0)]
    with RayExecutor(CheckJob("dafny"), settings(ray_cluster)) as remote:
        before = {info.pid for info, _ in remote.workers() if info is not None}
        futures = [remote.submit(r) for r in requests]
        time.sleep(1.0)  # both checks under way (each takes several seconds)
        victim = busy_worker(remote, time.monotonic() + 60)
        os.kill(victim, signal.SIGKILL)
        results = [f.result(timeout=600) for f in futures]
        stats = remote.stats()
        after = {info.pid for info, _ in remote.workers() if info is not None}
    assert [r.verdict for r in results] == [Verdict.VERIFIED, Verdict.VERIFIED]
    assert stats.workers_lost == 1 and stats.retried == 1
    assert victim in before and victim not in after


def test_closing_fails_unfinished_units_as_unfinished(ray_cluster: LocalCluster) -> None:
    remote = RayExecutor(CheckJob("dafny"), settings(ray_cluster, workers=1))
    futures = [remote.submit(CheckRequest(program(10), 120.0)) for _ in range(2)]
    busy_worker(remote, time.monotonic() + 60)
    remote.close()
    for future in futures:
        with pytest.raises(ExecutorClosed, match="redone when the run resumes"):
            future.result(timeout=30)
    with pytest.raises(ExecutorClosed):
        remote.submit(CheckRequest(wrong(), 60.0))


def test_a_worker_that_cannot_open_its_job_says_why(ray_cluster: LocalCluster) -> None:
    with pytest.raises(ExecutorError, match="a Ray worker could not start") as caught:
        RayExecutor(CheckJob("nosuch"), settings(ray_cluster, workers=1))
    assert "unknown backend 'nosuch'" in str(caught.value)
    assert "one image per toolchain version" in str(caught.value)
