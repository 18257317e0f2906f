"""The Anthropic Messages wire format."""

from __future__ import annotations

import anthropic
import pytest

from verifier.errors import LLMError
from verifier.llm import Message, get_llm

SECRET = "sk-test-SECRET-0123456789abcdefXYZ"


def test_request_is_a_real_messages_call(fake_anthropic, make_llm):
    llm = make_llm(fake_anthropic, model="claude-sonnet-4-5")
    llm.complete(
        [
            Message("system", "You write Dafny."),
            Message("system", "Be brief."),
            Message("user", "hi"),
        ],
        temperature=0.3,
        max_tokens=999,
    )
    req = fake_anthropic.requests[0]
    assert req.path == "/v1/messages"
    assert req.headers["x-api-key"] == SECRET
    assert req.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in req.headers
    assert req.body == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 999,
        "messages": [{"role": "user", "content": "hi"}],
        "temperature": 0.3,
        "system": "You write Dafny.\n\nBe brief.",
    }


def test_no_system_field_without_system_messages(fake_anthropic, make_llm):
    make_llm(fake_anthropic).complete([Message("user", "hi")])
    assert "system" not in fake_anthropic.requests[0].body


def test_base_url_with_v1_suffix_and_env(fake_anthropic, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_anthropic.root + "/v1")
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    with get_llm("anthropic:claude-x", cache=False, max_retries=0) as llm:
        assert llm.complete([Message("user", "a b c")]).input_tokens == 3
    assert fake_anthropic.requests[0].path == "/v1/messages"


def test_official_host_without_key_fails_fast(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    with pytest.raises(LLMError, match="ANTHROPIC_API_KEY"):
        get_llm("anthropic:claude-x")


def test_only_text_blocks_and_all_prompt_tokens(fake_anthropic, make_llm):
    fake_anthropic.push(
        200,
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5-20250929",
            "content": [
                {"type": "thinking", "thinking": "let me think", "signature": "abc"},
                {"type": "text", "text": "method Max"},
                {"type": "text", "text": "(a: int)"},
            ],
            "stop_reason": "max_tokens",
            "stop_sequence": None,
            "usage": {
                "input_tokens": 12,
                "cache_creation_input_tokens": 100,
                "cache_read_input_tokens": 1000,
                "output_tokens": 64,
            },
        },
    )
    out = make_llm(fake_anthropic).complete([Message("user", "x")])
    assert out.content == "method Max(a: int)"
    assert out.model == "claude-sonnet-4-5-20250929"
    assert (out.input_tokens, out.output_tokens) == (1112, 64)
    assert out.finish_reason == "max_tokens"
    assert out.raw["usage"]["cache_read_input_tokens"] == 1000


def test_only_system_messages_is_refused_locally(fake_anthropic, make_llm):
    with pytest.raises(LLMError, match="at least one user message"):
        make_llm(fake_anthropic).complete([Message("system", "x")])
    assert fake_anthropic.requests == []


def test_overloaded_529_then_success(fake_anthropic, make_llm, sleeps):
    fake_anthropic.push(
        529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    assert make_llm(fake_anthropic).complete([Message("user", "x")]).content == "reply 1"
    assert len(sleeps) == 1


def test_rate_limit_error_body_after_retries(fake_anthropic, make_llm, sleeps):
    for _ in range(4):
        fake_anthropic.push(
            429,
            {
                "type": "error",
                "error": {
                    "type": "rate_limit_error",
                    "message": "Number of request tokens has exceeded your per-minute rate limit",
                },
            },
            {"retry-after": "1"},
        )
    with pytest.raises(LLMError) as info:
        make_llm(fake_anthropic).complete([Message("user", "x")])
    assert "HTTP 429: rate_limit_error: Number of request tokens" in str(info.value)
    assert sleeps == [1.0, 1.0, 1.0]
    assert "parallel workers" in (info.value.hint or "")


def test_error_inside_a_200(fake_anthropic, make_llm):
    fake_anthropic.push(
        200, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    with pytest.raises(LLMError, match="overloaded_error: Overloaded"):
        make_llm(fake_anthropic).complete([Message("user", "x")])


def test_missing_version_header_is_what_the_server_would_say(fake_anthropic, make_llm):
    llm = make_llm(fake_anthropic)
    # the SDK client without its version header: what a wrong request looks like on the wire
    llm._client = llm._client.with_options(default_headers={"anthropic-version": anthropic.Omit()})
    with pytest.raises(LLMError, match="anthropic-version: header is required"):
        llm.complete([Message("user", "x")])
