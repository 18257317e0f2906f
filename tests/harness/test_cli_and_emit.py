"""`proofroute test` end to end (exit codes, lines, --json) and `--emit-pytest` modules
that really run under pytest: green on a correct implementation, red on a wrong one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from verifier.specs.loader import load_spec

from verifier.harness import emit_pytest, run_properties

ROOT = Path(__file__).resolve().parents[2]
MAX_OF_LIST = ROOT / "specs" / "examples" / "max_of_list.toml"
INSERTION_SORT = ROOT / "specs" / "examples" / "insertion_sort.toml"
IMPLS = Path(__file__).resolve().parent / "impls"

CORRECT = "def max_of_list(xs):\n    return max(xs)\n"
WRONG = (
    "def max_of_list(xs):\n"
    "    m = xs[0]\n"
    "    for x in xs[1:-1]:\n"
    "        if x > m:\n"
    "            m = x\n"
    "    return m\n"
)


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", "test", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_cli_exit_1_with_the_compiler_style_line(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text(WRONG)
    run = cli(tmp_path, str(MAX_OF_LIST), "impl:max_of_list", "--examples", "50", "--seed", "3")
    assert run.returncode == 1, run.stderr
    assert "impl.py:1: error: ensures 'forall i :: 0 <= i < |xs| ==> xs[i] <= m' is false for xs=[0, 1] (returned 0)" \
        in run.stdout.splitlines()
    assert "counterexample(s)" in run.stderr


def test_cli_exit_0_and_json_record(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text(CORRECT)
    run = cli(tmp_path, str(MAX_OF_LIST), "impl.py:max_of_list", "--examples", "40", "--seed", "1", "--json")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["schema"] == 1 and record["kind"] == "harness_report"
    assert record["ok"] is True and record["verdict"] == "unknown" and record["failures"] == []
    assert record["generated_run"] >= 20 and record["seed"] == 1


def test_cli_json_failure_records(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text(WRONG)
    run = cli(tmp_path, str(MAX_OF_LIST), "impl:max_of_list", "--examples", "50", "--seed", "3", "--json")
    assert run.returncode == 1
    record = json.loads(run.stdout)
    generated = [f for f in record["failures"] if f["source"] == "generated"]
    assert generated[0]["inputs"] == {"xs": [0, 1]} and generated[0]["returned"] == 0
    assert generated[0]["clause"] == "forall i :: 0 <= i < |xs| ==> xs[i] <= m"
    assert generated[0]["line"] == 1 and generated[0]["shrunk"] is True


def test_cli_exit_2_on_sandbox_violation_and_bad_input(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text("import socket\n\ndef max_of_list(xs):\n    socket.socket().connect(('127.0.0.1', 9))\n")
    run = cli(tmp_path, str(MAX_OF_LIST), "impl:max_of_list", "--examples", "5")
    assert run.returncode == 2
    assert "sandbox violation" in run.stderr and "impl.py:4" in run.stderr
    run = cli(tmp_path, str(MAX_OF_LIST), "impl:nope", "--json")
    assert run.returncode == 2
    assert json.loads(run.stdout)["error"] == "HarnessInputError"
    run = cli(tmp_path, str(tmp_path / "missing.toml"), "impl:max_of_list")
    assert run.returncode == 2 and "cannot read spec file" in run.stderr


def _pytest(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                          cwd=path.parent, capture_output=True, text=True, timeout=300)


def test_emitted_pytest_is_green_on_correct_and_red_on_wrong(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder, source in ((good, CORRECT), (bad, WRONG)):
        folder.mkdir()
        (folder / "impl.py").write_text(source)
        run = cli(folder, str(MAX_OF_LIST), "impl:max_of_list", "--examples", "50", "--seed", "3",
                  "--emit-pytest", "test_impl.py")
        assert run.returncode == (0 if folder is good else 1), run.stderr
    assert "@example(inputs={'xs': [0, 1]})" in (bad / "test_impl.py").read_text()
    green = _pytest(good / "test_impl.py")
    assert green.returncode == 0, green.stdout + green.stderr
    assert "1 passed" in green.stdout
    red = _pytest(bad / "test_impl.py")
    assert red.returncode == 1, red.stdout + red.stderr
    assert "ensures 'forall i :: 0 <= i < |xs| ==> xs[i] <= m' is false for xs=[0, 1]" in red.stdout


@pytest.mark.parametrize("name", ["correct", "wrong_not_in_place"])
def test_emitted_pytest_for_an_in_place_array_spec(tmp_path: Path, name: str) -> None:
    spec = load_spec(INSERTION_SORT)
    target = f"{IMPLS / 'insertion_sort.py'}:{name}"
    report = run_properties(spec, target, max_examples=30, seed=1)
    path = tmp_path / "test_sort.py"
    path.write_text(emit_pytest(spec, target, report.failures, max_examples=30))
    result = _pytest(path)
    assert result.returncode == (0 if name == "correct" else 1), result.stdout + result.stderr


@pytest.mark.parametrize("name", ["correct", "wrong_first"])
def test_emitted_pytest_for_a_real_spec_pins_its_examples_as_fractions(tmp_path: Path, name: str) -> None:
    """The spec's real example values are written as `Fraction(n, d)`: the module must
    import it (it failed to collect with a NameError before, so artifacts of every spec
    with real examples failed `recheck`)."""
    spec = load_spec(ROOT / "specs" / "examples" / "average.toml")
    target = f"{IMPLS / 'average.py'}:{name}"
    text = emit_pytest(spec, target, max_examples=20)
    assert "@example(inputs={'xs': [Fraction(1, 1), Fraction(5, 2), Fraction(1, 3)]})" in text
    path = tmp_path / "test_average.py"
    path.write_text(text)
    result = _pytest(path)
    assert result.returncode == (0 if name == "correct" else 1), result.stdout + result.stderr
    assert "NameError" not in result.stdout
