"""The executor options every `bench` command and `generate` share: `--executor`,
`--ray-address`, `--ray-cpus-per-worker`, and how they become an executor.

One decorator, so a new benchmark gets scale-out by adding `@executor_options` and
calling `open_checker`; `--jobs` stays the command's own option (its help differs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from verifier.results import ToolchainInfo
from verifier.scale import CheckJob, ExecutorChecker, ExecutorKind, ExecutorSettings, open_executor

F = TypeVar("F", bound=Callable[..., Any])


def executor_options(function: F) -> F:
    """Adds the three options; the command receives `executor`, `ray_address`,
    `ray_cpus_per_worker`."""
    options = [
        click.option(
            "--executor", type=click.Choice([k.value for k in ExecutorKind]),
            default=ExecutorKind.LOCAL.value, show_default=True,
            help="Where the work runs: this machine's pool, or a Ray cluster "
            "(see docs/scale.md).",
        ),
        click.option(
            "--ray-address", default=None, metavar="HOST:PORT",
            help="The Ray cluster for --executor ray [default: $RAY_ADDRESS]; 'auto' finds "
            "one started on this machine.",
        ),
        click.option(
            "--ray-cpus-per-worker", type=click.FloatRange(min=0.0, min_open=True), default=1.0,
            show_default=True,
            help="CPUs Ray reserves per worker; a worker runs one check at a time.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def settings_from(
    executor: str, ray_address: str | None, jobs: int | None, cpus_per_worker: float
) -> ExecutorSettings:
    """`jobs` is threads on this machine (default 1), or Ray workers (default: one per CPU
    of the cluster)."""
    return ExecutorSettings(
        kind=ExecutorKind(executor),
        address=ray_address,
        workers=jobs,
        cpus_per_worker=cpus_per_worker,
    )


def open_checker(
    settings: ExecutorSettings, route: str, options: Mapping[str, Any] | None = None
) -> tuple[ExecutorChecker, ToolchainInfo]:
    """A checker whose checks run on the chosen executor, and the toolchain its workers
    found. A local pool shares one backend with `jobs` checks at once; a Ray worker
    checks one file at a time, so each opens its backend with one job."""
    options = dict(options or {})
    options["jobs"] = (settings.workers or 1) if settings.kind is ExecutorKind.LOCAL else 1
    checker = ExecutorChecker(open_executor(CheckJob(route, options), settings))
    try:
        info = checker.available()
    except BaseException:
        checker.close()
        raise
    return checker, info
