"""The failure database: a failure found once is tried first on the next run (CLI and API)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from verifier.specs.loader import load_spec
from verifier.specs.values import to_json

from verifier.harness import run_properties
from verifier.harness.failure_db import FailureDB, FailureKey

ROOT = Path(__file__).resolve().parents[2]
MAX_OF_LIST = ROOT / "specs" / "examples" / "max_of_list.toml"
WRONG = "def max_of_list(xs):\n    m = xs[0]\n    for x in xs[1:-1]:\n        if x > m:\n            m = x\n    return m\n"
CORRECT = "def max_of_list(xs):\n    return max(xs)\n"


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", "test", str(MAX_OF_LIST), "impl:max_of_list",
                           "--json", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_a_failure_found_once_is_replayed_first_and_said_so(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text(WRONG)
    first = json.loads(cli(tmp_path, "--seed", "3", "--examples", "50").stdout)
    assert [f["source"] for f in first["failures"]] == ["generated"]
    assert first["failures"][0]["inputs"] == {"xs": [0, 1]}
    assert any((tmp_path / ".proofroute" / "examples").rglob("*")), "nothing was stored"

    # another seed and very few examples: only the database can bring [0, 1] back at once
    second = json.loads(cli(tmp_path, "--seed", "99", "--examples", "1").stdout)
    replayed = [f for f in second["failures"] if f["source"] == "database"]
    assert len(replayed) == 1 and replayed[0]["inputs"] == {"xs": [0, 1]}
    assert replayed[0]["text"].endswith("[replayed from the failure database]")


def test_no_db_neither_replays_nor_stores(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text(WRONG)
    cli(tmp_path, "--seed", "3", "--examples", "50", "--no-db")
    assert not (tmp_path / ".proofroute").exists()


def test_a_fixed_function_forgets_its_stored_failure(tmp_path: Path) -> None:
    impl = tmp_path / "impl.py"
    impl.write_text(WRONG)
    db = FailureDB(tmp_path / "db", project=tmp_path)
    spec = load_spec(MAX_OF_LIST)
    key = FailureKey(spec, impl, "max_of_list")
    report = run_properties(spec, "impl:max_of_list", seed=3, max_examples=50, cwd=tmp_path, database=db)
    assert report.failures and db.fetch(key, ("xs",)) == [{"xs": [0, 1]}]

    impl.write_text(CORRECT)
    fixed = run_properties(spec, "impl:max_of_list", seed=3, max_examples=20, cwd=tmp_path, database=db)
    assert fixed.ok
    assert db.fetch(key, ("xs",)) == []


def test_the_key_follows_the_contract_and_the_function(tmp_path: Path) -> None:
    spec = load_spec(MAX_OF_LIST)
    base = FailureKey(spec, tmp_path / "impl.py", "max_of_list").digest(tmp_path)
    assert FailureKey(spec, tmp_path / "impl.py", "other").digest(tmp_path) != base
    assert FailureKey(spec, tmp_path / "b.py", "max_of_list").digest(tmp_path) != base
    weaker = load_spec(ROOT / "specs" / "examples" / "min_of_list.toml")
    assert FailureKey(weaker, tmp_path / "impl.py", "max_of_list").digest(tmp_path) != base


def test_stored_datatype_inputs_reach_the_function_as_its_own_classes(tmp_path: Path) -> None:
    """Stored inputs come back from JSON; a datatype value must be rebuilt, or the
    function would get a dict, take another branch and the stored bug be forgotten."""
    spec = load_spec(ROOT / "specs" / "examples" / "scale_figure.toml")
    impl = ROOT / "tests" / "harness" / "impls" / "scale_figure.py"
    db = FailureDB(tmp_path / "db")
    first = run_properties(spec, f"{impl}:wrong_box_sides_swapped", max_examples=50, seed=3, database=db)
    (found,) = [f for f in first.failures if f.source == "generated"]
    second = run_properties(spec, f"{impl}:wrong_box_sides_swapped", max_examples=1, seed=99, database=db)
    replayed = [f for f in second.failures if f.source == "database"]
    assert len(replayed) == 1  # the same input (each run has its own classes: compared in TOML form)
    assert {n: to_json(v) for n, v in replayed[0].inputs.items()} == {n: to_json(v) for n, v in found.inputs.items()}
    assert type(replayed[0].inputs["f"]).__name__ == "Box"
    assert set(replayed[0].record()["inputs"]["f"]) == {"Box"}  # --json writes the TOML form
