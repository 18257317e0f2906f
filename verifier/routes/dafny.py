"""The Dafny route: the spec's contract skeleton, the contract guard (which also
translates the candidate to Python, turning the quick test on), Dafny's verdict.

This only gathers what `verifier.loop` has always done for Dafny behind the `Route`
protocol; the behaviour is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from verifier.backends.dafny.dialect import Dialect
from verifier.guard import ContractGuard, GuardVerdict
from verifier.llm import Message
from verifier.prompting import Feedback, PromptBuilder, dafny_feedback
from verifier.results import CheckResult, Diagnostic, Verdict
from verifier.specs import model as m


class DafnyRoute:
    name = "dafny"
    label = "Dafny"
    extension = ".dfy"
    quick_test = True

    def __init__(
        self,
        spec: m.Spec,
        backend: Any,
        *,
        dialect: Dialect,
        dialect_version: str | None = None,
        translate: Callable[..., Any] | None = None,
    ) -> None:
        from verifier.loop import make_checker  # the loop imports this module

        self.spec = spec
        self.backend = backend
        self.prompts = PromptBuilder(spec, dialect, version=dialect_version)
        self.contract = ContractGuard(spec, dialect, translate=translate)
        self._check = make_checker(backend, f"{spec.method}.dfy")

    def initial(self) -> list[Message]:
        return self.prompts.initial()

    def repair(self, feedback: Feedback) -> str:
        return self.prompts.repair(feedback)

    def guard(self, reply: str) -> GuardVerdict:
        return self.contract.check(reply)

    def warm_up(self) -> None:
        """Start DafnyServer and let it verify a tiny program (JIT) while the model writes:
        the first real check then takes ~0.2 s instead of ~0.8 s."""
        warm_up = getattr(self.backend, "warm_up", None)
        if warm_up is not None:
            warm_up(verify=True)

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
