"""Verifier checks as units of an executor: what benchmarks send to their workers.

Why checks, and not whole benchmark units: the check is where a benchmark's time goes,
and the rest of a unit (the model conversation, the results store, resume) must stay
with the one process that writes the results. So a benchmark runner keeps its loop and
its model; only its checker changes, to an `ExecutorChecker` whose checks run on the
executor's workers, each with its own warm backend (DafnyServer pool or Lean session)
and, through it, its own sandbox pool. A worker lost mid-check has that check redone
elsewhere by the executor; the runner never notices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from verifier.backends import Backend, TaskChecking
from verifier.errors import ProofrouteError
from verifier.results import CheckResult, ToolchainInfo
from verifier.routes import open_backend
from verifier.scale.executor import Executor


@dataclass(frozen=True)
class CheckRequest:
    """One check: a whole file (`task` None), or a model's answer to a task (the Lean
    backend's `check_task`: the task's statements kept, its units run)."""

    source: str
    timeout: float
    task: str | None = None
    units: str | None = None
    filename: str | None = None


@dataclass(frozen=True)
class ToolchainQuery:
    """Asks a worker what toolchain it found (the prompts name its version)."""


@dataclass(frozen=True)
class CheckJob:
    """Workers that each open backend `route` with `options` (e.g. a Lake project)."""

    route: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def open(self) -> tuple[Backend, ToolchainInfo]:
        return open_backend(self.route, **dict(self.options))  # ToolchainMissing if unusable

    def work(
        self, context: tuple[Backend, ToolchainInfo], unit: CheckRequest | ToolchainQuery
    ) -> CheckResult | ToolchainInfo:
        backend, info = context
        if isinstance(unit, ToolchainQuery):
            return info
        if unit.task is None:
            return backend.check(unit.source, timeout=unit.timeout, filename=unit.filename)
        if not isinstance(backend, TaskChecking):
            raise ProofrouteError(f"the {self.route} backend cannot check tasks",
                                  hint="send whole files (task None) to this backend")
        return backend.check_task(unit.source, task=unit.task, timeout=unit.timeout, units=unit.units,
                          filename=unit.filename)

    def close(self, context: tuple[Backend, ToolchainInfo]) -> None:
        context[0].close()


class ExecutorChecker:
    """A checker (`check`, `check_task`, `available`) whose checks run on an executor.

    Blocking calls, safe from many threads: a runner with as many threads as the
    executor has slots keeps every worker busy."""

    def __init__(self, executor: Executor[CheckRequest | ToolchainQuery,
                                          CheckResult | ToolchainInfo]) -> None:
        self.executor = executor

    def available(self) -> ToolchainInfo:
        info = self.executor.submit(ToolchainQuery()).result()
        assert isinstance(info, ToolchainInfo)
        return info

    def check(self, source: str, *, timeout: float = 60, filename: str | None = None) -> CheckResult:
        return self._run(CheckRequest(source, timeout, filename=filename))

    def check_task(
        self, source: str, *, task: str, timeout: float = 600, units: str | None = None,
        filename: str | None = None,
    ) -> CheckResult:  # fmt: skip
        return self._run(CheckRequest(source, timeout, task=task, units=units,
                                      filename=filename))

    def _run(self, request: CheckRequest) -> CheckResult:
        result = self.executor.submit(request).result()
        assert isinstance(result, CheckResult)
        return result

    def close(self) -> None:
        self.executor.close()
