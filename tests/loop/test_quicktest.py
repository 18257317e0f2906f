"""The quick test runs translated candidates in the real sandbox and refutes with inputs."""

from __future__ import annotations

import loop_replies as R
from verifier.specs.loader import load_spec
from verifier.translators.dafny_to_python import translate

from verifier.quicktest import QuickTester, draw_inputs, examples_inputs


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
