"""The `#eval` route's pure parts: which units go there, the text we write, how the driver's
records are read (a forged or foreign record voids the run), and how the verdict uses
the results. The real WebAssembly Lean runs them in test_eval_real.py."""

from __future__ import annotations

from verifier.backends.lean import eval_units
from verifier.backends.lean.harness import WASM, build
from verifier.backends.lean.messages import LeanMessage
from verifier.backends.lean.units import EvalOutcome, UnitEval, parse_units
from verifier.backends.lean.verdict import Record, RunOutcome, judge

from verifier.results import Severity, Verdict

UNITS = """/-- info: 1.500000 -/
#guard_msgs in #eval half 3.0

/-- info: 2 -/
#guard_msgs in
#eval double 1

/-- error: unknown -/
#guard_msgs in #eval half 2.0

/-- info: 1
---
info: 2 -/
#guard_msgs in #eval two
"""


def test_only_single_info_units_are_eligible() -> None:
    tests = parse_units(UNITS)
    assert [eval_units.eligible(t) for t in tests] == [True, True, False, False]


def test_units_are_written_verbatim_with_their_lines() -> None:
    tests = parse_units(UNITS)[:2]
    given = eval_units.build_input("def half (x : Float) : Float := x / 2\n", tests, "ab12")
    assert given.units == ("/-- info: 1.500000 -/\n#guard_msgs in #eval half 3.0\n\n"
                           "/-- info: 2 -/\n#guard_msgs in\n#eval double 1\n\n")  # fmt: skip
    assert given.spans == ((1, 1, 2), (2, 4, 6))
    assert given.model.startswith("def half")


def _given() -> eval_units.EvalInput:
    return eval_units.build_input("", parse_units(UNITS)[:2], "ab12")


def test_records_decide_units_by_their_first_line() -> None:
    report = eval_units.read((Record("unit ab12 pass 1 0", ""), Record("unit ab12 mismatch 4 0", "- info: 2\n+ info: 3")),
                             _given())  # fmt: skip
    assert report.refused is None
    assert report.results[1].outcome is EvalOutcome.PASS
    assert report.results[2].outcome is EvalOutcome.MISMATCH and "+ info: 3" in report.results[2].detail


def test_a_unit_that_is_two_commands_is_not_decided() -> None:
    report = eval_units.read((Record("unit ab12 pass 4 0", ""), Record("unit ab12 pass 6 0", "")), _given())
    assert report.results[2].outcome is EvalOutcome.REFUSED
    assert eval_units.read((Record("unit ab12 pass 5 0", ""),), _given()).results[2].outcome is EvalOutcome.REFUSED


def test_a_record_with_another_nonce_voids_the_whole_run() -> None:
    for forged in ("unit ffff pass 4 0", "unit pass 4 0", "unit ab12 great 4 0", "eval-refused zz"):
        report = eval_units.read((Record("unit ab12 pass 1 0", ""), Record(forged, "")), _given())
        assert report.results == {} and report.refused is not None, forged


def test_effects_and_refused_files_run_no_unit() -> None:
    report = eval_units.read((Record("eval-refused ab12", "h\nIO.RealWorld"),), _given())
    assert report.results == {} and "`h` reaches `IO.RealWorld`" in (report.refused or "")
    report = eval_units.read((Record("refused 3 0", "syntax `Lean.Parser.Command.eval`"),), _given())
    assert report.results == {} and "Lean.Parser.Command.eval" in (report.refused or "")


SOURCE = "def half (x : Float) : Float := x / 2\n"
ONE = "/-- info: 1.500000 -/\n#guard_msgs in #eval half 3.0\n"


def _judge(evals: dict[int, UnitEval] | None):
    tests = parse_units(ONE)
    built = build(SOURCE, dialect=WASM, theorem_names=[], units=tests, units_text=ONE, nonce="n")
    slot = built.units[0]
    failed = tuple(LeanMessage(Severity.ERROR, "failed to synthesize Decidable", line, 1)
                   for line in (slot.first_line, slot.refutation_line))  # fmt: skip
    run = RunOutcome(messages=failed, returncode=1)
    return judge(file="f.lean", theorems=(), built=built, run=run, audit={}, dialect=WASM,
                 has_units=True, evals=evals)  # fmt: skip


def _how(judgement) -> tuple[Verdict, str]:
    unit = next(o for o in judgement.obligations if o.name == "unit 1")
    return unit.verdict, unit.detail


def test_verdict_uses_eval_only_where_the_kernel_decided_nothing() -> None:
    assert _how(_judge(None)) == (Verdict.UNKNOWN, "unchecked")
    passed = _judge({1: UnitEval(1, EvalOutcome.PASS, "")})
    assert passed.verdict is Verdict.VERIFIED and _how(passed) == (Verdict.VERIFIED, "eval")
    failed = _judge({1: UnitEval(1, EvalOutcome.MISMATCH, "- info: 1.500000\n+ info: 2.000000")})
    assert failed.verdict is Verdict.REFUTED and _how(failed) == (Verdict.REFUTED, "eval-refuted")
    assert any(d.kind == "unit-failed" and "+ info: 2.000000" in d.message for d in failed.diagnostics)
    for outcome in (EvalOutcome.NO_EVAL, EvalOutcome.REFUSED):
        left = _judge({1: UnitEval(1, outcome, "no executable code")})
        assert left.verdict is Verdict.UNKNOWN and _how(left) == (Verdict.UNKNOWN, "unchecked")
        assert any(d.kind == "unit-unchecked" and "no executable code" in d.message for d in left.diagnostics)
