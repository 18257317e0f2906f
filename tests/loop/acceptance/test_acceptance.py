"""Issue 5's "How this will be checked", played from outside: recorded sessions through the
real `proofroute` command (subprocess), the real replay provider, guard, sandbox and Dafny.

Every session in `sessions/` (see build_sessions.py) labels each reply with what must
become of it; the run's transcript must show exactly that, attempt by attempt, and the
run must end with the right exit code and JSON. No cheating reply may ever get a
`verified` check: most cheats wrap a program that runs correctly but proves nothing, so
a cheat the guard let through would end its session VERIFIED at the wrong attempt.

The runs are made once per module (two at a time) and shared by the tests; the whole
file takes about a minute and a half on two shared cores.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EXAMPLES = ROOT / "specs" / "examples"
SESSIONS = HERE / "sessions"

pytestmark = [pytest.mark.slow, pytest.mark.dafny]

# session → (spec, extra CLI options, exit code, verified)
PLAN: dict[str, tuple[str, tuple[str, ...], int, bool]] = {
    "correct_at_once": ("abs", ("--validate", "5"), 0, True),
    "repaired_from_dafny": ("max_of_list", (), 0, True),
    "repaired_from_quicktest": ("count_occurrences", (), 0, True),
    "cheats_then_honest": ("sum", ("--attempts", "60"), 0, True),
    "contract_tampering": ("binary_search", ("--attempts", "20"), 0, True),
    "garbage": ("abs", ("--attempts", "20"), 1, False),
    "never_converges": ("max_of_list", ("--attempts", "3"), 1, False),
}


@dataclass
class Run:
    session: str
    spec: str
    out: Path
    rc: int
    stdout: str
    stderr: str
    expects: list[tuple[str, str]]  # (label, expect) per reply, in order

    @property
    def doc(self) -> dict[str, Any]:
        assert self.stdout.strip(), self.stderr
        return json.loads(self.stdout)

    @property
    def folder(self) -> Path:
        return self.out / self.spec

    def transcript(self, name: str = "transcript.jsonl") -> list[dict[str, Any]]:
        text = (self.folder / name).read_text(encoding="utf-8")
        return [json.loads(line) for line in text.split("\n") if line.strip()]


def proofroute(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The installed command as a user runs it (a fresh interpreter, no test fixtures)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)


def session_expects(path: Path) -> list[tuple[str, str]]:
    records = [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]
    return [(r["label"], r["expect"]) for r in records if r.get("kind", "response") == "response"]


def generate(session: str, out: Path, llm_file: Path | None = None) -> Run:
    spec, extra, _, _ = PLAN[session]
    replay = llm_file or SESSIONS / f"{session}.jsonl"
    done = proofroute("generate", str(EXAMPLES / f"{spec}.toml"), "--llm", f"replay:{replay}",
                      "--out", str(out), "--json", "--validate", "0", *extra)
    return Run(session, spec, out, done.returncode, done.stdout, done.stderr,
               session_expects(SESSIONS / f"{session}.jsonl"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("acceptance")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(generate, name, base / name) for name in PLAN}
        return {name: f.result() for name, f in futures.items()}


def attempts_of(records: list[dict[str, Any]]) -> dict[int, dict[str, dict[str, Any]]]:
    """attempt number → {"guard": record, "quicktest": record, "check": record}."""
    out: dict[int, dict[str, dict[str, Any]]] = {}
    for r in records:
        if r["kind"] in ("response", "guard", "quicktest", "check") and "attempt" in r:
            out.setdefault(r["attempt"], {})[r["kind"]] = r
    return out


def check_attempt(number: int, label: str, expect: str, rec: dict[str, dict[str, Any]],
                  method: str) -> None:
    where = f"attempt {number} ({label})"
    guard, quick, check = rec.get("guard"), rec.get("quicktest"), rec.get("check")
    assert guard is not None, f"{where}: no guard record"
    if expect.startswith("guard:"):
        kinds = [p["kind"] for p in guard["problems"]]
        assert not guard["ok"] and expect.split(":", 1)[1] in kinds, f"{where}: {guard}"
        assert quick is None and check is None, f"{where}: a refused candidate cost verifier time"
        return
    assert guard["ok"], f"{where}: the guard refused it: {guard['problems']}"
    if expect == "quicktest":
        assert quick is not None and quick["refuted"] and quick["failure"], f"{where}: {quick}"
        assert check is None, f"{where}: Dafny was called after the quick test refuted it"
        return
    assert check is not None, f"{where}: never reached Dafny ({quick})"
    if expect == "dafny":
        assert check["verdict"] != "verified", f"{where}: Dafny verified it: {check}"
    else:
        assert expect == "verified", expect
        assert check["verdict"] == "verified", f"{where}: {check}"
        assert {"name": method, "verdict": "verified"} in check["obligations"], check


@pytest.mark.parametrize("session", list(PLAN))
def test_session_ends_with_the_right_outcome_transcript_and_exit_code(
    runs: dict[str, Run], session: str
) -> None:
    run = runs[session]
    _, _, rc, verified = PLAN[session]
    assert run.rc == rc, run.stderr[-3000:]
    (result,) = run.doc["results"]
    assert result["verified"] is verified and run.doc["ok"] is verified
    records = run.transcript()
    assert records[0]["kind"] == "header" and records[1]["kind"] == "session"
    by_attempt = attempts_of(records)
    used = [e for e in run.expects if e[1] != "unused"]
    if verified:
        # Verified exactly at the last reply, never before it.
        assert result["attempts"] == len(used) == len(by_attempt)
        assert (run.folder / f"{run.spec}.py").exists() and (run.folder / "certificate.json").exists()
        cert = json.loads((run.folder / "certificate.json").read_text())
        assert cert["verdict"] == "verified" and cert["verified_attempt"] == len(used)
    else:
        assert not (run.folder / "certificate.json").exists()
        assert "NOT VERIFIED" in run.stderr
    for number, (label, expect) in enumerate(used, start=1):
        check_attempt(number, label, expect, by_attempt.get(number, {}), records[1]["method"])
    verified_checks = [r for r in records if r["kind"] == "check" and r["verdict"] == "verified"]
    assert len(verified_checks) == (1 if verified else 0)
    # Every reply is in the transcript verbatim, in order: it is a replay of itself.
    served = [r["content"] for r in records if r["kind"] == "response"]
    recorded = [json.loads(line)["content"] for line in
                (SESSIONS / f"{session}.jsonl").read_text("utf-8").split("\n")
                if line.strip() and json.loads(line).get("kind") == "response"]
    assert served == recorded[: len(served)] and len(served) == len(by_attempt)
    outcome = [r for r in records if r["kind"] == "outcome"]
    assert outcome and outcome[0]["verified"] is verified


def test_never_converging_run_reports_budget_exhausted(runs: dict[str, Run]) -> None:
    run = runs["never_converges"]
    (result,) = run.doc["results"]
    assert result["error"] == "BudgetExhausted"
    assert result["attempts"] == 3 and "no verified program after 3 attempts" in result["reason"]
    assert result["best_stage"] == "dafny"  # the weak-invariant program got furthest
    assert (run.folder / "transcript.jsonl").exists()


def test_garbage_ends_when_the_recording_runs_out(runs: dict[str, Run]) -> None:
    run = runs["garbage"]
    (result,) = run.doc["results"]
    assert result["attempts"] == 6 and "no response left" in result["reason"]
    records = run.transcript()
    assert [r["kind"] for r in records if r["kind"] == "llm-error"] == ["llm-error"]
    assert not [r for r in records if r["kind"] in ("quicktest", "check")]


def test_repairs_are_driven_by_the_failure(runs: dict[str, Run]) -> None:
    """The second prompt carries what went wrong: Dafny's diagnostic, or the quick test's
    concrete input."""
    def repair_prompt(run: Run) -> str:
        prompts = [r for r in run.transcript() if r["kind"] == "prompt"]
        assert len(prompts) == 2
        return "\n".join(m["content"] for m in prompts[1]["messages"] if m["role"] == "user")

    dafny = repair_prompt(runs["repaired_from_dafny"])
    assert "invariant" in dafny.lower() or "postcondition" in dafny.lower(), dafny
    quick = repair_prompt(runs["repaired_from_quicktest"])
    assert "for xs=" in quick and "CountOccurrences returns" in quick, quick


def test_cheating_session_refuses_without_verifier_time_and_restarts(runs: dict[str, Run]) -> None:
    run = runs["cheats_then_honest"]
    records = run.transcript()
    checks = [r for r in records if r["kind"] == "check"]
    dafny_expected = sum(1 for _, e in run.expects if e in ("dafny", "verified"))
    assert len(checks) == dafny_expected  # every guard refusal cost no Dafny call
    assert [r for r in records if r["kind"] == "restart"], "restart-after 3 never restarted"
    assert "guard REFUSED" in run.stderr


def test_transcript_replays_the_same_session(runs: dict[str, Run], tmp_path: Path) -> None:
    """docs: the transcript is itself a replay file of the same session. The cheating
    session's final reply has a U+2028 in a comment, which once split its transcript line
    in two for the replay provider."""
    first = runs["cheats_then_honest"]
    again = generate("cheats_then_honest", tmp_path, llm_file=first.folder / "transcript.jsonl")
    assert again.rc == 0, again.stderr[-2000:]
    a = [(r["kind"], r.get("ok"), r.get("verdict")) for r in first.transcript()
         if r["kind"] in ("guard", "check")]
    b = [(r["kind"], r.get("ok"), r.get("verdict")) for r in again.transcript()
         if r["kind"] in ("guard", "check")]
    assert a == b
    dfy = (again.folder / "sum.dfy").read_text(encoding="utf-8")
    assert "\u2028" in dfy  # the verified source is kept verbatim


# ----------------------------------------------------------------- recheck and tampering


def _rehash(folder: Path, name: str) -> None:
    cert_path = folder / "certificate.json"
    cert = json.loads(cert_path.read_text())
    digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    cert["files"][name] = digest
    cert_path.write_text(json.dumps(cert, indent=2))


@pytest.fixture(scope="module")
def tampered(runs: dict[str, Run], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    good = runs["correct_at_once"].folder
    base = tmp_path_factory.mktemp("tampered")
    made: dict[str, Path] = {}

    def copy(name: str) -> Path:
        made[name] = shutil.copytree(good, base / name)
        return made[name]

    d = copy("dfy_edited")
    (d / "abs.dfy").write_text((d / "abs.dfy").read_text() + "// touched\n")
    d = copy("py_edited")
    (d / "abs.py").write_text((d / "abs.py").read_text().replace("return", "return 0 or", 1))
    d = copy("hash_edited")
    cert = json.loads((d / "certificate.json").read_text())
    cert["files"]["abs.dfy"] = "0" * 64
    (d / "certificate.json").write_text(json.dumps(cert, indent=2))
    d = copy("cheat_rehashed")
    (d / "abs.dfy").write_text(
        "method Abs(x: int) returns (y: int)\n  ensures y >= 0\n  ensures y == x || y == -x\n"
        "{\n  y := x;\n  assume y >= 0;\n}\n")
    _rehash(d, "abs.dfy")
    d = copy("fence_in_comment_rehashed")  # recheck once judged only the text before "```"
    (d / "abs.dfy").write_text(
        "method Abs(x: int) returns (y: int)\n  ensures y >= 0\n  ensures y == x || y == -x\n"
        "{\n  y := x;\n  Trust(x, y);\n}\n// ```\n"
        "lemma {:verify false} Trust(x: int, y: int)\n  ensures y >= 0\n{\n}\n")
    _rehash(d, "abs.dfy")
    d = copy("weakened_rehashed")
    (d / "abs.dfy").write_text(
        "method Abs(x: int) returns (y: int)\n  ensures y >= 0\n{\n  y := 0;\n}\n")
    _rehash(d, "abs.dfy")
    d = copy("python_swapped_rehashed")
    py = (d / "abs.py").read_text()
    # Wrong only far outside what the property tests draw: only the translation check sees it.
    swapped = py.replace('    """\n', '    """\n    if x > 10**6:\n        return 0\n', 1)
    assert swapped != py
    (d / "abs.py").write_text(swapped)
    _rehash(d, "abs.py")
    yield made


def test_recheck_passes_on_the_artifact_and_runs_its_tests(runs: dict[str, Run]) -> None:
    done = proofroute("recheck", str(runs["correct_at_once"].folder), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    steps = {s["name"]: s["ok"] for s in json.loads(done.stdout)["reports"][0]["steps"]}
    assert steps == {"hashes": True, "guard": True, "dafny": True, "tests": True}


def test_recheck_fails_on_every_tampering_with_a_clear_message(tampered: dict[str, Path]) -> None:
    done = proofroute("recheck", *map(str, tampered.values()), "--no-tests", "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    reports = {Path(r["directory"]).name: r for r in json.loads(done.stdout)["reports"]}
    assert set(reports) == set(tampered)
    for name, report in reports.items():
        assert not report["ok"], name
    failed = {n: {s["name"]: s["detail"] for s in r["steps"] if not s["ok"]} for n, r in reports.items()}
    assert "abs.dfy" in failed["dfy_edited"]["hashes"]
    assert "abs.py" in failed["py_edited"]["hashes"]
    assert "abs.dfy" in failed["hash_edited"]["hashes"]
    assert "assume" in failed["cheat_rehashed"]["guard"] and "hashes" not in failed["cheat_rehashed"]
    assert "ensures" in failed["weakened_rehashed"]["guard"]
    assert "verify" in failed["fence_in_comment_rehashed"]["guard"]
    assert "not the translation" in failed["python_swapped_rehashed"]["guard"]
    assert set(failed["python_swapped_rehashed"]) == {"guard"}


def test_demo_runs_from_another_directory_and_ends_with_verified_files(tmp_path: Path) -> None:
    out = tmp_path / "demo-out"
    done = proofroute("demo", "--out", str(out), "--validate", "0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "REPLAY" in done.stderr
    for name in ("max_of_list", "count_evens", "find"):
        assert (out / name / f"{name}.py").exists() and (out / name / "certificate.json").exists()
        assert str(out / name) in done.stdout or f"{name}.py" in done.stdout
