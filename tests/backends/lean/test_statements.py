from __future__ import annotations

from verifier.backends.lean.statements import compare, normalize

TASK = """def double (n : Nat) : Nat := sorry

theorem double_add (n : Nat) : double n = n + n := sorry

theorem double_mono (a b : Nat) (h : a ≤ b) : double a ≤ double b := sorry
"""


def test_normalize_ignores_layout_and_ascii_spellings():
    assert normalize("(a b:Nat)  (h : a <= b) :\n  f a ->  f b") == normalize("(a b : Nat) (h : a ≤ b) : f a → f b")
    assert normalize("(n : Nat) : f n = 1") != normalize("(m : Nat) : f m = 1")
    assert normalize('f "a b" = 1') != normalize('f "a  b" = 1')


def test_model_may_add_lemmas_and_reformat():
    model = """def double (n : Nat) : Nat := 2 * n
theorem helper (n : Nat) : 2 * n = n + n := by omega
theorem double_add (n : Nat) :
    double n = n + n := by unfold double; omega
-- comment
theorem double_mono (a b : Nat) (h : a <= b) : double a ≤ double b := by
  unfold double; omega
"""
    assert compare(TASK, model) == ()


def test_changed_dropped_and_weakened_statements_are_mismatches():
    model = """def double (n : Nat) : Nat := 2 * n
theorem double_add (n : Nat) (h : n = 0) : double n = n + n := by subst h; rfl
"""
    found = {m.name: m for m in compare(TASK, model)}
    assert set(found) == {"double_add", "double_mono"}
    assert "does not have the task's statement" in found["double_add"].message
    assert found["double_add"].line == 2
    assert "missing" in found["double_mono"].message


def test_changed_definition_signature_is_a_mismatch():
    model = TASK.replace("def double (n : Nat) : Nat := sorry", "def double (n : Nat) : Int := 2 * n")
    (m,) = compare(TASK, model)
    assert m.name == "double" and "definition" in m.message


def test_theorem_turned_into_def_is_missing():
    model = TASK.replace("theorem double_mono", "def double_mono")
    (m,) = compare(TASK, model)
    assert m.name == "double_mono"


def test_same_text_in_another_context_is_a_mismatch():
    in_namespace = TASK.replace(
        "theorem double_add (n : Nat) : double n = n + n := sorry",
        "namespace Evil\ndef double (n : Nat) : Nat := n + n\n"
        "theorem _root_.double_add (n : Nat) : double n = n + n := rfl\nend Evil",
    )
    opened = TASK.replace(
        "theorem double_add (n : Nat) : double n = n + n := sorry",
        "open Evil in\ntheorem double_add (n : Nat) : double n = n + n := rfl",
    )
    for model in (in_namespace, opened):
        (m,) = compare(TASK, model)
        assert m.name == "double_add" and "another context" in m.message
    assert compare(TASK, "open Nat\n" + TASK) == ()


def test_a_change_after_a_let_in_the_statement_is_a_mismatch() -> None:
    """The header ends at the declaration's own `:=`, not at the one of a `let` inside it."""
    task = (
        "def Abs (x : Int) : Int := sorry\n\n"
        "theorem Abs_spec (x : Int) : let y := Abs x; y ≥ 0 ∧ (y = x ∨ y = -x) := sorry\n"
    )
    weakened = task.replace("y ≥ 0 ∧ (y = x ∨ y = -x)", "y ≥ 0")
    (m,) = compare(task, weakened)
    assert m.name == "Abs_spec" and "does not have the task's statement" in m.message
    assert compare(task, task) == ()
    with_have = task.replace("let y := Abs x;", "have h : True := trivial; let y := Abs x;")
    assert [x.name for x in compare(task, with_have)] == ["Abs_spec"]
