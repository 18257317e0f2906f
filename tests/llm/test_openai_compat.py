"""The OpenAI chat-completions wire format, as OpenAI and the local servers speak it."""

from __future__ import annotations

import pytest

from verifier.errors import LLMError
from verifier.llm import Message, get_llm

SECRET = "sk-test-SECRET-0123456789abcdefXYZ"


def test_request_is_a_real_chat_completions_call(fake_openai, make_llm):
    llm = make_llm(fake_openai, model="gpt-4o-mini")
    llm.complete(
        [
            Message("system", "sys"),
            Message("user", "hi"),
            Message("assistant", "yo"),
            Message("user", "again"),
        ],
        temperature=0.7,
        max_tokens=321,
        sample_index=3,
    )
    req = fake_openai.requests[0]
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {SECRET}"
    assert req.headers["content-type"] == "application/json"
    assert req.body == {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "yo"},
            {"role": "user", "content": "again"},
        ],
        "temperature": 0.7,
        "max_tokens": 321,
        "stream": False,
    }


def test_max_completion_tokens_for_reasoning_models(fake_openai, make_llm):
    make_llm(fake_openai, max_tokens_param="max_completion_tokens").complete(
        [Message("user", "x")], max_tokens=55
    )
    body = fake_openai.requests[0].body
    assert body["max_completion_tokens"] == 55 and "max_tokens" not in body
    with pytest.raises(LLMError, match="max_tokens_param"):
        make_llm(fake_openai, max_tokens_param="tokens")


def test_base_url_and_key_from_environment(fake_openai, monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url + "/")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with get_llm("openai:local-model", cache=False, max_retries=0) as llm:
        assert llm.complete([Message("user", "hello there")]).content == "reply 1"
    assert fake_openai.requests[0].headers["authorization"] == f"Bearer {SECRET}"


def test_local_server_needs_no_key(monkeypatch):
    from verifier.llm.openai_compat import OpenAIChat

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm = get_llm("openai:qwen2.5-coder", base_url="http://127.0.0.1:11434/v1", cache=False)
    assert isinstance(llm, OpenAIChat)
    llm.close()


def test_openai_itself_without_key_fails_fast(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(LLMError) as info:
        get_llm("openai:gpt-4o-mini")
    assert "OPENAI_API_KEY" in str(info.value)


@pytest.mark.parametrize(
    "body, expected",
    [
        # vLLM's ErrorResponse
        (
            {
                "object": "error",
                "message": "The model `x` does not exist.",
                "type": "NotFoundError",
                "param": None,
                "code": 404,
            },
            "NotFoundError: The model `x` does not exist.",
        ),
        # Ollama's native error shape
        ({"error": 'model "llama9" not found, try pulling it first'}, 'model "llama9" not found'),
        # llama.cpp server
        (
            {
                "error": {
                    "code": 400,
                    "message": "the request exceeds the available context size",
                    "type": "exceed_context_size_error",
                }
            },
            "exceed_context_size_error: the request exceeds",
        ),
    ],
)
def test_error_shapes_of_compatible_servers(fake_openai, make_llm, body, expected):
    fake_openai.push(404 if body.get("code") == 404 else 400, body)
    with pytest.raises(LLMError) as info:
        make_llm(fake_openai).complete([Message("user", "x")])
    assert expected in str(info.value)


def test_unknown_path_is_a_404_with_a_hint(fake_openai, make_llm):
    llm = make_llm(fake_openai, base_url=fake_openai.root)  # forgot the /v1
    with pytest.raises(LLMError) as info:
        llm.complete([Message("user", "x")])
    assert "Unknown request URL: POST /chat/completions" in str(info.value)
    assert "base URL" in (info.value.hint or "")


def test_refusal_and_length_finish(fake_openai, make_llm):
    fake_openai.push(
        200,
        {
            "id": "c1",
            "object": "chat.completion",
            "model": "gpt-4o",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": None, "refusal": "I can't help."},
                    "finish_reason": "stop",
                }
            ],
        },
    )
    fake_openai.push(
        200,
        {
            "id": "c2",
            "object": "chat.completion",
            "model": "gpt-4o",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "method M("},
                    "finish_reason": "length",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 4096, "total_tokens": 4106},
        },
    )
    llm = make_llm(fake_openai)
    refused = llm.complete([Message("user", "x")])
    assert refused.content == "I can't help." and refused.input_tokens == 0  # no usage block
    cut = llm.complete([Message("user", "x")])
    assert cut.finish_reason == "length" and cut.output_tokens == 4096


def test_masked_key_echoed_by_server_is_scrubbed(fake_openai, make_llm):
    fake_openai.push(
        401,
        {
            "error": {
                "message": f"Incorrect API key provided: {SECRET}.",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
        },
    )
    with pytest.raises(LLMError) as info:
        make_llm(fake_openai).complete([Message("user", "x")])
    assert SECRET not in str(info.value) and "Incorrect API key provided: ***." in str(info.value)
