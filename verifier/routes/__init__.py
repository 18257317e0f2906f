"""Routes: everything that differs between generating through Dafny and through Lean.

The loop (`verifier.loop`) is the same for every intermediate language — ask, guard,
(optionally) quick-test, check, feed back, restart, budget — and the API, the CLI, the
server and `recheck` name no language either. A route owns the rest: opening its
backend, the prompts, the guard that extracts and vets the program, the check by the
real toolchain, the defense-in-depth acceptance of a VERIFIED result, the feedback, the
artifact it builds from a verified run, and the recheck of that artifact (which reuses
its own guard and acceptance). `open_route(name, spec)` is the one place a route is
chosen; adding a language is one module here and one backend package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from verifier.artifact import Artifact, RecheckStep
from verifier.backends import Backend, get_backend
from verifier.errors import ProofrouteError, ToolchainMissing
from verifier.loop import LoopResult, Stages
from verifier.results import ToolchainInfo
from verifier.routes.dafny import DafnyRoute
from verifier.routes.dafny_guard import extract_program
from verifier.routes.lean import LeanRoute, extract_lean
from verifier.specs import model as m

__all__ = ["DEFAULT_ROUTE", "EXTRACTORS", "ROUTES", "Route", "extract", "open_backend", "open_route", "route_name"]


class Route(Stages, Protocol):
    """One intermediate language: the loop's stages plus its artifact. `kinds` are the
    artifact files it certifies; `label` is how messages name the toolchain."""

    label: str
    extension: str
    kinds: tuple[str, ...]
    default_timeout: float  # seconds per check in the loop
    recheck_timeout: float
    backend: Backend

    def build_artifact(self, spec_text: str, result: LoopResult, model_name: str, *,
                       validate: int, seed: int) -> Artifact:
        """The artifact of a verified run (files and certificate, in memory)."""
        ...

    def recheck(self, artifact: Artifact, directory: Path, *, timeout: float,
                tests: bool) -> list[RecheckStep]:
        """Every step after the hashes: the guard, the toolchain's verdict, the tests."""
        ...


def _dafny(spec: m.Spec, backend: Backend, info: ToolchainInfo) -> Route:
    return DafnyRoute(spec, backend, info)


def _lean(spec: m.Spec, backend: Backend, info: ToolchainInfo) -> Route:
    return LeanRoute(spec, backend, version=info.version, info=info,
                     mathlib=dict(info.details).get("mathlib") == "yes")


# name -> (what messages call it, how to install it, the factory)
ROUTES: dict[str, tuple[str, str, Callable[[m.Spec, Backend, ToolchainInfo], Route]]] = {
    "dafny": (DafnyRoute.label, DafnyRoute.install_hint, _dafny),
    "lean": ("Lean 4", LeanRoute.install_hint, _lean),
}
DEFAULT_ROUTE = "dafny"
# name -> how that route finds the program in a model's reply (the guard's own reading)
EXTRACTORS: dict[str, Callable[[str], str | None]] = {
    "dafny": extract_program,
    "lean": extract_lean,
}


def extract(route: str, reply: str) -> str | None:
    """The program a route's guard would read from `reply` (None: none found)."""
    return EXTRACTORS[route_name(route)](reply)


def route_name(backend: str | Backend | None) -> str:
    """The route a caller asked for: a route name, a backend object (its `name`), or
    None for the default."""
    if backend is None:
        return DEFAULT_ROUTE
    if isinstance(backend, str):
        if backend not in ROUTES:
            raise ProofrouteError(f"unknown backend {backend!r}",
                                  hint=f"use one of: {', '.join(ROUTES)}")
        return backend
    name = getattr(backend, "name", DEFAULT_ROUTE)
    return name if name in ROUTES else DEFAULT_ROUTE


def open_backend(name: str, backend: Backend | None = None,
                 **options: object) -> tuple[Backend, ToolchainInfo]:
    """The backend of route `name` (the one given, else a new one made with `options`,
    e.g. cache=False) and what it found; `ToolchainMissing` when it is unusable."""
    label, hint, _ = ROUTES[route_name(name)]
    backend = backend or get_backend(name, **options)
    info = backend.available()
    if not info.ok:
        raise ToolchainMissing(f"{label} is not usable here: {info.hint or 'not found'}",
                               hint=hint)
    return backend, info


def open_route(name: str, spec: m.Spec, backend: Backend | None = None,
               **options: object) -> Route:
    """Route `name` for `spec`, on `backend` or a new backend made with `options`
    (the caller closes a backend it did not pass: `route.backend.close()`)."""
    backend, info = open_backend(name, backend, **options)
    return ROUTES[route_name(name)][2](spec, backend, info)

