"""The quick test runs translated candidates in the real sandbox and refutes with inputs."""

from __future__ import annotations

import dataclasses

import loop_replies as R
from verifier.specs.loader import load_spec
from verifier.translators.dafny_to_python import translate

from verifier.paths import cache_dir
from verifier.quicktest import QuickTester, draw_inputs, examples_inputs, quick_inputs


def _tester(spec_path, program: str) -> tuple[QuickTester, list]:
    spec = load_spec(spec_path)
    inputs = examples_inputs(spec) + draw_inputs(spec, 30, seed=1)
    return QuickTester(spec, translate(program)), inputs


def test_wrong_code_is_refuted_with_a_small_concrete_input() -> None:
    tester, inputs = _tester(R.MAX_SPEC, R.MAX_WRONG_CODE)
    result = tester.run(inputs)
    assert result.refuted and result.failure is not None
    msg = result.failure.message("MaxOfList")
    assert msg.startswith("for xs=[") and "MaxOfList returns m=" in msg
    assert "ensures 'forall i :: 0 <= i < |xs| ==> xs[i] <= m' fails" in msg
    assert result.seconds < 10


def test_correct_code_is_not_refuted_and_inputs_meet_requires() -> None:
    tester, inputs = _tester(R.MAX_SPEC, R.MAX_OK)
    assert all(len(i["xs"]) > 0 for i in inputs)
    result = tester.run(inputs)
    assert not result.refuted and result.inputs == len(inputs) > 20


def test_modified_array_is_checked_after_the_call() -> None:
    tester, inputs = _tester(R.FILL_SPEC, R.FILL_OFF_BY_ONE)
    result = tester.run(inputs)
    assert result.refuted
    assert "a=" in result.failure.message("Fill")
    ok, _ = _tester(R.FILL_SPEC, R.FILL_OK)
    assert not ok.run(inputs).refuted


def test_same_seed_same_inputs() -> None:
    spec = load_spec(R.MAX_SPEC)
    assert draw_inputs(spec, 20, seed=3) == draw_inputs(spec, 20, seed=3)


def test_solver_inputs_are_executed_before_shown() -> None:
    tester, _ = _tester(R.MAX_SPEC, R.MAX_WEAK_INVARIANT)
    text = tester.describe({"xs": [2, 1]})
    assert text is not None and "returns m=2 and the ensures hold" in text
    wrong, _ = _tester(R.MAX_SPEC, R.MAX_WRONG_CODE)
    assert "(executed)" in wrong.describe({"xs": [1, 5]})


_MIXED = '''name = "mixed"
description = "Parameters of many types, to store and read back."
signature = "method Mixed(s: set<int>, m: map<int, bool>, b: multiset<int>, w: string, c: char, xs: seq<seq<nat>>) returns (r: int)"
ensures = ["r == |s|"]

[[examples]]
args = { s = [1, 2], m = [[1, true]], b = [3, 3], w = "ab", c = "z", xs = [[0]] }
result = { r = 2 }
'''


def test_quick_inputs_are_examples_first_then_drawn_without_repeats() -> None:
    spec = load_spec(R.MAX_SPEC)
    inputs = quick_inputs(spec, 50, seed=0)
    assert inputs[:len(spec.examples)] == examples_inputs(spec)
    shown = [repr(sorted(i.items())) for i in inputs]
    assert len(shown) == len(set(shown))
    drawn = draw_inputs(spec, 50, seed=0)
    assert all(d in inputs for d in drawn) and len(inputs) < len(spec.examples) + len(drawn)


def test_quick_inputs_of_every_type_are_kept_on_disk_and_read_back_equal(tmp_path) -> None:
    (tmp_path / "mixed.toml").write_text(_MIXED)
    spec = load_spec(tmp_path / "mixed.toml")
    first = quick_inputs(spec, 30, seed=2)
    stored = list((cache_dir() / "quick-inputs").glob("*.json"))
    assert len(stored) == 1
    assert quick_inputs(spec, 30, seed=2) == first  # now read from the file
    again = draw_inputs(spec, 30, seed=2)
    assert all(a in first for a in again)
    assert {type(v).__name__ for v in first[-1].values()} >= {"str", "list"}
    # another seed or count is another file
    quick_inputs(spec, 30, seed=3)
    assert len(list((cache_dir() / "quick-inputs").glob("*.json"))) == 2


def test_a_damaged_input_file_is_drawn_again(tmp_path) -> None:
    spec = load_spec(R.MAX_SPEC)
    first = quick_inputs(spec, 20, seed=0)
    (stored,) = (cache_dir() / "quick-inputs").glob("*.json")
    for damage in ('{"not": "a list"}', "[1, 2", '[{"xs": {"$nonsense": 1}}]', "[3]"):
        stored.write_text(damage)
        assert quick_inputs(spec, 20, seed=0) == first


def test_a_spec_built_in_code_is_drawn_but_not_stored() -> None:
    spec = dataclasses.replace(load_spec(R.MAX_SPEC), source=None)
    assert quick_inputs(spec, 10, seed=0)
    assert not (cache_dir() / "quick-inputs").exists()


FIB_SPEC = '''name = "fib_seq"
signature = "method FibSeq(n: nat) returns (fs: seq<int>)"
ensures = ["fs == seq(n, i => Fib(i))"]

[[helpers]]
source = "function Fib(k: nat): nat decreases k { if k < 2 then k else Fib(k - 1) + Fib(k - 2) }"
'''
FIB_WRONG = """
method FibSeq(n: nat) returns (fs: seq<int>)
{
  fs := [];
  var i := 0;
  while i < n { fs := fs + [i]; i := i + 1; }
}
"""


def test_a_spec_too_slow_to_evaluate_is_inconclusive_never_a_refutation(tmp_path, monkeypatch) -> None:
    """The spec's predicates run in-process: past `PREDICATE_SECONDS` a clause is undecided
    (here every clause, with a budget of 0), so even wrong code is not refuted on it, and
    after a few such clauses the rest is not judged at all."""
    path = tmp_path / "fib_seq.toml"
    path.write_text(FIB_SPEC)
    tester, _ = _tester(path, FIB_WRONG)
    monkeypatch.setattr("verifier.quicktest.PREDICATE_SECONDS", 0.0)
    result = tester.run([{"n": 5}, {"n": 6}, {"n": 7}, {"n": 8}])
    assert not result.refuted and tester.slow_clauses == 3
    assert any("too slow" in note for note in result.notes), result.notes
    monkeypatch.setattr("verifier.quicktest.PREDICATE_SECONDS", 1.0)
    fresh, _ = _tester(path, FIB_WRONG)
    assert fresh.run([{"n": 5}]).refuted  # with time, Fib is remembered and the bug found
