"""Lean backend benchmark: one process per file vs warm session, 1 vs 2 workers.

usage: python benchmarks/lean_backend.py [--corpus DIR] [--json-out FILE] [--skip-warm-2]
                                        [--timeout-budget S] [--only-timeout]

Checks every `*.lean` file of the corpus (each starts with `-- expected: <verdict>`) in
four modes and prints a table and one JSON object:
  cold-1   one Lean process per file, sequential (latency per check)
  cold-2   one Lean process per file, 2 at a time (throughput)
  warm-1   one warm session: start-up once, then latency per check
  warm-2   two warm sessions fed in parallel
A mode whose verdicts differ from the files' expectations is flagged: speed never
excuses a different answer. Costs several minutes and ~2.5 GB per Lean process.

Then one "timeout then next check" row: in one warm session, a file whose `decide`
outlasts `--timeout-budget` (the driver answers the timeout itself), then the corpus's
first `verified` file in the same session; beside it what a killed session used to
cost instead: its restart (the session's start-up) and the next check in a fresh
process meanwhile (a cold check). `--only-timeout` runs only this row.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from verifier.backends.lean import LeanBackend

from verifier.results import CheckResult

HERE = Path(__file__).parent
# `decide` over 40^3 cases in the elaborator: minutes, far beyond any budget used here
SLOW = (
    "set_option maxHeartbeats 0 in\n"
    "theorem slow_elab : ∀ a b c : Fin 40, a + b + c = c + b + a := by decide\n"
)


def load_corpus(folder: Path) -> list[tuple[str, str, str]]:
    out = []
    for path in sorted(folder.glob("*.lean")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        expected = first.split("expected:", 1)[1].strip() if "expected:" in first else "?"
        out.append((path.name, expected, text))
    return out


def run_mode(name: str, corpus: list[tuple[str, str, str]], *, cold: bool, jobs: int) -> dict:
    backend = LeanBackend(cache=False, cold=cold, jobs=jobs)
    try:
        started = time.monotonic()
        warmup = None
        if not cold:
            # Start the sessions first so start-up and per-check latency are reported apart.
            warmup = backend.warm_up(timeout=900)
        t1 = time.monotonic()
        results: list[CheckResult] = []
        latencies: list[float] = []
        if jobs == 1:
            for _, _, text in corpus:
                t = time.monotonic()
                results.append(backend.check(text, timeout=900))
                latencies.append(time.monotonic() - t)
        else:
            results = backend.check_many([text for _, _, text in corpus], timeout=900)
            latencies = [r.seconds for r in results]
        checking = time.monotonic() - t1
        total = time.monotonic() - started
    finally:
        backend.close()
    verdicts = {n: r.verdict.value for (n, _, _), r in zip(corpus, results, strict=True)}
    wrong = [n for n, exp, _ in corpus if verdicts[n] != exp]
    return {
        "mode": name,
        "files": len(corpus),
        "startup_seconds": round(warmup, 2) if warmup is not None else None,
        "latency_median_seconds": round(statistics.median(latencies), 2),
        "latency_max_seconds": round(max(latencies), 2),
        "checking_seconds": round(checking, 2),
        "total_seconds": round(total, 2),
        "files_per_minute": round(60 * len(corpus) / checking, 2) if checking else None,
        "verdicts": verdicts,
        "unexpected": wrong,
    }


def timeout_row(corpus: list[tuple[str, str, str]], budget: float) -> dict:
    """A timeout in a warm session, the next check in it, and what a restart costs instead."""
    name, _, good = next(c for c in corpus if c[1] == "verified")
    backend = LeanBackend(cache=False, jobs=1)
    try:
        startup = backend.warm_up(timeout=900)
        pids = backend.session_pids()
        t = time.monotonic()
        slow = backend.check(SLOW, timeout=budget)
        to_timeout = time.monotonic() - t
        kept = backend.session_pids() == pids
        t = time.monotonic()
        after = backend.check(good, timeout=900)
        next_check = time.monotonic() - t
        kept = kept and backend.session_pids() == pids
    finally:
        backend.close()
    with LeanBackend(cache=False, cold=True) as cold:
        t = time.monotonic()
        fresh = cold.check(good, timeout=900)
        cold_check = time.monotonic() - t
    unexpected = [label for label, got, want in (
        ("slow file", slow.verdict.value, "unknown"),
        (name, after.verdict.value, "verified"),
        (f"{name} (cold)", fresh.verdict.value, "verified"),
    ) if got != want]  # fmt: skip
    if not any(d.kind == "timeout" for d in slow.diagnostics):
        unexpected.append("slow file: no timeout diagnostic")
    if not kept:
        unexpected.append("session replaced")
    return {
        "mode": "timeout-next",
        "budget_seconds": budget,
        "startup_seconds": round(startup, 2),
        "to_timeout_seconds": round(to_timeout, 2),
        "next_file": name,
        "next_check_seconds": round(next_check, 2),
        "session_kept": kept,
        "cold_check_seconds": round(cold_check, 2),
        "unexpected": unexpected,
    }


def timeout_table(row: dict) -> str:
    head = (f"{'budget s':>8} {'to timeout s':>12} {'next check s':>12} {'kept':>5} "
            f"{'restart s':>9} {'cold check s':>12}  unexpected")  # fmt: skip
    return "\n".join([head, "-" * len(head), (
        f"{row['budget_seconds']:>8.1f} {row['to_timeout_seconds']:>12.2f} {row['next_check_seconds']:>12.2f} "
        f"{'yes' if row['session_kept'] else 'no':>5} {row['startup_seconds']:>9.1f} "
        f"{row['cold_check_seconds']:>12.1f}  {', '.join(row['unexpected']) or 'none'}")])  # fmt: skip


def table(rows: list[dict]) -> str:
    head = f"{'mode':<8} {'start-up s':>10} {'median s':>9} {'max s':>7} {'checking s':>10} {'files/min':>9}  unexpected"
    lines = [head, "-" * len(head)]
    for r in rows:
        start = "-" if r["startup_seconds"] is None else f"{r['startup_seconds']:.1f}"
        lines.append(
            f"{r['mode']:<8} {start:>10} {r['latency_median_seconds']:>9.2f} {r['latency_max_seconds']:>7.2f} "
            f"{r['checking_seconds']:>10.1f} {r['files_per_minute']:>9.1f}  {', '.join(r['unexpected']) or 'none'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus" / "lean")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--skip-warm-2", action="store_true", help="skip the 2-session mode")
    parser.add_argument("--timeout-budget", type=float, default=10.0, help="budget of the slow file (s)")
    parser.add_argument("--only-timeout", action="store_true", help="only the timeout-then-next-check row")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    if not corpus:
        print(f"no .lean files in {args.corpus}", file=sys.stderr)
        return 2
    info = LeanBackend().available()
    modes = [("cold-1", True, 1), ("cold-2", True, 2), ("warm-1", False, 1)]
    if not args.skip_warm_2:
        modes.append(("warm-2", False, 2))
    rows = []
    for name, cold, jobs in [] if args.only_timeout else modes:
        rows.append(run_mode(name, corpus, cold=cold, jobs=jobs))
        print(f"done {name}", file=sys.stderr, flush=True)
    timeout = timeout_row(corpus, args.timeout_budget)
    report = {"schema": 2, "toolchain": info.details.get("toolchain"), "version": info.version,
              "corpus": [n for n, _, _ in corpus], "modes": rows, "timeout": timeout}  # fmt: skip
    if rows:
        print(table(rows))
    print(timeout_table(timeout))
    print(json.dumps(report, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r["unexpected"] for r in (*rows, timeout)) else 0


if __name__ == "__main__":
    sys.exit(main())
