from __future__ import annotations

from verifier.backends.lean.messages import parse_json_output

from verifier.results import Severity


def test_recorded_output_parses_with_one_based_columns(fixture_text):
    parsed = parse_json_output(fixture_text("audit_import_lean.jsonl"))
    assert parsed.stray == ()
    sorry = [m for m in parsed.messages if m.is_sorry]
    assert len(sorry) == 1
    assert (sorry[0].line, sorry[0].col) == (8, 9)  # Lean said column 8 (0-based)
    assert sorry[0].kind == "hasSorry"
    unknown = [m for m in parsed.messages if m.severity == Severity.ERROR]
    assert unknown[0].text == "Unknown constant `nonexistent`"


def test_both_sorry_spellings_without_kind():
    out = (
        '{"severity":"warning","data":"declaration uses \'sorry\'","pos":{"line":3,"column":0}}\n'
        '{"severity":"warning","data":"declaration uses `sorry`","pos":{"line":4,"column":2}}\n'
        '{"severity":"warning","data":"unused variable","pos":{"line":5,"column":2}}\n'
    )
    msgs = parse_json_output(out).messages
    assert [m.is_sorry for m in msgs] == [True, True, False]
    assert msgs[1].col == 3


def test_non_json_lines_are_kept_as_stray():
    parsed = parse_json_output('hello\n{"broken\n\n{"severity":"error","data":"x"}\n')
    assert parsed.stray == ("hello", '{"broken')
    assert parsed.messages[0].line is None
