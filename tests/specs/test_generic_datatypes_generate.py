"""`generate` on the generic datatype examples, as a user runs it: a recorded session (one
reply, the reference solution `tests/golden/dafny_to_python/<name>.dfy`) must end verified
by the real Dafny, translation validation must compare `find_option`'s `Option<int>`
results with Dafny's JS build (list_to_seq's `List<T>` parameter cannot be drawn there:
the certificate says so), and `recheck` re-verifies from scratch and runs the artifact's
property tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = Path(__file__).resolve().parent / "generic_datatypes" / "sessions"
NAMES = ["find_option", "list_to_seq"]


def proofroute(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("name", NAMES)
def test_each_session_replays_the_reference_solution(name: str) -> None:
    program = (ROOT / "tests" / "golden" / "dafny_to_python" / f"{name}.dfy").read_text()
    lines = (SESSIONS / f"{name}.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [{"content": f"```dafny\n{program}```"}]


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("name", NAMES)
def test_generate_with_the_recorded_session_verifies_and_rechecks(name: str, tmp_path: Path) -> None:
    spec = ROOT / "specs" / "examples" / f"{name}.toml"
    run = proofroute("generate", str(spec), "--llm", f"replay:{SESSIONS / f'{name}.jsonl'}", "--out", str(tmp_path),
                     "--attempts", "1", "--max-seconds", "120", "--json", timeout=300)
    result = json.loads(run.stdout)
    assert run.returncode == 0 and result["ok"] and result["results"][0]["verified"], (result, run.stderr[-2000:])
    [artifact] = [d for d in tmp_path.iterdir() if d.is_dir()]
    validation = json.loads((artifact / "certificate.json").read_text())["translation_validation"]
    if name == "list_to_seq":
        assert validation["checked"] is False and "cannot generate inputs of type List" in validation["reason"]
    else:
        assert validation["checked"] and validation["ok"] and validation["compared"] > 0, validation
    recheck = proofroute("recheck", str(artifact))
    assert recheck.returncode == 0, recheck.stdout[-3000:] + recheck.stderr[-2000:]
    assert "ok   dafny" in recheck.stdout and "ok   tests" in recheck.stdout
