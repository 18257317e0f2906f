from __future__ import annotations

from pathlib import Path

import pytest

from verifier.bench import lean_source as ls
from verifier.bench.fvapps_data import load_tasks


def test_sample_specs_split_into_definitions_and_theorems(sample_dir: Path) -> None:
    parts = {t.apps_id: ls.split_spec(t.spec) for t in load_tasks(sample_dir / "tasks.jsonl")}
    assert parts["fvs_sum"].definition_names == ("listSum",)
    assert parts["fvs_sum"].theorem_names == ("listSum_nil", "listSum_append")
    # a statement spanning lines stays whole
    assert parts["fvs_sum"].theorem("listSum_append").text.endswith(":=\n  sorry")
    assert parts["fvs_triple"].theorem_names == ("triple_ge", "triple_mod", "triple_add", "triple_two")
    mathlib = parts["fvs_mathlib"]
    assert [d.text for d in mathlib.preamble] == ["import Mathlib"]
    assert mathlib.definition_names == ("sumSq",)


def test_comments_attributes_and_docstrings_stay_with_their_declaration() -> None:
    spec = """open Nat

/-- the answer -/
def f (n : Nat) : Nat :=
  sorry

/- a block comment that mentions
theorem not_a_theorem : True := sorry
-/
@[simp]
theorem f_zero : f 0 = 0 := sorry

-- a line comment
theorem f_le (n : Nat) :
    f n ≤ n :=
  sorry
"""
    parts = ls.split_spec(spec)
    assert parts.theorem_names == ("f_zero", "f_le")
    assert parts.definitions[0].text.startswith("/-- the answer -/\ndef f")
    assert parts.theorem("f_zero").text.startswith("/- a block comment")
    assert "@[simp]\ntheorem f_zero" in parts.theorem("f_zero").text
    assert parts.theorem("f_le").text.startswith("-- a line comment\ntheorem f_le")
    assert [d.keyword for d in parts.preamble] == ["open"]


def test_mutual_block_is_one_declaration_with_all_its_names() -> None:
    text = """mutual
def isEven : Nat → Bool
  | 0 => true
  | n + 1 => isOdd n
def isOdd : Nat → Bool
  | 0 => false
  | n + 1 => isEven n
end

theorem t : isEven 0 = true := rfl
"""
    decls = ls.parse_decls(text)
    assert [d.keyword for d in decls] == ["mutual", "theorem"]
    assert ls.declared_names(decls) == {"isEven", "isOdd", "t"}


def test_spec_errors() -> None:
    with pytest.raises(ls.SpecSplitError, match="stated twice"):
        ls.split_spec("theorem a : True := sorry\n\ntheorem a : True := sorry\n")


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("Sure:\n```lean\ndef f := 1\n```\nDone.", "def f := 1"),
        ("```\ndef g := 2\n```", "def g := 2"),
        ("```lean4\ndef a := 1\n```\nthen\n```lean\ndef b := 2\n```", "def b := 2"),
        ("```python\nx = 1\n```\n```lean\ndef c := 3\n```", "def c := 3"),
        ("def bare := 4\n", "def bare := 4"),
    ],
)
def test_code_is_extracted_from_fenced_or_bare_replies(reply: str, code: str) -> None:
    assert ls.extract_code(reply) == code


def test_stage_one_source_drops_copied_theorems_and_hoists_imports() -> None:
    parts = ls.split_spec(
        "import Std\n\ndef f (n : Nat) : Nat :=\n  sorry\n\ntheorem f_pos : f 0 = 0 := sorry\n"
    )
    reply = "import Std\nimport Std.Data\n\ndef f (n : Nat) : Nat := 0\n\ntheorem f_pos : f 0 = 0 := sorry\n"
    kept, source = ls.definitions_source(parts, reply)
    assert "theorem" not in kept and "def f (n : Nat) : Nat := 0" in kept
    assert source.startswith("import Std\nimport Std.Data\n\n")
    assert source.count("import Std\n") == 1
    assert ls.missing_definitions(parts, reply) == ()
    assert ls.missing_definitions(parts, "def g := 1") == ("f",)
    assert ls.definitions_task(parts).count("theorem") == 0


def test_stage_two_source_keeps_checked_definitions_and_only_this_theorem() -> None:
    parts = ls.split_spec(
        "def f (n : Nat) : Nat :=\n  sorry\n\ntheorem a : f 0 = 0 := sorry\n\ntheorem b : f 1 = 1 := sorry\n"
    )
    definitions = "def f (n : Nat) : Nat := n"
    reply = (
        "def f (n : Nat) : Nat := 7\n\n"  # a repeated (here: changed) definition is dropped
        "theorem b : f 1 = 1 := sorry\n\n"  # another task theorem cannot be assumed
        "theorem helper : f 0 = 0 := rfl\n\n"
        "theorem a : f 0 = 0 := helper\n"
    )
    source = ls.theorem_source(parts, definitions, reply, "a")
    assert "def f (n : Nat) : Nat := n" in source
    assert ":= 7" not in source and "theorem b" not in source
    assert "theorem helper" in source and "theorem a : f 0 = 0 := helper" in source
    task = ls.theorem_task(parts, "a")
    assert "theorem a : f 0 = 0 := sorry" in task and "theorem b" not in task


def test_the_tasks_own_unit_blocks_are_taken_out_of_a_whole_file_reply() -> None:
    units = "/-- info: 6 -/\n#guard_msgs in\n#eval double 3\n"
    reply = ("def double (n : Nat) : Nat := 2 * n\n\n/-- info: 6 -/\n#guard_msgs in\n#eval double 3\n"
             "\n/-- info: 7 -/\n#guard_msgs in\n#eval double 3\n")
    kept = ls.without_task_units(reply, units)
    assert kept.count("\n") == reply.count("\n")
    assert kept.count("#eval") == 1 and "info: 7" in kept  # the changed copy stays (refused)
    assert ls.without_task_units(reply, "") == reply
