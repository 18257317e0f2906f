"""The pytest plugin, run as users run it: pytest in a project folder of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "specs" / "examples" / "max_of_list.toml").read_text("utf-8")
IMPL = """def correct(xs):
    return max(xs)


def wrong(xs):
    m = xs[0]
    for x in xs[1:-1]:
        m = max(m, x)
    return m
"""
DECORATED = '''import verifier


@verifier.spec("specs/max_of_list.toml")
def smallest(xs):
    return sorted(xs)[0]


@verifier.contract(requires=["|xs| > 0"], ensures=["result in xs"])
def first(xs: list[int]) -> int:
    return xs[0]
'''


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "max_of_list.toml").write_text(SPEC, "utf-8")
    (tmp_path / "impl.py").write_text(IMPL, "utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nproofroute_specs =\n    specs/max_of_list.toml impl:correct\n"
        "    specs/max_of_list.toml impl:wrong\n", "utf-8")
    return tmp_path


def pytest_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_ini_properties_pass_and_fail_with_the_shrunk_counterexample_and_seed(project: Path) -> None:
    run = pytest_run(project, "--proofroute-seed", "3")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout
    assert ("impl.py:5: error: ensures 'forall i :: 0 <= i < |xs| ==> xs[i] <= m' is false for xs=[0, 1] "
            "(returned 0)") in run.stdout
    assert "reproduce with --proofroute-seed 3" in run.stdout
    assert "FAILED ::proofroute[specs/max_of_list.toml impl:wrong]" in run.stdout


def test_the_same_tests_under_xdist(project: Path) -> None:
    run = pytest_run(project, "--proofroute-seed", "3", "-n", "2")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout
    assert "xs=[0, 1]" in run.stdout


def test_a_failure_found_by_pytest_is_replayed_first_by_the_cli(project: Path) -> None:
    pytest_run(project, "--proofroute-seed", "3")
    cli = subprocess.run([sys.executable, "-m", "verifier", "test", "specs/max_of_list.toml", "impl:wrong",
                          "--json", "--seed", "99", "--examples", "1"], cwd=project, capture_output=True, text=True,
                         timeout=300)
    sources = [f["source"] for f in json.loads(cli.stdout)["failures"]]
    assert sources[0] == "database", cli.stdout


def test_no_db_option_stores_nothing(project: Path) -> None:
    pytest_run(project, "--proofroute-seed", "3", "--proofroute-no-db")
    assert not (project / ".proofroute").exists()


def test_a_bad_ini_line_is_a_clear_error(project: Path) -> None:
    (project / "pytest.ini").write_text("[pytest]\nproofroute_specs =\n    specs/max_of_list.toml\n", "utf-8")
    run = pytest_run(project)
    assert run.returncode == 1
    assert "write 'SPEC MODULE:FUNCTION'" in run.stdout


def test_decorated_functions_are_collected_one_test_each(project: Path) -> None:
    (project / "test_decorated.py").write_text(DECORATED, "utf-8")
    run = pytest_run(project, "--collect-only")
    assert "test_decorated.py::smallest[proofroute]" in run.stdout
    assert "test_decorated.py::first[proofroute]" in run.stdout
    assert "::proofroute[specs/max_of_list.toml impl:correct]" in run.stdout


def test_decorated_functions_run_in_the_sandbox(project: Path) -> None:
    """The decorated module imports `verifier` (an editable install), which must load
    in the sandbox: the correct function passes, the wrong one fails, shrunk."""
    (project / "test_decorated.py").write_text(DECORATED, "utf-8")
    (project / "pytest.ini").write_text("[pytest]\n", "utf-8")  # only the decorated ones
    run = pytest_run(project, "test_decorated.py", "--proofroute-seed", "5", "--proofroute-no-db")
    assert run.returncode == 1, run.stdout
    assert "1 failed, 1 passed" in run.stdout
    assert "FAILED test_decorated.py::smallest[proofroute]" in run.stdout
    assert "test_decorated.py:5: error: ensures 'forall i :: 0 <= i < |xs| ==> xs[i] <= m' is false " \
           "for xs=[0, 1] (returned 0)" in run.stdout
