"""`src != dst` on arrays is identity, as in Dafny (acceptance batch 2, d02_add_into: the
contents comparison refused a valid example and filtered out equal-content inputs)."""

from __future__ import annotations

import pytest
from verifier.specs import model as m
from verifier.specs.loader import load_spec_all, load_spec_text
from verifier.translators.spec_python import compile_predicates

SIG = "method F(src: array<int>, dst: array<int>) returns (r: int)"


def spec_text(requires: list[str], ensures: list[str]) -> str:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join(f'"{x}"' for x in xs) + "]"

    return f'name = "t"\nsignature = "{SIG}"\nrequires = {arr(requires)}\nensures = {arr(ensures)}\n'


def test_two_parameters_are_different_arrays_even_with_equal_contents() -> None:
    spec = load_spec_text(spec_text(["src != dst"], ["r == 0 || src == src", "src == dst ==> r == 1"]), "t.toml")
    preds = compile_predicates(spec)
    same_contents = {"src": [1, 2], "dst": [1, 2]}
    assert preds.pre(same_contents)
    assert preds.post(same_contents, {"r": 5})
    (clause,) = spec.requires
    assert isinstance(clause.expr, m.Binary) and m.array_identity(clause.expr) is True


@pytest.mark.parametrize("ensures", ["src[..] == dst[..] ==> r == 0", "r == 0 || src[..] != dst[..]"])
def test_contents_still_compare_as_sequences(ensures: str) -> None:
    spec = load_spec_text(spec_text([], [ensures]), "t.toml")
    preds = compile_predicates(spec)
    assert not preds.post({"src": [1, 2], "dst": [1, 2]}, {"r": 5})
    assert preds.post({"src": [1, 2], "dst": [1, 3]}, {"r": 5})


def test_only_two_parameters_compare_by_identity() -> None:
    _, errors = load_spec_all(spec_text([], ["(if r > 0 then src else dst) != dst"]), "t.toml")
    assert any("arrays compare by identity" in e.message for e in errors), [e.message for e in errors]
    assert any("a[..] == b[..]" in (e.hint or "") for e in errors)


@pytest.mark.parametrize("call", ["fresh(a)", "unchanged(src)", "allocated(a)"])
def test_dafnys_heap_functions_say_what_to_write_instead(call: str) -> None:
    text = ('name = "t"\nsignature = "method F(src: array<int>) returns (a: array<int>)"\n'
            f'ensures = ["{call}", "a.Length == src.Length"]\n')
    _, errors = load_spec_all(text, "t.toml")
    (error,) = errors
    assert "is not in the spec language" in error.message and "[[helpers]]" not in (error.hint or "")
