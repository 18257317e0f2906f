from __future__ import annotations

import pytest
from verifier.backends.lean.source_scan import (
    declarations,
    header_imports,
    mask,
    scan_cheats,
    theorems,
)


def kinds(src: str) -> list[str]:
    return [f.kind for f in scan_cheats(src)]


@pytest.mark.parametrize(
    ("src", "kind"),
    [
        ("theorem t : 1 = 1 := by sorry", "sorry"),
        ("theorem t : 1 = 1 := by admit", "sorry"),
        ("theorem t : 1 = 1 := sorryAx _ false", "sorry"),
        ("axiom a : False", "axiom"),
        ("private axiom a : False", "axiom"),
        ("theorem t : 10 < 20 := by native_decide", "unsound"),
        ("theorem t : True := Lean.ofReduceBool _ _ rfl", "unsound"),
        ("@[implemented_by g] def f (n : Nat) : Nat := n", "unsound"),
        ('@[extern "c_f"] def f (n : Nat) : Nat := n', "unsound"),
        ("unsafe def f : Nat := 1", "unsound"),
        ("set_option debug.skipKernelTC true in\ntheorem t : 1 = 1 := rfl", "unsound"),
        ('macro "decide" : tactic => `(tactic| sorry)', "unsound"),
        ("macro_rules | `(tactic| trivial) => `(tactic| exact myAx.elim)", "unsound"),
        ('syntax "cheat" : tactic', "unsound"),
        ('elab "cheat" : tactic => pure ()', "unsound"),
        ('notation a " ⊕ " b => a + b', "unsound"),
        ('infixl:65 " + " => HMul.hMul', "unsound"),
        ("@[tactic Lean.Parser.Tactic.decide] def myDecide : Lean.Elab.Tactic.Tactic := fun _ => pure ()", "unsound"),
        ("#eval f 3", "unsound"),
        ("run_cmd pure ()", "unsound"),
        ("def main : IO Unit := pure ()", "unsound"),
        ("prelude\ntheorem t : True := trivial", "unsound"),
        ("#exit", "unsound"),
        ("/-- error: x -/\n#guard_msgs in\ntheorem t : 1 = 2 := rfl", "unsound"),
    ],
)
def test_each_cheat_is_found(src, kind):
    assert kind in kinds(src)


def test_clean_proofs_have_no_findings():
    src = """
/-- a docstring mentioning sorry and axiom and #eval -/
theorem t (n : Nat) : n + 0 = n := by simp -- sorry in a comment
set_option maxHeartbeats 400000 in
theorem u (xs : List Nat) : xs ++ [] = xs := by simp
def s : String := "sorry, axiom, native_decide"
theorem my_axiom_free (p : Prop) : p ∨ ¬p := Classical.em p
def n' : Nat := 1
/- nested /- comment with admit -/ still comment -/
"""
    assert scan_cheats(src) == ()


def test_findings_point_at_the_spot():
    (f,) = scan_cheats("theorem t : 1 = 1 := by\n  sorry\n")
    assert (f.line, f.col) == (2, 3)


def test_mask_keeps_length_and_lines():
    src = 'def s := "a\\"b" -- c\n/- d -/ x'
    m = mask(src)
    assert len(m.code) == len(src) and m.code.count("\n") == 1
    assert "a" not in m.code.split(":=")[1]
    assert '"a\\"b"' in m.no_comments


def test_declarations_track_namespaces_and_statements():
    src = """namespace A.B
theorem t1 (n : Nat) :
    n = n := rfl
section S
private theorem t2 : True := trivial
end S
end A.B
theorem _root_.C.t3 : True := by
  trivial
@[simp] lemma t4 : 1 = 1 := rfl
def f : Nat → Nat
  | 0 => 1
  | n + 1 => n
instance : Inhabited Nat := ⟨0⟩
"""
    ds = declarations(src)
    assert [(d.keyword, d.full_name) for d in ds] == [
        ("theorem", "A.B.t1"), ("theorem", "A.B.t2"), ("theorem", "C.t3"),
        ("lemma", "t4"), ("def", "f"),
    ]
    assert " ".join(ds[0].statement.split()) == "(n : Nat) : n = n"
    assert ds[4].statement == ": Nat → Nat"
    assert [t.full_name for t in theorems(src)] == ["A.B.t1", "A.B.t2", "C.t3", "t4"]


def test_header_imports():
    src = "/- header -/\nimport Mathlib.Tactic\nimport Std -- x\ntheorem t : True := trivial\nimport Late"
    assert [m for m, _, _ in header_imports(src)] == ["Mathlib.Tactic", "Std"]
