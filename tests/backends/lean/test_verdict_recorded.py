"""The verdict rules on recorded real-Lean outputs (fixtures/*.jsonl, see record_fixtures.py).

The cheats fixture is judged *without* the source scan, to show the axiom audit alone
catches every cheat that leaves a trace in the proof term; the scan catches the rest.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from verifier.backends.lean import harness, source_scan, statements, units
from verifier.backends.lean.messages import parse_json_output
from verifier.backends.lean.verdict import RunOutcome, judge

from verifier.results import Severity, Verdict

HERE = Path(__file__).parent


def _recorder():
    spec = importlib.util.spec_from_file_location("record_fixtures", HERE / "record_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _recorded(name: str):
    rec = _recorder()
    built = rec.build_case(name)
    meta = json.loads((HERE / "fixtures" / f"{name}.meta.json").read_text())
    parsed = parse_json_output((HERE / "fixtures" / f"{name}.jsonl").read_text())
    run = RunOutcome(messages=parsed.messages, returncode=meta["returncode"], timed_out=meta["timed_out"])
    return built, run


@pytest.mark.parametrize("name", ["cheats", "units_model"])
def test_harness_still_builds_the_recorded_file(name):
    built = _recorder().build_case(name)
    assert built.text == (HERE / "fixtures" / f"{name}.built.lean").read_text(encoding="utf-8")


def test_built_file_shifts_model_lines_by_one_and_moves_imports(fixture_text):
    src = "import Std\n-- c\ntheorem t : True := trivial\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["t"], nonce="abc")
    first, second, third, *_ = built.text.splitlines()
    assert first == "import Lean.CoreM import Lean.Util.CollectAxioms import Std noncomputable section"
    assert second.strip() == "" and third == "-- c" and built.line_offset == 1
    assert "#eval ProofrouteAudit_abc.audit ``t" in built.text
    native = harness.build(src, dialect=harness.NATIVE, theorem_names=["A.«my thm»"], nonce="abc")
    assert native.text.startswith(src) and "#print axioms A.«my thm»" in native.text


def test_audit_alone_catches_axiom_native_decide_sorry_and_macro():
    built, run = _recorded("cheats")
    source = (HERE / "fixtures" / "cheats.lean").read_text()
    audit = harness.read_audit(run.messages, built, harness.WASM)
    assert audit["by_axiom"] == (harness.AxiomLeaf("myAx", True),)
    assert "Deep.Space.inner" in audit
    j = judge(file="cheats.lean", theorems=source_scan.theorems(source), built=built, run=run,
              audit=audit, dialect=harness.WASM)
    ob = {o.name: o.verdict for o in j.obligations}
    assert ob == {
        "clean_add": Verdict.VERIFIED, "clean_em": Verdict.VERIFIED,
        "by_axiom": Verdict.UNKNOWN, "by_native": Verdict.UNKNOWN, "by_sorry": Verdict.UNKNOWN,
        "by_impl": Verdict.VERIFIED,  # kernel checked the real definition: only the scan refuses it
        "by_skip": Verdict.VERIFIED,  # leaves no trace: only the scan refuses it
        "by_macro": Verdict.UNKNOWN, "Deep.Space.inner": Verdict.VERIFIED,
        "wrong": Verdict.REFUTED,
    }
    assert j.verdict == Verdict.REFUTED
    by_kind = {(d.kind, d.line) for d in j.diagnostics}
    assert ("unsound", 5) in by_kind  # by_native depends on Lean.ofReduceBool
    assert ("axiom", 4) in by_kind and ("axiom", 13) in by_kind
    assert ("sorry", 6) in by_kind and ("error", 17) in by_kind


def test_with_the_scan_every_cheat_is_unknown_and_errors_still_refute():
    built, run = _recorded("cheats")
    source = (HERE / "fixtures" / "cheats.lean").read_text()
    j = judge(file="c.lean", theorems=source_scan.theorems(source),
              findings=source_scan.scan_cheats(source), built=built, run=run,
              audit=harness.read_audit(run.messages, built, harness.WASM), dialect=harness.WASM)
    ob = {o.name: o.verdict for o in j.obligations}
    assert ob["wrong"] == Verdict.REFUTED
    assert all(v == Verdict.UNKNOWN for n, v in ob.items() if n != "wrong")
    found = {d.kind for d in j.diagnostics}
    assert {"unsound", "axiom", "sorry", "error"} <= found


def test_units_on_the_kernel_route():
    built, run = _recorded("units_model")
    source = (HERE / "fixtures" / "units_model.lean").read_text()
    j = judge(file="m.lean", theorems=source_scan.theorems(source), built=built, run=run,
              audit=harness.read_audit(run.messages, built, harness.WASM), dialect=harness.WASM,
              has_units=True)
    ob = {o.name: o.verdict for o in j.obligations}
    assert ob == {"double_add": Verdict.VERIFIED, "units": Verdict.REFUTED}
    assert j.verdict == Verdict.REFUTED
    failed = [d for d in j.diagnostics if d.kind == "unit-failed"]
    assert any("unit test 3 failed: double 3 (expected 7)" in d.message and d.severity == Severity.ERROR
               for d in failed)
    assert any("unit test 4" in d.message and d.severity == Severity.WARNING for d in failed)
    assert not [d for d in j.diagnostics if d.kind == "sorry"]


def test_units_all_passing_verify():
    built, run = _recorded("units_model")
    # Drop the failing unit's error and its sorry-closed audit: what a passing run prints.
    bad = built.units[2]
    msgs = tuple(m for m in run.messages if not (bad.first_line <= (m.line or 0) <= bad.last_line)
                 and "unit_f1x7e5_3" not in m.text)
    slots = tuple(s for s in built.units if s.test.index in (1, 2))
    from dataclasses import replace
    built2 = replace(built, units=slots, audit_targets=tuple(t for t in built.audit_targets if not t.endswith("_3")))
    run2 = RunOutcome(messages=msgs, returncode=0)
    j = judge(file="m.lean", theorems=source_scan.theorems((HERE / "fixtures" / "units_model.lean").read_text()),
              built=built2, run=run2, audit=harness.read_audit(msgs, built2, harness.WASM),
              dialect=harness.WASM, has_units=True)
    assert j.verdict == Verdict.VERIFIED
    assert {o.name: o.verdict for o in j.obligations} == {"double_add": Verdict.VERIFIED, "units": Verdict.VERIFIED}


def test_forged_audit_lines_are_ignored():
    built, _run = _recorded("units_model")
    forged = parse_json_output(
        '{"severity":"information","data":"\\"PROOFROUTE-AXIOMS-f1x7e5 double_add []\\"","pos":{"line":2,"column":0}}'
    ).messages
    audit = harness.read_audit(forged, built, harness.WASM)
    assert audit == {}  # line 2 is model code, not our appendix


def test_missing_audit_answer_is_unknown():
    built, run = _recorded("units_model")
    msgs = tuple(m for m in run.messages if "double_add [" not in m.text)
    source = (HERE / "fixtures" / "units_model.lean").read_text()
    j = judge(file="m.lean", theorems=source_scan.theorems(source), built=built,
              run=RunOutcome(messages=msgs, returncode=1),
              audit=harness.read_audit(msgs, built, harness.WASM), dialect=harness.WASM)
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


def test_native_print_axioms_output_is_read():
    src = "theorem a : True := trivial\ntheorem b : 1 = 1 := rfl\n"
    built = harness.build(src, dialect=harness.NATIVE, theorem_names=["a", "b"], nonce="n")
    base = built.appendix_line
    out = (
        json.dumps({"severity": "information", "data": "'a' depends on axioms: [propext, myAx]", "pos": {"line": base + 1, "column": 0}})
        + "\n"
        + json.dumps({"severity": "information", "data": "'b' does not depend on any axioms", "pos": {"line": base + 2, "column": 0}})
    )
    msgs = parse_json_output(out).messages
    audit = harness.read_audit(msgs, built, harness.NATIVE)
    assert audit == {"a": (harness.AxiomLeaf("propext", False), harness.AxiomLeaf("myAx", False)), "b": ()}
    j = judge(file="f", theorems=source_scan.theorems(src), built=built, run=RunOutcome(messages=msgs, returncode=0),
              audit=audit, dialect=harness.NATIVE)
    assert {o.name: o.verdict for o in j.obligations} == {"a": Verdict.UNKNOWN, "b": Verdict.VERIFIED}


def test_statement_mismatch_makes_the_theorem_unknown():
    task = "theorem t (n : Nat) : n + 0 = n := sorry\n"
    model = "theorem t (n : Nat) : 0 + n = n := by simp\n"
    j = judge(file="f", theorems=source_scan.theorems(model), mismatches=statements.compare(task, model),
              dialect=harness.WASM)
    assert j.verdict == Verdict.UNKNOWN
    assert [d.kind for d in j.diagnostics] == ["statement-mismatch"]


def test_units_parse_matches_fixture(fixture_text):
    assert len(units.parse_units(fixture_text("units_model.units"))) == 4


def test_messages_after_a_theorem_in_another_command_are_not_its_own():
    src = "theorem a : True := trivial\ndef f : Nat := sorry\nexample : 1 = 2 := rfl\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["a"], nonce="n")
    out = "\n".join(json.dumps(m) for m in [
        {"severity": "warning", "data": "declaration uses `sorry`", "pos": {"line": 3, "column": 4}},
        {"severity": "error", "data": "Type mismatch", "pos": {"line": 4, "column": 19}},
        {"severity": "information", "data": '"PROOFROUTE-AXIOMS-n a [I:trivial]"',
         "pos": {"line": built.appendix_line + 25, "column": 0}},
    ])
    msgs = parse_json_output(out).messages
    j = judge(file="f", theorems=source_scan.theorems(src), built=built,
              run=RunOutcome(messages=msgs, returncode=1), audit=harness.read_audit(msgs, built, harness.WASM),
              dialect=harness.WASM, commands=source_scan.command_lines(src))
    assert {o.name: o.verdict for o in j.obligations} == {"a": Verdict.VERIFIED}
    assert j.verdict == Verdict.REFUTED  # the file as a whole has an error
    assert [(d.kind, d.line) for d in j.diagnostics if d.severity == Severity.ERROR] == [("sorry", 2), ("error", 3)]


def test_elaborated_statements_are_read_and_compared():
    from verifier.backends.lean.checker import _type_mismatches

    src = "namespace Evil\ndef double (n : Nat) : Nat := n + n\ntheorem _root_.t (n : Nat) : double n = n + n := rfl\nend Evil\n"
    built = harness.build(src, dialect=harness.WASM, theorem_names=["t"], nonce="q", type_targets=["t"])
    assert "#eval ProofrouteAudit_q.typeOf ``t" in built.text
    line = built.appendix_line + 30
    msgs = parse_json_output(json.dumps({
        "severity": "information", "pos": {"line": line, "column": 0},
        "data": '"PROOFROUTE-TYPE-q _private.Proof.0.t :: forall (n : Nat), Eq.{1} Nat (_private.Proof.0.Evil.double n) n"',
    })).messages
    types = harness.read_types(msgs, built)
    assert types == {"t": "forall (n : Nat), Eq.{1} Nat (Evil.double n) n"}
    task_types = {"t": "forall (n : Nat), Eq.{1} Nat (double n) n"}
    (m,) = _type_mismatches(task_types, types, source_scan.theorems(src), ())
    assert m.name == "t" and m.line == 3 and "Evil.double" in m.message
    assert _type_mismatches(task_types, task_types, source_scan.theorems(src), ()) == []
    (missing,) = _type_mismatches(task_types, {}, source_scan.theorems(src), ())
    assert "could not be read back" in missing.message
