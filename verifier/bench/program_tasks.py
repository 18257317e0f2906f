"""Whole-program proof tasks as published: DafnyBench and vericoding, as typed records.

- DafnyBench (github.com/sun-wendy/DafnyBench): `DafnyBench/dataset/hints_removed/X_no_hints.dfy`
  is the task (a program with its loop invariants, assertions and helper proofs taken
  out), `ground_truth/X.dfy` the program it came from. DATA is the clone, its
  `DafnyBench` folder or the `dataset` folder.
- vericoding (github.com/Beneficial-AI-Foundation/vericoding): JSONL with one task per
  line (`benchmarks/dafny_tasks.jsonl`, `dafny_issues.jsonl`,
  `benchmarks/<language>/<source>/*.jsonl`), or one YAML file per task, each with the
  sections `vc-preamble`, `vc-helpers`, `vc-spec`, `vc-code`, `vc-postamble` (Dafny) or
  `vc-definitions`, `vc-theorems` (Lean). DATA is a file or a folder of them.

A task record is what a unit of work needs and nothing else, so a scheduler can ship it
to another process or machine as it is.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from verifier.errors import ProofrouteError


class Benchmark(enum.StrEnum):
    DAFNYBENCH = "dafnybench"
    VERICODING = "vericoding"


class Language(enum.StrEnum):
    DAFNY = "dafny"
    LEAN = "lean"


class TaskDataError(ProofrouteError, ValueError):
    """The benchmark data cannot be read as the published format."""

    exit_code = 2


# vericoding's sections in file order; which of them the model writes
DAFNY_SECTIONS = ("vc-preamble", "vc-helpers", "vc-spec", "vc-code", "vc-postamble")
LEAN_SECTIONS = ("vc-preamble", "vc-helpers", "vc-definitions", "vc-theorems", "vc-postamble")
MODEL_SECTIONS = frozenset({"vc-helpers", "vc-code", "vc-definitions", "vc-theorems"})
# DafnyBench's programs by length of the ground truth (its paper plots success this way)
LENGTH_BUCKETS = ((50, "short (<50 lines)"), (100, "medium (50-99 lines)"))
LONG = "long (100+ lines)"


@dataclass(frozen=True)
class Section:
    name: str  # vc-preamble, vc-spec, ...
    text: str


@dataclass(frozen=True)
class ProgramTask:
    """One task. `program` is what the model is given to complete (DafnyBench's
    hints-removed file; vericoding's sections joined, stub body included); `sections`
    keeps vericoding's parts; `reference` is a known solution (DafnyBench's ground
    truth), never shown to the model."""

    benchmark: Benchmark
    task_id: str
    language: Language
    source: str  # the source data set (vericoding's `source`; "dafnybench")
    difficulty: str
    description: str
    program: str
    sections: tuple[Section, ...] = ()
    reference: str | None = None
    issue: str = ""  # vericoding's qa-issue-type (weak_specs, big_num, ...)

    def section(self, name: str) -> str:
        return next((s.text for s in self.sections if s.name == name), "")


def length_bucket(text: str) -> str:
    lines = len(text.splitlines())
    return next((label for limit, label in LENGTH_BUCKETS if lines < limit), LONG)


def join_sections(sections: Sequence[Section]) -> str:
    return "\n\n".join(s.text.strip("\n") for s in sections if s.text.strip()) + "\n"


# ------------------------------------------------------------------------- DafnyBench


def _dafnybench_dataset(data: Path) -> Path:
    for candidate in (data, data / "dataset", data / "DafnyBench" / "dataset"):
        if (candidate / "hints_removed").is_dir():
            return candidate
    raise TaskDataError(
        f"{data}: no DafnyBench hints_removed folder here",
        hint="give the DafnyBench clone (github.com/sun-wendy/DafnyBench) or its "
        "DafnyBench/dataset folder",
    )


def load_dafnybench(data: Path | str) -> list[ProgramTask]:
    dataset = _dafnybench_dataset(Path(data))
    tasks = []
    for path in sorted((dataset / "hints_removed").glob("*.dfy")):
        name = path.name.removesuffix(".dfy").removesuffix("_no_hints")
        truth = dataset / "ground_truth" / f"{name}.dfy"
        reference = truth.read_text("utf-8") if truth.is_file() else None
        program = path.read_text("utf-8")
        tasks.append(
            ProgramTask(
                benchmark=Benchmark.DAFNYBENCH,
                task_id=name,
                language=Language.DAFNY,
                source="dafnybench",
                difficulty=length_bucket(reference or program),
                description="",
                program=program,
                reference=reference,
            )
        )
    if not tasks:
        raise TaskDataError(f"{dataset / 'hints_removed'}: no .dfy files")
    return tasks


# ------------------------------------------------------------------------- vericoding


def _rows(path: Path) -> Iterable[tuple[str, dict[str, object]]]:
    if path.suffix == ".jsonl":
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    yield f"{path}:{lineno}", json.loads(line)
                except ValueError as exc:
                    raise TaskDataError(f"{path}:{lineno}: not JSON ({exc})") from None
    elif path.suffix in (".yaml", ".yml"):
        row = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(row, dict):
            row.setdefault("id", path.stem)
            yield str(path), row


def _language(row: dict[str, object], where: str) -> Language:
    value = str(row.get("language") or ("lean" if "vc-theorems" in row else "dafny"))
    try:
        return Language(value)
    except ValueError:
        raise TaskDataError(f"{where}: language {value!r} is not dafny or lean") from None


def vericoding_task(row: dict[str, object], where: str) -> ProgramTask:
    language = _language(row, where)
    names = DAFNY_SECTIONS if language is Language.DAFNY else LEAN_SECTIONS
    needed = "vc-spec" if language is Language.DAFNY else "vc-theorems"
    if needed not in row:
        raise TaskDataError(f"{where}: no {needed!r} field", hint="is this vericoding data?")
    sections = tuple(Section(n, str(row.get(n) or "")) for n in names)
    source = str(row.get("source") or "unknown")
    return ProgramTask(
        benchmark=Benchmark.VERICODING,
        task_id=str(row.get("id") or row.get("source-id") or where),
        language=language,
        source=source,
        difficulty=f"qa issue: {row['qa-issue-type']}" if row.get("qa-issue-type") else "no qa issue",
        description=str(row.get("vc-description") or ""),
        program=join_sections(sections),
        sections=sections,
        issue=str(row.get("qa-issue-type") or ""),
    )


def load_vericoding(data: Path | str, *, language: Language | None = None) -> list[ProgramTask]:
    """Every task in DATA (a .jsonl/.yaml file or a folder searched for them), in order;
    `language` keeps one language. Ids seen twice keep the first."""
    path = Path(data)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in (".jsonl", ".yaml", ".yml"))
    elif path.is_file():
        files = [path]
    else:
        raise TaskDataError(f"{path}: no such file or folder")
    tasks: dict[str, ProgramTask] = {}
    for file in files:
        for where, row in _rows(file):
            if path.is_dir() and "vc-spec" not in row and "vc-theorems" not in row:
                continue  # in a folder: a file that is not tasks (metadata, sessions, ...)
            task = vericoding_task(row, where)
            if language is None or task.language is language:
                tasks.setdefault(task.task_id, task)
    if not tasks:
        raise TaskDataError(f"{path}: no vericoding tasks found")
    return list(tasks.values())


def select(
    tasks: Sequence[ProgramTask], *, ids: Sequence[str] = (), limit: int | None = None
) -> list[ProgramTask]:
    chosen = list(tasks)
    if ids:
        wanted = set(ids)
        chosen = [t for t in chosen if t.task_id in wanted]
        missing = wanted - {t.task_id for t in chosen}
        if missing:
            raise TaskDataError(f"no task with id {', '.join(sorted(missing)[:5])}")
    return chosen[:limit] if limit is not None else chosen
