"""Acceptance of the spec language on a second batch of independently written specs.

Six specs transcribe CloverBench contracts (github.com/ChuyueSun/Clover,
dataset/CloverBench/textbook_algo: replace, update_map, all_digits, insert, count_lessthan,
canyon_search) not covered by the first batch (acceptance_clover), one transcribes a
vericoding task (dafnybench DD0711) and five are vericoding-style specs of our own; they were
written from docs/spec-format.md alone. Each goes through the CLI as a user
runs it: `spec check --json` must report no error (and exactly the warnings the spec
deserves), and `generate` with a recorded session — one reply, our own Dafny 2.3
implementation in `acceptance_clover2/programs/`, each verified beforehand with the plain
`dafny /compile:0` against the rendered contract — must end verified, after which `recheck`
re-verifies from scratch and runs the artifact's property tests (the harness).

Where proofroute fails on a valid spec, the case is `xfail(strict=True)` with the finding;
the batch's five findings (array identity, two datatypes crashing spec check, a `function
method` helper rendered ghost, `c as int`, the hint for `fresh`) are fixed, so none is left.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Acceptance

HERE = Path(__file__).resolve().parent / "acceptance_clover2"
SPECS = sorted(HERE.glob("d*.toml"))

# warnings each spec deserves (a spec check may warn; it may not err)
WARNINGS = {
    "d05_insert": {"underspecified"},  # Clover's insert says nothing of line[l + p..]
}
# parameter types translation validation cannot draw: the certificate says "not validated"
NOT_VALIDATED = {"d03_update_map", "d08_filter_by", "d11_find_by_id"}


def test_there_are_twelve_specs_each_with_a_recorded_session(acceptance: Acceptance) -> None:
    assert len(SPECS) == 12
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
    assert "ok   tests" in done.recheck and "passed" in done.recheck


def test_char_as_int_is_accepted(acceptance: Acceptance) -> None:
    path = HERE / "extra" / "char_as_int.toml"
    run = acceptance.proofroute("spec", "check", "--json", str(path))  # with the real Dafny too
    report = json.loads(run.stdout)
    assert run.returncode == 0 and report["errors"] == 0 and report["warnings"] == 0, report["findings"]
