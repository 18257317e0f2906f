"""Running token and request totals across every call a provider (or several) serves.

Budgets in the generate loop and cost columns in benchmarks read these totals, and
several workers share one provider, so the meter is a lock-guarded accumulator rather
than fields callers add up themselves. Cache hits are counted apart: they cost nothing
now, yet a budget that wants to reproduce an uncached run can still see them.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

from verifier.llm.base import Completion


@dataclass(frozen=True)
class Usage:
    """A snapshot of totals. `input_tokens`/`output_tokens` are fresh (billed) tokens only."""

    requests: int = 0  # replies the provider really produced (or replay served)
    cache_hits: int = 0  # replies served from the on-disk cache
    retries: int = 0  # extra HTTP attempts after 429 / 5xx / timeouts
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0  # tokens of the replies served from the cache
    cached_output_tokens: int = 0
    seconds: float = 0.0  # wall time spent waiting for fresh replies

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(
            **{
                f.name: getattr(self, f.name) + getattr(other, f.name)
                for f in dataclasses.fields(self)
            }
        )


class UsageMeter:
    """Thread-safe running totals; pass one meter to several providers to total a session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._usage = Usage()

    def record(self, completion: Completion, *, retries: int = 0) -> None:
        if completion.cached:
            delta = Usage(
                cache_hits=1,
                retries=retries,
                cached_input_tokens=completion.input_tokens,
                cached_output_tokens=completion.output_tokens,
            )
        else:
            delta = Usage(
                requests=1,
                retries=retries,
                input_tokens=completion.input_tokens,
                output_tokens=completion.output_tokens,
                seconds=completion.seconds,
            )
        with self._lock:
            self._usage = self._usage + delta

    def record_retries(self, retries: int) -> None:
        """Retries of a request that failed in the end still cost quota; count them."""
        if retries:
            with self._lock:
                self._usage = self._usage + Usage(retries=retries)

    @property
    def totals(self) -> Usage:
        with self._lock:
            return self._usage

    def reset(self) -> Usage:
        """Zero the totals and return what they were (e.g. per benchmark task)."""
        with self._lock:
            before, self._usage = self._usage, Usage()
            return before

    def __repr__(self) -> str:
        return f"UsageMeter({self.totals!r})"
