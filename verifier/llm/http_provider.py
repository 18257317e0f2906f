"""What the HTTP providers share: one SDK client, retries, the cache, usage, safe errors.

The wire itself (URL, auth and version headers, timeouts, HTTP errors as typed
exceptions) is the official `openai` / `anthropic` SDK's; each provider only says which
SDK call to make and how to read a reply. The order of cache lookup → call with retries →
parse → record usage → store lives here once, so both providers fail, retry and count
alike.

Retries stay ours (the SDK clients run with `max_retries=0`): `RetryPolicy` caps a
server's Retry-After instead of ignoring long ones, spreads parallel workers with jitter
after the cap, counts retries into the usage meter, and takes an injectable sleep so the
tests run the real policy against real servers without waiting. The SDKs' own retry
loop offers none of these as public options.

Replies are decoded from the raw HTTP body rather than the SDKs' typed models because
OpenAI-compatible servers (vLLM, Ollama, llama.cpp) deviate from the schema in small
ways, and a malformed reply must become an `LLMError` that says what was wrong.

Secrets: the API key lives only in request headers. It is never part of a cache key, a
log line, an exception message or a repr; error text that comes back from a server is
scrubbed of the key (and of anything shaped like one) before anyone sees it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, Protocol
from urllib.parse import urlsplit

from verifier.errors import LLMError, LLMUnreachable
from verifier.llm.base import Completion, Message
from verifier.llm.cache import ResponseCache, cache_key, public_url
from verifier.llm.retry import (
    RetryPolicy,
    TransientError,
    is_retryable_status,
    parse_retry_after,
    run_with_retries,
)
from verifier.llm.usage import UsageMeter

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300.0  # seconds per HTTP read; long proofs from slow models take minutes
_ROLES = frozenset({"system", "user", "assistant"})
_KEY_SHAPED = re.compile(r"\b(sk-[A-Za-z0-9_\-]{2})[A-Za-z0-9_\-*]{6,}")
_SNIPPET = 300


def resolve_endpoint(
    spec: str,
    *,
    base_url: str | None,
    api_key: str | None,
    base_env: str,
    key_env: str,
    default_base: str,
    key_hint: str,
) -> tuple[str, str | None]:
    """Base URL and key from the options, else the environment. A missing key is an error
    only for the provider's own host: local compatible servers usually take none."""
    base = base_url or os.environ.get(base_env) or default_base
    key = api_key if api_key is not None else os.environ.get(key_env)
    if not key and urlsplit(base).hostname == urlsplit(default_base).hostname:
        raise LLMError(f"{spec}: no API key for {base}", hint=key_hint)
    return base, key


def redact(text: str, secret: str | None) -> str:
    """Remove the key, and anything that looks like one (servers echo masked keys)."""
    if secret:
        text = text.replace(secret, "***")
    return _KEY_SHAPED.sub(r"\1***", text)


class HTTPReply(Protocol):
    """The parts of an SDK's raw HTTP response read here (the SDKs bundle their own httpx)."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def text(self) -> str: ...

    @property
    def reason_phrase(self) -> str: ...

    def json(self) -> Any: ...


class SDKErrors(NamedTuple):
    """One SDK's exception classes for: no reply in time, no connection, an HTTP error.

    The timeout class is a subclass of the connection one in both SDKs: test it first.
    """

    timeout: type[Exception]
    connection: type[Exception]
    status: type[Exception]


def error_text(response: HTTPReply) -> str:
    """The provider's own words for an HTTP error, from whichever body shape it uses.

    OpenAI, Anthropic, llama.cpp and LiteLLM nest `{"error": {"type", "message"}}`;
    Ollama may send `{"error": "text"}`; vLLM sends `{"message": "text", "type": ...}`.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, Mapping):
        err = body.get("error")
        if isinstance(err, Mapping):
            message = err.get("message")
            kind = err.get("type") or err.get("code")
            if isinstance(message, str) and message:
                return f"{kind}: {message}" if isinstance(kind, str) and kind else message
        if isinstance(err, str) and err:
            return err
        message = body.get("message") or body.get("detail")
        if isinstance(message, str) and message:
            kind = body.get("type")
            return f"{kind}: {message}" if isinstance(kind, str) and kind else message
    text = response.text.strip()
    if not text:
        return response.reason_phrase or "no body"
    return text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else "")


def as_messages(messages: Sequence[Message]) -> tuple[Message, ...]:
    out = tuple(messages)
    if not out:
        raise LLMError("no messages to send to the model")
    for m in out:
        if m.role not in _ROLES:
            raise LLMError(f"unknown message role {m.role!r}; expected one of {sorted(_ROLES)}")
        if not isinstance(m.content, str):
            raise LLMError(f"message content must be a string, got {type(m.content).__name__}")
    return out


class HTTPProvider(ABC):
    """Base of the HTTP providers; subclasses fill in the wire format."""

    provider: ClassVar[str]
    key_env: ClassVar[str]  # where the key comes from, for hints
    instant: bool = False  # a live model: replies take their time

    def __init__(
        self,
        model: str,
        *,
        base_url: str,
        api_key: str | None,
        timeout: float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        cache: bool = True,
        cache_dir: Path | str | None = None,
        meter: UsageMeter | None = None,
    ) -> None:
        if not model:
            raise LLMError(
                f"{self.provider}: no model given", hint=f"use '{self.provider}:<model>'"
            )
        self.model = model
        self.name = f"{self.provider}:{model}"
        self.base_url = base_url.rstrip("/")
        self.timeout = float(timeout) if timeout is not None else DEFAULT_TIMEOUT
        self.retry = retry or RetryPolicy()
        self.usage = meter or UsageMeter()
        self._api_key = api_key or None
        self._cache = ResponseCache(cache_dir) if cache else None
        self._client = self._make_client()

    # --- what a wire format defines -------------------------------------------------
    sdk_errors: ClassVar[SDKErrors]

    @abstractmethod
    def _make_client(self) -> Any:
        """The SDK client for base_url/key/timeout, with the SDK's own retries off."""

    @abstractmethod
    def _endpoint(self) -> str:
        """The URL the SDK posts to, for messages (never sent anywhere)."""

    @abstractmethod
    def _send(self, payload: Mapping[str, Any]) -> HTTPReply:
        """One SDK call with this payload; the raw HTTP response of a 2xx reply."""

    @abstractmethod
    def _payload(
        self, messages: tuple[Message, ...], temperature: float, max_tokens: int
    ) -> dict[str, Any]:
        """The request body for these messages and sampling settings."""

    @abstractmethod
    def _parse(self, body: Mapping[str, Any]) -> Completion:
        """The reply text, token counts and finish reason from a success body."""

    def _key_extra(self) -> Mapping[str, Any]:
        """Request settings beyond the common ones that change the reply (cache key part)."""
        return {}

    # --- the shared path --------------------------------------------------------------
    def complete(
        self,
        messages: Sequence[Message],
        *,
        temperature: float = 0.0,
        max_tokens: int = 4096,
        sample_index: int = 0,
    ) -> Completion:
        msgs = as_messages(messages)
        key = None
        if self._cache is not None:
            key = cache_key(
                provider=self.provider,
                base_url=self.base_url,
                model=self.model,
                messages=msgs,
                temperature=temperature,
                max_tokens=max_tokens,
                sample_index=sample_index,
                extra=self._key_extra(),
            )
            hit = self._cache.get(key)
            if hit is not None:
                log.debug("%s: cache hit %s", self.name, key[:12])
                self.usage.record(hit)
                return hit

        url = self._endpoint()
        payload = self._payload(msgs, temperature, max_tokens)
        attempts = 0

        def attempt() -> Mapping[str, Any]:
            nonlocal attempts
            attempts += 1
            return self._post_once(url, payload)

        start = time.monotonic()
        try:
            body = run_with_retries(attempt, self.retry, describe=self.name)
        except TransientError as exc:
            self.usage.record_retries(attempts - 1)
            # no HTTP status at all: the provider was never reached
            raise (LLMUnreachable if exc.status is None else LLMError)(
                f"{self.name}: {exc.message} (gave up after {attempts} attempt"
                f"{'s' if attempts != 1 else ''})",
                hint=self._hint(exc.status),
            ) from None
        except LLMError:
            self.usage.record_retries(attempts - 1)
            raise
        completion = replace(self._parse(body), seconds=time.monotonic() - start)
        if key is not None and self._cache is not None:
            self._cache.put(key, completion)
        self.usage.record(completion, retries=attempts - 1)
        return completion

    def _post_once(self, url: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        errors = self.sdk_errors
        try:
            response = self._send(payload)
        except errors.timeout:
            raise TransientError(
                f"no reply from {public_url(url)} within {self.timeout:g}s"
            ) from None
        except errors.connection as exc:
            cause = exc.__cause__ or exc
            detail = redact(str(cause), self._api_key) or type(cause).__name__
            raise TransientError(f"cannot reach {public_url(url)}: {detail}") from None
        except errors.status as exc:
            raise self._status_failure(exc.response) from None  # type: ignore[attr-defined]
        return self._decode(url, response)

    def _status_failure(self, response: HTTPReply) -> Exception:
        """A transient or final error for an HTTP error reply, honouring x-should-retry."""
        status = response.status_code
        message = f"HTTP {status}: {redact(error_text(response), self._api_key)}"
        should_retry = response.headers.get("x-should-retry")
        retryable = (
            should_retry == "true"
            if should_retry in ("true", "false")
            else is_retryable_status(status)
        )
        if retryable:
            return TransientError(
                message, status=status, retry_after=parse_retry_after(response.headers)
            )
        return LLMError(f"{self.name}: {message}", hint=self._hint(status))

    def _decode(self, url: str, response: HTTPReply) -> Mapping[str, Any]:
        try:
            body = json.loads(response.content)
        except ValueError:
            snippet = redact(response.text.strip()[:_SNIPPET], self._api_key)
            raise LLMError(
                f"{self.name}: malformed JSON in the reply from {public_url(url)}: {snippet!r}",
                hint="is the base URL an API endpoint (not a web page or a proxy login)?",
            ) from None
        if not isinstance(body, Mapping):
            raise LLMError(f"{self.name}: expected a JSON object from {public_url(url)}")
        return body

    def _hint(self, status: int | None) -> str | None:
        if status in (401, 403):
            return f"check the API key ({self.key_env} or the api_key option)"
        if status == 404:
            return (
                f"check the model name {self.model!r} and the base URL {public_url(self.base_url)}"
            )
        if status is None:
            return f"is the server at {public_url(self.base_url)} running and reachable?"
        if status == 429:
            return "rate limited: lower the number of parallel workers or raise max_retries"
        return None

    def _malformed(self, what: str) -> LLMError:
        return LLMError(f"{self.name}: unexpected reply shape: {what}")

    # --- lifecycle --------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()
        if self._cache is not None:
            self._cache.close()

    def __enter__(self) -> HTTPProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, base_url={public_url(self.base_url)!r})"


def int_or_zero(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
