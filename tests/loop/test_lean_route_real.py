"""The Lean route end to end with the real Lean (the WebAssembly build from `proofroute
setup`): recorded sessions whose proofs really check on this build (Init only: `omega`,
`split`, `simp only`, a case lemma), through the replay provider, the guard, the Lean
backend's `check_task` against the spec's rendered statements, the artifact and recheck.

One backend for the module with a warm Lean session, so the task's elaborated
statements are computed once and each later check takes seconds; five Lean runs in all
after the session's start-up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from verifier.api import generate
from verifier.recheck import recheck
from verifier.results import Verdict

pytestmark = [pytest.mark.slow, pytest.mark.lean]

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = Path(__file__).resolve().parent / "lean_sessions"
ABS = ROOT / "specs" / "examples" / "abs.toml"

# What a user brings for the property tests of a Lean artifact.
ABS_PY = "def Abs(x: int) -> int:\n    return -x if x < 0 else x\n"


class Counting:
    """The real Lean backend, counting the programs it is asked to check."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = real.name
        self.checked: list[str] = []

    def available(self) -> Any:
        return self.real.available()

    def check_task(self, source: str, **kwargs: Any) -> Any:
        self.checked.append(source)
        return self.real.check_task(source, **kwargs)

    def prestart(self, modules: Any = ()) -> None:
        self.real.prestart(modules)

    def close(self) -> None:
        """Closed by the module fixture."""


def records(path: Path) -> list[dict[str, Any]]:
    from verifier.transcript import read_transcript

    return read_transcript(path)


def test_proved_at_once_gives_a_verified_artifact_that_rechecks(tmp_path: Path, real_lean: Any) -> None:
    lean = Counting(real_lean)
    art = generate(ABS, llm=f"replay:{SESSIONS / 'abs_proved.jsonl'}", out=tmp_path, backend=lean,
                   check_timeout=400)
    folder = tmp_path / "abs"
    assert art.verified and art.backend == "lean" and len(lean.checked) == 1
    assert sorted(p.name for p in folder.iterdir()) == [
        "abs.lean", "certificate.json", "spec.toml", "test_abs.py", "transcript.jsonl"]
    cert = json.loads((folder / "certificate.json").read_text())
    assert cert["backend"] == "lean" and cert["verdict"] == "verified" and cert["attempts"] == 1
    assert cert["obligations"] == [{"name": "Abs_spec_0", "verdict": "verified"},
                                   {"name": "Abs_spec_1", "verdict": "verified"}]
    assert cert["toolchain"]["lean"] == real_lean.available().version
    assert any("noncomputable section" in a for a in cert["toolchain"]["adaptations"])
    assert cert["translation_validation"]["checked"] is False
    assert (folder / "abs.lean").read_text() == lean.checked[0]
    kinds = [r["kind"] for r in records(folder / "transcript.jsonl")]
    assert kinds[:7] == ["header", "session", "prompt", "response", "guard", "check", "outcome"]
    assert "quicktest" not in kinds

    # recheck: hashes, guard, Lean again, and the property tests on the user's module
    (folder / "abs.py").write_text(ABS_PY)
    report = recheck(folder, backend=lean, timeout=400)
    assert {s.name: s.ok for s in report.steps} == {"hashes": True, "guard": True, "lean": True,
                                                   "tests": True}, report.steps
    assert "passed" in report.steps[-1].detail and len(lean.checked) == 2

    # a hand-weakened statement, with the hash "fixed" in the certificate, is caught by
    # the guard (before any Lean time)
    from verifier.artifact import sha256

    lean_file = folder / "abs.lean"
    weakened = lean_file.read_text().replace("(y ≥ 0) := by", "(y ≥ 0 ∨ True) := by")
    lean_file.write_text(weakened)
    cert["files"]["abs.lean"] = sha256(weakened)
    (folder / "certificate.json").write_text(json.dumps(cert))
    tampered = recheck(folder, backend=lean, timeout=400, tests=False)
    assert not tampered.ok and len(lean.checked) == 2
    assert {s.name: s.ok for s in tampered.steps} == {"hashes": True, "guard": False, "lean": False}
    assert "Abs_spec_0" in tampered.steps[1].detail
    from click.testing import CliRunner

    from verifier.cli import main

    cli = CliRunner().invoke(main, ["recheck", str(folder), "--no-tests", "--json"])
    assert cli.exit_code == 1, cli.output
    assert [s["name"] for s in json.loads(cli.stdout)["reports"][0]["steps"]] == ["hashes", "guard", "lean"]


def test_changed_statement_and_sorry_refused_wrong_proof_refuted_then_repaired(
    tmp_path: Path, real_lean: Any
) -> None:
    lean = Counting(real_lean)
    art = generate(ABS, llm=f"replay:{SESSIONS / 'abs_repaired.jsonl'}", out=tmp_path,
                   backend=lean, attempts=4, check_timeout=400)
    assert art.verified and art.certificate.run.attempts == 4
    assert art.certificate.run.verified_attempt == 4
    assert len(lean.checked) == 2  # the changed statement and the sorry never reached Lean
    log = records(tmp_path / "abs" / "transcript.jsonl")
    guards = [r for r in log if r["kind"] == "guard"]
    assert [g["ok"] for g in guards] == [False, False, True, True]
    assert guards[0]["problems"][0]["kind"] == "statement"
    assert "Abs_spec_0" in guards[0]["problems"][0]["message"]
    assert guards[1]["problems"][0]["kind"] == "sorry"
    checks = [r for r in log if r["kind"] == "check"]
    assert [c["verdict"] for c in checks] == ["refuted", "verified"]
    assert {o["name"]: o["verdict"] for o in checks[0]["obligations"]} == {
        "Abs_spec_0": Verdict.REFUTED.value, "Abs_spec_1": Verdict.VERIFIED.value}
    # the repair prompt after the refuted attempt shows Lean's error at the offending line
    wrong = lean.checked[0]
    omega_line = wrong.splitlines().index("  omega") + 1
    repair = [r for r in log if r["kind"] == "prompt"][-1]["messages"][-1]["content"]
    assert f"line {omega_line}: omega could not prove the goal" in repair
    assert "    omega\n" in repair
    assert art.lean == lean.checked[1] and "abs_cases" in art.lean
