"""Every Lean attack in lean/ must come back not VERIFIED; every honest control VERIFIED.
Task-mode cases in lean_tasks/: an answer to a task must pass when it states the task's
theorems in another syntax with the same meaning, and must not when it changes a meaning.

One real `LeanBackend` (warm sessions, no result cache) serves the whole module. Files
without `import` run first, so the session for the plain prelude stays warm; the few that
`import Lean` come last and share a second session. Each file is its own test id.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from verifier.backends.lean import LeanBackend

from verifier.results import CheckResult, Verdict

HERE = Path(__file__).resolve().parent
LEAN_DIR = HERE / "lean"
TASK_DIR = HERE / "lean_tasks"
EXPECTED: dict[str, dict[str, str]] = json.loads((LEAN_DIR / "expected.json").read_text())
TASK_EXPECTED: dict[str, dict[str, str]] = json.loads((TASK_DIR / "expected.json").read_text())
TASKS: dict[str, dict[str, Any]] = {
    row["apps_id"]: row
    for row in map(json.loads, (TASK_DIR / "tasks.jsonl").read_text().splitlines())
}
EVAL_SIDE_EFFECT = Path("/tmp/proofroute_trust_lean_eval.txt")
TIMEOUT = 300.0

pytestmark = [pytest.mark.slow, pytest.mark.lean]


def _order(name: str) -> tuple[bool, str]:
    return ("import Lean" in (LEAN_DIR / name).read_text(), name)


ATTACKS = sorted((f for f, v in EXPECTED.items() if v["expected"] == "not-verified"), key=_order)
HONEST = sorted((f for f, v in EXPECTED.items() if v["expected"] == "verified"), key=_order)
TASK_CASES = sorted(TASK_EXPECTED)


def _explain(result: CheckResult) -> str:
    notes = [f"{d.line}:{d.col} {d.kind}: {d.message[:160]}" for d in result.diagnostics
             if d.kind != "adaptation"]
    return f"verdict={result.verdict}; " + " | ".join(notes[:5])


def test_expected_covers_every_file() -> None:
    assert sorted(p.name for p in LEAN_DIR.glob("*.lean")) == sorted(EXPECTED)
    assert sorted(p.name for p in (TASK_DIR / "answers").glob("*.lean")) == TASK_CASES
    assert len(ATTACKS) > 60 and len(HONEST) >= 10
    assert all(v["task"] in TASKS for v in TASK_EXPECTED.values())


@pytest.mark.parametrize("name", HONEST)
def test_honest_control_is_verified(real_lean: LeanBackend, name: str) -> None:
    result = real_lean.check((LEAN_DIR / name).read_text(), timeout=TIMEOUT, filename=name)
    assert result.verdict == Verdict.VERIFIED, (
        f"{name}: honest proof refused — {EXPECTED[name]['reason']} ({_explain(result)})")


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_is_not_verified(real_lean: LeanBackend, name: str) -> None:
    EVAL_SIDE_EFFECT.unlink(missing_ok=True)
    started = time.monotonic()
    result = real_lean.check((LEAN_DIR / name).read_text(), timeout=TIMEOUT, filename=name)
    assert result.verdict != Verdict.VERIFIED, (
        f"{name}: FALSE VERIFIED — {EXPECTED[name]['reason']} ({_explain(result)})")
    assert not EVAL_SIDE_EFFECT.exists(), f"{name}: model code ran during the check and wrote a file"
    assert time.monotonic() - started < TIMEOUT + 60


@pytest.mark.parametrize("name", TASK_CASES)
def test_task_answer(real_lean: LeanBackend, name: str) -> None:
    case = TASK_EXPECTED[name]
    task = TASKS[case["task"]]
    result = real_lean.check_task((TASK_DIR / "answers" / name).read_text(), task=task["spec"],
                             units=task["units"], timeout=TIMEOUT, filename=name)
    if case["expected"] == "verified":
        assert result.verdict == Verdict.VERIFIED, (
            f"{name}: honest answer refused — {case['reason']} ({_explain(result)})")
    else:
        assert result.verdict != Verdict.VERIFIED, (
            f"{name}: FALSE VERIFIED — {case['reason']} ({_explain(result)})")
