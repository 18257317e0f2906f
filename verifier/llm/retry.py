"""Which failures of a model call deserve another try, and how long to wait before it.

Rate limits (429), request timeouts/conflicts (408, 409), server faults (5xx, including
Anthropic's 529 "overloaded"), read timeouts and dropped connections are transient; any
other 4xx means the request itself is wrong, and retrying it only burns quota. Waits
grow exponentially with jitter so parallel workers that failed together do not come
back together; a server's Retry-After wins, because the server knows its own limits.
The sleep function is part of the policy so tests run the real policy without waiting.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

import tenacity

from verifier.errors import LLMError

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 409, 429})


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or status >= 500


@dataclass(frozen=True)
class RetryPolicy:
    """`max_retries` extra attempts after the first; waits in seconds."""

    max_retries: int = 4
    initial_backoff: float = 1.0
    max_backoff: float = 30.0
    jitter: float = 1.0  # up to this many seconds added at random to each backoff
    max_retry_after: float = 120.0  # a longer Retry-After is cut to this
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")


class TransientError(Exception):
    """A failure worth retrying. Internal: callers see `LLMError` once retries run out."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: OpenAI's `retry-after-ms`, else `retry-after`
    as seconds or an HTTP date. None when absent or unreadable."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


class _Wait(tenacity.wait.wait_base):
    """Retry-After when the server gave one, else capped exponential backoff plus jitter.

    The jitter is added after the cap (tenacity's own exponential-jitter wait caps after
    adding it), so workers that all reached the cap still spread out.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        policy = self._policy
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, TransientError) and exc.retry_after is not None:
            return min(exc.retry_after, policy.max_retry_after)
        exponent = min(retry_state.attempt_number - 1, 62)
        backoff = min(policy.initial_backoff * 2.0**exponent, policy.max_backoff)
        return backoff + random.uniform(0.0, policy.jitter)


def _log_retry(describe: str) -> Callable[[tenacity.RetryCallState], None]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "%s: attempt %d failed (%s); retrying in %.2fs",
            describe,
            state.attempt_number,
            exc,
            wait,
        )

    return before_sleep


def run_with_retries(fn: Callable[[], T], policy: RetryPolicy, *, describe: str) -> T:
    """Call `fn` until it returns or raises something other than `TransientError`.

    When the attempts run out the last `TransientError` propagates; any other exception
    propagates at once.
    """
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.max_retries + 1),
        wait=_Wait(policy),
        retry=tenacity.retry_if_exception_type(TransientError),
        sleep=policy.sleep,
        before_sleep=_log_retry(describe),
        reraise=True,
    )
    return retrying(fn)


def with_max_retries(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """`max_retries` is the everyday knob; a full `RetryPolicy` is for tests and tuning."""
    policy = retry or RetryPolicy()
    if max_retries is not None:
        if max_retries < 0:
            raise LLMError(f"max_retries must be >= 0, not {max_retries}")
        policy = replace(policy, max_retries=int(max_retries))
    return policy
