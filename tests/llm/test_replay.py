"""The replay provider: recorded replies in order, kinds skipped, clear errors."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from verifier.errors import LLMError
from verifier.llm import Message, ReplayLLM, UsageMeter, get_llm

ASK = [Message("user", "anything")]


def write(path: Path, *records: object, raw: str = "") -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n" + raw, encoding="utf-8")
    return path


def test_replies_in_order_then_a_clear_error(tmp_path):
    f = write(tmp_path / "r.jsonl", {"content": "one"}, {"content": "two", "extra": [1]})
    llm = get_llm(f"replay:{f}")
    assert isinstance(llm, ReplayLLM) and llm.name == f"replay:{f}"
    first = llm.complete(ASK, temperature=0.9, sample_index=7)
    second = llm.complete(ASK)
    assert (first.content, second.content) == ("one", "two")
    assert second.raw == {"content": "two", "extra": [1]}
    assert first.cached is False and first.model == "replay"
    with pytest.raises(LLMError) as info:
        llm.complete(ASK)
    assert str(info.value).startswith(f"replay file {f} has no response left after 2 replies")
    with pytest.raises(LLMError, match="after 2 replies"):  # stays exhausted
        llm.complete(ASK)


def test_a_transcript_is_a_replay_file(tmp_path):
    f = write(
        tmp_path / "transcript.jsonl",
        {"schema": 1, "kind": "prompt", "messages": [{"role": "user", "content": "q"}]},
        {
            "kind": "response",
            "content": "candidate 1",
            "model": "gpt-4o",
            "input_tokens": 40,
            "output_tokens": 9,
        },
        {"kind": "guard", "verdict": "rejected", "content": "NOT A REPLY"},
        {"kind": "check", "verdict": "refuted"},
        "",
        {
            "kind": "response",
            "content": "candidate 2",
            "usage": {"input_tokens": 50, "output_tokens": 11},
            "finish_reason": "stop",
        },
    )
    meter = UsageMeter()
    llm = get_llm(f"replay:{f}", meter=meter)
    assert llm.remaining == 2
    a, b = llm.complete(ASK), llm.complete(ASK)
    assert (a.content, b.content) == ("candidate 1", "candidate 2")
    assert (a.model, a.input_tokens, a.output_tokens) == ("gpt-4o", 40, 9)
    assert (b.input_tokens, b.output_tokens, b.finish_reason) == (50, 11, "stop")
    totals = meter.totals
    assert (totals.requests, totals.input_tokens, totals.output_tokens) == (2, 90, 20)


def test_bad_json_line_names_file_and_line(tmp_path):
    f = write(tmp_path / "bad.jsonl", {"content": "ok"}, '{"content": "unterminated')
    with pytest.raises(LLMError) as info:
        get_llm(f"replay:{f}")
    assert f"{f}:2: not valid JSON" in str(info.value)


@pytest.mark.parametrize(
    "line, message",
    [
        ('["content", "x"]', "expected a JSON object, got list"),
        ('{"reply": "x"}', 'needs a string "content" field'),
        ('{"kind": "response", "content": 3}', 'needs a string "content" field'),
    ],
)
def test_response_lines_must_carry_content(tmp_path, line, message):
    f = write(tmp_path / "r.jsonl", {"kind": "prompt"}, line)
    with pytest.raises(LLMError) as info:
        get_llm(f"replay:{f}")
    assert f"{f}:2: " in str(info.value) and message in str(info.value)


def test_missing_file_and_empty_spec(tmp_path):
    with pytest.raises(LLMError, match="not found"):
        get_llm(f"replay:{tmp_path / 'nope.jsonl'}")
    with pytest.raises(LLMError, match="no file given"):
        get_llm("replay:")


def test_empty_file_is_exhausted_at_once(tmp_path):
    f = tmp_path / "empty.jsonl"
    f.write_text("")
    with pytest.raises(LLMError, match="no response left after 0 replies"):
        get_llm(f"replay:{f}").complete(ASK)


def test_http_options_are_accepted_and_ignored(tmp_path):
    f = write(tmp_path / "r.jsonl", {"content": "x"})
    llm = get_llm(f"replay:{f}", cache=True, cache_dir=tmp_path / "c", timeout=1, max_retries=2)
    assert llm.complete(ASK).cached is False
    assert not (tmp_path / "c").exists()
    with pytest.raises(LLMError, match="unknown option"):
        get_llm(f"replay:{f}", temprature=0.5)


def test_threads_share_replies_each_exactly_once(tmp_path):
    n = 400
    f = write(tmp_path / "many.jsonl", *({"content": f"r{i}"} for i in range(n)))
    llm = get_llm(f"replay:{f}")
    got: list[str] = []
    errors: list[Exception] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        while True:
            try:
                reply = llm.complete(ASK)
            except LLMError as exc:
                with lock:
                    errors.append(exc)
                return
            with lock:
                got.append(reply.content)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(got) == sorted(f"r{i}" for i in range(n))
    assert len(errors) == 8 and all(f"after {n} replies" in str(e) for e in errors)
    assert llm.usage.totals.requests == n
