"""A whole Dafny corpus: plain `dafny` 2-parallel vs proofroute's warm backend, same z3.

    python benchmarks/dafny_corpus.py DIR [--limit N] [--every K] [--timeout 20]
        [--jobs 2] [--warm-jobs N] [--rounds 8] [--only-rounds 4-8] [--out FILE.json]
        [--order longest|name] [--models]

DIR is a folder of `.dfy` files, e.g. DafnyBench's ground truths
(`/work/data/dafnybench/DafnyBench/dataset/ground_truth`). The corpus is cut into
`--rounds` shards (every R-th file); each round runs the plain pass and then the warm
pass on its shard, so the two see the same load on a shared machine (side by side, not
one after the other), and the times are summed. After each round its rows (file, both
verdicts, both times) are appended to `FILE.json.rounds.jsonl`, so a run cut short keeps
what it measured; `--only-rounds` runs some rounds (e.g. the rest of a cut run). The
passes:

- plain: `dafny /nologo /compile:0 /timeLimit:T /z3exe:Z FILE`, `--jobs` at once, files in
  name order (what `ls | xargs -P2 dafny` does); exit 0 is "verified", 4 "errors"
  ("timeout" when Dafny's summary counts time-outs and no errors), 2 "bad-input";
- warm: one `DafnyBackend(jobs=J, models=False)` for the whole run: warm DafnyServers
  (their start-up counted in the first round), longest file first within a round so a
  round does not end with one long check running alone, audit and cross-check
  included, its result cache in a fresh folder (writing it is counted); no
  counterexample models (a corpus check wants verdicts; `--models` asks for them);
- cached: after the rounds, the whole corpus again through the warm backend: every
  answer comes from the cache (a re-run of an unchanged corpus).

Wall time is what the target is about; CPU seconds are printed too (steadier on a
machine shared with other work): plain's are those of its `dafny` processes and their z3
(reaped children during the plain passes), warm's those of this process during the warm
passes plus every child reaped outside the plain passes (servers, their z3, cold
fallbacks).

Verdicts are compared file by file. The warm verdict is read as Dafny's (VERIFIED is
"verified", REFUTED "errors", UNKNOWN with a parse/resolution error "bad-input", with a
time-out "timeout"); an UNKNOWN that comes from proofroute's soundness audit (an `assume`,
a body-less lemma, an unknown attribute, ...) on a file plain Dafny verified is listed
apart as an audit refusal: that is the point of the audit, not a different reading of
Dafny; so is a file with nothing to verify (plain Dafny's "0 verified" exits 0). Every other difference is a disagreement and is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from verifier.backends.dafny import DafnyBackend
from verifier.backends.dafny.audit import audit
from verifier.backends.dafny.toolchain import Toolchain, discover

from verifier.results import CheckResult, Severity, Verdict
from verifier.sandbox.limits import Limits, run_limited

PLAIN_VERDICT = {0: "verified", 4: "errors", 2: "bad-input"}
SUMMARY = re.compile(r"finished with \d+ verified, (?P<errors>\d+) errors?(?:, (?P<time_outs>\d+) time outs?)?")
AUDIT_KINDS = frozenset({"unsound", "unknown-construct", "include", "crosscheck"})


@dataclass(frozen=True)
class Row:
    file: str
    plain: str
    plain_seconds: float
    warm: str
    warm_seconds: float
    warm_kinds: tuple[str, ...]


def plain_verdict(tc: Toolchain, file: Path, timeout: int) -> tuple[str, float]:
    argv = [*tc.dafny, "/nologo", "/compile:0", f"/timeLimit:{timeout}"]
    if tc.z3:
        argv.append(f"/z3exe:{tc.z3}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        run = run_limited([*argv, str(file)], limits=Limits(wall_seconds=4 * timeout + 30), cwd=tmp)
    seconds = time.perf_counter() - started
    if run.timed_out:
        return "timeout", seconds
    verdict = PLAIN_VERDICT.get(run.returncode or 0, f"rc{run.returncode}")
    return ("timeout" if verdict == "errors" and only_time_outs(run.stdout) else verdict), seconds


def only_time_outs(stdout: bytes) -> bool:
    """Dafny's summary says time-outs and no errors: exit 4 is then a time-out, which the
    warm side reports as one (the two were listed as different before 2026-12-07)."""
    summary = SUMMARY.search(stdout.decode("utf-8", "replace"))
    return bool(summary and summary["errors"] == "0" and summary["time_outs"])


def dafny_reading(result: CheckResult) -> str:
    """What Dafny itself said, as far as the verdict shows it (module docstring)."""
    if result.verdict is Verdict.VERIFIED:
        return "verified"
    if result.verdict is Verdict.REFUTED:
        return "errors"
    kinds = {d.kind for d in result.diagnostics if d.severity == Severity.ERROR}
    kinds |= {d.kind for d in result.diagnostics}
    if kinds & {"parse", "resolution"}:
        return "bad-input"
    if "timeout" in kinds:
        return "timeout"
    if kinds & AUDIT_KINDS:
        return "audit"
    if any("verified nothing" in d.message for d in result.diagnostics):
        return "nothing"  # a file of comments only: Dafny says "0 verified", exit 0
    return "unknown"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_map(fn: Callable[[Path], object], files: Sequence[Path], jobs: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(fn, files))
    return time.perf_counter() - started


def longest_first(files: Sequence[Path]) -> list[Path]:
    """Longest source first: a cheap stand-in for verification cost that needs no
    earlier run (the big files of a corpus are its slow ones)."""
    return sorted(files, key=lambda f: (-f.stat().st_size, f.name))


def save_round(
    out: Path, number: int, shard: Sequence[Path], plain: dict[str, tuple[str, float]],
    warm: dict[str, CheckResult],
) -> None:
    with Path(f"{out}.rounds.jsonl").open("a", encoding="utf-8") as handle:
        for f in shard:
            row = {"round": number, "file": f.name, "plain": plain[f.name][0],
                   "plain_seconds": round(plain[f.name][1], 3),
                   "warm": dafny_reading(warm[f.name]),
                   "warm_seconds": round(warm[f.name].seconds or 0.0, 3),
                   "warm_kinds": sorted({d.kind for d in warm[f.name].diagnostics})}  # fmt: skip
            handle.write(json.dumps(row) + "\n")


def compare(rows: Sequence[Row]) -> dict[str, list[str]]:
    same, refused, different = [], [], []
    for r in rows:
        if r.plain == r.warm:
            same.append(r.file)
        elif r.plain == "verified" and r.warm in ("audit", "nothing"):
            refused.append(r.file)
        else:
            different.append(f"{r.file}: plain {r.plain}, warm {r.warm} {list(r.warm_kinds)}")
    return {"identical": same, "audit_refused": refused, "different": different}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--warm-jobs", type=int, default=None,
                        help="warm servers (default: --jobs); the target compares plain 2-parallel "
                             "with our checker on the machine's cores")
    parser.add_argument("--order", choices=("longest", "name"), default="longest")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--only-rounds", default=None, help="FIRST-LAST, 1-based")
    parser.add_argument("--models", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    warm_jobs = args.warm_jobs or args.jobs

    files = sorted(args.corpus.glob("*.dfy"))[:: args.every][: args.limit]
    tc = discover()
    print(f"{len(files)} files, dafny {tc.version}, z3 {tc.z3}, jobs {args.jobs} plain, "
          f"{warm_jobs} warm", flush=True)  # fmt: skip

    plain: dict[str, tuple[str, float]] = {}
    warm: dict[str, CheckResult] = {}

    def plain_one(f: Path) -> None:
        plain[f.name] = plain_verdict(tc, f, args.timeout)

    def warm_one(f: Path) -> None:
        warm[f.name] = backend.check(f.read_text("utf-8"), timeout=args.timeout, filename=f.name)

    plain_wall = warm_wall = plain_cpu = warm_self_cpu = 0.0
    children_before = children_cpu()
    # The audit's parse tables are built once per machine and kept in the cache folder;
    # load them before that folder is pointed at a fresh one for the result cache, or
    # the first checks would time a one-off table build (~20 s on a loaded machine).
    audit("")
    with tempfile.TemporaryDirectory(prefix="corpus-cache-") as cache_root:
        os.environ["PROOFROUTE_CACHE_DIR"] = cache_root
        started = time.perf_counter()
        backend = DafnyBackend(cache=True, jobs=warm_jobs, models=args.models)
        warm_wall += time.perf_counter() - started
        try:
            first, last = 1, args.rounds
            if args.only_rounds:
                first, last = (int(x) for x in args.only_rounds.split("-"))
            for r in range(first - 1, last):
                shard = files[r :: args.rounds]
                cpu = children_cpu()
                plain_wall += timed_map(plain_one, shard, args.jobs)
                plain_cpu += children_cpu() - cpu
                order = longest_first(shard) if args.order == "longest" else shard
                cpu = self_cpu()
                warm_wall += timed_map(warm_one, order, warm_jobs)
                warm_self_cpu += self_cpu() - cpu
                if args.out:
                    save_round(args.out, r + 1, shard, plain, warm)
                print(f"round {r + 1}/{args.rounds}: plain {plain_wall:.1f} s, "
                      f"warm {warm_wall:.1f} s so far", flush=True)  # fmt: skip
            cached: dict[str, CheckResult] = {}

            def cached_one(f: Path) -> None:
                cached[f.name] = backend.check(
                    f.read_text("utf-8"), timeout=args.timeout, filename=f.name
                )

            cached_wall = timed_map(cached_one, [f for f in files if f.name in warm], warm_jobs)
        finally:
            backend.close()
    warm_cpu = warm_self_cpu + (children_cpu() - children_before - plain_cpu)
    print(f"plain {plain_wall:.1f} s, warm {warm_wall:.1f} s, cached re-run {cached_wall:.1f} s")

    rows = [
        Row(
            f.name,
            plain[f.name][0],
            round(plain[f.name][1], 3),
            dafny_reading(warm[f.name]),
            round(warm[f.name].seconds or 0.0, 3),
            tuple(sorted({d.kind for d in warm[f.name].diagnostics})),
        )
        for f in files
        if f.name in warm
    ]
    verdicts = compare(rows)
    cached_same = sum(
        dafny_reading(cached[f.name]) == dafny_reading(warm[f.name]) for f in files if f.name in warm
    )
    summary = {
        "files": len(rows),
        "jobs": args.jobs,
        "warm_jobs": warm_jobs,
        "rounds": args.rounds,
        "models": args.models,
        "timeout": args.timeout,
        "dafny": tc.version,
        "z3": tc.z3,
        "plain_wall_seconds": round(plain_wall, 2),
        "warm_wall_seconds": round(warm_wall, 2),
        "cached_wall_seconds": round(cached_wall, 2),
        "speedup_warm": round(plain_wall / warm_wall, 2),
        "plain_cpu_seconds": round(plain_cpu, 1),
        "warm_cpu_seconds": round(warm_cpu, 1),
        "cpu_ratio": round(plain_cpu / warm_cpu, 2) if warm_cpu else None,
        "speedup_cached_rerun": round(plain_wall / cached_wall, 2),
        "identical": len(verdicts["identical"]),
        "audit_refused": verdicts["audit_refused"],
        "different": verdicts["different"],
        "cached_same_as_warm": cached_same,
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "audit_refused"}, indent=2))
    print(f"audit refusals ({len(verdicts['audit_refused'])}): {verdicts['audit_refused'][:20]}")
    if args.out:
        args.out.write_text(
            json.dumps({"summary": summary, "rows": [asdict(r) for r in rows]}, indent=1) + "\n"
        )
    return 1 if verdicts["different"] else 0


if __name__ == "__main__":
    sys.exit(main())
