"""verifier.draft without a model session: reading replies and user examples, the checks'
ambiguity turned into questions, the allowed pairs of the read-back, TOML values, and
the warning-only comparison of description and code."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from verifier.specs.check import CheckOptions
from verifier.specs.loader import load_spec, load_spec_text
from verifier.translators.spec_python import compile_predicates

from verifier.draft import (
    DraftInputError,
    Question,
    allowed_pairs,
    blocking,
    check_text,
    compare_description,
    extract_toml,
    parse_example,
    questions_of,
    toml_value,
    with_user_examples,
)
from verifier.llm import get_llm

ROOT = Path(__file__).resolve().parents[2]
NO_DAFNY = CheckOptions(dafny=False)
MAX = (ROOT / "specs" / "examples" / "max_of_list.toml").read_text()


def test_extract_toml_takes_the_last_block_and_ignores_other_fences() -> None:
    reply = "First try:\n```toml\nname = 'a'\n```\n```dafny\nmethod M() {}\n```\nBetter:\n```toml\nname = 'b'\n```"
    assert extract_toml(reply) == "name = 'b'\n"
    assert extract_toml("```dafny\nmethod M() {}\n```") is None


def test_parse_example_checks_both_sides_are_toml() -> None:
    ex = parse_example("xs = [3, 1, 4] -> m = 4")
    assert (ex.args, ex.result) == ("xs = [3, 1, 4]", "m = 4")
    with pytest.raises(DraftInputError, match="not TOML key = value pairs"):
        parse_example("xs = [3, 1 -> m = 4")
    with pytest.raises(DraftInputError, match="no '->'"):
        parse_example("xs = [3]")


def test_user_examples_are_added_once() -> None:
    given = parse_example("xs = [3, 1, 4] -> m = 4")  # already in the spec
    new = parse_example("xs = [2, 9] -> m = 9")
    text = with_user_examples(MAX, [given, new])
    spec = load_spec_text(text)
    assert len(spec.examples) == len(load_spec_text(MAX).examples) + 1
    assert dict(spec.examples[-1].args) == {"xs": [2, 9]}


def test_underspecified_spec_gives_a_question_with_input_and_outputs() -> None:
    text = MAX.replace('  "exists i :: 0 <= i < |xs| && xs[i] == m",\n', "")
    spec, findings = check_text(text, NO_DAFNY)
    assert spec is not None
    (q,) = questions_of(spec, findings)
    assert len(q.outputs) == 2 and q.outputs[0] != q.outputs[1]
    preds = compile_predicates(spec)
    for out in q.outputs:  # both really are allowed by the contract
        assert preds.failing_ensures(dict(q.args), dict(out)) == []
    assert q.text.startswith("For `MaxOfList(xs = ") and "Which result is intended?" in q.text
    assert json.loads(json.dumps(q.record()))["outputs"] == [dict(o) for o in q.outputs]
    # ambiguity is a problem for the model only until it has been told once
    assert [f.code for f in blocking(findings, ambiguity_is_problem=True)] == ["underspecified"]
    assert blocking(findings, ambiguity_is_problem=False) == []


def test_errors_block_and_load_errors_give_no_spec() -> None:
    spec, findings = check_text(MAX.replace("|xs| > 0", "|xs| > 0 && |xs| < 0"), NO_DAFNY)
    assert spec is not None and "requires-unsat" in {f.code for f in blocking(findings, ambiguity_is_problem=False)}
    spec, findings = check_text(MAX.replace("xs[i] <= m", "xs[i] <= "), NO_DAFNY)
    assert spec is None and findings[0].file == "draft.toml" and findings[0].code == "syntax"


@pytest.mark.parametrize("name", ["max_of_list", "reverse", "two_sum", "insertion_sort", "histogram"])
def test_allowed_pairs_satisfy_the_contract(name: str) -> None:
    spec = load_spec(ROOT / "specs" / "examples" / f"{name}.toml")
    pairs = allowed_pairs(spec, 3)
    assert pairs, f"no pairs for {name}"
    assert all(p.call.startswith(spec.method + "(") for p in pairs)
    known = {f"{spec.method}({', '.join(f'{k} = {v}' for k, v in ex.args.items())})" for ex in spec.examples}
    assert not any(p.call in known for p in pairs)  # the spec's own examples are shown already


def test_toml_value_round_trips_through_the_loader() -> None:
    text = ('name = "t"\nsignature = "method T(s: set<int>, c: multiset<int>, m: map<string, int>, '
            'w: string, ch: char, b: bool) returns (r: seq<int>)"\n'
            "[[examples]]\nargs = {{ s = {}, c = {}, m = {}, w = {}, ch = {}, b = {} }}\nresult = {{ r = {} }}\n").format(
        toml_value(frozenset({3, 1})), toml_value(Counter({2: 2})), toml_value({"a\"b": 1}),
        toml_value('say "hi"\n'), toml_value("x"), toml_value(True), toml_value([1, -2]))
    ex = load_spec_text(text).examples[0]
    assert dict(ex.args) == {"s": frozenset({1, 3}), "c": Counter({2: 2}), "m": {"a\"b": 1},
                             "w": 'say "hi"\n', "ch": "x", "b": True}
    assert dict(ex.result) == {"r": [1, -2]}


def _replay(tmp_path: Path, text: str) -> str:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"content": text}) + "\n")
    return f"replay:{path}"


def test_description_comparison_is_a_warning_only(tmp_path: Path) -> None:
    agrees = get_llm(_replay(tmp_path, "It returns the larger argument.\nAGREES"))
    assert compare_description(agrees, "the larger of two", "method M() {}", "dafny") == (
        "It returns the larger argument.", None)
    differs = get_llm(_replay(tmp_path, "It returns the smaller argument.\nDIFFERS: smaller, not larger"))
    _note, warning = compare_description(differs, "the larger of two", "method M() {}", "dafny")
    assert warning is not None and "smaller, not larger" in warning
    vague = get_llm(_replay(tmp_path, "It does something."))
    assert "without AGREES or DIFFERS" in (compare_description(vague, "d", "p", "dafny")[1] or "")
    empty = get_llm(f"replay:{tmp_path / 'r.jsonl'}")
    empty.complete([])  # use up the only reply
    assert "not compared" in (compare_description(empty, "d", "p", "dafny")[1] or "")


def test_question_text_names_the_call_and_the_choices() -> None:
    q = Question("IndexOfMax", {"xs": [3, 3]}, ({"k": 0}, {"k": 1}))
    assert q.text == "For `IndexOfMax(xs = [3, 3])` the contract allows `k = 0` or `k = 1`. Which result is intended?"
