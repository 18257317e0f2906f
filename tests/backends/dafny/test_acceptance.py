"""Issue 3's acceptance check, played from the outside: independently written programs in
`acceptance/` carry their expected verdict, `proofroute verify` exit status and the exact
`line:col kind` of every error and cheating construct in a header comment. Each one goes
through the real CLI (real Dafny 2.3, real DafnyServer, real z3) warm, cold, cached and
in human form, and every mode must agree with the header and with each other.

Why batches: the machine is small, so each mode is one CLI run over all files (the warm
pool starts once). Exit statuses per file come from single-file runs served by the cache
(settled results) and, for UNKNOWN files, from one batch whose worst status must be 2:
an UNKNOWN verdict maps to 2 unless a file is bad input (3), so that pins each file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from verifier.backends.result_cache import is_settled, result_from_json

from verifier.cli import main

ACCEPTANCE = Path(__file__).parent / "acceptance"
TIMEOUT = "4"  # seconds per procedure: small, so the timeout programs stay cheap
_HEADER = re.compile(r"^// (verdict|exit|error|unsound): (.*)$")


@dataclass
class Expect:
    verdict: str = "UNKNOWN"
    exit: int = 2
    errors: set[tuple[int, int, str]] = field(default_factory=set)
    unsound: set[tuple[int, int]] = field(default_factory=set)


def _expectations() -> dict[str, Expect]:
    """Header comments of every program; an empty file (no header) expects UNKNOWN / 2."""
    out: dict[str, Expect] = {}
    for path in sorted(ACCEPTANCE.glob("*.dfy")):
        exp = Expect()
        for raw in path.read_bytes().decode("utf-8-sig").splitlines():
            m = _HEADER.match(raw.rstrip("\r"))
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if key == "verdict":
                exp.verdict = value
            elif key == "exit":
                exp.exit = int(value)
            elif key == "error":
                pos, kind = value.split()
                line, col = pos.split(":")
                exp.errors.add((int(line), int(col), kind))
            else:
                line, col = value.split(":")
                exp.unsound.add((int(line), int(col)))
        out[path.name] = exp
    return out


EXPECT = _expectations()
FILES = sorted(EXPECT)
BAD_INPUT = [f for f in FILES if EXPECT[f].exit == 3]
OTHERS = [f for f in FILES if EXPECT[f].exit != 3]
TIMING_OUT = {f for f in FILES if any(kind == "timeout" for *_, kind in EXPECT[f].errors)}


def _cli(*args: str, cache_dir: Path) -> tuple[int, str]:
    """The real command line in a fresh interpreter, run from the acceptance folder so the
    file names in its output are the bare names."""
    env = dict(os.environ, PROOFROUTE_CACHE_DIR=str(cache_dir))
    run = subprocess.run(
        [sys.executable, "-m", "verifier", "verify", *args, "--timeout", TIMEOUT],
        cwd=ACCEPTANCE,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run.returncode, run.stdout


@dataclass
class Runs:
    warm: dict[str, dict[str, Any]]
    cold: dict[str, dict[str, Any]]
    cached: dict[str, dict[str, Any]]
    human: str
    exits: dict[str, int]  # batch name -> exit status
    cache_dir: Path
    no_cache_dir: Path


def _json_run(files: list[str], *extra: str, cache_dir: Path) -> tuple[int, dict[str, Any]]:
    code, stdout = _cli(*files, "--json", *extra, cache_dir=cache_dir)
    results = json.loads(stdout)["results"]
    assert len(results) == len(files), stdout[:2000]
    return code, dict(zip(files, results, strict=True))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    cache_dir = tmp_path_factory.mktemp("acceptance-cache")
    no_cache_dir = tmp_path_factory.mktemp("acceptance-nocache")
    exits: dict[str, int] = {}
    exits["warm-others"], warm = _json_run(OTHERS, cache_dir=cache_dir)
    exits["warm-bad-input"], warm_bad = _json_run(BAD_INPUT, cache_dir=cache_dir)
    warm |= warm_bad
    # Cached and human runs of everything but the (slow, never cached) timeouts.
    quick = [f for f in FILES if f not in TIMING_OUT]
    exits["cached"], cached = _json_run(quick, cache_dir=cache_dir)
    exits["human"], human = _cli(*quick, cache_dir=cache_dir)
    exits["cold-others"], cold = _json_run(OTHERS, "--cold", "--no-cache", cache_dir=no_cache_dir)
    exits["cold-bad-input"], cold_bad = _json_run(
        BAD_INPUT, "--cold", "--no-cache", cache_dir=no_cache_dir
    )
    cold |= cold_bad
    return Runs(warm, cold, cached, human, exits, cache_dir, no_cache_dir)


def _located(result: dict[str, Any]) -> tuple[set[tuple[int, int, str]], set[tuple[int, int]]]:
    """(errors with a position, other than cheating constructs; cheating positions)."""
    errors = {
        (d["line"], d["col"], d["kind"])
        for d in result["diagnostics"]
        if d["severity"] == "error" and d["line"] is not None and d["kind"] != "unsound"
    }
    unsound = {(d["line"], d["col"]) for d in result["diagnostics"] if d["kind"] == "unsound"}
    return errors, unsound


def _summary(result: dict[str, Any]) -> tuple[str, frozenset[tuple[int, int, str]]]:
    errors, unsound = _located(result)
    cheats = {(line, col, "unsound") for line, col in unsound}
    return result["verdict"], frozenset(errors | cheats)


def test_the_programs_cover_the_issue() -> None:
    """At least 30 programs, with every verdict and exit status represented."""
    assert len(FILES) >= 30
    assert {e.verdict for e in EXPECT.values()} == {"VERIFIED", "REFUTED", "UNKNOWN"}
    assert {e.exit for e in EXPECT.values()} == {0, 1, 2, 3}
    assert sum(bool(e.unsound) for e in EXPECT.values()) >= 15


@pytest.mark.parametrize("name", FILES)
def test_warm_result_matches_the_header(runs: Runs, name: str) -> None:
    exp, got = EXPECT[name], runs.warm[name]
    errors, unsound = _located(got)
    assert got["verdict"].upper() == exp.verdict, got["diagnostics"]
    assert errors == exp.errors
    assert unsound == exp.unsound
    if exp.verdict == "UNKNOWN":
        # An UNKNOWN always says why.
        assert any(d["severity"] == "error" for d in got["diagnostics"])
    if exp.verdict == "VERIFIED":
        assert got["obligations"] and all(o["verdict"] == "verified" for o in got["obligations"])


@pytest.mark.parametrize("name", FILES)
def test_cold_and_cached_agree_with_warm(runs: Runs, name: str) -> None:
    warm = _summary(runs.warm[name])
    assert _summary(runs.cold[name]) == warm
    if name in TIMING_OUT:
        return
    assert _summary(runs.cached[name]) == warm
    # Settled results come from the cache. (A warm run that met a time-out, a resource
    # limit, a crash or output it could not read on a loaded machine is not settled, and
    # rightly not cached, even where the verdict and its positions came out the same.)
    if EXPECT[name].verdict != "UNKNOWN" or EXPECT[name].exit == 3:
        settled = is_settled(result_from_json(runs.warm[name]))
        assert runs.cached[name]["cached"] is settled, runs.warm[name]["diagnostics"]


def test_exit_statuses_of_the_batches(runs: Runs) -> None:
    # Worst over the files: the non-bad-input batch holds UNKNOWN files, so 2 exactly;
    # the bad-input batch 3.
    assert runs.exits["warm-others"] == runs.exits["cold-others"] == 2
    assert runs.exits["warm-bad-input"] == runs.exits["cold-bad-input"] == 3
    assert runs.exits["cached"] == runs.exits["human"] == 3


def test_no_cache_stores_no_result(runs: Runs) -> None:
    # (Dafny's version probe may be memoised there; check results never are.)
    assert not list(runs.no_cache_dir.rglob("*.json"))
    assert list(runs.cache_dir.rglob("*.json"))


def test_exit_status_of_each_settled_file(runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    """Single-file runs, answered by the cache the warm batch filled (milliseconds each)."""
    monkeypatch.setenv("PROOFROUTE_CACHE_DIR", str(runs.cache_dir))
    monkeypatch.chdir(ACCEPTANCE)
    runner = CliRunner()
    settled = [f for f in FILES if EXPECT[f].verdict != "UNKNOWN" or EXPECT[f].exit == 3]
    assert len(settled) >= 25
    for name in settled:
        res = runner.invoke(main, ["verify", name, "--json", "--timeout", TIMEOUT])
        assert res.exit_code == EXPECT[name].exit, (name, res.output[:1000])
        assert json.loads(res.output)["results"][0]["cached"] is True, name


def test_human_output_shows_every_position(runs: Runs) -> None:
    lines = runs.human.splitlines()
    for name in sorted(set(FILES) - TIMING_OUT):
        exp = EXPECT[name]
        for line, col, _kind in exp.errors:
            assert any(x.startswith(f"{name}:{line}:{col}: error:") for x in lines), (name, line)
        for line, col in exp.unsound:
            assert any(
                x.startswith(f"{name}:{line}:{col}: error:") and "[unsound" in x for x in lines
            ), (name, line, col)
        verdict_lines = [x for x in lines if x.startswith(f"{name}: ") and " — " in x]
        assert len(verdict_lines) == 1 and f": {exp.verdict} — " in verdict_lines[0], name
