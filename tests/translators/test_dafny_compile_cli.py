"""`proofroute compile`: output, exit codes and error locations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "dafny_to_python"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["compile", *args])
    return result.exit_code, result.stdout, result.stderr


def test_compile_prints_the_module() -> None:
    code, out, _ = run(str(GOLDEN / "abs.dfy"))
    assert code == 0
    assert "def Abs(x: int) -> int:" in out
    compile(out, "abs.py", "exec")


def test_compile_writes_output_file_and_json(tmp_path: Path) -> None:
    target = tmp_path / "two_sum.py"
    code, out, _ = run(str(GOLDEN / "two_sum.dfy"), "-o", str(target), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["ok"] is True and record["output"] == str(target)
    [func] = record["functions"]
    assert func["name"] == "TwoSum" and [p["name"] for p in func["params"]] == ["xs", "target"]
    assert target.read_text() == (GOLDEN / "two_sum.py").read_text()


def test_unsupported_construct_exits_3_with_location(tmp_path: Path) -> None:
    src = tmp_path / "bad.dfy"
    src.write_text("method M(o: object) returns (y: int)\n{\n  y := 1;\n}\n")
    code, _, err = run(str(src))
    assert code == 3  # refused where the type is declared, before any use of it
    assert f"{src}:1:10: error: the type 'object' (a class, trait, newtype or type synonym?) is outside" in err
    src.write_text("method M(r: real) returns (x: int)\n{\n  print r;\n  x := 1;\n}\n")
    code, _, err = run(str(src))
    assert code == 3
    assert f"{src}:3:9: error: printing a real" in err


def test_syntax_error_exits_3_and_json_has_the_position(tmp_path: Path) -> None:
    src = tmp_path / "bad.dfy"
    src.write_text("method M() {\n  var := 1;\n}\n")
    code, out, _ = run(str(src), "--json")
    assert code == 3
    record = json.loads(out)
    assert (record["line"], record["col"]) == (2, 7) and record["ok"] is False


@pytest.mark.dafny
@pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny needed")
def test_via_dafny_on_dafny_2_fails_clearly() -> None:
    code, _, err = run(str(GOLDEN / "abs.dfy"), "--via", "dafny")
    assert code == 4
    assert "needs Dafny 4 or later" in err and "found Dafny 2." in err


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.skipif(
    shutil.which("dafny") is None or shutil.which("node") is None, reason="dafny and node needed"
)
def test_validate_against_dafny_js(tmp_path: Path) -> None:
    code, out, err = run(
        str(GOLDEN / "binary_search.dfy"), "--validate", "10", "--seed", "1", "--json",
        "--spec", str(GOLDEN.parents[2] / "specs" / "examples" / "binary_search.toml"),
    )  # fmt: skip
    assert code == 0, out + err
    [report] = json.loads(out)["validation"]
    assert report["compared"] == 10 and report["disagreements"] == []


def test_via_dafny_adapter_is_python_with_our_signatures() -> None:
    """The adapter around Dafny 4's own build (Dafny 4 itself cannot run here)."""
    from verifier.translators.dafny_parser import parse
    from verifier.translators.dafny_via_dafny import adapter_source

    text, infos = adapter_source(parse((GOLDEN / "swap_array.dfy").read_text()))
    compile(text, "adapter.py", "exec")
    assert [f.name for f in infos] == ["Swap"]
    assert "def Swap(a: list[int], i: int, j: int) -> None:" in text
    assert "module_.default__.Swap(_a, _i, _j)" in text
    assert "a[:] = _out(_a, ('array', ('int',)))" in text  # arrays still change in place


WRONG_ABS = """method Abs(x: int) returns (y: int)
  ensures y >= 0
{
  y := x;
}
"""


@pytest.mark.slow
@pytest.mark.dafny
def test_a_program_dafny_does_not_verify_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "abs.dfy"
    src.write_text(WRONG_ABS)
    target = tmp_path / "abs.py"
    code, out, err = run(str(src), "-o", str(target))
    assert code == 2, out + err
    assert f"{src}: error: Dafny 2." in err and "does not verify this program" in err
    assert f"{src}:3:1: postcondition: A postcondition might not hold" in err  # Dafny's own
    assert "--unverified" in err
    assert not target.exists() and out == ""
    code, out, _ = run(str(src), "--json")
    record = json.loads(out)
    assert code == 2 and record["ok"] is False and record["verdict"] == "refuted"


@pytest.mark.slow
@pytest.mark.dafny
def test_unverified_translates_under_a_not_verified_header(tmp_path: Path) -> None:
    src = tmp_path / "abs.dfy"
    src.write_text(WRONG_ABS)
    code, out, err = run(str(src), "--unverified")
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith('"""NOT verified') and "Translated from verified" not in out
    assert "def Abs(x: int) -> int:" in out
    compile(out, "abs.py", "exec")


@pytest.mark.slow
@pytest.mark.dafny
def test_a_verified_program_keeps_the_verified_header_and_says_so_in_json() -> None:
    code, out, _ = run(str(GOLDEN / "abs.dfy"), "--json")
    record = json.loads(out)
    assert code == 0 and record["verified"] is True
    assert record["python"].startswith('"""Translated from verified Dafny')
