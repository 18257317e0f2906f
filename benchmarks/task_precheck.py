"""How many published tasks can be scored on this toolchain, and why the others cannot.

    python benchmarks/task_precheck.py dafnybench /work/data/dafnybench [--every K] [--jobs 2]
    python benchmarks/task_precheck.py vericoding FILE.jsonl [--every K] [--jobs 2]

Runs the bench runners' `precheck` (no model) over every K-th task and prints the count
per status and source, with the first reasons: what a `bench dafnybench`/`bench
vericoding` run would set apart before asking a model anything.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from verifier.backends.dafny import DafnyBackend

from verifier.bench.program_runner import Precheck, precheck
from verifier.bench.program_tasks import Language, ProgramTask, load_dafnybench, load_vericoding


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("benchmark", choices=("dafnybench", "vericoding"))
    parser.add_argument("data")
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    tasks: list[ProgramTask] = (
        load_dafnybench(args.data) if args.benchmark == "dafnybench"
        else load_vericoding(args.data, language=Language.DAFNY)
    )[:: args.every]  # fmt: skip
    with DafnyBackend(jobs=args.jobs, models=False) as backend, ThreadPoolExecutor(args.jobs) as pool:
        results: list[Precheck] = list(
            pool.map(lambda t: precheck(t, backend, args.timeout), tasks)
        )
    counts: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for task, result in zip(tasks, results, strict=True):
        status = str(result.status or "scorable")
        counts[status] += 1
        by_source[task.source][status] += 1
        if result.status and len(examples[status]) < 3:
            examples[status].append(f"{task.task_id}: {result.reason[:160]}")
    print(f"{len(tasks)} tasks: {dict(counts.most_common())}")
    for source, c in sorted(by_source.items()):
        print(f"  {source}: {dict(c.most_common())}")
    for status, lines in examples.items():
        print(f"{status}:")
        for line in lines:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
