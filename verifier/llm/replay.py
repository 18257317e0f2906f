"""`replay:<file.jsonl>` — recorded model replies, served in order, for demos, tests and
reproducing a run without a model.

Format: one JSON object per line (UTF-8). A line is a reply when it has no "kind" field
or has "kind": "response"; it must then carry "content", the reply text. Lines whose
"kind" is anything else (a prompt, a guard verdict, a check...) are skipped, and blank
lines are ignored. Other fields are allowed and kept in `Completion.raw`; "model",
"input_tokens", "output_tokens" (or a "usage" object with those two) and
"finish_reason" are carried over into the Completion so token accounting replays too.

    {"content": "method Max(...) ..."}
    {"kind": "prompt", "messages": [...]}
    {"kind": "response", "content": "...", "model": "gpt-4o", "input_tokens": 812}

So a `transcript.jsonl` written by `generate` — which records prompts and checks as
other kinds and each reply as {"kind": "response", "content": ...} — replays its own
session. Replies are served one per request whatever the prompt, temperature or
sample index; when they run out the provider raises `LLMError`, so a loop driven by a
short recording ends as not verified instead of hanging or inventing a reply.

The whole file is read and checked when the provider is made: a bad line is reported
with its file:line before any work starts. One provider may serve several workers at
once; each reply goes to exactly one request.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from verifier.errors import LLMError, PathEscape
from verifier.llm.base import Completion, Message
from verifier.llm.usage import UsageMeter
from verifier.paths import confined

log = logging.getLogger(__name__)


def _tokens(record: Mapping[str, Any], name: str) -> int:
    value = record.get(name)
    usage = record.get("usage")
    if value is None and isinstance(usage, Mapping):
        value = usage.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def load_replies(path: Path) -> tuple[Completion, ...]:
    """Parse a replay file into the replies it holds, in order."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LLMError(f"replay file {path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LLMError(f"replay file {path} cannot be read: {exc}") from None
    replies: list[Completion] = []
    # Records end at "\n" only: splitlines() would also break at U+2028 or U+0085
    # inside a JSON string, which json.dumps(ensure_ascii=False) leaves raw.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise LLMError(
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno})",
                hint="a replay file holds one JSON object per line",
            ) from None
        if not isinstance(record, dict):
            raise LLMError(f"{where}: expected a JSON object, got {type(record).__name__}")
        kind = record.get("kind", "response")
        if kind != "response":
            continue
        content = record.get("content")
        if not isinstance(content, str):
            raise LLMError(
                f'{where}: a response line needs a string "content" field',
                hint='e.g. {"content": "<reply text>"}',
            )
        model = record.get("model")
        finish = record.get("finish_reason")
        replies.append(
            Completion(
                content=content,
                model=model if isinstance(model, str) and model else "replay",
                input_tokens=_tokens(record, "input_tokens"),
                output_tokens=_tokens(record, "output_tokens"),
                raw=record,
                finish_reason=finish if isinstance(finish, str) else None,
            )
        )
    return tuple(replies)


class ReplayLLM:
    """Serves the replies of one file in order, each exactly once, across threads."""

    instant = True  # answers at once: the loop has no model latency to hide work in

    def __init__(self, path: Path | str, *, meter: UsageMeter | None = None,
                 label: str | None = None) -> None:
        self.path = Path(path)
        # `label` names it in transcripts and certificates instead of the path
        self.name = f"replay:{label or path}"
        self.usage = meter or UsageMeter()
        self._replies = load_replies(self.path)
        self._next = 0
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._replies) - self._next

    def complete(
        self,
        messages: Sequence[Message],
        *,
        temperature: float = 0.0,
        max_tokens: int = 4096,
        sample_index: int = 0,
    ) -> Completion:
        with self._lock:
            index = self._next
            if index >= len(self._replies):
                raise LLMError(
                    f"replay file {self.path} has no response left after {index} replies",
                    hint="the recording is shorter than this run; the run cannot go on",
                )
            self._next = index + 1
        reply = self._replies[index]
        self.usage.record(reply)
        log.debug("%s: served reply %d of %d", self.name, index + 1, len(self._replies))
        return reply

    def close(self) -> None:
        """Nothing to release; here so every provider can be closed alike."""

    def __enter__(self) -> ReplayLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ReplayLLM(path={str(self.path)!r}, remaining={self.remaining})"


class ReplayUnavailable(LLMError):
    """A replay file a remote caller named cannot be served. One message for every cause
    (no replay folder configured, a name leading out of it, a missing or unreadable
    file, a file that is not a recording), so the answer says nothing about the server's
    filesystem."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"replay file {name!r} is not available on this server",
            hint="the server reads replay files only from the folder it was configured "
                 "with, by a name ending in .jsonl; or send the replies inline with llm 'replay'")


def open_confined(folder: Path | None, name: str, *, meter: UsageMeter | None = None) -> ReplayLLM:
    """The recording `name` from `folder` (the server's `replay_dir`), for a caller who
    must not learn or read anything else: the name is resolved (symlinks included) and
    must stay inside the folder and end in `.jsonl`; every failure is the same
    `ReplayUnavailable`."""
    if folder is None or not name.endswith(".jsonl"):
        raise ReplayUnavailable(name)
    try:
        path = confined(folder, name)
        if not path.is_file():
            raise ReplayUnavailable(name)
        return ReplayLLM(path, meter=meter, label=name)
    except (PathEscape, LLMError, OSError, ValueError):
        raise ReplayUnavailable(name) from None


def create(
    target: str,
    *,
    meter: UsageMeter | None = None,
    cache: bool | None = None,
    cache_dir: Path | str | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    retry: object = None,
    base_url: str | None = None,
    api_key: str | None = None,
) -> ReplayLLM:
    """Factory registered under "replay". Accepts the HTTP options so callers can pass the
    same options to any spec, and ignores them: a recording is never cached or retried."""
    if not target:
        raise LLMError("replay: no file given", hint="use 'replay:<file.jsonl>'")
    if cache:
        log.debug("replay provider ignores cache=True: recorded replies are never cached")
    return ReplayLLM(target, meter=meter)
