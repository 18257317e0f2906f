"""Dafny backend benchmark: cold CLI vs warm pool vs cache hit, and 1 vs 2 warm workers.

    python benchmarks/dafny_backend.py [--corpus DIR] [--out FILE] [--limit N]

Every mode checks the same corpus files with the real Dafny, in one run; each warm
measurement uses fresh servers (DafnyServer caches procedures it has seen, which would
flatter the numbers). Targets (issue 3): warm >= 4x faster than cold on small programs,
cache hit < 10 ms, 2 workers >= 1.6x the throughput of 1. Prints a table, writes JSON.
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

from verifier.backends.dafny import DafnyBackend

HERE = Path(__file__).resolve().parent
SMALL_LINES = 25


def _timed_each(backend: DafnyBackend, files: list[Path], timeout: float) -> dict[str, float]:
    out = {}
    for f in files:
        started = time.perf_counter()
        backend.check(f.read_text("utf-8"), timeout=timeout, filename=f.name)
        out[f.name] = time.perf_counter() - started
    return out


def _throughput(files: list[Path], workers: int, timeout: float) -> float:
    with DafnyBackend(cache=False, jobs=workers) as b:
        b.warm_up()
        started = time.perf_counter()
        b.check_many([(f.read_text("utf-8"), f.name) for f in files], timeout=timeout, jobs=workers)
        return len(files) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus" / "dafny")
    ap.add_argument("--out", type=Path, default=HERE.parent / ".benchmarks" / "dafny_backend.json")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args(argv)
    files = sorted(args.corpus.glob("*.dfy"))
    if args.limit:
        files = files[: args.limit]
    small = {f.name for f in files if len(f.read_text("utf-8").splitlines()) <= SMALL_LINES}

    with DafnyBackend(cache=False, cold=True) as cold:
        cold_t = _timed_each(cold, files, args.timeout)
    with DafnyBackend(cache=False, jobs=1) as warm:
        warm.warm_up()
        warm_t = _timed_each(warm, files, args.timeout)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PROOFROUTE_CACHE_DIR"] = tmp
        with DafnyBackend(cache=True, jobs=1) as cached:
            _timed_each(cached, files, args.timeout)  # fill
            hit_t = _timed_each(cached, files, args.timeout)
    tput1 = _throughput(files, 1, args.timeout)
    tput2 = _throughput(files, 2, args.timeout)

    def stats(times: dict[str, float], names: set[str] | None = None) -> dict[str, float]:
        vals = [t for n, t in times.items() if names is None or n in names]
        return {"median_s": statistics.median(vals), "total_s": sum(vals), "files": len(vals)}

    report = {
        "files": len(files),
        "small_files": len(small),
        "cpu_count": os.cpu_count(),
        "load_avg_1m": os.getloadavg()[0],
        "cold": stats(cold_t),
        "warm": stats(warm_t),
        "cache_hit": stats(hit_t),
        "cold_small": stats(cold_t, small),
        "warm_small": stats(warm_t, small),
        "throughput_files_per_s": {"1_worker": tput1, "2_workers": tput2},
        "per_file_s": {
            n: {"cold": cold_t[n], "warm": warm_t[n], "cache_hit": hit_t[n]} for n in cold_t
        },
    }
    report["ratios"] = {
        "warm_speedup_small_median": report["cold_small"]["median_s"]
        / report["warm_small"]["median_s"],
        "warm_speedup_total": report["cold"]["total_s"] / report["warm"]["total_s"],
        "cache_hit_median_ms": report["cache_hit"]["median_s"] * 1000,
        "two_vs_one_worker": tput2 / tput1,
    }
    rows = [
        ("cold CLI", report["cold"]),
        ("warm pool", report["warm"]),
        ("cache hit", report["cache_hit"]),
    ]
    lines = [f"{'mode':<12}{'median (s)':>12}{'total (s)':>12}", "-" * 36]
    lines += [f"{name:<12}{s['median_s']:>12.4f}{s['total_s']:>12.2f}" for name, s in rows]
    r = report["ratios"]
    lines += [
        "",
        f"small programs ({len(small)}): warm is {r['warm_speedup_small_median']:.1f}x faster than cold (median)",
        f"cache hit median: {r['cache_hit_median_ms']:.2f} ms",
        f"throughput: 1 worker {tput1:.2f} files/s, 2 workers {tput2:.2f} files/s ({r['two_vs_one_worker']:.2f}x)",
        f"load average (1 min) at the end: {report['load_avg_1m']:.1f} on {os.cpu_count()} cores",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    sys.stdout.write(f"written: {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
