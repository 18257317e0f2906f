"""The executor seam without a cluster: the local pool with the real Dafny, and the
choice of a cluster address."""

from __future__ import annotations

import pytest

from verifier.errors import ProofrouteError
from verifier.results import Verdict
from verifier.scale import (
    CheckJob,
    CheckRequest,
    ExecutorChecker,
    ExecutorClosed,
    ExecutorError,
    ExecutorKind,
    ExecutorSettings,
    LocalExecutor,
    ToolchainQuery,
    open_executor,
)

pytestmark = pytest.mark.dafny

WRONG = "method M(a: int) returns (m: int) ensures m > a { m := a; }\n"


def test_the_local_pool_checks_in_the_callers_thread_and_reports_errors_as_results() -> None:
    executor = open_executor(CheckJob("dafny"), ExecutorSettings())
    assert isinstance(executor, LocalExecutor) and executor.slots == 1
    try:
        refuted = executor.submit(CheckRequest(WRONG, 60.0))
        assert refuted.done()  # ran in this thread: the local pool is the caller's threads
        assert refuted.result().verdict is Verdict.REFUTED
        info = executor.submit(ToolchainQuery()).result()
        assert info.name.lower().startswith("dafny") and info.ok
        as_task = executor.submit(CheckRequest(WRONG, 60.0, task="theorem t : True"))
        with pytest.raises(ProofrouteError, match="cannot check tasks"):
            as_task.result()
        assert executor.stats().submitted == 3 and executor.stats().kind is ExecutorKind.LOCAL
    finally:
        executor.close()
    with pytest.raises(ExecutorClosed):
        executor.submit(CheckRequest(WRONG, 60.0))


def test_the_checker_is_a_backend_for_the_runners() -> None:
    checker = ExecutorChecker(LocalExecutor(CheckJob("dafny"), slots=2))
    try:
        assert checker.available().ok
        assert checker.check(WRONG, timeout=60).verdict is Verdict.REFUTED
        assert checker.executor.slots == 2
    finally:
        checker.close()


def test_a_ray_run_without_an_address_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    with pytest.raises(ExecutorError, match="needs a cluster address") as caught:
        ExecutorSettings(ExecutorKind.RAY).ray_address()
    assert "--ray-address" in str(caught.value) and "RAY_ADDRESS" in str(caught.value)
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6379")
    assert ExecutorSettings(ExecutorKind.RAY).ray_address() == "10.0.0.5:6379"
    assert ExecutorSettings(ExecutorKind.RAY, address="auto").ray_address() == "auto"
