"""How fast any checker running the same z3 could check a Dafny corpus, from plain Dafny alone.

    python benchmarks/dafny_corpus_bound.py CORPUS [--every K] [--timeout 20] [--jobs 2]
        [--heavy 2.0] [--z3-cpu [--cores N]] [--out FILE.json]

Runs plain `dafny /compile:0 /timeLimit:T` with proofroute's z3 on every file, `jobs` at
a time, longest file first (as `dafny_corpus.py` runs its plain side), and splits the
files by plain's time: a file over `--heavy` seconds is solver-bound (long proofs,
time-outs). A checker with identical verdicts runs the same queries on those, so it can
at best save their start-up (`--startup`, the median light file: Dafny's and mono's
start, which a warm server saves); the light files it could at best check for free. The
printed bound, plain's wall over that best case, caps the speed-up of
`dafny_corpus.py`'s warm backend on this corpus, this machine and these settings (issue
13's target is 5x). A second figure charges each light file the warm server's measured
cost (`--warm-cost`, about 0.3 s of CPU per small verified file: docs/dafny-benchmarks.md).

`--z3-cpu` also measures what no checker with the same z3 can save: plain Dafny is given a
z3 wrapped in `/usr/bin/time`, so every z3 process's CPU seconds are logged. A checker
that asks this z3 the queries plain Dafny asks (identical verdicts by construction)
spends at least that CPU, so its wall time on `--cores` cores (default: this machine's)
is at least the total over the cores: a bound that assumes nothing about which files
are solver-bound. Plain stays `--jobs`-parallel, as the target states it, so on a
machine with more cores the bound rises with them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from dafny_corpus import discover, longest_first, plain_verdict, timed_map


def bound(seconds: Sequence[float], wall: float, jobs: int, heavy: float, warm_cost: float) -> dict[str, float]:
    light = [s for s in seconds if s <= heavy]
    solver = [s for s in seconds if s > heavy]
    startup = statistics.median(light) if light else 0.0
    floor = sum(max(0.0, s - startup) for s in solver) / jobs
    charged = floor + warm_cost * len(light) / jobs
    return {
        "heavy_files": len(solver),
        "heavy_share_of_serial": round(sum(solver) / sum(seconds), 3),
        "startup_seconds": round(startup, 3),
        "best_wall_seconds": round(floor, 1),
        "ratio_bound": round(wall / floor, 2) if floor else None,  # no solver-bound file: none
        "ratio_bound_with_warm_cost": round(wall / charged, 2) if charged else None,
    }


def wrapped_z3(z3: str, folder: Path) -> tuple[Path, Path]:
    """A z3 that logs its user and system CPU seconds, one line per process, to a log."""
    log = folder / "z3-cpu.log"
    wrapper = folder / "z3"
    wrapper.write_text(f'#!/bin/sh\nexec /usr/bin/time -a -o {shlex.quote(str(log))} -f "%U %S" '
                       f'{shlex.quote(z3)} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper, log


def z3_floor(log: Path, wall: float, cores: int) -> dict[str, float]:
    cpu = [sum(map(float, line.split())) for line in log.read_text().splitlines() if line.strip()]
    floor = sum(cpu) / cores
    return {"z3_processes": len(cpu), "z3_cpu_seconds": round(sum(cpu), 1), "cores": cores,
            "z3_floor_wall_seconds": round(floor, 1), "ratio_bound_z3": round(wall / floor, 2) if floor else None}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--heavy", type=float, default=2.0)
    parser.add_argument("--warm-cost", type=float, default=0.3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--z3-cpu", action="store_true", help="log every z3 process's CPU time")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1,
                        help="cores a checker may use (for the z3 floor)")
    args = parser.parse_args(argv)
    tc = discover()
    z3 = tc.z3
    log = None
    if args.z3_cpu and tc.z3:
        scratch = tempfile.TemporaryDirectory(prefix="z3-cpu-")  # removed at exit
        wrapper, log = wrapped_z3(tc.z3, Path(scratch.name))
        tc = dataclasses.replace(tc, z3=str(wrapper))
    files = longest_first(sorted(args.corpus.glob("*.dfy"))[:: args.every])
    print(f"{len(files)} files, dafny {tc.version}, z3 {z3}, jobs {args.jobs}", flush=True)
    plain: dict[str, tuple[str, float]] = {}
    wall = timed_map(lambda f: plain.__setitem__(f.name, plain_verdict(tc, f, args.timeout)), files, args.jobs)
    seconds = [s for _, s in plain.values()]
    summary = {"files": len(files), "timeout": args.timeout, "z3": z3, "plain_wall_seconds": round(wall, 1),
               "plain_serial_seconds": round(sum(seconds), 1),
               "verdicts": dict(Counter(v for v, _ in plain.values())),
               **bound(seconds, wall, args.jobs, args.heavy, args.warm_cost),
               **(z3_floor(log, wall, args.cores) if log else {})}
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "plain": plain}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
