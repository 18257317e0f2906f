"""Arrays as out-parameters: new arrays the method returns, checked by their contents."""

from __future__ import annotations

from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.loader import load_spec_text
from verifier.translators.spec_dafny import render_dafny
from verifier.translators.spec_lean import render_lean
from verifier.translators.spec_python import compile_predicates

OPTS = CheckOptions(dafny=False, samples=8)
SIG = "method Double(s: seq<int>) returns (a: array<int>)"


def text(ensures: list[str], extra: str = "") -> str:
    quoted = ", ".join(f'"{e}"' for e in ensures)
    return f'name = "t"\nsignature = "{SIG}"\nensures = [{quoted}]\n{extra}'


def test_renders_in_every_target_and_examples_are_contents() -> None:
    spec = load_spec_text(text(["a.Length == |s|", "forall i :: 0 <= i < a.Length ==> a[i] == 2 * s[i]"],
                               '[[examples]]\nargs = { s = [1, 2] }\nresult = { a = [2, 4] }\n'), "t.toml")
    assert "returns (a: array<int>)" in render_dafny(spec)
    assert "def Double (s : List Int) : List Int := sorry" in render_lean(spec)
    preds = compile_predicates(spec)
    assert preds.post({"s": [1, 2]}, {"a": [2, 4]})
    assert preds.failing_ensures({"s": [1, 2]}, {"a": [2]}) != []
    assert spec.examples[0].result["a"] == [2, 4]


def test_spec_check_searches_array_outputs() -> None:
    ok = load_spec_text(text(["a.Length == |s|", "forall i :: 0 <= i < a.Length ==> a[i] == 2 * s[i]"]), "t.toml")
    assert [f.code for f in check_spec(ok, OPTS) if f.severity.value != "info"] == []
    bad = load_spec_text(text(["a.Length == |s|", "a.Length == |s| + 1"]), "t.toml")
    assert "unrealizable" in {f.code for f in check_spec(bad, OPTS)}
    loose = load_spec_text(text(["a.Length == |s|"]), "t.toml")
    assert "underspecified" in {f.code for f in check_spec(loose, OPTS)}
