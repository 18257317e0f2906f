"""The Lean route's artifact and its recheck, apart from the route's check logic
(`verifier.routes.lean`), which calls these two functions with itself.

The artifact holds the verified `.lean`, the spec, and property tests for a Python
implementation the user brings. The certificate records the Lean toolchain, the verdict
per theorem, the toolchain adaptations the check used, and the hash of the rendered task
the statements were matched against.
"""

from __future__ import annotations

import time
from pathlib import Path

from verifier.artifact import (
    SPEC_FILE,
    Artifact,
    ObligationRecord,
    RecheckStep,
    Validation,
    file_names,
    make_certificate,
    sha256,
)
from verifier.harness.testability import testability
from verifier.loop import LoopResult, Stages
from verifier.results import ToolchainInfo
from verifier.routes.common import (
    USER_IMPLEMENTATION,
    run_record,
    tests_record,
    tests_step,
    user_tests,
    verifier_step,
)
from verifier.specs import model as m

KINDS = ("lean", "tests", "spec")


def build_lean_artifact(spec: m.Spec, task: str, spec_text: str, result: LoopResult,
                        info: ToolchainInfo, model_name: str) -> Artifact:
    winner = result.attempt
    assert winner.verified and winner.check is not None
    names = file_names(spec.name, KINDS)
    files = {
        names["lean"]: winner.program or "",
        names["tests"]: user_tests(spec, spec.name),
        SPEC_FILE: spec_text,
    }
    check = winner.check
    adaptations = tuple(d.message for d in check.diagnostics if d.kind == "adaptation")
    details = dict(info.details)
    certificate = make_certificate(
        name=spec.name, method=spec.method, backend="lean", files=files,
        toolchain={"lean": check.toolchain_version or info.version, "lean_kind": check.toolchain,
                   "lean_path": info.path, "mathlib": str(details.get("mathlib", "unknown")),
                   "adaptations": adaptations},
        obligations=[ObligationRecord(o.name, o.verdict) for o in check.obligations],
        validation=Validation(checked=False, reason=(
            "the Lean route does not compile to Python yet; "
            f"{names['tests']} tests a Python implementation you provide as {spec.name}.py")),
        run=run_record(result, model_name, "lean"),
        task_sha256=sha256(task),
        property_tests=tests_record(spec, USER_IMPLEMENTATION),
    )
    return Artifact(spec.name, spec.method, files, certificate)


def recheck_lean(route: Stages, spec: m.Spec, task: str, artifact: Artifact, directory: Path, *,
                 timeout: float, tests: bool) -> list[RecheckStep]:
    """The route's guard on the `.lean` against the recorded spec; Lean's check against
    the spec's statements as rendered now, through the route's own acceptance (every
    theorem VERIFIED); the property tests when the user put `<name>.py` beside them (a
    spec that cannot be property tested: why there are none)."""
    names = file_names(artifact.name, KINDS)
    program = artifact.files.get(names["lean"])
    if program is None:
        return [RecheckStep("guard", False, "the .lean file is missing")]
    started = time.monotonic()
    verdict = route.guard(f"```lean\n{program}```")
    steps = [RecheckStep("guard", verdict.ok,
                         "statements unchanged, no escape hatch" if verdict.ok
                         else verdict.summary(), time.monotonic() - started)]
    if not verdict.ok:  # a Lean run costs up to a minute and could not make it pass
        return [*steps, RecheckStep("lean", False, "not run: the guard refused the file")]
    result = route.accept(route.check([program], timeout)[0])
    recorded_task = artifact.certificate.spec.task_sha256
    note = ("; note: the spec's Lean rendering changed since the certificate"
            if recorded_task and recorded_task != sha256(task) else "")
    steps.append(verifier_step("lean", "Lean", result, True, "theorems", note))
    if tests:
        module = directory / f"{artifact.name}.py"
        if names["tests"] not in artifact.files:
            steps.append(RecheckStep("tests", False, "the test file is missing"))
        elif module.is_file() or not testability(spec).testable:
            steps.append(tests_step(spec, directory, names["tests"], timeout=timeout,
                                    subject=USER_IMPLEMENTATION))
        else:
            steps.append(RecheckStep(
                "tests", True, f"not run: no {module.name} here ({names['tests']} tests a "
                "Python implementation you provide; the Lean route has no Python output yet)"))
    return steps
