"""`openai:<model>` — any OpenAI-compatible chat-completions endpoint.

One wire format serves OpenAI itself and the local servers people run models with
(vLLM, Ollama, llama.cpp's server, a LiteLLM proxy), so the base URL is the only thing
that changes: option `base_url`, else `OPENAI_BASE_URL`, else OpenAI. The key (option
`api_key`, else `OPENAI_API_KEY`) is optional because local servers usually take none;
only OpenAI's own endpoint insists on one up front.

The request goes through the official `openai` SDK (`chat.completions.create`):
POST {base_url}/chat/completions with {"model", "messages", "temperature",
"max_tokens"}; reply: choices[0].message.content and usage.prompt_tokens /
completion_tokens. Newer OpenAI reasoning models refuse `max_tokens` and want
`max_completion_tokens`: option `max_tokens_param` picks the field name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openai

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

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_MAX_TOKENS_PARAMS = ("max_tokens", "max_completion_tokens")


class OpenAIChat(HTTPProvider):
    provider = "openai"
    key_env = "OPENAI_API_KEY"
    sdk_errors = SDKErrors(openai.APITimeoutError, openai.APIConnectionError, openai.APIStatusError)

    def __init__(self, model: str, *, max_tokens_param: str = "max_tokens", **kwargs: Any) -> None:
        if max_tokens_param not in _MAX_TOKENS_PARAMS:
            raise LLMError(
                f"max_tokens_param must be one of {_MAX_TOKENS_PARAMS}, not {max_tokens_param!r}"
            )
        self.max_tokens_param = max_tokens_param
        super().__init__(model, **kwargs)

    def _make_client(self) -> openai.OpenAI:
        # Local servers take no key, but the SDK refuses to start without one (and None
        # would make it read OPENAI_API_KEY behind the caller's back): with no key it gets
        # a placeholder and `_send` omits the Authorization header from every request.
        return openai.OpenAI(
            api_key=self._api_key or "no-key",
            base_url=self.base_url,
            timeout=openai.Timeout(self.timeout, connect=min(self.timeout, 30.0)),
            max_retries=0,  # ours: see http_provider
        )

    def _endpoint(self) -> str:
        return f"{self.base_url}/chat/completions"

    def _send(self, payload: Mapping[str, Any]) -> HTTPReply:
        headers: dict[str, Any] = {} if self._api_key else {"Authorization": openai.Omit()}
        raw = self._client.chat.completions.with_raw_response.create(
            **payload, extra_headers=headers
        )
        return raw.http_response

    def _payload(
        self, messages: tuple[Message, ...], temperature: float, max_tokens: int
    ) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": temperature,
            self.max_tokens_param: max_tokens,
            "stream": False,
        }

    def _key_extra(self) -> Mapping[str, Any]:
        return {"max_tokens_param": self.max_tokens_param}

    def _parse(self, body: Mapping[str, Any]) -> Completion:
        choices = body.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
            raise self._malformed("no 'choices' list")
        message = choices[0].get("message")
        if not isinstance(message, Mapping):
            raise self._malformed("choices[0] has no 'message' object")
        content = message.get("content")
        if content is None:
            # A refusal or a tool call carries no text; the refusal is still the model's
            # answer, and the loop treats any unusable answer as a failed attempt.
            content = message.get("refusal") or ""
        if not isinstance(content, str):
            raise self._malformed("choices[0].message.content is not a string")
        usage = body.get("usage") if isinstance(body.get("usage"), Mapping) else {}
        model = body.get("model")
        return Completion(
            content=content,
            model=model if isinstance(model, str) and model else self.model,
            input_tokens=int_or_zero(usage.get("prompt_tokens")),
            output_tokens=int_or_zero(usage.get("completion_tokens")),
            raw=body,
            finish_reason=choices[0].get("finish_reason"),
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
    max_tokens_param: str = "max_tokens",
) -> OpenAIChat:
    """Factory registered under "openai"."""
    base, key = resolve_endpoint(
        f"openai:{model}",
        base_url=base_url,
        api_key=api_key,
        base_env="OPENAI_BASE_URL",
        key_env="OPENAI_API_KEY",
        default_base=DEFAULT_BASE_URL,
        key_hint="set OPENAI_API_KEY (or pass api_key); for a local server set OPENAI_BASE_URL",
    )
    return OpenAIChat(
        model,
        max_tokens_param=max_tokens_param,
        base_url=base,
        api_key=key,
        timeout=timeout,
        retry=with_max_retries(retry, max_retries),
        cache=cache,
        cache_dir=cache_dir,
        meter=meter,
    )
