"""`recheck` re-establishes a certificate and catches every kind of tampering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import loop_replies as R
import pytest

from verifier.api import generate
from verifier.artifact import recheck, sha256

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
