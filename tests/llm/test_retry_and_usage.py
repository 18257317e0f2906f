"""Retry-After parsing, the policy knobs, and the usage meter."""

from __future__ import annotations

import email.utils
import threading

import pytest

from verifier.errors import LLMError
from verifier.llm import Completion, RetryPolicy, Usage, UsageMeter
from verifier.llm.retry import TransientError, parse_retry_after, run_with_retries, with_max_retries


def test_parse_retry_after_forms():
    assert parse_retry_after({"retry-after": "12"}) == 12.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "-3"}) == 0.0
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "soon"}) is None
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(30.0)


def test_backoff_grows_and_is_capped():
    waits: list[float] = []
    policy = RetryPolicy(
        max_retries=6, initial_backoff=1.0, max_backoff=8.0, jitter=0.0, sleep=waits.append
    )
    calls = 0

    def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls <= 6:
            raise TransientError("HTTP 503", status=503)
        return "ok"

    assert run_with_retries(flaky, policy, describe="t") == "ok"
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_jitter_spreads_waits():
    waits: list[float] = []
    policy = RetryPolicy(
        max_retries=30, initial_backoff=0.1, max_backoff=0.1, jitter=1.0, sleep=waits.append
    )
    with pytest.raises(TransientError):
        run_with_retries(lambda: (_ for _ in ()).throw(TransientError("x")), policy, describe="t")
    assert len(waits) == 30 and len(set(waits)) > 20
    assert all(0.1 <= w <= 1.1 for w in waits)


def test_non_transient_errors_pass_at_once():
    waits: list[float] = []

    def bad() -> None:
        raise LLMError("HTTP 400: no")

    with pytest.raises(LLMError, match="HTTP 400"):
        run_with_retries(bad, RetryPolicy(sleep=waits.append), describe="t")
    assert waits == []


def test_with_max_retries():
    assert with_max_retries(None, None) == RetryPolicy()
    assert with_max_retries(RetryPolicy(initial_backoff=0.5), 2) == RetryPolicy(
        initial_backoff=0.5, max_retries=2
    )
    with pytest.raises(LLMError):
        with_max_retries(None, -1)


def test_usage_meter_totals_and_reset():
    meter = UsageMeter()
    meter.record(Completion("a", "m", input_tokens=10, output_tokens=3, seconds=0.5), retries=2)
    meter.record(Completion("a", "m", input_tokens=10, output_tokens=3, cached=True))
    meter.record_retries(1)
    assert meter.totals == Usage(
        requests=1,
        cache_hits=1,
        retries=3,
        input_tokens=10,
        output_tokens=3,
        cached_input_tokens=10,
        cached_output_tokens=3,
        seconds=0.5,
    )
    assert meter.totals.total_tokens == 13
    assert meter.reset().requests == 1
    assert meter.totals == Usage()


def test_usage_meter_is_thread_safe():
    meter = UsageMeter()

    def work() -> None:
        for _ in range(2000):
            meter.record(Completion("x", "m", input_tokens=1, output_tokens=2))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert meter.totals.requests == 16000 and meter.totals.total_tokens == 48000


def test_usage_adds():
    assert Usage(requests=1, input_tokens=2) + Usage(requests=2, output_tokens=5) == Usage(
        requests=3, input_tokens=2, output_tokens=5
    )
