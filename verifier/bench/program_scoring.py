"""Scores of a whole-program run (DafnyBench, vericoding) from its records.

- a sample *passed* when its record says so (contract kept on a parse, Dafny and the
  audit VERIFIED, and for DafnyBench its own rule);
- a task is *set apart* when its precheck put it there (needs a newer Dafny, unreadable
  by the audit, unsound fixed parts, known solution failing here, Lean not routed):
  counted per reason, left out of every rate;
- pass@k is the unbiased estimator over the scored tasks' samples; `solved` counts
  tasks with at least one passing sample.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from verifier.bench.passk import mean_pass_at_k
from verifier.bench.program_record import SET_APART, Status

Record = Mapping[str, Any]


def _by_task(records: Iterable[Record]) -> dict[str, list[Record]]:
    tasks: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        tasks[str(record["task"])].append(record)
    return tasks


def summarize(records: Iterable[Record]) -> dict[str, Any]:
    records = list(records)
    tasks = _by_task(records)
    apart: Counter[str] = Counter()
    reasons: dict[str, list[str]] = defaultdict(list)
    counts: list[tuple[int, int]] = []
    for task, rows in tasks.items():
        aside = [r for r in rows if r.get("status") in SET_APART]
        if aside:
            status = str(aside[0]["status"])
            apart[status] += 1
            if len(reasons[status]) < 5:
                reasons[status].append(f"{task}: {aside[0].get('reason', '')}"[:300])
            continue
        counts.append((len(rows), sum(1 for r in rows if r.get("status") == Status.PASSED)))
    max_n = max((n for n, _ in counts), default=0)
    scored = len(counts)
    solved = sum(1 for _, c in counts if c)
    return {
        "tasks": len(tasks),
        "samples": len(records),
        "scored_tasks": scored,
        "solved_tasks": solved,
        "solve_rate": solved / scored if scored else None,
        "samples_passed": sum(c for _, c in counts),
        "set_apart": dict(sorted(apart.items())),
        "set_apart_examples": dict(reasons),
        "pass_at_k": {str(k): mean_pass_at_k(counts, k) for k in range(1, max_n + 1)},
        "llm_seconds": round(sum(r.get("llm_seconds") or 0 for r in records), 3),
        "check_seconds": round(sum(r.get("check_seconds") or 0 for r in records), 3),
        "input_tokens": sum(r.get("input_tokens") or 0 for r in records),
        "output_tokens": sum(r.get("output_tokens") or 0 for r in records),
    }


def by_field(records: Iterable[Record], field: str) -> dict[str, dict[str, Any]]:
    """`summarize` per value of a record field ("source", "difficulty")."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[str(record.get(field) or "unknown")].append(record)
    return {value: summarize(group) for value, group in sorted(groups.items())}


def rate_by_attempts(records: Iterable[Record], attempts: int) -> list[float | None]:
    """Share of scored samples that passed within a attempts, a = 1..attempts."""
    scored = [r for r in records if r.get("status") not in SET_APART]
    if not scored:
        return [None] * attempts
    return [
        sum(1 for r in scored if r.get("passed_at_attempt") and int(r["passed_at_attempt"]) <= a)
        / len(scored)
        for a in range(1, attempts + 1)
    ]
