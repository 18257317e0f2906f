"""The property harness beside plain Hypothesis on the same property (issue 14, item 5).

    python benchmarks/harness_speed.py [--examples 100] [--repeat 3] [--out FILE]

One property — `specs/examples/max_of_list.toml` against a correct `max_of_list` — run
four ways, side by side in one run, each `--repeat` times (median reported):

- plain Hypothesis: `@given(the harness's own input strategy)` calling the function in
  this process and checking the spec's compiled `ensures`: the floor (no sandbox);
- `run_properties` in this process (steady state: imports done, grammar tables cached);
- `proofroute test` as a new process (what a user waits for at the shell);
- pytest with the plugin (`proofroute_specs` ini line) as a new process;
- pytest on a plain Hypothesis test of the same property, as a new process: the floor
  for the plugin (pytest's own start-up counts on both sides).

Prints seconds and the ratio to plain Hypothesis; writes JSON with every sample.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from verifier.specs.loader import load_spec
from verifier.translators.spec_python import compile_predicates

from verifier.harness import inputs_strategy, run_properties

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "examples" / "max_of_list.toml"
IMPL = "def max_of_list(xs):\n    return max(xs)\n"


def max_of_list(xs: list[int]) -> int:
    return max(xs)


def plain_hypothesis(examples: int) -> None:
    spec = load_spec(SPEC)
    preds = compile_predicates(spec)

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(inputs_strategy(spec, predicates=preds))
    def prop(inputs: dict[str, Any]) -> None:
        assert preds.post(inputs, {"m": max_of_list(inputs["xs"])})

    prop()


def harness_api(project: Path, examples: int) -> None:
    report = run_properties(load_spec(SPEC), "impl:max_of_list", max_examples=examples, seed=1, cwd=project)
    assert report.ok, report.lines()


def cli(project: Path, examples: int) -> None:
    run = subprocess.run([sys.executable, "-m", "verifier", "test", str(SPEC), "impl:max_of_list",
                          "--examples", str(examples), "--seed", "1", "--no-db"], cwd=project,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def plugin(project: Path, examples: int) -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--proofroute-examples", str(examples), "--proofroute-seed", "1",
                          "--proofroute-no-db"], cwd=project, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


PLAIN_TEST = """from hypothesis import given, settings, strategies as st
from impl import max_of_list


@settings(max_examples={examples}, database=None, deadline=None)
@given(st.lists(st.integers(), min_size=1))
def test_max_of_list(xs):
    m = max_of_list(xs)
    assert all(x <= m for x in xs) and m in xs
"""


def plain_pytest(project: Path, examples: int) -> None:
    folder = project / "plain"
    folder.mkdir(exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\n", "utf-8")
    (folder / "impl.py").write_text(IMPL, "utf-8")
    (folder / "test_plain.py").write_text(PLAIN_TEST.format(examples=examples), "utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def _timed(fn: Callable[[], None], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / ".benchmarks" / "harness_speed.json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "impl.py").write_text(IMPL, "utf-8")
        (project / "pytest.ini").write_text(f"[pytest]\nproofroute_specs =\n    {SPEC} impl:max_of_list\n", "utf-8")
        harness_api(project, 5)  # imports, grammar tables, first sandbox child: not steady state
        rows = {
            "plain Hypothesis (in process, no sandbox)": _timed(lambda: plain_hypothesis(args.examples), args.repeat),
            "run_properties (in process, sandbox)": _timed(lambda: harness_api(project, args.examples), args.repeat),
            "proofroute test (new process)": _timed(lambda: cli(project, args.examples), args.repeat),
            "pytest + plugin (new process)": _timed(lambda: plugin(project, args.examples), args.repeat),
            "pytest + plain Hypothesis test (new process)": _timed(
                lambda: plain_pytest(project, args.examples), args.repeat),
        }
    floor = statistics.median(next(iter(rows.values())))
    print(f"{args.examples} examples of max_of_list, median of {args.repeat}:")
    for name, samples in rows.items():
        median = statistics.median(samples)
        print(f"  {name:45s} {median:7.3f} s   x{median / floor:5.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"examples": args.examples, "samples": rows}, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
