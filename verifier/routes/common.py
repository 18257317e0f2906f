"""What every route does alike when it builds or re-checks an artifact: the property
tests it ships, the run record of its certificate, and the verifier step of a recheck.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from verifier.artifact import SPEC_FILE, PropertyTests, RecheckStep, RunRecord, run_tests_file
from verifier.harness import emit_pytest
from verifier.harness.testability import TRANSLATION, testability
from verifier.loop import LoopResult
from verifier.paths import confined
from verifier.results import CheckResult, Verdict
from verifier.specs import model as m
from verifier.translators.dafny_to_python import py_identifier

log = logging.getLogger(__name__)


USER_IMPLEMENTATION = "a Python implementation you provide"  # what the Lean route's tests test


def property_tests(spec: m.Spec, name: str, python: str, function: str, subject: str = TRANSLATION) -> str:
    """The property tests; the harness reads the module's signature from a file (it never
    imports model output), so the module is put in a scratch folder for it. A spec that
    cannot be property tested gets a module without tests that says why (`subject`: what
    goes untested)."""
    with tempfile.TemporaryDirectory(prefix="proofroute-emit-") as scratch:
        confined(scratch, f"{name}.py").write_text(python, encoding="utf-8")
        return emit_pytest(spec, f"{name}:{function}", (), cwd=Path(scratch), spec_file=SPEC_FILE,
                           subject=subject)


def user_tests(spec: m.Spec, name: str) -> str:
    """Property tests for a Python implementation the user brings (a route without a
    compiler to Python): emitted against a signature-only stand-in module, which is not
    shipped; the tests load `<name>.py` from beside themselves, else import `<name>`."""
    params = ", ".join(py_identifier(p.name) for p in spec.params)
    stand_in = (f"def {py_identifier(spec.method)}({params}):\n"
                "    raise NotImplementedError('bring your own implementation')\n")
    return property_tests(spec, name, stand_in, py_identifier(spec.method), USER_IMPLEMENTATION)


def tests_record(spec: m.Spec, subject: str = TRANSLATION) -> PropertyTests:
    """For the certificate: whether the test module holds property tests, and if not why
    (the same decision, `testability`, that shaped the module)."""
    decision = testability(spec)
    if decision.blocker is None:
        return PropertyTests()
    reason = decision.reason(SPEC_FILE, subject)
    log.warning("no property tests: %s", reason)
    return PropertyTests(emitted=False, reason=reason)


def tests_step(spec: m.Spec, directory: Path, test_file: str, *, timeout: float,
               subject: str = TRANSLATION) -> RecheckStep:
    """The recheck's tests: run them, or — for a spec that cannot be property tested,
    decided afresh from the certified spec, not read from the certificate — say why
    none exist (the step holds: the certificate claims no tests)."""
    decision = testability(spec)
    if decision.blocker is not None:
        return RecheckStep("tests", True, f"not run: {decision.reason(SPEC_FILE, subject)}")
    return run_tests_file(directory, test_file, timeout=timeout)


def run_record(result: LoopResult, model_name: str, check_stage: str) -> RunRecord:
    """The cost of the run, for the certificate (`check_stage`: the route's name)."""
    winner = result.attempt
    return RunRecord(
        model=model_name,
        attempts=len(result.attempts),
        verified_attempt=winner.number,
        restarts=result.restarts,
        seconds=round(result.seconds, 3),
        verifier_seconds=round(sum(a.timings.get(check_stage, 0.0) for a in result.attempts), 3),
        model_seconds=round(sum(a.timings.get("model", 0.0) for a in result.attempts), 3),
        input_tokens=result.input_tokens,
        output_tokens=result.output_tokens,
    )


def verifier_step(name: str, label: str, result: CheckResult, ok: bool, what: str,
                  note: str = "") -> RecheckStep:
    """The recheck step of a route's own check: its verdict, and the first error."""
    passed = ok and result.verdict == Verdict.VERIFIED
    detail = (f"{label} {result.toolchain_version}: {result.verdict.value}, "
              f"{len(result.obligations)} {what}{note}")
    if not passed and result.errors:
        first = result.errors[0]
        detail += f"; {first.where()}: {first.message}"
    return RecheckStep(name, passed, detail, result.seconds)
