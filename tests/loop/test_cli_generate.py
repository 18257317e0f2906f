"""`proofroute generate / recheck / demo` end to end: output, files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import loop_replies as R
import pytest
from click.testing import CliRunner

from verifier.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.slow
@pytest.mark.dafny
def test_generate_several_specs_json_and_exit_codes(
    tmp_path: Path, replay: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = replay(R.fenced(R.MAX_OK), R.fenced(R.FIND_OK))
    result = run("generate", str(R.MAX_SPEC), str(R.FIND_SPEC), "--llm", llm,
                 "--out", str(tmp_path), "--validate", "0", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] and [r["spec"] for r in doc["results"]] == ["max_of_list", "find"]
    assert (tmp_path / "find" / "find.py").exists()
    assert "VERIFIED at attempt 1" in result.stderr

    recheck = run("recheck", str(tmp_path / "find"), str(tmp_path / "max_of_list"), "--no-tests")
    assert recheck.exit_code == 0, recheck.output
    monkeypatch.chdir(tmp_path)  # relative folders, as a user types them
    with_tests = run("recheck", "find", "--json")
    assert with_tests.exit_code == 0, with_tests.output
    steps = json.loads(with_tests.stdout)["reports"][0]["steps"]
    assert [s["name"] for s in steps] == ["hashes", "guard", "dafny", "tests"]

    bad = run("generate", str(R.MAX_SPEC), "--llm", replay(*R.GARBAGE[:2]), "--out",
              str(tmp_path / "bad"), "--attempts", "2")
    assert bad.exit_code == 1
    assert "not verified" in bad.stdout and "guard REFUSED" in bad.stderr
    assert (tmp_path / "bad" / "max_of_list" / "transcript.jsonl").exists()


def test_bad_input_exits_2(tmp_path: Path, replay: Any) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\nsignature = "method X(a: int) returns (b: int)"\nensures = ["b =="]\n')
    result = run("generate", str(broken), "--llm", replay(R.fenced(R.MAX_OK)), "--out", str(tmp_path))
    assert result.exit_code == 2 and "broken.toml:3" in result.stderr
    unknown = run("generate", str(R.MAX_SPEC), "--llm", "nosuch:model", "--out", str(tmp_path))
    assert unknown.exit_code == 2 and "unknown model provider" in unknown.stderr


def test_missing_dafny_exits_4(tmp_path: Path, replay: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_DAFNY", str(tmp_path / "no-dafny-here"))
    result = run("generate", str(R.MAX_SPEC), "--llm", replay(R.fenced(R.MAX_OK)), "--out", str(tmp_path))
    assert result.exit_code == 4 and "Dafny" in result.stderr


def test_recheck_of_a_folder_without_certificate_fails(tmp_path: Path) -> None:
    result = run("recheck", str(tmp_path))
    assert result.exit_code != 0


@pytest.mark.slow
@pytest.mark.dafny
def test_demo_replays_three_sessions_and_writes_verified_python(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path), "--validate", "5")
    assert result.exit_code == 0, result.output
    assert "REPLAY" in result.stderr
    assert "Dafny REFUTED" in result.stderr  # max_of_list: repaired from diagnostics
    assert "quick test REFUTED" in result.stderr and "(Dafny not called)" in result.stderr
    assert "guard REFUSED" in result.stderr and "`assume` is not allowed" in result.stderr
    for name in ("max_of_list", "count_evens", "find"):
        assert (tmp_path / name / f"{name}.py").exists()
        assert f"{name}.py" in result.stdout
