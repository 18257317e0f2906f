"""The cold CLI run: the counterexample model only in a second run after a failure (with
`/mv:` Dafny 2.3 reports errors on some programs that verify without it), the Boogie
program printed by the verifying run itself. Real Dafny."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import pytest
from verifier.backends.dafny import DafnyBackend, cold

from verifier.results import Verdict
from verifier.sandbox.limits import CompletedRun

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dafny,
    pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed"),
]

GOOD = "method Inc(x: int) returns (y: int) ensures y == x + 1 { y := x + 1; }\n"
# Fails exactly for x == 3: the model must say so.
BAD = "method Add4(x: int) returns (y: int) requires x > 0 ensures y != 7 { y := x + 4; }\n"


@pytest.fixture
def dafny_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The command lines of the Dafny runs a cold check makes (the real runs still happen)."""
    seen: list[tuple[str, ...]] = []
    real = cold.run_limited

    def counting(argv: Sequence[str], **kwargs: object) -> CompletedRun:
        seen.append(tuple(argv))
        return real(argv, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cold, "run_limited", counting)
    return seen


def test_a_verifying_program_runs_once_without_a_model(dafny_runs: list[tuple[str, ...]]) -> None:
    with DafnyBackend(cache=False, cold=True) as b:
        r = b.check(GOOD, timeout=20, filename="inc.dfy")
    assert r.verdict is Verdict.VERIFIED, r.diagnostics
    assert len(dafny_runs) == 1
    assert not any(a.startswith("/mv:") for a in dafny_runs[0])
    assert any(a.startswith("/print:") for a in dafny_runs[0])


def test_a_failing_program_gets_its_counterexample_from_a_second_run(
    dafny_runs: list[tuple[str, ...]],
) -> None:
    with DafnyBackend(cache=False, cold=True) as b:
        r = b.check(BAD, timeout=20, filename="add4.dfy")
    assert r.verdict is Verdict.REFUTED
    assert [d.line for d in r.diagnostics if d.kind == "postcondition"] == [1]
    assert r.counterexample is not None and r.counterexample.inputs == {"x": 3}
    assert len(dafny_runs) == 2
    assert not any(a.startswith("/mv:") for a in dafny_runs[0])
    assert any(a.startswith("/mv:") for a in dafny_runs[1])


def test_no_model_is_asked_when_models_are_off(dafny_runs: list[tuple[str, ...]]) -> None:
    with DafnyBackend(cache=False, cold=True, models=False) as b:
        r = b.check(BAD, timeout=20, filename="add4.dfy")
    assert r.verdict is Verdict.REFUTED and r.counterexample is None
    assert len(dafny_runs) == 1


def test_the_model_run_must_fail_where_the_first_did() -> None:
    first = "a.dfy(3,4): Error BP5003: A postcondition might not hold on this return path.\n"
    other = "a.dfy(9,4): Error BP5001: This assertion might not hold.\n"
    assert cold.error_places(first) == [(3, 5, "postcondition")]
    assert cold.error_places(first) != cold.error_places(other)
