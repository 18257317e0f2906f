"""`recheck` re-establishes a certificate and catches every kind of tampering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import loop_replies as R
import pytest

from verifier.api import generate
from verifier.artifact import sha256
from verifier.recheck import recheck

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


@pytest.fixture
def artifact_dir(tmp_path: Path, dafny: Any, replay: Any) -> Path:
    generate(R.FIND_SPEC, llm=replay(R.fenced(R.FIND_OK)), out=tmp_path, backend=dafny, validate=0)
    return tmp_path / "find"


def steps(report: Any) -> dict[str, bool]:
    return {s.name: s.ok for s in report.steps}


def test_fresh_artifact_rechecks(artifact_dir: Path, real_dafny: Any) -> None:
    report = recheck(artifact_dir, backend=real_dafny)
    assert steps(report) == {"hashes": True, "guard": True, "dafny": True, "tests": True}
    assert report.ok


def test_edited_python_fails_the_hash_and_the_tests(artifact_dir: Path, real_dafny: Any) -> None:
    py = artifact_dir / "find.py"
    py.write_text(py.read_text().replace("return idx", "return 0", 1))
    report = recheck(artifact_dir, backend=real_dafny)
    assert not report.ok and steps(report)["hashes"] is False


def test_cheat_slipped_into_the_dfy_is_caught_even_with_fixed_hashes(
    artifact_dir: Path, real_dafny: Any
) -> None:
    dfy = artifact_dir / "find.dfy"
    cheat = R.FIND_OK.replace("  idx := -1;\n}", "  idx := -1;\n  assume false;\n}")
    assert cheat != R.FIND_OK
    dfy.write_text(cheat)
    cert_path = artifact_dir / "certificate.json"
    cert = json.loads(cert_path.read_text())
    cert["files"]["find.dfy"] = sha256(cheat)
    cert_path.write_text(json.dumps(cert))
    report = recheck(artifact_dir, backend=real_dafny, tests=False)
    assert steps(report)["hashes"] is True
    assert steps(report)["guard"] is False and not report.ok


def test_edited_spec_fails(artifact_dir: Path, real_dafny: Any) -> None:
    spec = artifact_dir / "spec.toml"
    spec.write_text(spec.read_text().replace('"-1 <= idx < |xs|",', ""))
    report = recheck(artifact_dir, backend=real_dafny, tests=False)
    assert steps(report)["hashes"] is False and steps(report)["guard"] is False


def _entries(root: Path) -> set[Path]:
    return set(root.rglob("*.json")) if root.exists() else set()


def test_recheck_ignores_a_tampered_result_cache(
    artifact_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache entry claiming VERIFIED for a program Dafny refutes: `recheck` re-verifies
    (the cache is off) and fails; only `cached=True` lets the forged entry answer, which
    shows the entry really was poisoned."""
    from verifier.backends import get_backend

    monkeypatch.setenv("PROOFROUTE_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "cache" / "dafny"
    wrong = R.FIND_OK.replace("  idx := -1;\n}", "  idx := 0;\n}")  # guard-clean, refuted
    assert wrong != R.FIND_OK
    cached = get_backend("dafny", cache=True)
    try:
        cached.check(R.FIND_OK, timeout=120.0, filename="find.dfy")
        good = _entries(root)
        refuted = cached.check(wrong, timeout=120.0, filename="find.dfy")
        assert refuted.verdict.value == "refuted"
        (bad,) = _entries(root) - good
        (ok_entry,) = good
    finally:
        cached.close()
    bad.write_text(ok_entry.read_text())  # the forged claim: "verified"
    (artifact_dir / "find.dfy").write_text(wrong)
    cert_path = artifact_dir / "certificate.json"
    cert = json.loads(cert_path.read_text())
    cert["files"]["find.dfy"] = sha256(wrong)
    cert_path.write_text(json.dumps(cert))

    forged = recheck(artifact_dir, tests=False, cached=True)
    assert steps(forged)["dafny"] is True  # the poisoned entry answers when allowed to
    report = recheck(artifact_dir, tests=False)
    assert steps(report)["dafny"] is False and not report.ok
    dafny_step = next(s for s in report.steps if s.name == "dafny")
    assert "refuted" in dafny_step.detail


def test_a_reply_without_the_spec_helper_is_completed_verified_and_rechecks(
    tmp_path: Path, dafny: Any, real_dafny: Any, replay: Any
) -> None:
    artifact = generate(R.COUNT_SPEC, llm=replay(R.fenced(R.COUNT_METHOD)), out=tmp_path,
                        backend=dafny, validate=0)
    assert artifact.verified
    assert artifact.dafny.endswith(R.COUNT_HELPER)  # the helper as the contract has it
    guard = next(json.loads(x) for x in artifact.transcript.splitlines()
                 if json.loads(x)["kind"] == "guard")
    assert guard["ok"] and guard["completed"] == ["CountEven"]
    assert recheck(tmp_path / "count_evens", backend=real_dafny).ok
