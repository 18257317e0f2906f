"""`anthropic:<model>` — Anthropic's Messages API, through the official `anthropic` SDK.

Differences from chat completions that matter here: the key goes in `x-api-key`, every
request names an `anthropic-version`, the system prompt is a top-level `system` field
(the API rejects a "system" role inside `messages`), `max_tokens` is mandatory, and the
reply is a list of content blocks of which only the "text" ones are the answer.

Base URL: option `base_url`, else `ANTHROPIC_BASE_URL`, else https://api.anthropic.com
(without `/v1`, as the official SDK has it; a trailing `/v1` is accepted too). Key:
option `api_key`, else `ANTHROPIC_API_KEY`; required for Anthropic's own host.

`input_tokens` on the Completion counts every prompt token the request read, including
the prompt-cache reads and writes Anthropic reports apart; the raw usage stays in `raw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anthropic

from verifier.errors import LLMError
from verifier.llm.base import Completion, Message
from verifier.llm.http_provider import (
    DEFAULT_TIMEOUT,
    HTTPProvider,
    HTTPReply,
    SDKErrors,
    int_or_zero,
    resolve_endpoint,
)
from verifier.llm.retry import RetryPolicy, with_max_retries
from verifier.llm.usage import UsageMeter

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


class AnthropicMessages(HTTPProvider):
    provider = "anthropic"
    key_env = "ANTHROPIC_API_KEY"
    sdk_errors = SDKErrors(
        anthropic.APITimeoutError, anthropic.APIConnectionError, anthropic.APIStatusError
    )

    def __init__(self, model: str, *, api_version: str = API_VERSION, **kwargs: Any) -> None:
        self.api_version = api_version
        super().__init__(model, **kwargs)

    def _root(self) -> str:
        """The SDK appends /v1/messages itself; a base URL given with /v1 loses it."""
        return self.base_url.removesuffix("/v1")

    def _make_client(self) -> anthropic.Anthropic:
        # The key goes in x-api-key as the Messages API documents it; Authorization is
        # omitted so the SDK sends no Bearer token, neither ours nor one it would pick up
        # from ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN behind the caller's back.
        headers: dict[str, Any] = {
            "anthropic-version": self.api_version,
            "Authorization": anthropic.Omit(),
        }
        if self._api_key:
            headers["x-api-key"] = self._api_key
        return anthropic.Anthropic(
            api_key=None,
            base_url=self._root(),
            timeout=anthropic.Timeout(self.timeout, connect=min(self.timeout, 30.0)),
            max_retries=0,  # ours: see http_provider
            default_headers=headers,
        )

    def _endpoint(self) -> str:
        return f"{self._root()}/v1/messages"

    def _send(self, payload: Mapping[str, Any]) -> HTTPReply:
        # temperature goes as a body field: the SDK's typed signature no longer lists it,
        # but the API version we name (2023-06-01 by default) accepts it.
        fields = dict(payload)
        extra = {"temperature": fields.pop("temperature")}
        raw = self._client.messages.with_raw_response.create(**fields, extra_body=extra)
        return raw.http_response

    def _payload(
        self, messages: tuple[Message, ...], temperature: float, max_tokens: int
    ) -> dict[str, Any]:
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        turns = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
        if not turns:
            raise LLMError(f"{self.name}: the Messages API needs at least one user message")
        payload: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "messages": turns,
            "temperature": temperature,
        }
        if system:
            payload["system"] = system
        return payload

    def _key_extra(self) -> Mapping[str, Any]:
        return {"anthropic_version": self.api_version}

    def _parse(self, body: Mapping[str, Any]) -> Completion:
        if body.get("type") == "error":
            # Anthropic can report an error inside a 200 (e.g. overloaded mid-request).
            err = body.get("error") if isinstance(body.get("error"), Mapping) else {}
            raise LLMError(f"{self.name}: {err.get('type', 'error')}: {err.get('message', '')}")
        blocks = body.get("content")
        if not isinstance(blocks, list):
            raise self._malformed("no 'content' list")
        texts = [
            b["text"]
            for b in blocks
            if isinstance(b, Mapping) and b.get("type") == "text" and isinstance(b.get("text"), str)
        ]
        usage = body.get("usage") if isinstance(body.get("usage"), Mapping) else {}
        model = body.get("model")
        return Completion(
            content="".join(texts),
            model=model if isinstance(model, str) and model else self.model,
            input_tokens=int_or_zero(usage.get("input_tokens"))
            + int_or_zero(usage.get("cache_creation_input_tokens"))
            + int_or_zero(usage.get("cache_read_input_tokens")),
            output_tokens=int_or_zero(usage.get("output_tokens")),
            raw=body,
            finish_reason=body.get("stop_reason"),
        )


def create(
    model: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_retries: int | None = None,
    retry: RetryPolicy | None = None,
    cache: bool = True,
    cache_dir: Path | str | None = None,
    meter: UsageMeter | None = None,
    api_version: str = API_VERSION,
) -> AnthropicMessages:
    """Factory registered under "anthropic"."""
    base, key = resolve_endpoint(
        f"anthropic:{model}",
        base_url=base_url,
        api_key=api_key,
        base_env="ANTHROPIC_BASE_URL",
        key_env="ANTHROPIC_API_KEY",
        default_base=DEFAULT_BASE_URL,
        key_hint="set ANTHROPIC_API_KEY (or pass api_key)",
    )
    return AnthropicMessages(
        model,
        api_version=api_version,
        base_url=base,
        api_key=key,
        timeout=timeout,
        retry=with_max_retries(retry, max_retries),
        cache=cache,
        cache_dir=cache_dir,
        meter=meter,
    )
