"""Loop overhead: time spent in proofroute itself vs in Dafny and the model, per attempt.

    python benchmarks/loop_overhead.py [--repeat N] [--out FILE]

Runs the bundled demo sessions (replay provider: the model costs ~0) through the real
loop with a fresh Dafny backend (no result cache) and splits each run's wall time into
model, Dafny, guard, quick test (sandbox) and the rest (prompts, transcript, feedback).
Target (issue 5 §8): proofroute's own overhead < 10 % of verifier time. The quick test
is reported apart: it is a deliberate stage that buys counterexamples, not bookkeeping.

Second part: time to the first concrete counterexample. For wrong candidates, the quick
test (translate + sandbox run on the examples and Hypothesis inputs) against Dafny's time
to refute the same program (warm server, and the cold CLI).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from verifier.backends.dafny import DafnyBackend
from verifier.backends.dafny.dialect import dialect_for_version
from verifier.specs.loader import load_spec
from verifier.translators.dafny_to_python import translate

from verifier.errors import BudgetExhausted
from verifier.guard import extract_program
from verifier.llm import get_llm
from verifier.loop import Budgets, Loop
from verifier.quicktest import QuickTester, draw_inputs, examples_inputs

DEMO = Path(__file__).resolve().parents[1] / "verifier" / "demo"
SESSIONS = ("max_of_list", "count_evens", "find")

# Wrong candidates for the time-to-counterexample comparison: (spec, program).
_MAX_HEAD = """method MaxOfList(xs: seq<int>) returns (m: int)
  requires |xs| > 0
  ensures forall i :: 0 <= i < |xs| ==> xs[i] <= m
  ensures exists i :: 0 <= i < |xs| && xs[i] == m
"""
_FIND_HEAD = """method Find(xs: seq<int>, key: int) returns (idx: int)
  ensures -1 <= idx < |xs|
  ensures idx >= 0 ==> xs[idx] == key
  ensures idx >= 0 ==> forall i :: 0 <= i < idx ==> xs[i] != key
  ensures idx == -1 ==> forall i :: 0 <= i < |xs| ==> xs[i] != key
"""
WRONG = {
    "max: keeps the first element": ("max_of_list", _MAX_HEAD + "{\n  m := xs[0];\n}\n"),
    "max: min instead of max": ("max_of_list", _MAX_HEAD + """{
  m := xs[0];
  var k := 1;
  while k < |xs|
    invariant 1 <= k <= |xs|
  {
    if xs[k] < m {
      m := xs[k];
    }
    k := k + 1;
  }
}
"""),
    "find: last occurrence": ("find", _FIND_HEAD + """{
  idx := -1;
  var k := 0;
  while k < |xs|
    invariant 0 <= k <= |xs|
    invariant -1 <= idx < k
    invariant idx >= 0 ==> xs[idx] == key
  {
    if xs[k] == key {
      idx := k;
    }
    k := k + 1;
  }
}
"""),
}


def session_run(name: str) -> dict[str, Any]:
    spec = load_spec(DEMO / "specs" / f"{name}.toml")
    backend = DafnyBackend(cache=False)
    try:
        info = backend.available()
        backend.warm_up()
        dialect = dialect_for_version(info.version or "2")
        loop = Loop(spec, get_llm(f"replay:{DEMO / 'sessions' / f'{name}.jsonl'}"), backend,
                    dialect=dialect, dialect_version=info.version, budgets=Budgets(),
                    translate=lambda s: translate(s, dialect=dialect))
        started = time.perf_counter()
        try:
            result = loop.run()
            attempts = result.attempts
        except BudgetExhausted as exc:
            attempts = tuple(exc.attempts)
        wall = time.perf_counter() - started
    finally:
        backend.close()
    split = {k: sum(a.timings.get(k, 0.0) for a in attempts)
             for k in ("model", "guard", "quicktest", "dafny")}
    own = wall - split["model"] - split["dafny"]
    return {"session": name, "attempts": len(attempts),
            "dafny_calls": sum(1 for a in attempts if "dafny" in a.timings),
            "wall": wall, **split, "own": own, "own_excl_quicktest": own - split["quicktest"],
            "per_attempt": [{"number": a.number, "stage": a.stage,
                             **{k: round(v, 4) for k, v in a.timings.items()}}
                            for a in attempts]}


def counterexample_race(repeat: int) -> list[dict[str, Any]]:
    warm = DafnyBackend(cache=False)
    cold = DafnyBackend(cache=False, cold=True)
    rows = []
    try:
        warm.warm_up()
        for label, (spec_name, program) in WRONG.items():
            spec = load_spec(DEMO / "specs" / f"{spec_name}.toml")
            inputs = examples_inputs(spec) + draw_inputs(spec, 50, seed=0)
            quick_times, warm_times, cold_times = [], [], []
            failure = verdict = None
            for i in range(repeat):
                t0 = time.perf_counter()
                tester = QuickTester(spec, translate(extract_program(program) or program))
                result = tester.run(inputs)
                quick_times.append(time.perf_counter() - t0)
                failure = result.failure.message(spec.method) if result.failure else None
                # vary the file name so DafnyServer's procedure cache cannot answer
                t0 = time.perf_counter()
                checked = warm.check(program + f"// run {i}\n", timeout=60,
                                     filename=f"w{i}.dfy")
                warm_times.append(time.perf_counter() - t0)
                verdict = checked.verdict.value
                t0 = time.perf_counter()
                cold.check(program, timeout=60, filename=f"c{i}.dfy")
                cold_times.append(time.perf_counter() - t0)
            rows.append({"candidate": label, "quick_test_s": statistics.median(quick_times),
                         "dafny_warm_s": statistics.median(warm_times),
                         "dafny_cold_s": statistics.median(cold_times),
                         "quick_test_counterexample": failure, "dafny_verdict": verdict})
    finally:
        warm.close()
        cold.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    runs = [session_run(name) for name in SESSIONS for _ in range(args.repeat)]
    print(f"{'session':<12} {'att':>3} {'wall':>7} {'dafny':>7} {'model':>6} {'guard':>6} "
          f"{'quick':>6} {'rest':>6} {'own/dafny':>9} {'own-qt/dafny':>12}")
    for r in runs:
        rest = r["own"] - r["guard"] - r["quicktest"]
        print(f"{r['session']:<12} {r['attempts']:>3} {r['wall']:7.3f} {r['dafny']:7.3f} "
              f"{r['model']:6.3f} {r['guard']:6.3f} {r['quicktest']:6.3f} {rest:6.3f} "
              f"{r['own'] / r['dafny']:9.1%} {r['own_excl_quicktest'] / r['dafny']:12.1%}")
    total_dafny = sum(r["dafny"] for r in runs)
    total_own = sum(r["own"] for r in runs)
    total_own_qt = sum(r["own_excl_quicktest"] for r in runs)
    attempts = sum(r["attempts"] for r in runs)
    summary = {
        "attempts": attempts,
        "dafny_s": total_dafny,
        "own_s": total_own,
        "own_excl_quicktest_s": total_own_qt,
        "own_per_attempt_ms": 1000 * total_own / attempts,
        "own_excl_quicktest_per_attempt_ms": 1000 * total_own_qt / attempts,
        "own_over_dafny": total_own / total_dafny,
        "own_excl_quicktest_over_dafny": total_own_qt / total_dafny,
    }
    print(f"\nall runs: {attempts} attempts, Dafny {total_dafny:.2f}s, proofroute's own "
          f"{total_own:.2f}s ({summary['own_over_dafny']:.1%} of Dafny; without the quick test "
          f"{total_own_qt:.2f}s = {summary['own_excl_quicktest_over_dafny']:.1%}); target < 10 %")

    race = counterexample_race(args.repeat)
    print(f"\n{'wrong candidate':<30} {'quick test':>10} {'Dafny warm':>10} {'Dafny cold':>10}")
    for row in race:
        print(f"{row['candidate']:<30} {row['quick_test_s']:9.3f}s {row['dafny_warm_s']:9.3f}s "
              f"{row['dafny_cold_s']:9.3f}s   {row['quick_test_counterexample']}")
    if args.out:
        args.out.write_text(json.dumps({"runs": runs, "summary": summary, "race": race},
                                       indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
