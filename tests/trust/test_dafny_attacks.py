"""Every Dafny attack in dafny/ must come back not VERIFIED from `proofroute verify`;
every honest control must come back VERIFIED.

All files go through ONE real `proofroute verify --json` run (warm DafnyServer pool, no
result cache), started from inside dafny/ so relative `include`s resolve as a user's would.
The absolute-include attack needs a file at a fixed absolute path: the fixture writes it
and removes it afterwards. Each file is its own test id.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DAFNY_DIR = HERE / "dafny"
EXPECTED: dict[str, dict[str, str]] = json.loads((DAFNY_DIR / "expected.json").read_text())
ABS_INCLUDE = Path("/tmp/proofroute_trust_abs_include.dfy")
ABS_TARGET = HERE / "dafny_outside" / "abs_include_target.dfy"

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


def test_expected_covers_every_file() -> None:
    on_disk = sorted(p.name for p in DAFNY_DIR.glob("*.dfy"))
    assert on_disk == sorted(EXPECTED), "expected.json and the .dfy files disagree"
    kinds = [v["expected"] for v in EXPECTED.values()]
    assert kinds.count("not-verified") > 80 and kinds.count("verified") >= 20


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict]]:
    wrote_abs = not ABS_INCLUDE.exists()
    if wrote_abs:
        ABS_INCLUDE.write_text(ABS_TARGET.read_text())
    files = sorted(EXPECTED)
    env = {**os.environ, "PROOFROUTE_CACHE_DIR": str(tmp_path_factory.mktemp("dafny-cache"))}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "verifier", "verify", "--json", "--no-cache", "--jobs", "2",
             "--timeout", "60", *files],
            cwd=DAFNY_DIR, env=env, capture_output=True, text=True, timeout=1800,
        )
    finally:
        if wrote_abs:
            ABS_INCLUDE.unlink(missing_ok=True)
    assert proc.stdout.strip(), f"verify printed nothing; stderr:\n{proc.stderr[-3000:]}"
    results = json.loads(proc.stdout)["results"]
    assert len(results) == len(files), proc.stderr[-3000:]
    yield dict(zip(files, results, strict=True))


def _explain(result: dict) -> str:
    notes = [f"{d.get('line')}:{d.get('col')} {d['kind']}: {d['message'][:160]}"
             for d in result.get("diagnostics", [])]
    return f"verdict={result['verdict']}; " + " | ".join(notes[:5])


ATTACKS = sorted(f for f, v in EXPECTED.items() if v["expected"] == "not-verified")
HONEST = sorted(f for f, v in EXPECTED.items() if v["expected"] == "verified")


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_is_not_verified(verdicts: dict[str, dict], name: str) -> None:
    result = verdicts[name]
    assert result["verdict"] != "verified", (
        f"{name}: FALSE VERIFIED — {EXPECTED[name]['reason']} ({_explain(result)})")


@pytest.mark.parametrize("name", HONEST)
def test_honest_control_is_verified(verdicts: dict[str, dict], name: str) -> None:
    result = verdicts[name]
    assert result["verdict"] == "verified", (
        f"{name}: honest program refused — {EXPECTED[name]['reason']} ({_explain(result)})")
