"""`recheck(directory)`: re-establish every claim of an artifact's certificate with what
is installed now, without trusting the run that made it.

Steps: the file hashes (against the files the certificate's route certifies); then the
route's own recheck — its guard on the program as the toolchain will read it, the
toolchain's verdict through the route's own acceptance, the property tests. A step that
cannot run (no toolchain here) fails: recheck succeeds only when everything held.

The verifier runs from scratch: the backend opened here has its result cache off, so a
stale or tampered cache entry cannot answer for the toolchain (`cached=True` lets it).
"""

from __future__ import annotations

from pathlib import Path

from verifier.artifact import SPEC_FILE, RecheckReport, RecheckStep, check_hashes, load_artifact
from verifier.backends import Backend
from verifier.errors import ProofrouteError
from verifier.routes import ROUTES, open_route
from verifier.specs.loader import load_spec_text


def recheck(
    directory: Path,
    *,
    backend: Backend | None = None,
    timeout: float | None = None,
    tests: bool = True,
    cached: bool = False,
) -> RecheckReport:
    """The report of every step (`.ok` when all held). `timeout` per check defaults to
    the route's (120 s Dafny, 300 s Lean); a `backend` passed in is used as it is."""
    directory = Path(directory)
    artifact = load_artifact(directory)
    name = artifact.backend
    if name not in ROUTES:
        return RecheckReport(str(directory), (RecheckStep(
            "hashes", False, f"the certificate names an unknown route {name!r}"),))
    spec_text = artifact.files.get(SPEC_FILE)
    try:
        if spec_text is None:
            raise ProofrouteError(f"{SPEC_FILE} is missing")
        spec = load_spec_text(spec_text, str(directory / SPEC_FILE))
    except ProofrouteError as exc:
        return RecheckReport(str(directory), (
            check_hashes(artifact, ()), RecheckStep("guard", False, f"the spec does not load: {exc}")))
    owned = backend is None
    try:
        route = open_route(name, spec, backend, cache=cached)
    except ProofrouteError as exc:
        return RecheckReport(str(directory), (check_hashes(artifact, ()),
                                              RecheckStep(name, False, str(exc))))
    try:
        steps = [check_hashes(artifact, route.kinds)]
        steps += route.recheck(artifact, directory, tests=tests,
                               timeout=route.recheck_timeout if timeout is None else timeout)
    finally:
        if owned:
            route.backend.close()
    return RecheckReport(str(directory), tuple(steps))
