"""When the harness counts a theorem proved or definitions passed: only on VERIFIED from
the checker for the file and for the exact obligation, never on anything doubtful."""

from __future__ import annotations

from verifier.bench.runner import definitions_pass, is_toolchain_mismatch, theorem_proved
from verifier.results import CheckResult, Diagnostic, Obligation, Severity, Verdict

V, U, R = Verdict.VERIFIED, Verdict.UNKNOWN, Verdict.REFUTED


def result(verdict: Verdict, *obligations: tuple[str, Verdict], diags=()) -> CheckResult:
    return CheckResult(verdict, tuple(diags), tuple(Obligation(n, v) for n, v in obligations))


def test_theorem_needs_file_and_its_own_obligation_verified() -> None:
    assert theorem_proved(result(V, ("t", V)), "t")
    assert not theorem_proved(result(U, ("t", V)), "t")  # something else in the file is wrong
    assert not theorem_proved(result(V, ("other", V)), "t")  # t was not checked at all
    assert not theorem_proved(result(V), "t")
    assert not theorem_proved(result(V, ("t", V), ("t", U)), "t")  # ambiguous
    assert theorem_proved(result(V, ("Ns.t", V)), "t")
    assert not theorem_proved(result(V, ("A.t", V), ("B.t", U)), "t")


def test_definitions_need_the_units_obligation_when_there_are_units() -> None:
    assert definitions_pass(result(V, ("units", V)), has_units=True)
    assert not definitions_pass(result(V), has_units=True)
    assert not definitions_pass(result(R, ("units", R)), has_units=True)
    assert not definitions_pass(result(U, ("units", V)), has_units=True)


def test_definitions_without_units_pass_only_on_silence() -> None:
    nothing = Diagnostic("error", "no theorem to check: a file without theorems proves nothing",
                         severity=Severity.WARNING)  # fmt: skip
    info = Diagnostic("adaptation", "noncomputable section", severity=Severity.INFO)
    assert definitions_pass(result(U, diags=[nothing, info]), has_units=False)
    assert not definitions_pass(result(U, diags=[nothing, Diagnostic("sorry", "uses sorry")]), has_units=False)
    assert not definitions_pass(result(U), has_units=False)  # no word from the checker at all
    assert not definitions_pass(result(R, diags=[nothing]), has_units=False)


def test_toolchain_mismatch_is_recognised() -> None:
    assert is_toolchain_mismatch(result(U, diags=[Diagnostic("toolchain-mismatch", "no Mathlib")]))
    assert not is_toolchain_mismatch(result(U, diags=[Diagnostic("error", "unknown identifier")]))
    assert not is_toolchain_mismatch(None)
