from __future__ import annotations

from verifier.backends.lean.units import count_unparsed, parse_units


def test_parse_fvapps_units(fixture_text):
    tests = parse_units(fixture_text("units_model.units"))
    assert [(t.expr, t.expected) for t in tests] == [
        ("double 3", "6"), ("rev [1, 2, 3]", "[3, 2, 1]"), ("double 3", "7"), ("double 4", None),
        ("half 3.0", "1.500000"),
    ]
    assert tests[0].text.startswith("/-- info: 6 -/")


def test_multiline_expected_and_single_line_blocks():
    units = '/-- info: [1,\n 2] -/\n#guard_msgs in #eval f 2\n\n/-- info: "ab" -/\n#guard_msgs in\n#eval g "a"\n'
    tests = parse_units(units)
    assert [(t.expr, t.expected) for t in tests] == [("f 2", "[1, 2]"), ('g "a"', '"ab"')]
    assert count_unparsed(units) == 0
    assert count_unparsed("#eval f 1") == 1
