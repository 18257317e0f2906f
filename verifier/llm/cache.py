"""On-disk cache of model replies, so re-running a session or a benchmark costs nothing.

The key is a SHA-256 of everything that decides the reply — provider, base URL, model,
messages, temperature, max_tokens and provider-specific request settings — and never of
credentials: two users with different keys share entries, and nothing secret is ever
written to disk. Base URLs lose any userinfo, query and fragment before hashing because
proxies sometimes carry tokens there.

At temperature 0 the reply is (meant to be) deterministic, so every sample shares one
entry; at temperature > 0, `sample_index` is part of the key so the n samples of one
prompt stay n distinct replies, and sample i of a re-run gets sample i back.

Values are JSON text, not pickles: a cache directory may be shared, and unpickling a
file from it would run code.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import diskcache

from verifier.llm.base import Completion, Message
from verifier.paths import cache_dir

log = logging.getLogger(__name__)

KEY_VERSION = 1


def default_cache_dir() -> Path:
    return cache_dir() / "llm"


def public_url(url: str) -> str:
    """The URL without userinfo, query or fragment (where proxies put tokens)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def cache_key(
    *,
    provider: str,
    base_url: str,
    model: str,
    messages: Sequence[Message],
    temperature: float,
    max_tokens: int,
    sample_index: int,
    extra: Mapping[str, Any] | None = None,
) -> str:
    material: dict[str, Any] = {
        "v": KEY_VERSION,
        "provider": provider,
        "base_url": public_url(base_url),
        "model": model,
        "messages": [[m.role, m.content] for m in messages],
        "temperature": float(temperature),
        "max_tokens": int(max_tokens),
        "extra": dict(extra or {}),
    }
    if temperature > 0:
        material["sample_index"] = int(sample_index)
    text = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """A thread- and process-safe store (diskcache over SQLite) of completions by key."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._store = diskcache.Cache(str(self.directory))

    def get(self, key: str) -> Completion | None:
        text = self._store.get(key)
        if text is None:
            return None
        try:
            data = json.loads(text)
            return Completion(
                content=data["content"],
                model=data["model"],
                input_tokens=int(data.get("input_tokens", 0)),
                output_tokens=int(data.get("output_tokens", 0)),
                cached=True,
                raw=data.get("raw") or {},
                finish_reason=data.get("finish_reason"),
            )
        except (TypeError, ValueError, KeyError):
            log.warning("ignoring unreadable LLM cache entry %s in %s", key[:12], self.directory)
            return None

    def put(self, key: str, completion: Completion) -> None:
        data = {
            "content": completion.content,
            "model": completion.model,
            "input_tokens": completion.input_tokens,
            "output_tokens": completion.output_tokens,
            "finish_reason": completion.finish_reason,
            "raw": dict(completion.raw),
        }
        self._store.set(key, json.dumps(data, ensure_ascii=False))

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.close()
