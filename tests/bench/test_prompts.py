from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from verifier.bench import prompts
from verifier.bench.fvapps_data import load_tasks
from verifier.bench.lean_source import split_spec
from verifier.results import Diagnostic, Severity


def test_definitions_prompt_has_question_spec_units_and_theorems(sample_dir: Path) -> None:
    task = load_tasks(sample_dir / "tasks.jsonl")[0]
    system, user = prompts.definitions_messages(task, split_spec(task.spec), lean_version="4.28.0")
    assert system.role == "system" and "4.28.0" in system.content and "sorry" in system.content
    assert "Mathlib" not in system.content
    assert user.role == "user"
    assert task.question in user.content
    assert "def listSum (xs : List Nat) : Nat :=\n  sorry" in user.content
    assert "#eval listSum [1, 2, 3]" in user.content
    assert "theorem listSum_append" in user.content


def test_theorem_prompt_shows_definitions_and_only_that_statement(sample_dir: Path) -> None:
    task = load_tasks(sample_dir / "tasks.jsonl")[0]
    parts = split_spec(task.spec)
    _, user = prompts.theorem_messages(parts, "def listSum := 0", "listSum_nil", mathlib=True)
    assert "def listSum := 0" in user.content
    assert "theorem listSum_nil : listSum [] = 0" in user.content
    assert "listSum_append" not in user.content


def test_repair_prompt_quotes_each_diagnostic_with_its_source_line() -> None:
    source = "def f := 1\ntheorem t : f = 2 := by rfl\n"
    message = prompts.repair_message(
        stage="theorem",
        theorem="t",
        attempt=1,
        attempts=3,
        diagnostics=[
            Diagnostic("sorry", "declaration uses 'sorry'", severity=Severity.WARNING, line=1),
            Diagnostic("error", "The rfl tactic failed", line=2, col=24),
        ],
        source=source,
    )
    text = message.content
    assert message.role == "user"
    assert "proof of `t` (attempt 1 of 3)" in text
    # errors come first, each with the line of the checked file it points at
    assert text.index("The rfl tactic failed") < text.index("declaration uses 'sorry'")
    assert "error at line 2:24: The rfl tactic failed" in text
    assert "the line: `theorem t : f = 2 := by rfl`" in text


def test_repair_prompt_caps_the_number_of_messages() -> None:
    many = [Diagnostic("error", f"problem {i}", line=1) for i in range(30)]
    text = prompts.repair_message(
        stage="definitions", theorem=None, attempt=2, attempts=3, diagnostics=many, source="x"
    ).content
    assert "problem 11" in text and "problem 12" not in text
    assert "(and 18 more messages)" in text
    assert "corrected definitions" in text


def test_templates_refuse_missing_variables() -> None:
    with pytest.raises(jinja2.UndefinedError):
        prompts.render("fvapps_theorem.j2", definitions="def f := 1")
