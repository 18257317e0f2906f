"""The results of a run on disk: one JSONL record per finished unit of work, written and
fsynced the moment it is known, plus the run's settings.

A record is the only proof that work is finished, so resuming is "skip every key that
has a record"; a crash can at worst leave a half-written last line, which is cut off on
the next open (its work was not finished, so nothing finished is lost).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.errors import ProofrouteError
from verifier.paths import write_atomic
from verifier.results import SCHEMA_VERSION

log = logging.getLogger(__name__)

RESULTS_FILE = "results.jsonl"
MANIFEST_FILE = "run.json"
COMPLETIONS_FILE = "completions.jsonl"
# Settings that change what a finished record means; a resume must use the same ones.
RESUME_KEYS = ("benchmark", "llm", "attempts", "temperature", "max_tokens", "prompt_version")


class ResultsError(ProofrouteError, ValueError):
    """A results directory is corrupt or belongs to a run with other settings."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class RecordKey:
    """(task, sample, theorem); theorem None is the definitions stage of that sample."""

    task: str
    sample: int
    theorem: str | None = None

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> RecordKey:
        return cls(str(record["task"]), int(record["sample"]), record.get("theorem"))


def _repair_tail(path: Path) -> None:
    """Cut a last line left without its newline by a crash mid-write."""
    with path.open("rb+") as handle:
        data = handle.read()
        if not data or data.endswith(b"\n"):
            return
        cut = data.rfind(b"\n") + 1
        log.warning("%s: dropping an unfinished last line (%d bytes)", path, len(data) - cut)
        handle.truncate(cut)


def append_jsonl(path: Path, record: Mapping[str, Any]) -> None:
    """Append one line and make it durable before returning."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    _repair_tail(path)
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise ResultsError(f"{path}:{lineno}: corrupt record ({exc})") from None
        if not isinstance(record, dict):
            raise ResultsError(f"{path}:{lineno}: expected a JSON object")
        records.append(record)
    return records


class ResultsStore:
    """Finished records of one run directory; thread-safe appends."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / RESULTS_FILE
        self._lock = threading.Lock()
        self._records: dict[RecordKey, dict[str, Any]] = {}
        for record in read_jsonl(self.path):
            if record.get("schema") != SCHEMA_VERSION:
                raise ResultsError(
                    f"{self.path}: record of schema {record.get('schema')!r}, "
                    f"this version reads schema {SCHEMA_VERSION}",
                    hint="use a new --out directory",
                )
            key = RecordKey.of(record)
            if key in self._records:  # cannot happen through `append`; keep the first
                log.warning("%s: duplicate record %s ignored", self.path, key)
                continue
            self._records[key] = record

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with self._lock:
            return iter(list(self._records.values()))

    def get(self, key: RecordKey) -> dict[str, Any] | None:
        with self._lock:
            return self._records.get(key)

    def done(self, key: RecordKey) -> bool:
        return self.get(key) is not None

    def append(self, record: Mapping[str, Any]) -> dict[str, Any]:
        full = {"schema": SCHEMA_VERSION, **record}
        key = RecordKey.of(full)
        with self._lock:
            if key in self._records:
                raise ResultsError(f"{self.path}: {key} is already recorded")
            append_jsonl(self.path, full)
            self._records[key] = full
        return full

    def check_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Write the run's settings, or refuse to mix results of different settings."""
        path = self.directory / MANIFEST_FILE
        if path.exists():
            try:
                previous = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise ResultsError(f"{path}: unreadable ({exc})") from None
            changed = [
                f"{key}: {previous.get(key)!r} -> {manifest.get(key)!r}"
                for key in RESUME_KEYS
                if previous.get(key) != manifest.get(key)
            ]
            if changed:
                raise ResultsError(
                    f"{self.directory} holds results of a run with other settings "
                    f"({'; '.join(changed)})",
                    hint="re-run with the same settings to resume, or pass a new --out",
                )
            return
        write_atomic(path, json.dumps({"schema": SCHEMA_VERSION, **manifest}, indent=2) + "\n")

    def manifest(self) -> dict[str, Any]:
        path = self.directory / MANIFEST_FILE
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
