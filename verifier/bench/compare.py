"""Several runs side by side: what `bench report RUN1 RUN2 --format md|html` shows.

A run is a results directory (or its `results.jsonl`) with its `run.json` settings. Each
is read into a `RunView` of one shape whatever the benchmark, so runs of two models or
two settings line up: the unit that is scored (`tasks` for whole-program benchmarks,
`theorems` for FVAPPS), pass@k, the share passed within a attempts, the same figures per
source data set and per difficulty, what was set apart and why, and the toolchain and
settings the run used. Reading never re-checks anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.bench import program_scoring, scoring
from verifier.bench.store import RESULTS_FILE, ResultsError, ResultsStore

PROGRAM_BENCHMARKS = frozenset({"dafnybench", "vericoding"})
SETTINGS = ("benchmark", "data", "llm", "k", "attempts", "temperature", "max_tokens",
            "timeout", "prompt_version")  # fmt: skip


@dataclass(frozen=True)
class Group:
    """One value of a field (a source data set, a difficulty) in one run."""

    scored: int
    solved: int
    pass_at_1: float | None


@dataclass(frozen=True)
class RunView:
    label: str
    directory: str
    settings: tuple[tuple[str, str], ...]  # shown as given in run.json
    toolchain: str
    unit: str  # what is counted: "tasks" or "theorems"
    scored: int
    solved: int
    samples: int
    set_apart: tuple[tuple[str, int], ...]
    pass_at_k: tuple[tuple[int, float | None], ...]
    by_attempts: tuple[float | None, ...]  # share of scored samples passed within a attempts
    groups: tuple[tuple[str, tuple[tuple[str, Group], ...]], ...]  # field -> value -> Group
    llm_seconds: float
    check_seconds: float
    tokens: int

    @property
    def rate(self) -> float | None:
        return self.solved / self.scored if self.scored else None


def _directory(path: Path) -> Path:
    directory = path.parent if path.is_file() else path
    if not (directory / RESULTS_FILE).exists():
        raise ResultsError(
            f"{path}: no {RESULTS_FILE} here",
            hint="give the --out directory of a `proofroute bench` run, or its results.jsonl",
        )
    return directory


def _toolchain(manifest: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> str:
    info = manifest.get("toolchain")
    if isinstance(info, Mapping):
        extra = f", z3 {info['z3']}" if info.get("z3") else ""
        return f"{info.get('name', '?')} {info.get('version', '?')}{extra}"
    seen = sorted({f"{r['toolchain']} {r.get('toolchain_version') or ''}".strip()
                   for r in records if r.get("toolchain")})  # fmt: skip
    return ", ".join(seen) or "not recorded"


def _program_groups(records: Sequence[Mapping[str, Any]], field: str) -> tuple[tuple[str, Group], ...]:
    return tuple(
        (value, Group(s["scored_tasks"], s["solved_tasks"], s["pass_at_k"].get("1")))
        for value, s in program_scoring.by_field(records, field).items()
    )


def _fvapps_groups(records: Sequence[Mapping[str, Any]], field: str) -> tuple[tuple[str, Group], ...]:
    return tuple(
        (value, Group(s["theorems_total"], s["theorems_proved"],
                      (s["pass_at_k"].get("1") or {}).get("theorems")))
        for value, s in scoring.by_field(records, field).items()
    )  # fmt: skip


def _attempts(manifest: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> int:
    return max([int(manifest.get("attempts") or 1), *(int(r.get("attempts") or 0) for r in records)])


def load_run(path: Path | str, label: str | None = None) -> RunView:
    directory = _directory(Path(path))
    store = ResultsStore(directory)
    records = list(store)
    manifest = store.manifest()
    benchmark = str(manifest.get("benchmark") or "fvapps")
    attempts = _attempts(manifest, records)
    settings = tuple((k, str(manifest[k])) for k in SETTINGS if k in manifest)
    common = {
        "label": label or directory.name, "directory": str(directory), "settings": settings,
        "toolchain": _toolchain(manifest, records),
        "llm_seconds": sum(float(r.get("llm_seconds") or 0) for r in records),
        "check_seconds": sum(float(r.get("check_seconds") or 0) for r in records),
        "tokens": sum(int(r.get("input_tokens") or 0) + int(r.get("output_tokens") or 0)
                      for r in records),
    }  # fmt: skip
    if benchmark in PROGRAM_BENCHMARKS:
        s = program_scoring.summarize(records)
        return RunView(
            **common, unit="tasks", scored=s["scored_tasks"], solved=s["solved_tasks"],
            samples=s["samples"], set_apart=tuple(s["set_apart"].items()),
            pass_at_k=tuple((int(k), v) for k, v in s["pass_at_k"].items()),
            by_attempts=tuple(program_scoring.rate_by_attempts(records, attempts)),
            groups=(("source", _program_groups(records, "source")),
                    ("difficulty", _program_groups(records, "difficulty"))),
        )  # fmt: skip
    s = scoring.summarize(records)
    apart = [("toolchain_mismatch", s["toolchain_mismatch"]),
             ("spec_incompatible", s["spec_incompatible"]),
             ("units_unchecked", s["units_unchecked"]), ("spec_errors", s["spec_errors"])]
    return RunView(
        **common, unit="theorems", scored=s["theorems_total"], solved=s["theorems_proved"],
        samples=s["samples"], set_apart=tuple((k, v) for k, v in apart if v),
        pass_at_k=tuple((int(k), v["theorems"]) for k, v in s["pass_at_k"].items()),
        by_attempts=tuple(scoring.rate_by_attempts(records, attempts)["theorems"]),
        groups=(("difficulty", _fvapps_groups(records, "difficulty")),
                ("assurance_level", _fvapps_groups(records, "assurance_level"))),
    )  # fmt: skip


def load_runs(paths: Sequence[Path | str]) -> list[RunView]:
    """Runs in the order given; two runs from folders of one name are told apart by
    their parent folder."""
    names = [_directory(Path(p)).name for p in paths]
    labels = [
        f"{_directory(Path(p)).parent.name}/{name}" if names.count(name) > 1 else name
        for p, name in zip(paths, names, strict=True)
    ]
    return [load_run(p, label) for p, label in zip(paths, labels, strict=True)]


def group_values(runs: Sequence[RunView], field: str) -> list[str]:
    values: list[str] = []
    for run in runs:
        for name, groups in run.groups:
            if name == field:
                values += [v for v, _ in groups if v not in values]
    return values


def group_of(run: RunView, field: str, value: str) -> Group | None:
    for name, groups in run.groups:
        if name == field:
            return dict(groups).get(value)
    return None


def fields(runs: Sequence[RunView]) -> list[str]:
    out: list[str] = []
    for run in runs:
        out += [name for name, _ in run.groups if name not in out]
    return out
