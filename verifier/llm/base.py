"""The one protocol every model provider speaks.

Providers are looked up by prefix in `verifier.llm.registry` ("openai:<model>",
"anthropic:<model>", "replay:<file.jsonl>"); callers never branch on the provider.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class Completion:
    """One model reply with its cost. `cached` replies cost no tokens of a new request."""

    content: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0
    cached: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict)
    # Why generation stopped, in the provider's words ("stop", "length", "end_turn",
    # "max_tokens", ...): "length"/"max_tokens" means the reply was cut off.
    finish_reason: str | None = None


@runtime_checkable
class LLM(Protocol):
    """A model provider.

    `instant` says replies come at once (a replay): the loop then does not start toolchain
    warm-ups meant to run during the model's latency, which would only compete with the
    first check, and `generate` refuses what a recording cannot serve in order.
    """

    name: str  # e.g. "openai:gpt-4o-mini", "replay:demo/max.jsonl"
    instant: bool

    def complete(
        self,
        messages: Sequence[Message],
        *,
        temperature: float = 0.0,
        max_tokens: int = 4096,
        sample_index: int = 0,
    ) -> Completion:
        """Return the model's reply; raise `LLMError` (with a clear message) on failure.

        `sample_index` distinguishes samples of the same prompt at temperature > 0 so the
        response cache never returns one sample for another.
        """
        ...
