"""The on-disk response cache: what makes a hit, what never goes into a key."""

from __future__ import annotations

import os
from pathlib import Path

from verifier.llm import Message, ResponseCache, cache_key, get_llm
from verifier.llm.cache import public_url

PROMPT = [Message("system", "s"), Message("user", "prove it")]


def test_temperature_zero_hits_whatever_the_sample_index(fake_api, make_llm):
    llm = make_llm(fake_api, cache=True)
    first = llm.complete(PROMPT, sample_index=0)
    again = llm.complete(PROMPT, sample_index=5)
    assert first.cached is False and again.cached is True
    assert again.content == first.content == "reply 1"
    assert (again.input_tokens, again.output_tokens) == (first.input_tokens, first.output_tokens)
    assert again.finish_reason == first.finish_reason
    assert len(fake_api.requests) == 1
    totals = llm.usage.totals
    assert (totals.requests, totals.cache_hits) == (1, 1)
    assert totals.input_tokens == first.input_tokens
    assert totals.cached_input_tokens == first.input_tokens


def test_sampling_keys_on_the_sample_index(fake_api, make_llm):
    llm = make_llm(fake_api, cache=True)
    s0 = llm.complete(PROMPT, temperature=0.8, sample_index=0)
    s1 = llm.complete(PROMPT, temperature=0.8, sample_index=1)
    assert (s0.content, s1.content) == ("reply 1", "reply 2")
    assert not s0.cached and not s1.cached
    again1 = llm.complete(PROMPT, temperature=0.8, sample_index=1)
    again0 = llm.complete(PROMPT, temperature=0.8, sample_index=0)
    assert again1.cached and again1.content == "reply 2"
    assert again0.cached and again0.content == "reply 1"
    assert len(fake_api.requests) == 2


def test_everything_that_changes_the_reply_changes_the_key(fake_api, make_llm):
    llm = make_llm(fake_api, cache=True)
    llm.complete(PROMPT)
    llm.complete(PROMPT, max_tokens=10)
    llm.complete(PROMPT, temperature=0.5)
    llm.complete([*PROMPT, Message("assistant", "a"), Message("user", "b")])
    make_llm(fake_api, model="other-model", cache=True).complete(PROMPT)
    assert len(fake_api.requests) == 5


def test_entries_survive_the_provider_and_ignore_the_key(fake_api, make_llm, tmp_path):
    fake_api.api_key = None  # server accepts any key
    make_llm(fake_api, cache=True, api_key="sk-first-key-1111111111").complete(PROMPT)
    other = make_llm(fake_api, cache=True, api_key="sk-second-key-222222222")
    assert other.complete(PROMPT).cached is True
    assert len(fake_api.requests) == 1
    stored = b"".join(p.read_bytes() for p in (tmp_path / "llm-cache").rglob("*") if p.is_file())
    assert b"reply 1" in stored
    assert b"first-key" not in stored and b"second-key" not in stored


def test_cache_false_never_stores(fake_api, make_llm, tmp_path):
    llm = make_llm(fake_api, cache=False)
    llm.complete(PROMPT)
    assert llm.complete(PROMPT).cached is False
    assert len(fake_api.requests) == 2
    assert not (tmp_path / "llm-cache").exists()


def test_errors_are_not_cached(fake_api, make_llm):
    fake_api.push(400, fake_api.error("invalid_request_error", "nope"))
    llm = make_llm(fake_api, cache=True)
    try:
        llm.complete(PROMPT)
    except Exception as exc:
        assert "nope" in str(exc)
    assert llm.complete(PROMPT).cached is False
    assert llm.complete(PROMPT).cached is True
    assert len(fake_api.requests) == 2


def test_default_cache_dir_is_under_proofroute_cache(fake_openai):
    llm = get_llm(
        "openai:m", base_url=fake_openai.base_url, api_key="sk-test-SECRET-0123456789abcdefXYZ"
    )
    try:
        llm.complete(PROMPT)
        assert llm.complete(PROMPT).cached
    finally:
        llm.close()
    assert (Path(os.environ["PROOFROUTE_CACHE_DIR"]) / "llm").is_dir()


def test_key_rules():
    base = dict(
        provider="openai",
        base_url="https://api.example.com/v1",
        model="m",
        messages=PROMPT,
        max_tokens=100,
    )
    k = cache_key(temperature=0.0, sample_index=0, **base)
    assert k == cache_key(temperature=0.0, sample_index=9, **base)
    assert len(k) == 64 and all(c in "0123456789abcdef" for c in k)
    assert cache_key(temperature=1.0, sample_index=0, **base) != cache_key(
        temperature=1.0, sample_index=1, **base
    )
    secret_url = dict(base, base_url="https://user:sk-pass@api.example.com/v1/?api-key=sk-q#frag")
    assert cache_key(temperature=0.0, sample_index=0, **secret_url) == k
    assert cache_key(temperature=0.0, sample_index=0, **dict(base, provider="anthropic")) != k
    assert cache_key(temperature=0.0, sample_index=0, **base, extra={"x": 1}) != k


def test_public_url_drops_credentials():
    assert public_url("https://u:p@host:8443/v1/?key=s#f") == "https://host:8443/v1"
    assert public_url("http://127.0.0.1:11434/v1") == "http://127.0.0.1:11434/v1"


def test_unreadable_entry_is_a_miss(tmp_path):
    cache = ResponseCache(tmp_path / "c")
    cache._store.set("k", "{not json")
    assert cache.get("k") is None
    cache._store.set("k2", '{"content": "x", "model": "m"}')
    hit = cache.get("k2")
    assert hit is not None and hit.cached and hit.content == "x"
    assert len(cache) == 2
    cache.close()
