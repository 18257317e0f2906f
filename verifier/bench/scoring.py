"""Scores from result records: what the `--json` summary and the report tables show.

Definitions of the counts (docs/fvapps.md says the same for users):
- a sample is *valid* unless its definitions failed for toolchain reasons (e.g. a Mathlib
  import on a toolchain without Mathlib), its task's own spec does not elaborate on the
  toolchain (`spec_incompatible`: the model was not asked), its unit tests could not all
  be checked on the toolchain with nothing else wrong (`units_unchecked`), or its spec
  could not be read; invalid samples are counted in `toolchain_mismatch`/
  `spec_incompatible`/`units_unchecked`/`spec_errors` and left out of every rate;
- a theorem is *proved* when at least one valid sample proved it; its pass@k counts the
  proving samples among the valid ones;
- a task is *all proved* when one valid sample passed the units and proved every theorem;
- `units_passed` counts tasks with at least one valid sample passing the unit tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from verifier.bench.passk import mean_pass_at_k

Record = Mapping[str, Any]
SPEC_INCOMPATIBLE = "spec_incompatible"
UNITS_UNCHECKED = "units_unchecked"
INVALID_DEFINITIONS = ("toolchain_mismatch", SPEC_INCOMPATIBLE, UNITS_UNCHECKED, "spec_error")


def _group(records: Iterable[Record]) -> dict[str, dict[str, Any]]:
    tasks: dict[str, dict[str, Any]] = {}
    for record in records:
        task = tasks.setdefault(
            record["task"],
            {
                "difficulty": record.get("difficulty", "unknown"),
                "assurance_level": record.get("assurance_level", "unknown"),
                "definitions": {},
                "theorems": defaultdict(dict),
                "names": [],
            },
        )
        sample = int(record["sample"])
        if record.get("theorem") is None:
            task["definitions"][sample] = record
            for name in record.get("theorems") or ():
                if name not in task["names"]:
                    task["names"].append(name)
        else:
            task["theorems"][record["theorem"]][sample] = record
            if record["theorem"] not in task["names"]:
                task["names"].append(record["theorem"])
    return tasks


def _valid_samples(task: Mapping[str, Any]) -> list[int]:
    return sorted(
        s for s, r in task["definitions"].items() if r.get("status") not in INVALID_DEFINITIONS
    )


def _count_set_apart(task: Mapping[str, Any], summary: dict[str, Any]) -> None:
    """The task's samples left out of every rate, by reason; a task with no valid sample
    counts once: as a toolchain mismatch, else as spec-incompatible, else as units-unchecked."""
    definitions = task["definitions"]
    mismatched = {s for s, r in definitions.items() if r.get("status") == "toolchain_mismatch"}
    for by_sample in task["theorems"].values():
        mismatched |= {s for s, r in by_sample.items() if r.get("status") == "toolchain_mismatch"}
    summary["toolchain_mismatch"] += len(mismatched)
    summary["spec_errors"] += sum(1 for r in definitions.values() if r.get("status") == "spec_error")
    incompatible = sum(1 for r in definitions.values() if r.get("status") == SPEC_INCOMPATIBLE)
    summary["spec_incompatible"] += incompatible
    unchecked = sum(1 for r in definitions.values() if r.get("status") == UNITS_UNCHECKED)
    summary["units_unchecked"] += unchecked
    if definitions and not _valid_samples(task):
        if mismatched:
            summary["tasks_toolchain_mismatch"] += 1
        elif incompatible:
            summary["tasks_spec_incompatible"] += 1
        elif unchecked:
            summary["tasks_units_unchecked"] += 1


def summarize(records: Iterable[Record]) -> dict[str, Any]:
    """The counts of the module docstring, plus pass@k, time and tokens."""
    # Long on purpose: one flat count per summary field, in the order of the docstring.
    records = list(records)
    tasks = _group(records)
    summary: dict[str, Any] = {
        "tasks": len(tasks),
        "samples": sum(len(t["definitions"]) for t in tasks.values()),
        "theorems_total": 0,
        "theorems_proved": 0,
        "tasks_all_proved": 0,
        "units_passed": 0,
        "samples_units_passed": 0,
        "toolchain_mismatch": 0,
        "tasks_toolchain_mismatch": 0,
        "spec_incompatible": 0,
        "tasks_spec_incompatible": 0,
        "units_unchecked": 0,
        "tasks_units_unchecked": 0,
        "spec_errors": 0,
    }
    theorem_counts: list[tuple[int, int]] = []
    units_counts: list[tuple[int, int]] = []
    all_proved_counts: list[tuple[int, int]] = []
    for task in tasks.values():
        _count_set_apart(task, summary)
        definitions = task["definitions"]
        valid = _valid_samples(task)
        passed = [s for s in valid if definitions[s].get("status") == "passed"]
        summary["samples_units_passed"] += len(passed)
        if valid:
            units_counts.append((len(valid), len(passed)))
            summary["units_passed"] += bool(passed)
        all_proved_samples = 0
        for sample in passed:
            results = [task["theorems"].get(name, {}).get(sample) for name in task["names"]]
            if all(r is not None and r.get("status") == "proved" for r in results):
                all_proved_samples += 1
        if valid:
            all_proved_counts.append((len(valid), all_proved_samples))
            summary["tasks_all_proved"] += bool(all_proved_samples)
        for name in task["names"]:
            by_sample = task["theorems"].get(name, {})
            scored = [
                by_sample[s]
                for s in valid
                if s in by_sample and by_sample[s].get("status") != "toolchain_mismatch"
            ]
            if not scored:
                continue
            proved = sum(1 for r in scored if r.get("status") == "proved")
            theorem_counts.append((len(scored), proved))
            summary["theorems_total"] += 1
            summary["theorems_proved"] += bool(proved)
    total = summary["theorems_total"]
    summary["proof_rate"] = summary["theorems_proved"] / total if total else None
    max_n = max((n for n, _ in theorem_counts + units_counts), default=0)
    summary["pass_at_k"] = {
        str(k): {
            "theorems": mean_pass_at_k(theorem_counts, k),
            "units": mean_pass_at_k(units_counts, k),
            "tasks_all_proved": mean_pass_at_k(all_proved_counts, k),
        }
        for k in range(1, max_n + 1)
    }
    summary["llm_seconds"] = round(sum(r.get("llm_seconds") or 0 for r in records), 3)
    summary["check_seconds"] = round(sum(r.get("check_seconds") or 0 for r in records), 3)
    summary["input_tokens"] = sum(r.get("input_tokens") or 0 for r in records)
    summary["output_tokens"] = sum(r.get("output_tokens") or 0 for r in records)
    return summary


def by_field(records: Iterable[Record], field: str) -> dict[str, dict[str, Any]]:
    """`summarize` per value of a task field ("difficulty", "assurance_level")."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[str(record.get(field) or "unknown")].append(record)
    return {value: summarize(group) for value, group in sorted(groups.items())}


def rate_by_attempts(records: Iterable[Record], attempts: int) -> dict[str, list[float | None]]:
    """Share of valid theorem samples proved (and of definitions passed) within a attempts,
    for a = 1..attempts: the curve of the report's plot."""
    records = list(records)
    invalid = {
        (r["task"], int(r["sample"]))
        for r in records
        if r.get("theorem") is None and r.get("status") in INVALID_DEFINITIONS
    }
    theorems = [
        r
        for r in records
        if r.get("theorem") is not None
        and (r["task"], int(r["sample"])) not in invalid
        and r.get("status") != "toolchain_mismatch"
    ]
    definitions = [
        r
        for r in records
        if r.get("theorem") is None and (r["task"], int(r["sample"])) not in invalid
    ]

    def curve(rows: list[Record], field: str) -> list[float | None]:
        if not rows:
            return [None] * attempts
        return [
            sum(1 for r in rows if r.get(field) is not None and int(r[field]) <= a) / len(rows)
            for a in range(1, attempts + 1)
        ]

    return {
        "attempts": list(range(1, attempts + 1)),
        "theorems": curve(theorems, "proved_at_attempt"),
        "definitions": curve(definitions, "passed_at_attempt"),
    }
