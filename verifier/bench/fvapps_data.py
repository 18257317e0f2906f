"""FVAPPS records: loading them from JSONL, parquet or a `datasets` hub name, and choosing
which ones a run covers.

The published dataset is parquet on a hub that these machines cannot reach, so files come
first and the hub is an optional extra; every malformed record is reported with its file
and line (or row) before any model or prover time is spent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.errors import ProofrouteError

REQUIRED_FIELDS = ("apps_id", "spec")
FIELDS = (
    "apps_id",
    "apps_question",
    "spec",
    "units",
    "sorries",
    "apps_difficulty",
    "assurance_level",
)


@dataclass(frozen=True)
class FvappsTask:
    """One FVAPPS problem: a Lean spec whose definitions and theorems are `sorry`."""

    apps_id: str
    question: str
    spec: str
    units: str = ""
    sorries: int | None = None
    difficulty: str = "unknown"
    assurance_level: str = "unknown"


class DataError(ProofrouteError, ValueError):
    """The benchmark data cannot be read or a record lacks what a task needs."""

    exit_code = 2


def task_from_record(record: Mapping[str, Any], *, where: str) -> FvappsTask:
    """Validate one raw record; `where` (file:line or dataset row) prefixes every error."""
    if not isinstance(record, Mapping):
        raise DataError(f"{where}: expected a JSON object, got {type(record).__name__}")
    missing = [name for name in REQUIRED_FIELDS if record.get(name) in (None, "")]
    if missing:
        raise DataError(
            f"{where}: record lacks {', '.join(missing)}",
            hint=f"FVAPPS records carry the fields {', '.join(FIELDS)}",
        )
    spec = record["spec"]
    if not isinstance(spec, str):
        raise DataError(f"{where}: 'spec' must be a string of Lean code")
    sorries = record.get("sorries")
    if sorries is not None:
        try:
            sorries = int(sorries)
        except (TypeError, ValueError):
            raise DataError(f"{where}: 'sorries' must be an integer, got {sorries!r}") from None
    return FvappsTask(
        apps_id=str(record["apps_id"]),
        question=str(record.get("apps_question") or ""),
        spec=spec,
        units=str(record.get("units") or ""),
        sorries=sorries,
        difficulty=str(record.get("apps_difficulty") or "unknown"),
        assurance_level=str(record.get("assurance_level") or "unknown"),
    )


def _check_unique(tasks: Sequence[FvappsTask], source: str) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.apps_id in seen:
            raise DataError(
                f"{source}: apps_id {task.apps_id!r} occurs twice",
                hint="results are keyed by apps_id, so ids must be unique",
            )
        seen.add(task.apps_id)


def load_jsonl(path: Path) -> list[FvappsTask]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read: {exc}") from None
    tasks = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{where}: not valid JSON ({exc})") from None
        tasks.append(task_from_record(record, where=where))
    return tasks


def load_parquet(path: Path) -> list[FvappsTask]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(
            f"{path}: reading parquet needs pyarrow",
            hint="pip install 'proofroute[bench]'",
        ) from None
    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataError(f"{path}: not a readable parquet file: {exc}") from None
    return [task_from_record(row, where=f"{path}: row {i}") for i, row in enumerate(rows)]


def load_hub(name: str, *, split: str = "train") -> list[FvappsTask]:
    """Load by dataset name (e.g. "quinn-dougherty/fvapps") through `datasets`, if present."""
    try:
        import datasets  # type: ignore[import-not-found]
    except ImportError:
        raise DataError(
            f"{name!r} is neither a file nor loadable: the 'datasets' library is not installed",
            hint="pip install datasets (and be online), or pass a .jsonl or .parquet file",
        ) from None
    try:
        rows: Iterable[Mapping[str, Any]] = datasets.load_dataset(name, split=split)
    except Exception as exc:  # offline, unknown name, auth: all end the same way for us
        raise DataError(
            f"dataset {name!r} (split {split!r}) could not be loaded: {exc}",
            hint="check the name and the network, or pass a downloaded .jsonl/.parquet file",
        ) from None
    return [task_from_record(row, where=f"{name}[{split}] row {i}") for i, row in enumerate(rows)]


def load_tasks(source: str | Path, *, split: str = "train") -> list[FvappsTask]:
    """Tasks from a .jsonl/.json(l) file, a .parquet file, or a hub dataset name."""
    path = Path(source)
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            tasks = load_parquet(path)
        elif suffix in (".jsonl", ".json", ".ndjson"):
            tasks = load_jsonl(path)
        else:
            raise DataError(
                f"{path}: unknown data format '{suffix or 'no extension'}'",
                hint="give a .jsonl or .parquet file, or a dataset name",
            )
    elif path.exists():
        raise DataError(f"{path}: is not a file")
    elif path.suffix.lower() in (".jsonl", ".json", ".ndjson", ".parquet"):
        raise DataError(f"{path}: no such file")
    else:
        tasks = load_hub(str(source), split=split)
    _check_unique(tasks, str(source))
    return tasks


def select_tasks(
    tasks: Sequence[FvappsTask], *, ids: Sequence[str] = (), limit: int | None = None
) -> list[FvappsTask]:
    """Keep the tasks named in `ids` (in data order), then the first `limit` of them."""
    chosen = list(tasks)
    if ids:
        wanted = set(ids)
        unknown = sorted(wanted - {t.apps_id for t in tasks})
        if unknown:
            raise DataError(f"unknown task id(s): {', '.join(unknown)}")
        chosen = [t for t in chosen if t.apps_id in wanted]
    if limit is not None:
        if limit < 0:
            raise DataError("--limit must be >= 0")
        chosen = chosen[:limit]
    return chosen
