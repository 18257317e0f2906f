"""Behaviour both HTTP providers share, each against a loopback server of its wire format."""

from __future__ import annotations

import json
import time

import pytest

from verifier.errors import LLMError
from verifier.llm import Completion, Message, RetryPolicy

SECRET = "sk-test-SECRET-0123456789abcdefXYZ"
PROMPT = [Message("system", "You write Dafny."), Message("user", "prove max of a list")]


def _error_body(server, kind: str, message: str) -> dict:
    return server.error(kind, message)


def test_success_returns_text_usage_and_model(fake_api, make_llm):
    llm = make_llm(fake_api)
    out = llm.complete(PROMPT, max_tokens=100)
    assert isinstance(out, Completion)
    assert out.content == "reply 1"
    assert out.cached is False
    # word-count usage of the fake: "You write Dafny." (3) + "prove max of a list" (5)
    assert (out.input_tokens, out.output_tokens) == (8, 2)
    assert out.model.startswith("test-model")
    assert out.finish_reason in ("stop", "end_turn")
    assert out.seconds > 0
    assert llm.name == f"{fake_api.flavor}:test-model"
    totals = llm.usage.totals
    assert (totals.requests, totals.input_tokens, totals.output_tokens) == (1, 8, 2)
    assert totals.total_tokens == 10


def test_429_with_retry_after_is_honoured_then_succeeds(fake_api, make_llm, sleeps):
    body = _error_body(fake_api, "rate_limit_error", "Rate limit reached for requests")
    fake_api.push(429, body, {"retry-after": "7"})
    llm = make_llm(fake_api)
    out = llm.complete(PROMPT)
    assert out.content == "reply 1"
    assert sleeps == [7.0]  # the server's wait, not the policy's 0.01 s backoff
    assert len(fake_api.requests) == 2
    assert llm.usage.totals.retries == 1


def test_retry_after_really_waits(fake_api, make_llm):
    fake_api.push(
        429, _error_body(fake_api, "rate_limit_error", "slow down"), {"retry-after-ms": "150"}
    )
    llm = make_llm(fake_api, retry=RetryPolicy(max_retries=2, initial_backoff=0.0, jitter=0.0))
    start = time.monotonic()
    assert llm.complete(PROMPT).content == "reply 1"
    assert time.monotonic() - start >= 0.15


def test_retry_after_is_capped(fake_api, make_llm, sleeps):
    fake_api.push(429, _error_body(fake_api, "rate_limit_error", "later"), {"retry-after": "3600"})
    policy = RetryPolicy(max_retries=1, max_retry_after=2.5, sleep=sleeps.append)
    assert make_llm(fake_api, retry=policy).complete(PROMPT).content == "reply 1"
    assert sleeps == [2.5]


@pytest.mark.parametrize("status", [500, 502, 503, 529])
def test_5xx_then_success_with_exponential_backoff(fake_api, make_llm, sleeps, status):
    for _ in range(2):
        fake_api.push(status, _error_body(fake_api, "overloaded_error", "Overloaded"))
    out = make_llm(fake_api).complete(PROMPT)
    assert out.content == "reply 1"
    assert len(sleeps) == 2
    assert all(0 < s <= 0.06 for s in sleeps)  # backoff cap 0.05 + jitter 0.01


def test_5xx_forever_gives_up_with_the_servers_message(fake_api, make_llm, sleeps):
    for _ in range(10):
        fake_api.push(500, _error_body(fake_api, "api_error", "Internal server error"))
    llm = make_llm(fake_api)
    with pytest.raises(LLMError) as info:
        llm.complete(PROMPT)
    msg = str(info.value)
    assert "HTTP 500" in msg and "Internal server error" in msg
    assert "gave up after 4 attempts" in msg
    assert len(fake_api.requests) == 4 and len(sleeps) == 3
    assert llm.usage.totals.retries == 3 and llm.usage.totals.requests == 0


def test_max_retries_option_overrides_policy(fake_api, make_llm):
    for _ in range(5):
        fake_api.push(503, _error_body(fake_api, "api_error", "unavailable"))
    with pytest.raises(LLMError, match="gave up after 2 attempts"):
        make_llm(fake_api, max_retries=1).complete(PROMPT)
    assert len(fake_api.requests) == 2


def test_400_is_not_retried_and_carries_the_message(fake_api, make_llm, sleeps):
    fake_api.push(
        400,
        _error_body(fake_api, "invalid_request_error", "max_tokens: 999999 > 8192, the maximum"),
    )
    with pytest.raises(LLMError) as info:
        make_llm(fake_api).complete(PROMPT)
    assert "HTTP 400" in str(info.value)
    assert "invalid_request_error: max_tokens: 999999 > 8192" in str(info.value)
    assert len(fake_api.requests) == 1 and sleeps == []


def test_401_wrong_key_message_never_shows_the_key(fake_api, make_llm, sleeps):
    wrong = "sk-wrong-KEY-abcdefghijklmnop9876"
    with pytest.raises(LLMError) as info:
        make_llm(fake_api, api_key=wrong).complete(PROMPT)
    err = info.value
    assert "HTTP 401" in str(err)
    assert ("invalid x-api-key" in str(err)) or ("Incorrect API key provided" in str(err))
    assert "wrong-KEY" not in str(err) and "9876" not in str(err)
    assert wrong not in repr(err) and err.hint and "API key" in err.hint
    assert sleeps == []


def test_missing_key_reaches_server_as_401(fake_api, make_llm):
    with pytest.raises(LLMError, match="HTTP 401"):
        make_llm(fake_api, api_key="").complete(PROMPT)
    assert "authorization" not in fake_api.requests[0].headers
    assert "x-api-key" not in fake_api.requests[0].headers


def test_timeout_is_retried_then_reported(fake_api, make_llm, sleeps):
    fake_api.push(delay=1.0)
    fake_api.push(delay=1.0)
    llm = make_llm(fake_api, timeout=0.2, max_retries=1)
    start = time.monotonic()
    with pytest.raises(LLMError) as info:
        llm.complete(PROMPT)
    assert time.monotonic() - start < 1.5
    assert "within 0.2s" in str(info.value) and "gave up after 2 attempts" in str(info.value)
    assert len(sleeps) == 1


def test_timeout_then_success(fake_api, make_llm):
    fake_api.push(delay=1.0)
    out = make_llm(fake_api, timeout=0.2).complete(PROMPT)
    assert out.content.startswith("reply")


def test_connection_refused_is_retried_then_reported(fake_api, make_llm, sleeps):
    fake_api.close()
    with pytest.raises(LLMError) as info:
        make_llm(fake_api, max_retries=2).complete(PROMPT)
    assert "cannot reach" in str(info.value) and "gave up after 3 attempts" in str(info.value)
    assert info.value.hint and "running" in info.value.hint
    assert len(sleeps) == 2


def test_malformed_json_reply(fake_api, make_llm, sleeps):
    fake_api.push(200, b"<html><body>Proxy login required</body></html>")
    with pytest.raises(LLMError) as info:
        make_llm(fake_api).complete(PROMPT)
    assert "malformed JSON" in str(info.value) and "Proxy login" in str(info.value)
    assert sleeps == []


def test_json_of_the_wrong_shape(fake_api, make_llm):
    fake_api.push(200, {"unexpected": True})
    with pytest.raises(LLMError, match="unexpected reply shape"):
        make_llm(fake_api).complete(PROMPT)


def test_html_5xx_body_is_summarised(fake_api, make_llm):
    for _ in range(4):
        fake_api.push(502, b"<html>Bad Gateway</html>")
    with pytest.raises(LLMError, match=r"HTTP 502: <html>Bad Gateway</html>"):
        make_llm(fake_api).complete(PROMPT)


def test_x_should_retry_false_stops_retries(fake_api, make_llm, sleeps):
    fake_api.push(
        503, _error_body(fake_api, "api_error", "do not retry"), {"x-should-retry": "false"}
    )
    with pytest.raises(LLMError, match="do not retry"):
        make_llm(fake_api).complete(PROMPT)
    assert sleeps == []


def test_empty_messages_and_bad_roles_are_refused_locally(fake_api, make_llm):
    llm = make_llm(fake_api)
    with pytest.raises(LLMError, match="no messages"):
        llm.complete([])
    with pytest.raises(LLMError, match="unknown message role"):
        llm.complete([Message("tool", "x")])  # type: ignore[arg-type]
    assert fake_api.requests == []


def test_shared_provider_across_threads_counts_every_call(fake_api, make_llm):
    from concurrent.futures import ThreadPoolExecutor

    llm = make_llm(fake_api)
    with ThreadPoolExecutor(8) as pool:
        outs = list(pool.map(lambda i: llm.complete(PROMPT, sample_index=i), range(24)))
    assert sorted(int(o.content.split()[1]) for o in outs) == list(range(1, 25))
    totals = llm.usage.totals
    assert totals.requests == 24 and totals.input_tokens == 24 * 8 and totals.output_tokens == 48


def test_repr_hides_key(fake_api, make_llm):
    llm = make_llm(fake_api)
    assert SECRET not in repr(llm) and SECRET not in str(vars(llm).get("name"))
    json.dumps(llm.name)
