"""Scale-out: where the units of a benchmark or a batch `generate` run.

`open_executor(job, settings)` gives the local pool (the default) or a Ray cluster
(`--executor ray`); docs/scale.md says how to run on a cluster.
"""

from verifier.scale.checks import CheckJob, CheckRequest, ExecutorChecker, ToolchainQuery
from verifier.scale.executor import (
    Executor,
    ExecutorClosed,
    ExecutorError,
    ExecutorKind,
    ExecutorSettings,
    ExecutorStats,
    Job,
    LocalExecutor,
    WorkerLost,
)
from verifier.scale.factory import open_executor

__all__ = [
    "CheckJob",
    "CheckRequest",
    "Executor",
    "ExecutorChecker",
    "ExecutorClosed",
    "ExecutorError",
    "ExecutorKind",
    "ExecutorSettings",
    "ExecutorStats",
    "Job",
    "LocalExecutor",
    "ToolchainQuery",
    "WorkerLost",
    "open_executor",
]
