"""Every model reply of a run, on disk before it is used, so a resumed run never pays for
(or re-samples) a reply it already had.

The log is itself a replay file (`{"kind": "response", "content": ...}` lines, prompts as
`{"kind": "prompt"}` lines that replay skips), so `--llm replay:DIR/completions.jsonl`
reproduces a run. A resumed run answers the requests it made before from the log, and
moves a positional provider (a replay recording) past the replies already consumed,
since with `--jobs 1` the requests arrive in the same order every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path

from verifier.bench.store import append_jsonl, read_jsonl
from verifier.llm import LLM, Completion, Message, ReplayLLM
from verifier.results import SCHEMA_VERSION


def request_key(
    messages: Sequence[Message], *, temperature: float, max_tokens: int, sample_index: int
) -> str:
    payload = json.dumps(
        {
            "messages": [[m.role, m.content] for m in messages],
            "temperature": temperature,
            "max_tokens": max_tokens,
            "sample_index": sample_index,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fast_forward(llm: LLM, count: int) -> None:
    """Move a positional provider past `count` replies an earlier run consumed.

    Only a replay recording is positional: it serves replies in order whatever the prompt;
    every other provider answers the prompt, so there is nothing to skip.
    """
    if isinstance(llm, ReplayLLM):
        skipped = [Message("user", "(answered in an earlier run; taken from its log)")]
        for _ in range(count):
            llm.complete(skipped)


class LoggedLLM:
    """An `LLM` that logs each request and reply, and serves logged replies on resume."""

    def __init__(self, inner: LLM, path: Path | str) -> None:
        self.inner = inner
        self.name = inner.name
        self.instant = inner.instant
        self.path = Path(path)
        self._lock = threading.Lock()
        self._logged: dict[str, deque[Completion]] = {}
        self._consumed = 0
        for entry in read_jsonl(self.path):
            if entry.get("kind") != "response":
                continue
            self._consumed += 1
            completion = Completion(
                content=str(entry.get("content", "")),
                model=str(entry.get("model") or self.name),
                input_tokens=int(entry.get("input_tokens") or 0),
                output_tokens=int(entry.get("output_tokens") or 0),
                seconds=float(entry.get("seconds") or 0.0),
                cached=True,
            )
            self._logged.setdefault(str(entry.get("key")), deque()).append(completion)
        self._forwarded = self._consumed == 0

    @property
    def resumed_replies(self) -> int:
        return self._consumed

    def complete(
        self,
        messages: Sequence[Message],
        *,
        temperature: float = 0.0,
        max_tokens: int = 4096,
        sample_index: int = 0,
    ) -> Completion:
        key = request_key(
            messages, temperature=temperature, max_tokens=max_tokens, sample_index=sample_index
        )
        with self._lock:
            queue = self._logged.get(key)
            if queue:
                return queue.popleft()
            if not self._forwarded:
                fast_forward(self.inner, self._consumed)
                self._forwarded = True
            append_jsonl(
                self.path,
                {
                    "schema": SCHEMA_VERSION,
                    "kind": "prompt",
                    "key": key,
                    "sample_index": sample_index,
                    "messages": [{"role": m.role, "content": m.content} for m in messages],
                },
            )
        completion = self.inner.complete(
            messages, temperature=temperature, max_tokens=max_tokens, sample_index=sample_index
        )
        with self._lock:
            append_jsonl(
                self.path,
                {
                    "schema": SCHEMA_VERSION,
                    "kind": "response",
                    "key": key,
                    "content": completion.content,
                    "model": completion.model,
                    "input_tokens": completion.input_tokens,
                    "output_tokens": completion.output_tokens,
                    "seconds": completion.seconds,
                },
            )
        return dataclasses.replace(completion, raw={})
