"""`proofroute generate --executor ray` on a real two-node local cluster with the real
Dafny and sandbox on the workers: the demo's recorded session gives the same outcome
and the same artifact as the local pool, written by the caller into OUT/<name>/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.scale.conftest import LocalCluster

pytestmark = [pytest.mark.slow, pytest.mark.dafny]

DEMO = Path(__file__).resolve().parents[2] / "verifier" / "demo"
# count_evens: the quick test's counterexample (in the sandbox) drives the repair
SPEC = DEMO / "specs" / "count_evens.toml"
SESSION = DEMO / "sessions" / "count_evens.jsonl"
SAME = ("spec", "verified", "attempts", "input_tokens", "output_tokens", "reason", "error")


def same(path: Path) -> str:
    """The file, less the scratch folder the property-test emitter names (a fresh one on
    every run, on one machine as on a cluster)."""
    return re.sub(r"proofroute-emit-\w+", "proofroute-emit-*", path.read_text())


def generate(out: Path, cwd: Path, *extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    done = subprocess.run(
        [sys.executable, "-m", "verifier", "generate", str(SPEC), "--llm", f"replay:{SESSION}",
         "--out", str(out), "--json", *extra],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["results"][0]


def test_generate_on_the_cluster_gives_the_local_pools_artifact(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    local = generate(tmp_path / "local", tmp_path)
    remote = generate(tmp_path / "ray", tmp_path, "--executor", "ray",
                      "--ray-address", ray_cluster.address)
    assert {k: remote[k] for k in SAME} == {k: local[k] for k in SAME}
    assert local["verified"] and local["attempts"] == 2
    assert remote["directory"] == str(tmp_path / "ray" / "count_evens")
    names = sorted(p.name for p in (tmp_path / "local" / "count_evens").iterdir())
    assert sorted(p.name for p in Path(remote["directory"]).iterdir()) == names
    for name in ("count_evens.dfy", "count_evens.py", "test_count_evens.py"):
        assert same(Path(remote["directory"]) / name) == same(
            tmp_path / "local" / "count_evens" / name)
    certificate = json.loads((Path(remote["directory"]) / "certificate.json").read_text())
    mine = json.loads((tmp_path / "local" / "count_evens" / "certificate.json").read_text())
    assert certificate["verdict"] == "verified"
    assert certificate["model"] == f"replay:{SESSION}"  # named as the caller gave it
    assert certificate["spec"] == mine["spec"]
