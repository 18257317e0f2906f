"""The one place an executor is chosen from the user's settings.

Ray is an optional extra (`pip install 'proofroute[scale]'`), so its module is imported
only when it is asked for: a machine without Ray runs everything on the local pool.
"""

from __future__ import annotations

import importlib

from verifier.scale.executor import (
    C,
    Executor,
    ExecutorError,
    ExecutorKind,
    ExecutorSettings,
    Job,
    LocalExecutor,
    R,
    U,
)


def open_executor(job: Job[U, R, C], settings: ExecutorSettings) -> Executor[U, R]:
    """The local pool (`settings.workers` threads, default 1) or the Ray cluster."""
    if settings.kind is ExecutorKind.LOCAL:
        return LocalExecutor(job, slots=settings.workers or 1)
    try:
        module = importlib.import_module("verifier.scale.ray_executor")
    except ModuleNotFoundError as exc:
        if exc.name != "ray" and not (exc.name or "").startswith("ray."):
            raise
        raise ExecutorError(
            "--executor ray needs Ray, which is not installed",
            hint="pip install 'proofroute[scale]' (on this machine and every node)",
        ) from None
    executor: Executor[U, R] = module.RayExecutor(job, settings)
    return executor
