"""Looking providers up by prefix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from verifier.errors import LLMError
from verifier.llm import LLM, Completion, Message, get_llm, providers, register, registry


def test_builtin_prefixes():
    assert {"openai", "anthropic", "replay"} <= set(providers())


def test_unknown_provider_lists_the_known_ones():
    with pytest.raises(LLMError) as info:
        get_llm("gemini:pro")
    assert "unknown model provider 'gemini:pro'" in str(info.value)
    assert "openai:" in (info.value.hint or "") and "replay:" in (info.value.hint or "")
    with pytest.raises(LLMError, match="unknown model provider"):
        get_llm("gpt-4o")  # no prefix at all


def test_unknown_option_is_an_error_naming_the_known_ones():
    with pytest.raises(LLMError) as info:
        get_llm("openai:m", base_url="http://127.0.0.1:9/v1", temprature=0.2)
    assert "temprature" in str(info.value) and "base_url" in (info.value.hint or "")


def test_missing_model():
    with pytest.raises(LLMError, match="no model given"):
        get_llm("anthropic:", api_key="k", base_url="http://127.0.0.1:9")


def test_a_new_provider_registers_into_the_dict(monkeypatch):
    monkeypatch.setattr(registry, "_FACTORIES", dict(registry._FACTORIES))

    class Echo:
        instant = False

        def __init__(self, target: str, shout: bool) -> None:
            self.name = f"echo:{target}"
            self.shout = shout

        def complete(self, messages, *, temperature=0.0, max_tokens=4096, sample_index=0):
            text = messages[-1].content
            return Completion(content=text.upper() if self.shout else text, model=self.name)

    def make_echo(target: str, *, shout: bool = False) -> Echo:
        return Echo(target, shout)

    register("echo", make_echo)
    llm = get_llm("echo:x", shout=True)
    assert isinstance(llm, LLM)
    assert llm.complete([Message("user", "hi")]).content == "HI"
    with pytest.raises(ValueError, match="already registered"):
        register("echo", lambda target: Echo(target, False))
    register("echo", lambda target, **kw: Echo(target, False), replace=True)
    assert get_llm("echo:y", anything=1).complete([Message("user", "hi")]).content == "hi"
    with pytest.raises(ValueError, match="bad provider prefix"):
        register("a:b", make_echo)


def test_the_sdks_are_imported_only_when_a_provider_asks_for_them() -> None:
    """`import verifier.llm` stays cheap for replays and CLI commands that call no model."""
    probe = (
        "import sys, verifier.llm as l\n"
        "before = {'openai', 'anthropic'} & set(sys.modules)\n"
        "l.get_llm('openai:m', base_url='http://127.0.0.1:9/v1', cache=False).close()\n"
        "print(sorted(before), 'openai' in sys.modules, 'anthropic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True", "False"]
