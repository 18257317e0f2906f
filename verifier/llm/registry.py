"""Providers by prefix: "openai:<model>", "anthropic:<model>", "replay:<file.jsonl>".

A dict from prefix to factory rather than a branch per provider, so a new provider is
one `register(...)` call in its own module and no caller ever tests which one it has.
A factory takes the part after the first ":" and keyword options, and returns an `LLM`.
Options a factory does not declare are refused here with an `LLMError` naming the ones
it does, so a typo on the command line is an error rather than silently ignored.

The HTTP providers are registered by the dotted name of their factory and imported on
first use: their SDKs (`openai`, `anthropic`) take ~1.5 s to import, which every CLI run
would otherwise pay, including replays and commands that never call a model.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from collections.abc import Callable
from typing import Any

from verifier.errors import LLMError
from verifier.llm import replay
from verifier.llm.base import LLM

Factory = Callable[..., LLM]

_FACTORIES: dict[str, Factory | str] = {}  # a str is "module:attribute", imported on use
_LOCK = threading.Lock()


def register(prefix: str, factory: Factory | str, *, replace: bool = False) -> None:
    """Make `get_llm("<prefix>:...")` call `factory(rest, **options)`; a "module:attribute"
    string names a factory to import only when a spec first asks for it."""
    if not prefix or ":" in prefix:
        raise ValueError(f"bad provider prefix {prefix!r}")
    with _LOCK:
        if prefix in _FACTORIES and not replace and _FACTORIES[prefix] is not factory:
            raise ValueError(f"provider prefix {prefix!r} is already registered")
        _FACTORIES[prefix] = factory


def providers() -> tuple[str, ...]:
    with _LOCK:
        return tuple(sorted(_FACTORIES))


def _resolve(prefix: str, entry: Factory | str) -> Factory:
    if not isinstance(entry, str):
        return entry
    module, _, attribute = entry.partition(":")
    factory: Factory = getattr(importlib.import_module(module), attribute)
    with _LOCK:
        if _FACTORIES.get(prefix) == entry:
            _FACTORIES[prefix] = factory
    return factory


def _check_options(prefix: str, factory: Factory, options: dict[str, Any]) -> None:
    params = inspect.signature(factory).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return
    known = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise LLMError(
            f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"for the {prefix!r} provider",
            hint=f"known options: {', '.join(known)}",
        )


def get_llm(spec: str, **options: Any) -> LLM:
    """The provider a spec names, e.g. get_llm("openai:gpt-4o-mini", timeout=60)."""
    prefix, sep, target = spec.partition(":")
    with _LOCK:
        entry = _FACTORIES.get(prefix) if sep else None
        known = ", ".join(f"{p}:" for p in sorted(_FACTORIES))
    if entry is None:
        raise LLMError(
            f"unknown model provider {spec!r}",
            hint=f"write <provider>:<model or file>, with provider one of {known}",
        )
    factory = _resolve(prefix, entry)
    _check_options(prefix, factory, options)
    return factory(target, **options)


register("openai", "verifier.llm.openai_compat:create")
register("anthropic", "verifier.llm.anthropic_api:create")
register("replay", replay.create)
