"""Prompts come from the jinja2 templates, are measured, and carry concrete feedback."""

from __future__ import annotations

import jinja2
import loop_replies as R
import pytest
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4
from verifier.specs.loader import load_spec

from verifier.prompting import (
    Feedback,
    FeedbackItem,
    PromptBuilder,
    approx_tokens,
    dafny_feedback,
    render,
)
from verifier.results import CheckResult, Counterexample, Diagnostic, Verdict


def test_task_prompt_holds_contract_examples_and_dialect_rules() -> None:
    builder = PromptBuilder(load_spec(R.COUNT_SPEC), DAFNY2, version="2.3.0")
    system, task = builder.initial()
    assert system.role == "system" and "Dafny 2.3.0" in system.content
    assert "function method" in system.content and "assume" in system.content
    assert "ensures c == CountEven(xs)" in task.content
    assert "function CountEven(xs: seq<int>): nat" in task.content
    assert "CountEvens(xs=[1, 2, 4, 7]) gives c=2" in task.content
    # short and specific: system + task stay well under 1k tokens
    assert approx_tokens(system.content + task.content) < 800


def test_dafny4_rules_differ() -> None:
    system = PromptBuilder(load_spec(R.MAX_SPEC), DAFNY4).initial()[0].content
    assert "ghost function" in system and "Dafny 2 syntax" not in system


def test_templates_are_strict() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("task.j2", spec=None)


def test_repair_prompt_from_dafny_diagnostics_shows_line_clause_and_counterexample() -> None:
    source = R.MAX_WEAK_INVARIANT
    related = Diagnostic(kind="related", message="This is the postcondition that might not hold.",
                         line=4, col=11)
    diag = Diagnostic(kind="postcondition", message="A postcondition might not hold on this return path.",
                      line=8, col=3, related=(related,),
                      counterexample=Counterexample({"xs": [2, 1]}, source="model"))
    result = CheckResult(Verdict.REFUTED, diagnostics=(diag,))
    feedback = dafny_feedback(result, source)
    text = PromptBuilder(load_spec(R.MAX_SPEC), DAFNY2).repair(feedback)
    assert "line 8: A postcondition might not hold" in text
    assert "while k < |xs|" in text  # the offending source line
    assert "clause: ensures exists i :: 0 <= i < |xs| && xs[i] == m" in text
    assert "xs=[2, 1] (solver model, not executed)" in text


def test_repair_prompt_for_a_quick_test_failure() -> None:
    fb = Feedback("quicktest", (FeedbackItem("for xs=[0] CountEvens returns c=0, but ensures 'c == CountEven(xs)' fails"),))
    text = PromptBuilder(load_spec(R.COUNT_SPEC), DAFNY2).repair(fb)
    assert text.startswith("Your program was run on concrete inputs")
    assert "for xs=[0] CountEvens returns c=0" in text
