"""Lean backend benchmark: one process per file vs warm session, 1 vs 2 workers.

usage: python benchmarks/lean_backend.py [--corpus DIR] [--json-out FILE] [--skip-warm-2]

Checks every `*.lean` file of the corpus (each starts with `-- expected: <verdict>`) in
four modes and prints a table and one JSON object:
  cold-1   one Lean process per file, sequential (latency per check)
  cold-2   one Lean process per file, 2 at a time (throughput)
  warm-1   one warm session: start-up once, then latency per check
  warm-2   two warm sessions fed in parallel
A mode whose verdicts differ from the files' expectations is flagged: speed never
excuses a different answer. Costs several minutes and ~2.5 GB per Lean process.
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
    for name, cold, jobs in modes:
        rows.append(run_mode(name, corpus, cold=cold, jobs=jobs))
        print(f"done {name}", file=sys.stderr, flush=True)
    report = {"schema": 1, "toolchain": info.details.get("toolchain"), "version": info.version,
              "corpus": [n for n, _, _ in corpus], "modes": rows}  # fmt: skip
    print(table(rows))
    print(json.dumps(report, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r["unexpected"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
