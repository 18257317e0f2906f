"""`proofroute spec check` / `spec show`: output forms and exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import verifier.specs
from click.testing import CliRunner

from verifier.cli import main

EXAMPLES = Path(verifier.specs.__file__).parent / "examples"
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_clean_specs_exit_zero() -> None:
    code, out, err = run("spec", "check", "--no-dafny", str(EXAMPLES / "abs.toml"), str(EXAMPLES / "reverse.toml"))
    assert code == 0, out
    assert out == ""
    assert "2 spec(s) checked: 0 error(s), 0 warning(s); 2 clean" in err


def test_errors_exit_one_and_json_records() -> None:
    code, out, _ = run("spec", "check", "--no-dafny", "--json", str(FIXTURES / "unrealizable.toml"))
    assert code == 1
    report = json.loads(out)  # one object (the --json contract)
    assert (report["ok"], report["exit_code"], report["errors"]) == (False, 1, 1)
    records = report["findings"]
    assert [set(r) for r in records] == [{"severity", "code", "message", "file", "line", "col", "hint"}]
    assert "weaken ensures" in records[0]["hint"]
    assert records[0]["code"] == "unrealizable" and (records[0]["line"], records[0]["col"]) == (6, 4)
    assert "x = 0" in records[0]["message"]


def test_warnings_only_exit_zero_with_caret_display() -> None:
    code, out, _ = run("spec", "check", "--no-dafny", str(FIXTURES / "underspecified.toml"))
    assert code == 0
    first, line, caret, hint = out.splitlines()[:4]
    assert first.endswith("warning: for xs = [0] two different outputs satisfy ensures: m = 0 and m = 1 [underspecified]")
    assert line.strip().startswith('"forall i')
    assert caret.index("^") == 4 + 3
    assert hint.startswith("  hint:")


@pytest.mark.parametrize("name", ["missing.toml", "bad_toml.toml"])
def test_unreadable_input_exits_two(name: str) -> None:
    code, out, _ = run("spec", "check", "--no-dafny", str(FIXTURES / name))
    assert code == 2
    assert "error" in out


def test_show_targets() -> None:
    code, out, _ = run("spec", "show", str(EXAMPLES / "max_of_list.toml"), "--to", "dafny", "--dafny-version", "4.8")
    assert code == 0 and "method MaxOfList(xs: seq<int>) returns (m: int)" in out
    code, out, _ = run("spec", "show", str(EXAMPLES / "sum.toml"), "--to", "dafny", "--dafny-version", "2.3")
    assert "\nfunction SumF(xs: seq<int>): int\n" in out
    code, out, _ = run("spec", "show", str(EXAMPLES / "sum.toml"), "--dafny-version", "4.8")
    assert "\nghost function SumF(xs: seq<int>): int\n" in out
    code, out, _ = run("spec", "show", str(EXAMPLES / "max_of_list.toml"), "--to", "lean")
    assert code == 0 and "def MaxOfList (xs : List Int) : Int := sorry" in out
    code, out, _ = run("spec", "show", str(EXAMPLES / "max_of_list.toml"), "--to", "python")
    assert code == 0 and "def post(args, result):" in out
    compile(out, "show.py", "exec")


def test_show_reports_spec_errors() -> None:
    code, _, err = run("spec", "show", str(FIXTURES / "unknown_name.toml"))
    assert code == 1
    assert "unknown_name.toml:6:42: error: unknown name mx" in err


@pytest.mark.slow
@pytest.mark.dafny
def test_real_command_with_dafny() -> None:
    files = [str(EXAMPLES / f"{n}.toml") for n in ("abs", "insertion_sort", "histogram")]
    proc = subprocess.run(["proofroute", "spec", "check", *files], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(files)} spec(s) checked: 0 error(s), 0 warning(s); {len(files)} clean" in proc.stderr


def test_missing_dafny_is_an_error_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_DAFNY", "/nonexistent/dafny")
    code, out, _ = run("spec", "check", "--json", str(EXAMPLES / "abs.toml"))
    assert code == 1
    (record,) = json.loads(out)["findings"]
    assert record["code"] == "dafny-missing" and "cannot run /nonexistent/dafny" in record["message"]
    code, out, _ = run("spec", "check", str(EXAMPLES / "abs.toml"))
    assert "apt-get install -y dafny" in out
