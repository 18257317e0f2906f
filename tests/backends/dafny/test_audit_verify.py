"""The audit through the real `proofroute verify` (real Dafny 2.3): the known bypasses of
the old token heuristics and other unproved claims are never VERIFIED, honest programs
with tricky syntax are, and includes are refused unless allowed, then really verified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROGRAMS = Path(__file__).parent / "audit_programs"
ATTACKS = sorted(p.name for p in PROGRAMS.glob("attack*.dfy"))
HONEST = sorted(p.name for p in PROGRAMS.glob("honest*.dfy"))
REFUSALS = {"unsound", "include", "unknown-construct"}

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


def verify(cwd: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    run = subprocess.run(
        [sys.executable, "-m", "verifier", "verify", "--json", "--timeout", "20", *args],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=900,
    )
    return run.returncode, json.loads(run.stdout)["results"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    os.environ.setdefault("PROOFROUTE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    _, results = verify(PROGRAMS, *ATTACKS, *HONEST)
    return dict(zip(ATTACKS + HONEST, results, strict=True))


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_is_never_verified(batch: dict[str, dict[str, Any]], name: str) -> None:
    result = batch[name]
    assert result["verdict"] != "verified"
    kinds = {d["kind"] for d in result["diagnostics"]}
    assert kinds & REFUSALS, result["diagnostics"]


@pytest.mark.parametrize("name", HONEST)
def test_honest_tricky_syntax_verifies(batch: dict[str, dict[str, Any]], name: str) -> None:
    result = batch[name]
    assert result["verdict"] == "verified", result["diagnostics"]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


AXIOM = "lemma Bad() ensures false\n"
HONEST_LIB = (
    "function Double(x: int): int { 2 * x }\nlemma D(x: int) ensures Double(x) == x + x { }\n"
)
USES_BAD = "method Main() ensures false { Bad(); }\n"


def test_includes(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    project = tmp_path / "project"
    _write(outside, {"axiom.dfy": AXIOM})
    _write(
        project,
        {
            "abs.dfy": f'include "{outside / "axiom.dfy"}"\n{USES_BAD}',
            "up.dfy": f'include "../outside/axiom.dfy"\n{USES_BAD}',
            "inside.dfy": f'include "lib/axiom.dfy"\n{USES_BAD}',
            "lib/axiom.dfy": AXIOM,
            "honest.dfy": 'include "lib/ok.dfy"\nmethod Main() ensures Double(2) == 4 { }\n',
            "lib/ok.dfy": HONEST_LIB,
            "lib/wrong.dfy": "lemma W(x: int) ensures x > 0 { }\n",
            "wrong.dfy": 'include "lib/wrong.dfy"\nmethod Main() { }\n',
        },
    )
    (project / "link.dfy").symlink_to(outside / "axiom.dfy")
    _write(project, {"via_link.dfy": f'include "link.dfy"\n{USES_BAD}'})
    names = ["abs.dfy", "up.dfy", "inside.dfy", "honest.dfy", "wrong.dfy", "via_link.dfy"]

    code, refused = verify(project, *names)
    for name, result in zip(names, refused, strict=True):
        assert result["verdict"] == "unknown", name
        [d] = [d for d in result["diagnostics"] if d["kind"] == "include"]
        assert "--allow-includes" in d["message"] and (d["line"], d["col"]) == (1, 1)
    assert code == 2

    _, allowed = verify(project, "--allow-includes", *names)
    got = dict(zip(names, allowed, strict=True))
    assert "absolute include paths are refused" in _messages(got["abs.dfy"])
    assert "`..` escape" in _messages(got["up.dfy"])
    assert "through a symlink" in _messages(got["via_link.dfy"])
    # The axiom inside the folder is found by the same audit, in the included file.
    [bad] = [d for d in got["inside.dfy"]["diagnostics"] if d["kind"] == "unsound"]
    assert bad["file"].endswith("lib/axiom.dfy") and "'Bad' has no body" in bad["message"]
    # An error in an included file is really verified and reported (Dafny 2.3 alone
    # would say nothing about it).
    assert got["wrong.dfy"]["verdict"] == "refuted"
    assert any(d["file"].endswith("lib/wrong.dfy") for d in got["wrong.dfy"]["diagnostics"])
    assert all(got[n]["verdict"] != "verified" for n in names if n != "honest.dfy")
    assert got["honest.dfy"]["verdict"] == "verified", got["honest.dfy"]["diagnostics"]
    [included] = got["honest.dfy"]["included"]
    assert included["path"] == str(project / "lib" / "ok.dfy")
    assert len(included["sha256"]) == 64


def _messages(result: dict[str, Any]) -> str:
    return " | ".join(d["message"] for d in result["diagnostics"])
