"""`proofroute test` and the pytest plugin on a small package: sibling and relative
imports, numpy, correct and subtly wrong functions, hostile code in an imported module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "specs" / "examples" / "max_of_list.toml").read_text("utf-8")
HELPERS = "def larger(a, b):\n    return a if a >= b else b\n"
IMPL = '''import numpy as np

from .helpers import larger
from .hostile import leak, scribble


def correct(xs):
    m = xs[0]
    for x in xs[1:]:
        m = larger(m, x)
    return m


def via_numpy(xs):
    return int(np.max(np.array(xs, dtype=np.int64)))


def skips_last(xs):
    m = xs[0]
    for x in xs[1:-1]:
        m = larger(m, x)
    return m


def calls_home(xs):
    leak()
    return max(xs)


def writes_project(xs):
    scribble()
    return max(xs)
'''
HOSTILE = '''import os
import socket


def leak():
    socket.create_connection(("127.0.0.1", 9), timeout=1)


def scribble():
    open(os.path.join(os.path.dirname(__file__), "helpers.py"), "w").write("pwned")
'''
TOP = "from tools import biggest\n\n\ndef top(xs):\n    return biggest(xs)\n"
TOOLS = "def biggest(xs):\n    return sorted(xs)[-2] if len(xs) > 1 else xs[0]\n"
DECORATED = '''import verifier

from mypkg.helpers import larger


@verifier.spec("specs/max_of_list.toml")
def good(xs):
    m = xs[0]
    for x in xs:
        m = larger(m, x)
    return m


@verifier.contract(requires=["|xs| > 0"], ensures=["forall i :: 0 <= i < |xs| ==> xs[i] <= result"])
def bad(xs: list[int]) -> int:
    return larger(xs[0], xs[-1])
'''


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "mypkg").mkdir(parents=True)
    (root / "specs").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\n")
    (root / "specs" / "max_of_list.toml").write_text(SPEC)
    (root / "mypkg" / "__init__.py").write_text("")
    (root / "mypkg" / "helpers.py").write_text(HELPERS)
    (root / "mypkg" / "hostile.py").write_text(HOSTILE)
    (root / "mypkg" / "impl.py").write_text(IMPL)
    (root / "scripts").mkdir()
    (root / "scripts" / "top.py").write_text(TOP)
    (root / "lib").mkdir()
    (root / "lib" / "tools.py").write_text(TOOLS)
    return root


def cli(cwd: Path, target: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", "test", "specs/max_of_list.toml", target,
                           "--examples", "60", "--seed", "2", "--no-db", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("target", ["mypkg.impl:correct", "mypkg/impl.py:via_numpy"])
def test_correct_functions_pass_with_relative_imports_and_numpy(proj: Path, target: str) -> None:
    run = cli(proj, target)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no counterexample" in run.stderr


def test_a_subtly_wrong_function_is_caught_with_a_shrunk_input(proj: Path) -> None:
    run = cli(proj, "mypkg.impl:skips_last")
    assert run.returncode == 1, run.stderr
    assert "mypkg/impl.py:18: error: ensures 'forall i :: 0 <= i < |xs| ==> xs[i] <= m' is false " \
           "for xs=[0, 1] (returned 0)" in run.stdout


@pytest.mark.parametrize(("function", "attempted"), [
    ("calls_home", "socket.getaddrinfo('127.0.0.1')"),
    ("writes_project", "helpers.py', 'w')"),
])
def test_hostile_code_in_an_imported_module_is_contained(proj: Path, function: str, attempted: str) -> None:
    before = (proj / "mypkg" / "helpers.py").read_text()
    run = cli(proj, f"mypkg.impl:{function}")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "sandbox violation" in run.stderr and attempted in run.stderr
    assert (proj / "mypkg" / "helpers.py").read_text() == before


def test_path_entries_are_importable(proj: Path) -> None:
    assert "No module named 'tools'" in cli(proj, "scripts/top.py:top").stderr
    run = cli(proj, "scripts/top.py:top", "--path", "lib")
    assert run.returncode == 1, run.stderr
    assert "is false for xs=" in run.stdout


def test_the_help_names_what_is_lent() -> None:
    run = subprocess.run([sys.executable, "-m", "verifier", "test", "--help"], capture_output=True, text=True,
                         timeout=60)
    text = " ".join(run.stdout.split())
    assert "--path" in text and "site-packages" in text and "relative imports work" in text


def test_the_plugin_runs_decorated_functions_that_import_the_project(proj: Path) -> None:
    (proj / "test_decorated.py").write_text(DECORATED)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_decorated.py",
                          "--proofroute-seed", "4", "--proofroute-no-db"], cwd=proj, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 1, run.stdout
    assert "1 failed, 1 passed" in run.stdout
    assert "test_decorated.py::bad[proofroute]" in run.stdout
    assert "is false for xs=[0, 1, 0] (returned 0)" in run.stdout or "is false for xs=[1, 0, 0]" in run.stdout \
        or "is false for xs=[0, 1, 0]" in run.stdout, run.stdout
    assert "reproduce with --proofroute-seed 4" in run.stdout
