"""The Dafny route: the spec's contract skeleton, the contract guard (which also
translates the candidate to Python, turning the quick test on), Dafny's verdict, and the
artifact: the Python module (validated against Dafny's own JS build), the `.dfy`, the
property tests — and its recheck, which reuses this route's own guard and acceptance.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from verifier.artifact import (
    SPEC_FILE,
    Artifact,
    ObligationRecord,
    RecheckStep,
    Validation,
    file_names,
    make_certificate,
)
from verifier.backends import Backend
from verifier.backends.dafny.dialect import Dialect, dialect_for_version
from verifier.errors import ProofrouteError, ToolchainMissing
from verifier.guard import GuardVerdict
from verifier.llm import Message
from verifier.loop import LoopResult
from verifier.prompting import Feedback, PromptBuilder, dafny_feedback
from verifier.results import CheckResult, Diagnostic, ToolchainInfo, Verdict
from verifier.routes.common import (
    property_tests,
    run_record,
    tests_record,
    tests_step,
    verifier_step,
)
from verifier.routes.dafny_guard import ContractGuard
from verifier.specs import model as m
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_to_python import PythonModule, translate
from verifier.translators.validate import NotGenerated, validate_translation

log = logging.getLogger(__name__)

Checker = Callable[[Sequence[str], float], list[CheckResult]]


class DafnyChecking(Backend, Protocol):
    """What this route asks of its backend beyond `Backend`."""

    def warm_up(self, *, verify: bool = False) -> None:
        """Start the verifier's servers; with `verify`, also let each check a tiny program."""
        ...


def make_checker(backend: Backend, filename: str) -> Checker:
    """One source under the method's file name (its messages name it); several at once
    through the backend's own parallel check."""

    def check_all(sources: Sequence[str], timeout: float) -> list[CheckResult]:
        if len(sources) == 1:
            return [backend.check(sources[0], timeout=timeout, filename=filename)]
        return list(backend.check_many(list(sources), timeout=timeout))

    return check_all


def translator(dialect: Dialect) -> Callable[..., PythonModule]:
    """The Dafny→Python compiler for one dialect, as the guard calls it."""

    def run(source: str, program: A.Program | None = None) -> PythonModule:
        return translate(source, dialect=dialect, program=program)

    return run


class DafnyRoute:
    name = "dafny"
    label = "Dafny"
    extension = ".dfy"
    quick_test = True
    kinds = ("python", "dafny", "tests", "spec")
    default_timeout = 60.0  # per check in the loop
    recheck_timeout = 120.0
    install_hint = "run `proofroute doctor`; on Debian `apt-get install dafny`"

    def __init__(self, spec: m.Spec, backend: DafnyChecking, info: ToolchainInfo) -> None:
        self.spec = spec
        self.backend = backend
        self.info = info
        self.dialect = dialect_for_version(info.version or "2")
        self.prompts = PromptBuilder(spec, self.dialect, version=info.version)
        self.contract = ContractGuard(spec, self.dialect, translate=translator(self.dialect))
        self._check = make_checker(backend, f"{spec.method}.dfy")

    # ------------------------------------------------------------------ loop stages

    def initial(self) -> list[Message]:
        return self.prompts.initial()

    def repair(self, feedback: Feedback) -> str:
        return self.prompts.repair(feedback)

    def guard(self, reply: str) -> GuardVerdict:
        return self.contract.check(reply)

    def warm_up(self) -> None:
        """Start DafnyServer and let it verify a tiny program (JIT) while the model writes:
        the first real check then takes ~0.2 s instead of ~0.8 s."""
        self.backend.warm_up(verify=True)

    def check(self, programs: Sequence[str], timeout: float) -> list[CheckResult]:
        return self._check(programs, timeout)

    def accept(self, result: CheckResult) -> CheckResult:
        """VERIFIED must include a proved implementation of the spec's method: Dafny says
        "verified" for a file whose method it never saw."""
        if result.verdict != Verdict.VERIFIED or any(
            o.name == self.spec.method and o.verdict == Verdict.VERIFIED
            for o in result.obligations
        ):
            return result
        refusal = Diagnostic(kind="unsound", message=(
            f"Dafny reported no verified implementation of {self.spec.method}; "
            "the result is not accepted"))
        return replace(result, verdict=Verdict.UNKNOWN,
                       diagnostics=(*result.diagnostics, refusal))

    def feedback(self, result: CheckResult, program: str,
                 executed: Sequence[str | None] = ()) -> Feedback:
        return dafny_feedback(result, program, executed)

    # ------------------------------------------------------------------ artifact

    def build_artifact(self, spec_text: str, result: LoopResult, model_name: str, *,
                       validate: int, seed: int) -> Artifact:
        """The verified `.dfy`, its Python translation, the property tests, the spec."""
        spec, winner = self.spec, result.attempt
        assert winner.verified and winner.check is not None and winner.guard is not None
        translation = winner.guard.translation
        names = file_names(spec.name, self.kinds)
        validation = (self._validate(winner.program or "", validate, seed) if validate > 0
                      else Validation(checked=False, reason="skipped (validate=0)"))
        files = {
            names["python"]: translation.text,
            names["dafny"]: winner.program or "",
            names["tests"]: property_tests(spec, spec.name, translation.text,
                                           translation.function(spec.method).name),
            SPEC_FILE: spec_text,
        }
        details = dict(self.info.details)
        toolchain = {"dafny": self.info.version, "dafny_path": self.info.path,
                     "dialect": self.dialect.name,
                     **{k: str(v) for k, v in details.items()
                        if k in ("z3", "z3_version", "z3_path", "mode")}}
        certificate = make_certificate(
            name=spec.name, method=spec.method, backend=self.name, files=files,
            toolchain=toolchain,
            obligations=[ObligationRecord(o.name, o.verdict) for o in winner.check.obligations],
            validation=validation, run=run_record(result, model_name, self.name),
            property_tests=tests_record(spec))
        return Artifact(spec.name, spec.method, files, certificate)

    def _validate(self, program: str, n: int, seed: int) -> Validation:
        """Dafny's own JS build and our Python must agree on Hypothesis inputs; a
        disagreement is a translator bug, and such a module is never shipped as verified."""
        spec = self.spec
        try:
            report = validate_translation(program, spec.method, n=n, spec=spec, seed=seed,
                                          dialect=self.dialect)
        except ToolchainMissing as exc:
            # the proof stands; the certificate says plainly that the translation is unchecked
            log.warning("translation not validated: %s", exc.message)
            return Validation(checked=False,
                              reason=f"Dafny's JS build is not usable here: {exc.message}",
                              hint="run `proofroute setup` (node and bignumber.js)")
        except NotGenerated as exc:
            # a type parameter, a function, a datatype input: no inputs to draw, so the
            # translation is unchecked (said so in the certificate); the proof stands and
            # the property tests still run the translation against the spec
            log.warning("translation not validated: %s", exc.message)
            return Validation(checked=False, reason=f"inputs not generated: {exc.message}",
                              hint=exc.hint)
        if not report.ok:
            raise ProofrouteError(
                f"{spec.name}: the Python translation disagrees with Dafny's compiled code: "
                f"{report.summary()}",
                hint="this is a proofroute translator bug: please report it with the transcript",
            )
        return Validation(checked=True, ok=True, requested=n, compared=report.compared,
                          summary=report.summary(), notes=tuple(report.notes),
                          js_driver=report.js_driver, seconds=round(report.seconds, 3))

    # ------------------------------------------------------------------ recheck

    def recheck(self, artifact: Artifact, directory: Path, *, timeout: float,
                tests: bool) -> list[RecheckStep]:
        """The guard on the `.dfy` exactly as Dafny reads it (and the `.py` must be its
        translation), Dafny's verdict through this route's own acceptance, the tests."""
        names = file_names(artifact.name, self.kinds)
        dfy = artifact.files.get(names["dafny"])
        if dfy is None:
            return [RecheckStep("guard", False, "the .dfy file is missing")]
        started = time.monotonic()
        verdict = self.contract.check_program(dfy)
        ok, detail = verdict.ok, ("contract unchanged, no escape hatch" if verdict.ok
                                  else verdict.summary())
        # The .py is what users run: it must be the translation of the verified .dfy, or
        # a swapped module with updated hashes would pass as verified.
        if ok and (verdict.translation is None
                   or artifact.files.get(names["python"]) != verdict.translation.text):
            ok, detail = False, (f"{names['python']} is not the translation of "
                                 f"{names['dafny']}: the Python module was changed")
        steps = [RecheckStep("guard", ok, detail, time.monotonic() - started)]
        result = self.accept(self.backend.check(dfy, timeout=timeout, filename=names["dafny"]))
        steps.append(verifier_step(self.name, self.label, result, True, "obligations"))
        if tests:
            if names["tests"] in artifact.files and names["python"] in artifact.files:
                steps.append(tests_step(self.spec, directory, names["tests"], timeout=timeout))
            else:
                steps.append(RecheckStep("tests", False, "the test file or the module is missing"))
        return steps
