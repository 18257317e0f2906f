"""`testability`: the one decision whether a spec's properties can be tested — and what
follows from it in the harness (bad input), the emitted module (no test, the reason) and
the recheck step (not run, the reason; decided from the spec, not the certificate)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from verifier.specs.loader import load_spec, load_spec_text

from verifier.artifact import SPEC_FILE
from verifier.harness import HarnessInputError, emit_pytest, run_properties
from verifier.harness import testability as decision_of
from verifier.routes import common

ROOT = Path(__file__).resolve().parents[2]
CONVERT = ROOT / "tests" / "specs" / "acceptance_clover" / "c11_convert_map_key.toml"
UNBOUNDED = "function AllPos(f: nat -> nat): bool { forall n: nat :: f(n) > 0 }"
SLOW = "function Big(x: int): bool { forall k: int :: k * k >= x }"


def _spec(requires: list[str], ensures: list[str], helpers: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x + '"' for x in xs) + "]"

    text = (f'name = "t"\nsignature = "method F(xs: seq<int>, x: int) returns (r: int)"\n'
            f"requires = {arr(requires)}\nensures = {arr(ensures)}\n"
            + "".join(f'\n[[helpers]]\nsource = "{h}"\n' for h in helpers))
    return load_spec_text(text, "t.toml")


def test_an_unexecutable_requires_blocks_property_tests_and_says_where() -> None:
    decision = decision_of.testability(load_spec(CONVERT))
    assert not decision.testable
    assert decision.reason(SPEC_FILE) == (
        "requires[0] at spec.toml:6:21 is not executable: the range of n1 in this forall cannot be bounded; "
        "the proof stands, the Python translation is not property-tested")
    assert decision.reason() .startswith(f"requires[0] at {CONVERT.relative_to(ROOT)}:6:21 ") or \
        decision.reason().startswith(f"requires[0] at {CONVERT}:6:21 ")


def test_unexecutable_ensures_are_skipped_until_none_is_left() -> None:
    some = decision_of.testability(_spec([], ["r >= 0", "forall k :: k * k >= r ==> r == x"]))
    assert some.testable and some.unchecked == ("forall k :: k * k >= r ==> r == x",)
    none = decision_of.testability(_spec([], ["forall k :: k * k >= r ==> r == x"]))
    assert not none.testable and none.blocker is not None
    assert none.reason().startswith("every ensures clause is not executable: ")
    assert decision_of.testability(load_spec(ROOT / "specs" / "examples" / "max_of_list.toml")) == some.__class__(None, ())


def test_a_helper_counts_against_the_clauses_that_call_it_even_through_another() -> None:
    through = ("function Outer(x: int): bool { Big(x) && x > 0 }", SLOW)
    in_requires = decision_of.testability(_spec(["Outer(x)"], ["r == x"], through))
    assert not in_requires.testable and in_requires.blocker is not None
    assert in_requires.blocker.what == "requires[0]" and in_requires.blocker.text == "Outer(x)"
    assert "it calls Outer, which cannot be executed (the range of k in this forall cannot be bounded)" \
        in in_requires.reason()
    in_ensures = decision_of.testability(_spec(["x > 0"], ["r == x", "Outer(r)"], through))
    assert in_ensures.testable and in_ensures.unchecked == ("Outer(r)",)
    unused = decision_of.testability(_spec(["x > 0"], ["r == x"], through))  # defined, never called
    assert unused.testable and unused.unchecked == ()


def test_the_harness_refuses_it_as_bad_input_at_the_clause(tmp_path: Path) -> None:
    (tmp_path / "impl.py").write_text("def convert_map_key(inputs, f):\n    return {f(k): v for k, v in inputs.items()}\n")
    with pytest.raises(HarnessInputError) as info:
        run_properties(load_spec(CONVERT), "impl:convert_map_key", max_examples=5, seed=1, cwd=tmp_path)
    message = str(info.value)
    assert ":6:21: error: requires[0] `forall n1: nat, n2: nat :: n1 != n2 ==> f(n1) != f(n2)` cannot be executed" \
        in message
    assert "filtered with requires" in info.value.hint and "bound it in the guard" in info.value.hint


def test_the_emitted_module_has_no_test_and_pytest_says_why(tmp_path: Path) -> None:
    (tmp_path / "convert_map_key.py").write_text("def convert_map_key(inputs, f):\n    return {}\n")
    text = emit_pytest(load_spec(CONVERT), "convert_map_key:convert_map_key", cwd=tmp_path, spec_file=SPEC_FILE)
    assert "@given" not in text and "check_call" not in text
    assert "def test_convert_map_key_is_not_property_tested():\n    pytest.skip(NOT_PROPERTY_TESTED)" in text
    reason = decision_of.testability(load_spec(CONVERT)).reason(SPEC_FILE)
    assert f"NOT_PROPERTY_TESTED = {reason!r}" in text
    (tmp_path / "test_convert_map_key.py").write_text(text)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                          "test_convert_map_key.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout and reason in run.stdout.replace("\n", "")
    # the routes' wrapper emits the same module, naming the artifact's spec.toml
    assert common.property_tests(load_spec(CONVERT), "convert_map_key", "def convert_map_key(inputs, f):\n    return {}\n",
                          "convert_map_key") == text


def test_recheck_decides_from_the_spec_not_from_the_files(tmp_path: Path) -> None:
    """A testable spec's tests run (here a failing file fails the step) whatever the
    artifact says; a spec that cannot be tested is a step that holds and says why."""
    (tmp_path / "test_m.py").write_text("def test_fails():\n    assert False\n")
    ran = common.tests_step(load_spec(ROOT / "specs" / "examples" / "max_of_list.toml"), tmp_path, "test_m.py", timeout=120)
    assert not ran.ok
    skipped = common.tests_step(load_spec(CONVERT), tmp_path, "test_m.py", timeout=120)
    assert skipped.ok and skipped.detail == "not run: " + decision_of.testability(load_spec(CONVERT)).reason(SPEC_FILE)
