"""Loop overhead: time spent in proofroute itself vs in Dafny and the model, per attempt.

    python benchmarks/loop_overhead.py [--repeat N] [--out FILE]

Runs the bundled demo sessions (replay provider: the model costs ~0) through the real
loop with a real Dafny backend (no result cache) and splits each run's wall time into
model, Dafny, guard, quick test (sandbox) and the rest (prompts, transcript, feedback).
Target (issue 5 §8): proofroute's own overhead < 10 % of verifier time.

Two scenarios, side by side in one run:

- steady: what every attempt costs once the process is up — warm DafnyServers (started
  and JIT-compiled by `warm_up(verify=True)` before timing, like the sandbox pool's
  spares), the spec's quick-test inputs already drawn (they are kept on disk per spec).
  This is the per-attempt figure of the target.
- new spec, fresh backend: each session meets a new DafnyServer, a new sandbox pool and
  an empty input cache, so it pays Dafny's first check and proofroute's first quick test
  (booting spares, drawing 50 inputs with Hypothesis). The replay model answers at
  once, so nothing overlaps them.
- the same with a live model (the replies, each after `--latency` seconds): the loop
  boots the spares, draws the inputs and warms DafnyServer up (a tiny verification that
  JIT-compiles it) while the model writes; model time is not counted as either side's.
(Python's imports are paid once per process, before the first scenario.)

Second part: time to the first concrete counterexample. For wrong candidates, the quick
test (translate + sandbox run on the examples and Hypothesis inputs) against Dafny's time
to refute the same program (warm server, and the cold CLI).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from verifier.backends.dafny import DafnyBackend
from verifier.specs.loader import load_spec
from verifier.translators.dafny_to_python import translate

from verifier.errors import BudgetExhausted
from verifier.llm import get_llm
from verifier.loop import Budgets, Loop
from verifier.quicktest import QUICK_LIMITS, QuickTester, quick_inputs
from verifier.routes import open_route
from verifier.routes.dafny_guard import extract_program
from verifier.sandbox import shared_pool

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


class LiveModel:
    """The recorded replies, each after `latency` seconds, like a model over HTTP (and,
    like one, not `instant`: the loop warms the verifier up meanwhile)."""

    def __init__(self, llm: Any, latency: float) -> None:
        self.llm, self.latency, self.name = llm, latency, f"live:{llm.name}"

    def complete(self, messages: Any, **kwargs: Any) -> Any:
        time.sleep(self.latency)
        return self.llm.complete(messages, **kwargs)


def session_run(name: str, backend: DafnyBackend, latency: float = 0.0) -> dict[str, Any]:
    spec = load_spec(DEMO / "specs" / f"{name}.toml")
    llm = get_llm(f"replay:{DEMO / 'sessions' / f'{name}.jsonl'}")
    loop = Loop(spec, LiveModel(llm, latency) if latency else llm, budgets=Budgets(),
                route=open_route("dafny", spec, backend))
    started = time.perf_counter()
    try:
        result = loop.run()
        attempts = result.attempts
    except BudgetExhausted as exc:
        attempts = tuple(exc.attempts)
    wall = time.perf_counter() - started
    split = {k: sum(a.timings.get(k, 0.0) for a in attempts)
             for k in ("model", "guard", "quicktest", "dafny")}
    own = wall - split["model"] - split["dafny"]
    return {"session": name, "attempts": len(attempts),
            "dafny_calls": sum(1 for a in attempts if "dafny" in a.timings),
            "wall": wall, **split, "own": own,
            "per_attempt": [{"number": a.number, "stage": a.stage,
                             **{k: round(v, 4) for k, v in a.timings.items()}}
                            for a in attempts]}


def steady_runs(repeat: int) -> list[dict[str, Any]]:
    shared_pool(QUICK_LIMITS)
    for name in SESSIONS:  # the inputs of each spec, drawn once and kept
        quick_inputs(load_spec(DEMO / "specs" / f"{name}.toml"), Budgets().quick_inputs,
                     Budgets().seed)
    runs = []
    for _ in range(repeat):
        for name in SESSIONS:
            # A server per session: DafnyServer remembers the procedures it verified, and
            # a repeated session would be answered from that memory.
            backend = DafnyBackend(cache=False)
            try:
                backend.warm_up(verify=True)  # started and JIT-compiled, every server
                runs.append(session_run(name, backend))
            finally:
                backend.close()
    return runs


def new_spec_runs(repeat: int, latency: float = 0.0) -> list[dict[str, Any]]:
    runs = []
    for _ in range(repeat):
        for name in SESSIONS:
            shared_pool(QUICK_LIMITS).close()  # the next quick test boots a new pool
            with tempfile.TemporaryDirectory() as cache:
                os.environ["PROOFROUTE_CACHE_DIR"] = cache  # no inputs drawn yet
                backend = DafnyBackend(cache=False)
                try:
                    backend.available()
                    runs.append(session_run(name, backend, latency))
                finally:
                    backend.close()
                    del os.environ["PROOFROUTE_CACHE_DIR"]
    return runs


def report(title: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    print(f"\n{title}")
    print(f"{'session':<12} {'att':>3} {'calls':>5} {'wall':>7} {'dafny':>7} {'model':>6} "
          f"{'guard':>6} {'quick':>6} {'rest':>6} {'own/dafny':>9}")
    for r in runs:
        rest = r["own"] - r["guard"] - r["quicktest"]
        print(f"{r['session']:<12} {r['attempts']:>3} {r['dafny_calls']:>5} {r['wall']:7.3f} "
              f"{r['dafny']:7.3f} {r['model']:6.3f} {r['guard']:6.3f} {r['quicktest']:6.3f} "
              f"{rest:6.3f} {r['own'] / r['dafny']:9.1%}")
    attempts = sum(r["attempts"] for r in runs)
    total = {k: sum(r[k] for r in runs) for k in ("dafny", "own", "guard", "quicktest")}
    summary = {
        "attempts": attempts,
        "dafny_calls": sum(r["dafny_calls"] for r in runs),
        "dafny_s": total["dafny"],
        "own_s": total["own"],
        "quicktest_s": total["quicktest"],
        "own_per_attempt_ms": 1000 * total["own"] / attempts,
        "own_over_dafny": total["own"] / total["dafny"],
    }
    print(f"all: {attempts} attempts, {summary['dafny_calls']} Dafny calls, Dafny "
          f"{total['dafny']:.2f}s, proofroute's own {total['own']:.3f}s "
          f"({summary['own_per_attempt_ms']:.0f} ms per attempt, of which quick test "
          f"{total['quicktest']:.3f}s) = {summary['own_over_dafny']:.1%} of Dafny; "
          "target < 10 %")
    return {"runs": runs, "summary": summary}


def counterexample_race(repeat: int) -> list[dict[str, Any]]:
    warm = DafnyBackend(cache=False)
    cold = DafnyBackend(cache=False, cold=True)
    rows = []
    try:
        warm.warm_up()
        for label, (spec_name, program) in WRONG.items():
            spec = load_spec(DEMO / "specs" / f"{spec_name}.toml")
            inputs = quick_inputs(spec, 50, seed=0)
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
    parser.add_argument("--latency", type=float, default=1.0,
                        help="seconds per reply of the simulated live model (default 1)")
    args = parser.parse_args(argv)

    steady = report("steady: warm DafnyServer, booted sandbox spares, inputs already drawn",
                    steady_runs(args.repeat))
    new = report("new spec, fresh backend: first Dafny check, pool boot and input draw "
                 "inside each session", new_spec_runs(args.repeat))
    live = report(f"new spec, fresh backend, a live model answering in {args.latency:g} s: "
                  "the same, overlapped with the model", new_spec_runs(args.repeat, args.latency))

    race = counterexample_race(args.repeat)
    print(f"\n{'wrong candidate':<30} {'quick test':>10} {'Dafny warm':>10} {'Dafny cold':>10}")
    for row in race:
        print(f"{row['candidate']:<30} {row['quick_test_s']:9.3f}s {row['dafny_warm_s']:9.3f}s "
              f"{row['dafny_cold_s']:9.3f}s   {row['quick_test_counterexample']}")
    if args.out:
        args.out.write_text(json.dumps({"steady": steady, "new_spec": new,
                                        "new_spec_live_model": live, "race": race},
                                       indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
