"""The Lean route without Lean time: guard, prompts, feedback, a session that never
converges (API and CLI). Every candidate here is refused before Lean, so the real Lean
backend is found but never asked to check anything (Lean runs are in
test_lean_route_real.py).

The recorded sessions live in `lean_sessions/*.jsonl` (replay files, one reply a line).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from verifier.backends.lean import statements
from verifier.specs.loader import load_spec
from verifier.translators.spec_lean import render_lean

from verifier.api import generate
from verifier.errors import BudgetExhausted
from verifier.prompting import LeanPromptBuilder, lean_feedback
from verifier.results import CheckResult, Diagnostic, Obligation, Severity, Verdict
from verifier.routes.lean import LeanGuard, extract_lean, full_statements
from verifier.transcript import read_transcript

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = Path(__file__).resolve().parent / "lean_sessions"
ABS = ROOT / "specs" / "examples" / "abs.toml"
SUM = ROOT / "specs" / "examples" / "sum.toml"


def replies(name: str) -> list[str]:
    lines = (SESSIONS / name).read_text("utf-8").split("\n")
    return [json.loads(line)["content"] for line in lines if line.strip()]


def program(reply: str) -> str:
    code = extract_lean(reply)
    assert code is not None
    return code


@pytest.fixture(scope="module")
def abs_guard() -> LeanGuard:
    spec = load_spec(ABS)
    return LeanGuard(spec, render_lean(spec))


def kinds(guard: LeanGuard, reply: str) -> set[str]:
    return {p.kind for p in guard.check(reply).problems}


def test_guard_accepts_the_recorded_proofs(abs_guard: LeanGuard) -> None:
    for reply in (*replies("abs_proved.jsonl"), replies("abs_repaired.jsonl")[-1]):
        verdict = abs_guard.check(reply)
        assert verdict.ok, verdict.summary()
        assert verdict.program is not None and "theorem Abs_spec_1" in verdict.program


def test_guard_refuses_every_recorded_cheat_with_its_reason(abs_guard: LeanGuard) -> None:
    weakened, with_sorry, _wrong, _ok = replies("abs_repaired.jsonl")
    prose, extra_hypothesis, native = replies("abs_never.jsonl")
    assert kinds(abs_guard, weakened) == {"statement"}
    assert kinds(abs_guard, with_sorry) == {"sorry"}
    assert kinds(abs_guard, prose) == {"no-program"}
    assert kinds(abs_guard, extra_hypothesis) == {"statement"}
    assert kinds(abs_guard, native) == {"unsound"}
    refusal = abs_guard.check(with_sorry).problems[0]
    assert refusal.line == program(with_sorry).splitlines().index("  sorry") + 1


def test_a_change_after_the_let_is_caught_by_the_backend_and_the_route(
    abs_guard: LeanGuard,
) -> None:
    """A weakened conclusion after `let y := Abs x` is caught by the backend's text
    compare (which native Lean, without elaborated types, relies on) and by the route."""
    weakened = program(replies("abs_repaired.jsonl")[0])
    assert [m.name for m in statements.compare(abs_guard.task, weakened)] == ["Abs_spec_0"]
    assert full_statements(weakened)["Abs_spec_0"][0] != full_statements(abs_guard.task)["Abs_spec_0"][0]
    assert "Abs_spec_0" in abs_guard.check(weakened).summary()


def test_guard_keeps_helper_bodies_and_refuses_instances() -> None:
    spec = load_spec(SUM)
    task = render_lean(spec)
    guard = LeanGuard(spec, task)
    proved_termination = task.replace("decreasing_by all_goals sorry", "decreasing_by simp_wf; omega")
    assert "helper" not in kinds(guard, proved_termination)  # only `sorry`s of the theorems left
    trivial_helper = task.replace("(if ((xs.length : Int) = 0) then 0 else (xs[0]! + (SumF ((xs.drop 1)))))", "0")
    assert "helper" in kinds(guard, trivial_helper)
    assert "instance" in kinds(guard, "instance : LE Int := ⟨fun _ _ => True⟩\n" + proved_termination)
    sneaky = "@[simp, instance] def leAll : LE Int := ⟨fun _ _ => True⟩\n"
    assert "instance" in kinds(guard, sneaky + proved_termination)
    dropped = task.split("theorem Sum_spec_0")[0]
    assert "statement" in kinds(guard, f"```lean\n{dropped}\nend\n```")


def test_extraction_takes_the_last_lean_block_with_a_theorem() -> None:
    reply = ("Draft:\n```lean\ndef f := 1\n```\nFinal:\n```lean4\ntheorem t : 1 = 1 := rfl\n```\n"
             "```python\nprint(1)\n```")
    assert extract_lean(reply) == "theorem t : 1 = 1 := rfl\n"
    assert extract_lean("Sure!\ntheorem t : 1 = 1 := rfl\n") == "theorem t : 1 = 1 := rfl\n"
    assert extract_lean("no code at all") is None


def test_prompts_carry_the_rendered_statements_and_lean_feedback_the_offending_line() -> None:
    spec = load_spec(ABS)
    task = render_lean(spec)
    prompts = LeanPromptBuilder(spec, task, version="4.28.0-pre")
    system, user = prompts.initial()
    assert "4.28.0-pre" in system.content and "sorry" in system.content
    assert task in user.content and "Abs(x=-5) gives y=5" in user.content
    wrong = program(replies("abs_repaired.jsonl")[2])
    omega_line = wrong.splitlines().index("  omega") + 1
    result = CheckResult(
        verdict=Verdict.REFUTED,
        diagnostics=(
            Diagnostic(kind="error", message="omega could not prove the goal", line=omega_line, col=3),
            Diagnostic(kind="adaptation", message="noncomputable section", severity=Severity.INFO),
        ),
        obligations=(Obligation("Abs_spec_0", Verdict.REFUTED), Obligation("Abs_spec_1", Verdict.VERIFIED)),
    )
    feedback = lean_feedback(result, wrong)
    assert feedback.stage == "lean" and len(feedback.items) == 1
    text = prompts.repair(feedback)
    assert f"line {omega_line}: omega could not prove the goal" in text
    assert "    omega\n" in text and "```lean" in text and "noncomputable" not in text


class NoCheck:
    """The real Lean backend for availability; a check would mean a cheat got through."""

    name = "lean"

    def __init__(self) -> None:
        from verifier.backends import get_backend

        self.real = get_backend("lean")
        self.checked: list[str] = []

    def available(self) -> Any:
        return self.real.available()

    def check_task(self, source: str, **_: Any) -> CheckResult:
        self.checked.append(source)
        raise AssertionError("a refused candidate reached Lean")

    def prestart(self, modules: Any = ()) -> None:
        """No session is needed: nothing may be checked."""

    def close(self) -> None:
        self.real.close()


def test_session_that_never_converges_raises_budget_exhausted(tmp_path: Path) -> None:
    backend = NoCheck()
    with pytest.raises(BudgetExhausted) as info:
        generate(ABS, llm=f"replay:{SESSIONS / 'abs_never.jsonl'}", out=tmp_path, backend=backend,
                 attempts=3)
    exc = info.value
    assert "no verified program after 3 attempts" in exc.message
    assert [a.stage for a in exc.attempts] == ["reply", "guard", "guard"]
    assert all(a.verdict == Verdict.REFUTED for a in exc.attempts) and backend.checked == []
    records = read_transcript(tmp_path / "abs" / "transcript.jsonl")
    assert records[1]["kind"] == "session" and records[1]["backend"] == "lean"
    assert [r["kind"] for r in records].count("check") == 0
    repair_prompts = [r for r in records if r["kind"] == "prompt" and r["turns"] > 2]
    assert "```lean" in repair_prompts[0]["messages"][-1]["content"]
    assert "Abs_spec_1" in repair_prompts[1]["messages"][-1]["content"]  # the changed statement
    assert not (tmp_path / "abs" / "certificate.json").exists()


def test_cli_generate_backend_lean_reports_not_verified(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "verifier", "generate", str(ABS), "--backend", "lean",
         "--llm", f"replay:{SESSIONS / 'abs_never.jsonl'}", "--out", str(tmp_path),
         "--attempts", "3", "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert doc["ok"] is False and doc["results"][0]["attempts"] == 3
    assert "guard REFUSED" in run.stderr
    assert (tmp_path / "abs" / "transcript.jsonl").exists()


def test_the_spec_datatypes_and_their_functions_stay_as_the_task_gives_them() -> None:
    """A reply that drops a constructor or redefines a constructor test would change what
    the unchanged theorems mean: refused, like a changed helper."""
    spec = load_spec(Path(__file__).resolve().parents[2] / "specs" / "examples" / "scale_figure.toml")
    task = render_lean(spec)
    guard = LeanGuard(spec, task)
    reply = task.replace("def ScaleFigure (f : Figure) (k : Int) : Figure := sorry",
                         "def ScaleFigure (f : Figure) (k : Int) : Figure := f")

    def problems(text: str) -> list[tuple[str, int | None]]:
        return [(p.kind, p.line) for p in guard.check(f"```lean\n{text}```").problems if p.kind != "sorry"]

    assert problems(reply) == []
    assert problems(reply.replace("  | Box (w : Int) (h : Int) : Figure\n", "")) == [("datatype", 7)]
    changed = reply.replace("  | .Disc _ => true\n  | _ => false\n", "  | _ => true\n", 1)
    assert changed != reply
    assert [k for k, _ in problems(changed)] == ["helper"]
