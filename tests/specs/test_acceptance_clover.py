"""Acceptance of the grown spec language on independently written specs (issue 15).

Twelve specs transcribe CloverBench contracts (github.com/ChuyueSun/Clover,
dataset/CloverBench/textbook_algo, one from its MBPP-DFY-153 set) and three are
vericoding-style specs of our own; they were written from docs/spec-format.md alone.
Each goes through the CLI as a user runs it: `spec check --json` must report no error
(and exactly the warnings the spec deserves), and `generate` with a recorded session —
one reply, our own Dafny implementation in `acceptance_clover/programs/` — must end
verified, after which `recheck` re-verifies from scratch and runs the artifact's
property tests (the harness). Three broken copies check the quality of spec errors.

Where proofroute fails on a valid spec, the case is `xfail(strict=True)` with the finding.
The two findings of the first run are fixed: multiset multiplicity `multiset(a[..])[key]`
(c09, was refused by spec check) and generate's property tests for a `requires` Python
cannot execute (c11, made `recheck` fail forever; now the artifact says why it has none).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Acceptance

HERE = Path(__file__).resolve().parent / "acceptance_clover"
SPECS = sorted(HERE.glob("c*.toml"))

# warnings each spec deserves (a spec check may warn; it may not err)
WARNINGS = {
    "c10_set_to_seq": {"underspecified"},  # any order of the set's elements is right
    "c11_convert_map_key": {"not-executable"},  # Clover's unbounded quantifiers over nat
}
# parameter types translation validation cannot draw: the certificate says "not validated"
NOT_VALIDATED = {"c07_seq_to_array", "c08_linear_search3", "c09_only_once", "c10_set_to_seq",
                 "c11_convert_map_key", "c13_expr_eval"}
# specs whose requires Python cannot execute: verified, shipped without property tests, and
# every place says why (certificate, the test module, generate's note, recheck's step)
NOT_PROPERTY_TESTED = {
    "c11_convert_map_key": "requires[0] at spec.toml:6:21 is not executable: the range of n1 in this forall "
                           "cannot be bounded; the proof stands, the Python translation is not property-tested",
}


def test_there_are_fifteen_specs_each_with_a_recorded_session(acceptance: Acceptance) -> None:
    assert len(SPECS) == 15
    acceptance.assert_sessions_reply_the_programs(SPECS)


@pytest.mark.dafny
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_spec_check_reports_no_error(spec: Path, acceptance: Acceptance) -> None:
    acceptance.assert_check_clean(spec, WARNINGS.get(spec.stem, set()))


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_generate_with_the_recorded_session_verifies_and_rechecks(
    spec: Path, tmp_path: Path, acceptance: Acceptance
) -> None:
    done = acceptance.generate_and_recheck(spec, tmp_path, validated=spec.stem not in NOT_VALIDATED)
    reason = NOT_PROPERTY_TESTED.get(spec.stem)
    if reason is None:
        assert done.certificate["property_tests"] == {"emitted": True}
        assert "ok   tests" in done.recheck and "passed" in done.recheck
        return
    assert done.certificate["property_tests"] == {"emitted": False, "reason": reason}
    assert f"no property tests: {reason}" in done.result["results"][0]["reason"]
    tests = (done.artifact / f"test_{spec.stem.split('_', 1)[1]}.py").read_text()
    assert f"NOT_PROPERTY_TESTED = {reason!r}" in tests and "@given" not in tests
    assert f"ok   tests   not run: {reason}" in done.recheck


# one realistic mistake each: (file, line, col, offending text on that line, message, hint)
BROKEN = [
    ("e01_min_max_sum_typo", 10, 13, "SumSq(a[..])", "unknown function SumSq", "helpers: SumSeq"),
    ("e02_sum_and_average_int_for_real", 8, 12, "== sum / n", "cannot compare real with int",
     "convert the int side with `(e) as real`"),
    ("e03_expr_eval_match_missing_case", 16, 3, "match e", "match is not exhaustive: no case for Neg(arg)",
     "add `case Neg(arg) => ...` or a catch-all"),
]


@pytest.mark.parametrize(("name", "line", "col", "text", "message", "hint"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_mistake_is_reported_at_its_spot_with_a_hint(
    name: str, line: int, col: int, text: str, message: str, hint: str, acceptance: Acceptance,
) -> None:
    path = HERE / "broken" / f"{name}.toml"
    run = acceptance.proofroute("spec", "check", "--no-dafny", "--json", str(path))
    report = json.loads(run.stdout)
    assert run.returncode == 1 and report["errors"] == 1
    [finding] = report["findings"]
    assert (finding["file"], finding["line"], finding["col"]) == (str(path), line, col)
    assert message in finding["message"] and hint in finding["hint"]
    source_line = path.read_text().splitlines()[line - 1]
    assert source_line[col - 1:].startswith(text)
    plain = acceptance.proofroute("spec", "check", "--no-dafny", str(path))  # the compiler-style form
    assert f"{path}:{line}:{col}: error: {finding['message']}" in plain.stdout + plain.stderr
    assert source_line in plain.stdout + plain.stderr
