"""The record of one generate run: every prompt, reply, guard verdict, quick test, check.

Written as JSON Lines so that the file is also a replay recording: model replies are
`{"kind": "response", "content": ...}` and everything else has another kind, which the
replay provider skips (docs/llm.md). Replaying a transcript therefore feeds the loop the
same replies in the same order and, the loop being deterministic for one candidate per
round, reproduces the session's outcome.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.results import SCHEMA_VERSION, to_jsonable

RESPONSE = "response"


@dataclass(frozen=True)
class Event:
    kind: str  # "session", "prompt", "response", "guard", "quicktest", "check", "restart", ...
    data: Mapping[str, Any]
    at: float  # seconds since the run started

    def record(self) -> dict[str, Any]:
        """The JSONL object: `kind` first, `content` kept verbatim for responses."""
        return {"kind": self.kind, **to_jsonable(dict(self.data)), "t": round(self.at, 4)}


class Transcript:
    """Append-only, thread-safe (parallel candidates log from worker threads).

    `listener` sees every event as it happens: the CLI's live progress is drawn from the
    same records the file keeps, so the two cannot disagree."""

    def __init__(
        self,
        *,
        clock: Any = time.monotonic,
        listener: Callable[[Event], None] | None = None,
    ) -> None:
        self._clock = clock
        self._listener = listener
        self._start = clock()
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def add(self, kind: str, **data: Any) -> Event:
        event = Event(kind, data, self._clock() - self._start)
        with self._lock:
            self._events.append(event)
        if self._listener is not None:
            self._listener(event)
        return event

    @property
    def events(self) -> tuple[Event, ...]:
        with self._lock:
            return tuple(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)

    def of_kind(self, kind: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == kind)

    def records(self) -> list[dict[str, Any]]:
        head = {"kind": "header", "schema": SCHEMA_VERSION, "format": "proofroute-transcript"}
        return [head, *(e.record() for e in self.events)]

    def to_jsonl(self) -> str:
        return "".join(jsonl_line(r) for r in self.records())

    def write(self, path: Path) -> None:
        path.write_text(self.to_jsonl(), encoding="utf-8")


# Characters `str.splitlines()` breaks a line at that `json.dumps(ensure_ascii=False)`
# leaves raw inside strings; a model reply may hold them (a comment with U+2028), and a
# transcript must stay one record per line for every reader, the replay provider included.
_LINE_BREAKERS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def jsonl_line(record: dict[str, Any]) -> str:
    """One JSON record and its newline; readable text, but never a second line."""
    text = json.dumps(record, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKERS.items():
        text = text.replace(raw, escaped)
    return text + "\n"


def read_transcript(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]
