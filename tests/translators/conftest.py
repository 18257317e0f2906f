"""Shared checks of the spec translators' tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import z3
from verifier.specs import model as m
from verifier.translators.spec_python import compile_predicates
from verifier.translators.spec_z3 import encode_concrete

Agree = Callable[[m.Spec, dict[str, Any], dict[str, Any]], None]


def _agree(spec: m.Spec, args: dict[str, Any], result: dict[str, Any]) -> None:
    """z3's reading of every ensures clause on these concrete values is Python's."""
    preds = compile_predicates(spec)
    enc = encode_concrete(spec, args, result)
    for i, (text, fn) in enumerate(preds.ensures):
        got = z3.simplify(enc.clause(i))
        assert z3.is_true(got) == bool(preds.clause_holds(fn, args, result)), text


@pytest.fixture
def z3_agrees() -> Agree:
    return _agree
