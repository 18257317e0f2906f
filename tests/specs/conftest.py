"""What the CloverBench-style acceptance batches (`test_acceptance_clover*.py`) do to each
spec, as a user would from the CLI: `spec check`, `generate` with a recorded session,
`recheck` of the artifact."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def proofroute(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@dataclass(frozen=True)
class Generated:
    """A generate run that ended VERIFIED, and the recheck of its artifact."""

    result: dict[str, Any]
    artifact: Path
    certificate: dict[str, Any]
    recheck: str  # recheck's stdout (it passed)


class Acceptance:
    """One batch: `here` holds the specs, `programs/NAME.dfy` (our own implementation) and
    `sessions/NAME.jsonl` (the recorded session replying with it)."""

    def __init__(self, here: Path) -> None:
        self.here = here

    @staticmethod
    def proofroute(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return proofroute(*args, timeout=timeout)

    def assert_sessions_reply_the_programs(self, specs: list[Path]) -> None:
        for spec in specs:
            program = (self.here / "programs" / f"{spec.stem}.dfy").read_text()
            lines = (self.here / "sessions" / f"{spec.stem}.jsonl").read_text().splitlines()
            assert [json.loads(line) for line in lines] == [{"content": f"```dafny\n{program}```"}]

    def assert_check_clean(self, spec: Path, warnings: set[str]) -> None:
        """No error, and exactly the warnings the spec deserves."""
        run = proofroute("spec", "check", "--json", str(spec))
        report = json.loads(run.stdout)
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        assert run.returncode == 0 and report["errors"] == 0, errors
        warned = {f["code"] for f in report["findings"] if f["severity"] == "warning"}
        assert warned == warnings, report["findings"]

    def generate_and_recheck(self, spec: Path, out: Path, *, validated: bool) -> Generated:
        """VERIFIED with one attempt; the translation validated against Dafny's build (or
        said not to be); recheck from scratch passes (hashes, guard, Dafny, tests)."""
        session = self.here / "sessions" / f"{spec.stem}.jsonl"
        try:
            run = proofroute("generate", str(spec), "--llm", f"replay:{session}", "--out", str(out),
                             "--attempts", "1", "--max-seconds", "120", "--json", timeout=240)
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"generate did not end within 240 s: {exc}")
        result = json.loads(run.stdout)
        assert run.returncode == 0 and result["ok"], (result, run.stderr[-2000:])
        [artifact] = [d for d in out.iterdir() if d.is_dir()]
        cert = json.loads((artifact / "certificate.json").read_text())
        validation = cert["translation_validation"]
        if validated:
            assert validation["checked"] and validation["ok"] and validation["compared"] > 0, validation
        else:
            assert validation["checked"] is False and "inputs not generated" in validation["reason"]
        recheck = proofroute("recheck", str(artifact))
        assert recheck.returncode == 0, recheck.stdout[-3000:] + recheck.stderr[-2000:]
        assert "ok   dafny   Dafny" in recheck.stdout and "verified" in recheck.stdout
        return Generated(result, artifact, cert, recheck.stdout)


@pytest.fixture
def acceptance(request: pytest.FixtureRequest) -> Acceptance:
    """The batch of the requesting module (its `HERE`)."""
    return Acceptance(request.module.HERE)
