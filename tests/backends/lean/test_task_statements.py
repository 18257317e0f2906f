"""What an answer's result says about the task's own statements (pure: constructed Lean
outcomes; the real Lean shows both cases in test_lean_real.py)."""

from __future__ import annotations

import pytest
from verifier.backends.lean import harness
from verifier.backends.lean.messages import LeanMessage
from verifier.backends.lean.source_scan import Finding
from verifier.backends.lean.task_statements import TaskElaboration, judge_task
from verifier.backends.lean.trusted import TrustedReport
from verifier.backends.lean.verdict import RunOutcome

from verifier.results import Severity

TASK = "def f (n : Nat) : Nat :=\n  sorry\n\ntheorem f_spec (n : Nat) : f n = [n].get? 0 :=\n  sorry\n"
BUILT = harness.build(TASK, dialect=harness.WASM, theorem_names=[], nonce="task")  # one header line
SORRY_MSG = LeanMessage(Severity.WARNING, "declaration uses `sorry`", line=2, col=5)
SORRY_FINDING = Finding("sorry", "`f` at line 1 depends on `sorryAx`", 1, 1)


def test_a_task_with_only_its_sorries_elaborated_and_gives_no_warning() -> None:
    report = TrustedReport(findings=(SORRY_FINDING,))
    judged = judge_task(RunOutcome(messages=(SORRY_MSG,), returncode=0), report, BUILT)
    assert judged.status is TaskElaboration.ELABORATED and judged.report is report
    assert judged.warning() is None


def test_an_error_in_the_task_is_the_only_did_not_elaborate() -> None:
    error = LeanMessage(Severity.ERROR, "The environment does not contain `List.get?`", line=5, col=40)
    judged = judge_task(RunOutcome(messages=(SORRY_MSG, error), returncode=1),
                        TrustedReport(findings=(SORRY_FINDING,)), BUILT)  # fmt: skip
    assert judged.status is TaskElaboration.FAILED and judged.report is None
    warning = judged.warning()
    assert warning is not None and "did not elaborate" in warning
    assert "line 4: The environment does not contain `List.get?`" in warning  # task line


@pytest.mark.parametrize(
    ("outcome", "findings", "status", "phrase"),
    [
        (RunOutcome(timed_out=True, timeout=5), (), TaskElaboration.TIMED_OUT, "time limit"),
        (RunOutcome(returncode=-9, stderr_tail="killed"), (), TaskElaboration.CRASHED, "no usable report"),
        (RunOutcome(messages=(SORRY_MSG,), returncode=0),
         (Finding("unknown-construct", "syntax `partial` is outside what proofroute checks", 1, 1),),
         TaskElaboration.REFUSED, "does not accept"),
    ],
)  # fmt: skip
def test_other_reasons_say_what_they_are(outcome, findings, status, phrase) -> None:
    judged = judge_task(outcome, TrustedReport(findings=findings), BUILT)
    assert judged.status is status and judged.report is None
    warning = judged.warning()
    assert warning is not None and phrase in warning and "did not elaborate" not in warning
    assert "compared as source text only" in warning


def test_only_lasting_outcomes_are_remembered() -> None:
    assert {s for s in TaskElaboration if s.lasting} == {
        TaskElaboration.ELABORATED, TaskElaboration.FAILED, TaskElaboration.REFUSED}
