from __future__ import annotations

from dataclasses import replace

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


# --- unit blocks inside the checked file ------------------------------------------------

from verifier.backends.lean.units import (  # noqa: E402
    find_blocks,
    prepare,
    take_file_units,
    take_task_blocks,
)

TASK_UNITS = "/-- info: 6 -/\n#guard_msgs in\n#eval double 3\n\n/-- info: 8 -/\n#guard_msgs in\n#eval double 4\n"

WHOLE_FILE = """\
/-- Doubles. -/
def double (n : Nat) : Nat := 2 * n

/-- info: 6 -/
#guard_msgs   in #eval double 3
theorem double_add (n : Nat) : double n = n + n := by unfold double; omega

/--
info: 8
-/
#guard_msgs in
#eval double 4
"""


def test_blocks_identical_to_the_task_are_taken_out_keeping_lines():
    taken = take_task_blocks(WHOLE_FILE, parse_units(TASK_UNITS))
    assert [b.line for b in taken.taken] == [4, 8] and taken.left == ()
    assert len(taken.source) == len(WHOLE_FILE)
    assert taken.source.splitlines()[5] == WHOLE_FILE.splitlines()[5]  # the theorem stays at line 6
    assert "#eval" not in taken.source and "#guard_msgs" not in taken.source
    assert "/-- Doubles. -/" in taken.source  # a doc comment of a def is not a block


def test_a_changed_or_added_block_stays_and_is_refused_where_it_stands():
    changed = WHOLE_FILE.replace("info: 8", "info: 9") + "\n/-- info: 2 -/\n#guard_msgs in #eval double 1\n"
    prepared = prepare(changed, units=TASK_UNITS, has_task=True)
    assert [b.test.expected for b in take_task_blocks(changed, parse_units(TASK_UNITS)).left] == ["9", "2"]
    assert [(f.kind, f.line, f.col) for f in prepared.refusals] == [("unsound", 8, 1), ("unsound", 14, 1)]
    assert "not one of the task's unit tests" in prepared.refusals[0].message
    assert prepared.tests == parse_units(TASK_UNITS) and prepared.text == TASK_UNITS
    assert "#eval double 4" in prepared.source  # still there: the scan refuses it too


def test_blocks_in_comments_and_strings_are_not_blocks():
    source = ('def s : String := "/-- info: 6 -/ #guard_msgs in #eval double 3"\n'
              "/- /-- info: 6 -/\n#guard_msgs in #eval double 3 -/\n")
    assert find_blocks(source) == ()
    assert take_task_blocks(source, parse_units(TASK_UNITS)).source == source


def test_a_users_file_has_its_blocks_as_units_with_their_lines():
    prepared = prepare(WHOLE_FILE, units=None, has_task=False)
    assert [(t.index, t.expr, t.expected, t.line) for t in prepared.tests] == [
        (1, "double 3", "6", 4), (2, "double 4", "8", 8)]
    assert prepared.from_file and prepared.refusals == ()
    assert parse_units(prepared.text or "") == tuple(
        replace(t, line=None) for t in prepared.tests)
    assert take_file_units("theorem t : True := trivial\n").taken == ()
    assert prepare("theorem t : True := trivial\n", units=None, has_task=False).text is None


def test_a_task_without_units_admits_no_block():
    prepared = prepare(WHOLE_FILE, units=None, has_task=True)
    assert prepared.tests == () and [f.line for f in prepared.refusals] == [4, 8]
    assert "this task has no unit tests" in prepared.refusals[0].message


def test_a_block_never_swallows_the_declaration_after_it():
    (block,) = find_blocks("/-- info: 6 -/\n#guard_msgs in #eval double 3\ntheorem t : True := trivial\n")
    assert block.test.expr == "double 3"


def test_an_indented_block_is_not_a_command_and_stays():
    source = ("theorem t : True := by\n  /-- info: 6 -/\n  #guard_msgs in #eval double 3\n"
              "  trivial\n")
    assert find_blocks(source) == ()
    assert [f.line for f in prepare(source, units=TASK_UNITS, has_task=True).refusals] == []


def test_a_files_unit_cannot_break_out_of_its_theorem_or_smuggle_a_cheat():
    escape = "/-- info: 7 -/\n#guard_msgs in #eval double 4) = (double 4) := rfl theorem x : (0\n"
    cheat = "/-- info: true -/\n#guard_msgs in #eval (by native_decide : double 4 = 8)\n"
    fine = '/-- info: "a)" -/\n#guard_msgs in #eval g "a)"\n'
    prepared = prepare(escape + "\n" + cheat + "\n" + fine, units=None, has_task=False)
    assert [(f.kind, f.line) for f in prepared.refusals] == [("unsound", 1), ("unsound", 4)]
    assert "not one closed term" in prepared.refusals[0].message
    assert "native_decide" in prepared.refusals[1].message
    assert len(prepared.tests) == 3
