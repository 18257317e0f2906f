"""Backends drive real external verifiers behind one protocol.

A backend module exposes `backend(**options) -> Backend`; the registry below maps names
and file extensions to those modules and imports them lazily, so a missing optional
toolchain costs nothing until it is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from verifier.errors import ProofrouteError
from verifier.results import CheckResult, ToolchainInfo


@runtime_checkable
class Backend(Protocol):
    name: str
    extensions: tuple[str, ...]

    def available(self) -> ToolchainInfo:
        """What was found on this machine; never raises."""
        ...

    def check(self, source: str, *, timeout: float, filename: str | None = None) -> CheckResult:
        """Verify one source text. Raises `ToolchainMissing` when the toolchain is unusable."""
        ...

    def check_many(self, sources: Sequence[str], *, timeout: float) -> list[CheckResult]:
        """Verify several texts, in input order, as many at once as the backend can."""
        ...

    def close(self) -> None:
        """Stop what the backend keeps running (servers, warm sessions); idempotent."""
        ...


@runtime_checkable
class TaskChecking(Backend, Protocol):
    """A backend that checks an answer against a task: the task's statements kept, its
    units passed, every proof audited (Lean's, for FVAPPS-style tasks)."""

    def check_task(self, source: str, *, task: str, timeout: float = 600,
                   units: str | None = None, filename: str | None = None) -> CheckResult:
        ...


# name -> (module, extensions)
REGISTRY: dict[str, tuple[str, tuple[str, ...]]] = {
    "dafny": ("verifier.backends.dafny", (".dfy",)),
    "lean": ("verifier.backends.lean", (".lean",)),
}


def get_backend(name: str, **options: Any) -> Backend:
    try:
        module_name, _ = REGISTRY[name]
    except KeyError:
        raise ProofrouteError(
            f"unknown backend {name!r}", hint=f"choose one of: {', '.join(sorted(REGISTRY))}"
        ) from None
    return importlib.import_module(module_name).backend(**options)


def backend_name_for_path(path: str | Path) -> str:
    suffix = Path(path).suffix
    for name, (_, extensions) in REGISTRY.items():
        if suffix in extensions:
            return name
    known = ", ".join(ext for _, exts in REGISTRY.values() for ext in exts)
    raise ProofrouteError(
        f"{path}: cannot tell which verifier checks '{suffix or 'no extension'}' files",
        hint=f"give a file ending in one of: {known}",
    )
