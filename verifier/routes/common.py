"""What every route does alike when it builds or re-checks an artifact: the property
tests it ships, the run record of its certificate, and the verifier step of a recheck.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from verifier.artifact import RecheckStep, RunRecord
from verifier.harness import emit_pytest
from verifier.loop import LoopResult
from verifier.paths import confined
from verifier.results import CheckResult, Verdict
from verifier.specs import model as m
from verifier.translators.dafny_to_python import py_identifier


def property_tests(spec: m.Spec, name: str, python: str, function: str) -> str:
    """The property tests; the harness reads the module's signature from a file (it never
    imports model output), so the module is put in a scratch folder for it."""
    with tempfile.TemporaryDirectory(prefix="proofroute-emit-") as scratch:
        confined(scratch, f"{name}.py").write_text(python, encoding="utf-8")
        return emit_pytest(spec, f"{name}:{function}", (), cwd=Path(scratch))


def user_tests(spec: m.Spec, name: str) -> str:
    """Property tests for a Python implementation the user brings (a route without a
    compiler to Python): emitted against a signature-only stand-in module, which is not
    shipped; the tests load `<name>.py` from beside themselves, else import `<name>`."""
    params = ", ".join(py_identifier(p.name) for p in spec.params)
    stand_in = (f"def {py_identifier(spec.method)}({params}):\n"
                "    raise NotImplementedError('bring your own implementation')\n")
    return property_tests(spec, name, stand_in, py_identifier(spec.method))


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
