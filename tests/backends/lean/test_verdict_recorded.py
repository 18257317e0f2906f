"""The verdict rules on recorded answers of the real trusted driver (fixtures/*.response,
see record_fixtures.py): the driver refuses what is outside the allowlist before Lean
elaborates it, and audits every declaration after the last command.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from verifier.backends.lean import harness, source_scan, statements, trusted, units
from verifier.backends.lean.messages import parse_json_output
from verifier.backends.lean.session import parse_response
from verifier.backends.lean.verdict import Record, RunOutcome, judge

from verifier.results import Severity, Verdict

HERE = Path(__file__).parent


def _recorder():
    spec = importlib.util.spec_from_file_location("record_fixtures", HERE / "record_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _recorded(name: str):
    built = _recorder().build_case(name)
    run = parse_response((HERE / "fixtures" / f"{name}.response").read_bytes(), 600)
    return built, run


def _judge(name: str, **kw):
    built, run = _recorded(name)
    source = (HERE / "fixtures" / f"{name}.lean").read_text()
    report = trusted.read(run.records, built)
    return judge(file=f"{name}.lean", theorems=source_scan.theorems(source), built=built, run=run,
                 findings=report.findings, audit=report.axioms, dialect=harness.WASM, **kw)


@pytest.mark.parametrize("name", ["cheats", "audit_model", "units_model"])
def test_harness_still_builds_the_recorded_file(name):
    built = _recorder().build_case(name)
    assert built.text == (HERE / "fixtures" / f"{name}.built.lean").read_text(encoding="utf-8")


def test_built_file_shifts_model_lines_by_one_and_moves_imports(fixture_text):
    src = "import Std\n-- c\ntheorem t : True := trivial\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["t"], nonce="abc")
    first, second, third, *_ = built.text.splitlines()
    assert first == "import Std noncomputable section"
    assert second.strip() == "" and third == "-- c" and built.line_offset == 1
    assert "axioms" not in built.text  # the audit is the driver's, not the file's
    native = harness.build(src, dialect=harness.NATIVE, theorem_names=["A.«my thm»"], nonce="abc")
    assert native.text.startswith(src) and native.line_offset == 0


def test_the_driver_refuses_an_axiom_before_elaborating_it():
    built, run = _recorded("cheats")
    report = trusted.read(run.records, built)
    (finding,) = report.findings
    assert (finding.kind, finding.line, finding.col) == ("unknown-construct", 3, 1)
    assert "Lean.Parser.Command.axiom" in finding.message and "rewrite" in finding.message
    assert report.declarations == ()  # nothing after the refusal was elaborated
    assert _judge("cheats").verdict == Verdict.UNKNOWN


def test_the_driver_audits_theorems_and_examples():
    built, run = _recorded("audit_model")
    report = trusted.read(run.records, built)
    # library theorems are leaves on this build (their proofs are not shipped); none is local
    assert not [a for a in report.axioms["clean_add"] if a.local]
    assert [a.name for a in report.axioms["clean_em"]] == ["Classical.em"]
    assert "Lean.ofReduceBool" in {a.name for a in report.axioms["by_native"]}
    assert "sorryAx" in {a.name for a in report.axioms["by_sorry"]}
    assert "Lean.ofReduceBool" in {a.name for a in report.axioms["proofroute_example_6"]}
    j = _judge("audit_model")
    ob = {o.name: o.verdict for o in j.obligations}
    # the example's `decide +native` is a finding about the whole file
    assert ob == {
        "clean_add": Verdict.UNKNOWN, "clean_em": Verdict.UNKNOWN,
        "by_native": Verdict.UNKNOWN, "by_sorry": Verdict.UNKNOWN,
        "Deep.Space.inner": Verdict.UNKNOWN, "wrong": Verdict.REFUTED,
    }
    assert j.verdict == Verdict.REFUTED
    by_kind = {(d.kind, d.line) for d in j.diagnostics}
    assert ("unsound", 3) in by_kind and ("sorry", 4) in by_kind and ("error", 9) in by_kind
    assert ("unsound", 5) in by_kind  # the example


def test_shadow_and_core_instance_records_become_findings():
    built = harness.build("theorem t : True := trivial\n", dialect=harness.WASM,
                          theorem_names=["t"], nonce="n")
    report = trusted.read((
        Record("shadow 4 2", "_private.Proof.0.X.False\nFalse"),
        Record("core-instance 2 0", "instAddNat_1\nAdd Nat"),
    ), built)
    shadow, inst = report.findings
    assert (shadow.kind, shadow.line, shadow.col) == ("unsound", 3, 3)
    assert "`X.False` shadows the library's `False`" in shadow.message
    assert inst.kind == "unsound" and "Add Nat" in inst.message and inst.line == 1


def test_units_on_the_kernel_route():
    """Each unit is stated and negated: proved, proved false by the kernel, or unchecked
    (`Float` has no decidable equality; unit 4 has no single value to compare with)."""
    j = _judge("units_model", has_units=True)
    ob = {o.name: (o.verdict, o.detail) for o in j.obligations}
    assert ob == {
        "double_add": (Verdict.VERIFIED, ""), "units": (Verdict.REFUTED, "a unit test failed"),
        "unit 1": (Verdict.VERIFIED, "kernel"), "unit 2": (Verdict.VERIFIED, "kernel"),
        "unit 3": (Verdict.REFUTED, "refuted"), "unit 4": (Verdict.UNKNOWN, "unchecked"),
        "unit 5": (Verdict.UNKNOWN, "unchecked"),
    }  # fmt: skip
    assert j.verdict == Verdict.REFUTED
    (failed,) = [d for d in j.diagnostics if d.kind == "unit-failed"]
    assert "unit test 3 failed: double 3 (expected 7)" in failed.message
    assert "the kernel proved" in failed.message and failed.severity == Severity.ERROR
    unchecked = [d for d in j.diagnostics if d.kind == "unit-unchecked"]
    assert [d.severity for d in unchecked] == [Severity.WARNING] * 2
    assert "unit test 4" in unchecked[0].message
    assert "half 3.0" in unchecked[1].message and "Decidable" in unchecked[1].message
    assert not [d for d in j.diagnostics if d.kind == "sorry"]


def _only_units(built, run, keep):
    """The recorded run as if the units other than `keep` had not been in the file."""
    from dataclasses import replace

    dropped = [s for s in built.units if s.test.index not in keep]
    lines = {n for s in dropped if s.name for n in (s.first_line, s.refutation_line)}
    names = {n for s in dropped for n in (s.name, s.refutation) if n}
    msgs = tuple(m for m in run.messages if (m.line or 0) not in lines)
    records = tuple(r for r in run.records if r.text.split("\n", 1)[0] not in names)
    built2 = replace(built, units=tuple(s for s in built.units if s.test.index in keep),
                     audit_targets=tuple(t for t in built.audit_targets if t not in names))  # fmt: skip
    return built2, RunOutcome(messages=msgs, returncode=0, records=records)


def _judge_recorded(built, run, **kw):
    report = trusted.read(run.records, built)
    source = (HERE / "fixtures" / "units_model.lean").read_text()
    return judge(file="m.lean", theorems=source_scan.theorems(source), built=built, run=run,
                 audit=report.axioms, dialect=harness.WASM, has_units=True, **kw)  # fmt: skip


def test_units_all_passing_verify():
    built, run = _only_units(*_recorded("units_model"), keep={1, 2})
    j = _judge_recorded(built, run)
    assert j.verdict == Verdict.VERIFIED
    assert {o.name: o.verdict for o in j.obligations} == {
        "double_add": Verdict.VERIFIED, "units": Verdict.VERIFIED,
        "unit 1": Verdict.VERIFIED, "unit 2": Verdict.VERIFIED}  # fmt: skip


def test_an_unchecked_unit_is_never_passed_nor_failed():
    built, run = _only_units(*_recorded("units_model"), keep={1, 5})
    j = _judge_recorded(built, run)
    assert j.verdict == Verdict.UNKNOWN
    ob = {o.name: o.verdict for o in j.obligations}
    assert ob["units"] == Verdict.UNKNOWN and ob["unit 5"] == Verdict.UNKNOWN
    assert [d.kind for d in j.diagnostics if d.severity != Severity.INFO] == ["unit-unchecked"]


def test_a_unit_and_its_negation_both_proved_is_not_trusted():
    built, run = _only_units(*_recorded("units_model"), keep={1})
    slot = built.units[0]
    # drop the negation's error: as if Lean had accepted both sides
    run = RunOutcome(messages=tuple(m for m in run.messages if m.line != slot.refutation_line),
                     returncode=0, records=run.records)  # fmt: skip
    report = trusted.read(run.records, built)
    leaves = report.axioms.get(slot.name)
    assert leaves is not None
    j = judge(file="m.lean", theorems=(), built=built, run=run, dialect=harness.WASM,
              audit={**report.axioms, slot.refutation: leaves}, has_units=True)  # fmt: skip
    ob = {o.name: o.verdict for o in j.obligations}
    assert ob == {"units": Verdict.UNKNOWN, "unit 1": Verdict.UNKNOWN}
    assert j.verdict == Verdict.UNKNOWN


def test_missing_audit_answer_is_unknown():
    built, run = _recorded("units_model")
    records = tuple(r for r in run.records if not r.text.startswith("double_add\n"))
    source = (HERE / "fixtures" / "units_model.lean").read_text()
    j = judge(file="m.lean", theorems=source_scan.theorems(source), built=built,
              run=RunOutcome(messages=run.messages, returncode=1, records=records),
              audit=trusted.read(records, built).axioms, dialect=harness.WASM)
    assert {o.name: o.verdict for o in j.obligations}["double_add"] == Verdict.UNKNOWN


def test_timeout_crash_and_missing_module_are_unknown():
    src = "theorem t : True := trivial\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["t"], nonce="n")
    thms = source_scan.theorems(src)
    t = judge(file="f", theorems=thms, built=built, run=RunOutcome(timed_out=True, timeout=5), dialect=harness.WASM)
    assert t.verdict == Verdict.UNKNOWN and t.diagnostics[0].kind == "timeout"
    c = judge(file="f", theorems=thms, built=built, run=RunOutcome(returncode=134, stderr_tail="abort"), dialect=harness.WASM)
    assert c.verdict == Verdict.UNKNOWN and c.diagnostics[0].kind == "crash"
    missing = harness.missing_imports("import Mathlib\n" + src, harness.WASM)
    assert missing == (("Mathlib", 1),)
    m = judge(file="f", theorems=thms, missing_modules=missing, dialect=harness.WASM)
    assert m.verdict == Verdict.UNKNOWN and m.diagnostics[0].kind == "toolchain-mismatch"
    assert "Mathlib" in m.diagnostics[0].message and "--lean-project" in m.diagnostics[0].message


def test_statement_mismatch_makes_the_theorem_unknown():
    task = "theorem t (n : Nat) : n + 0 = n := sorry\n"
    model = "theorem t (n : Nat) : 0 + n = n := by simp\n"
    j = judge(file="f", theorems=source_scan.theorems(model), mismatches=statements.compare(task, model),
              dialect=harness.WASM)
    assert j.verdict == Verdict.UNKNOWN
    assert [d.kind for d in j.diagnostics] == ["statement-mismatch"]


def test_units_parse_matches_fixture(fixture_text):
    assert len(units.parse_units(fixture_text("units_model.units"))) == 5


def test_messages_after_a_theorem_in_another_command_are_not_its_own():
    src = "theorem a : True := trivial\ndef f : Nat := sorry\nexample : 1 = 2 := rfl\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["a"], nonce="n")
    out = "\n".join(json.dumps(m) for m in [
        {"severity": "warning", "data": "declaration uses `sorry`", "pos": {"line": 3, "column": 4}},
        {"severity": "error", "data": "Type mismatch", "pos": {"line": 4, "column": 19}},
    ])
    msgs = parse_json_output(out).messages
    j = judge(file="f", theorems=source_scan.theorems(src), built=built,
              run=RunOutcome(messages=msgs, returncode=1), audit={"a": ()},
              dialect=harness.WASM, commands=source_scan.command_lines(src))
    assert {o.name: o.verdict for o in j.obligations} == {"a": Verdict.VERIFIED}
    assert j.verdict == Verdict.REFUTED  # the file as a whole has an error
    assert [(d.kind, d.line) for d in j.diagnostics if d.severity == Severity.ERROR] == [("sorry", 2), ("error", 3)]


def test_elaborated_statements_are_read_and_compared():
    src = "namespace Evil\ndef double (n : Nat) : Nat := n + n\ntheorem _root_.t (n : Nat) : double n = n + n := rfl\nend Evil\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["t"], nonce="q")

    def report(statement: str, value: str = "", axioms: str = "") -> trusted.TrustedReport:
        return trusted.read((
            Record("decl theorem false 4 0", f"_private.Proof.0.t\n\n{statement}\n"),
            Record("decl def false 3 0", f"double\n{axioms}\nNat -> Nat\n{value}"),
        ), built)

    model = report("forall (x : Nat), Eq.{1} Nat (_private.Proof.0.Evil.double x) x", "n+n")
    assert model.statements["t"] == "forall (x : Nat), Eq.{1} Nat (Evil.double x) x"
    task = report("forall (x : Nat), Eq.{1} Nat (double x) x", "sorry", "I:sorryAx")
    (m,) = trusted.compare(task, model)
    assert m.name == "t" and m.line == 3 and "Evil.double" in m.message
    assert trusted.compare(task, task) == []
    given = report("forall (x : Nat), Eq.{1} Nat (double x) x", "2*n")  # a body the task gives
    (changed,) = trusted.compare(given, report("forall (x : Nat), Eq.{1} Nat (double x) x", "n+n"))
    assert changed.name == "double" and "must stay" in changed.message
    missing = trusted.compare(task, trusted.TrustedReport())
    assert {m.name for m in missing} == {"t", "double"} and all("missing" in m.message for m in missing)
