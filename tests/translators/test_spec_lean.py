"""spec → Lean 4: golden statements for every example, and the shape FVAPPS uses."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import verifier.specs
from verifier.specs import model as m
from verifier.specs.loader import load_spec
from verifier.translators.spec_lean import lean_type, render_lean

if TYPE_CHECKING:
    from verifier.backends.lean import LeanBackend

EXAMPLES = sorted((Path(verifier.specs.__file__).parent / "examples").glob("*.toml"))
# the valid specs of the acceptance set, written from the docs alone (helpers out of order,
# mutual recursion, `var` bodies, Nat helpers over if-then-else, modified arrays)
ACCEPTANCE = sorted((Path(__file__).parents[1] / "specs" / "acceptance").glob("v*.toml"))
GOLDEN = Path(__file__).parents[1] / "golden" / "spec"
UPDATE = os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_statement(path: Path) -> None:
    text = render_lean(load_spec(path))
    target = GOLDEN / f"{path.stem}.lean"
    if UPDATE or not target.exists():
        target.write_text(text)
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {target}; rerun")
    assert text == target.read_text()


def test_fvapps_shape() -> None:
    spec = load_spec(next(p for p in EXAMPLES if p.stem == "two_sum"))
    text = render_lean(spec)
    assert "def TwoSum (xs : List Int) (target : Int) : Int × Int := sorry" in text
    assert text.count("theorem TwoSum_spec_") == len(spec.ensures)
    assert text.count(":= by\n  sorry") == len(spec.ensures)
    assert "(h0 : (∃ (p : Int) (q : Int)," in text  # requires become hypotheses
    assert "let i := res.1" in text and "let j := res.2" in text


def test_modified_arrays_are_returned_and_old_reads_the_input() -> None:
    text = render_lean(load_spec(next(p for p in EXAMPLES if p.stem == "swap_array")))
    assert "def Swap (a : List Int) (i : Int) (j : Int) : List Int := sorry" in text
    assert "let a' := Swap a i j" in text
    assert "(a'[i.toNat]! = a[j.toNat]!)" in text


def test_recursive_helpers_defer_termination() -> None:
    text = render_lean(load_spec(next(p for p in EXAMPLES if p.stem == "sum")))
    assert "def SumF (xs : List Int) : Int :=" in text
    assert "decreasing_by all_goals sorry" in text


def test_type_mapping() -> None:
    assert lean_type(m.MapType(m.StringType(), m.SeqType(m.NatType()))) == "List (String × List Nat)"
    assert lean_type(m.SeqType(m.CharType())) == "String"
    assert lean_type(m.MultisetType(m.BoolType())) == "List Bool"
    assert lean_type(m.SeqType(m.RealType())) == "List Rat"  # core Lean's exact rationals


def test_reals_are_rat_with_exact_literals_casts_and_floor() -> None:
    text = _lean_of('name = "t"\nsignature = "method F(x: int, y: real) returns (r: real, k: int)"\n'
                    'ensures = ["r == x as real * 1.5 + y", "k == (r / -0.25).Floor", "k == y as int"]\n')
    assert "(x : Int) (y : Rat)" in text
    assert "((x : Int) : Rat) * ((3 : Rat) / 2)) + y" in text
    assert "(((r / ((-1 : Rat) / 4)) : Rat).floor)" in text
    assert "((y : Rat).floor)" in text


@pytest.mark.slow
@pytest.mark.lean
def test_real_lean_elaborates_every_rendered_example(real_lean: LeanBackend) -> None:
    """All statements elaborate; the only complaints are the `sorry`s we put there.

    One Lean run for the whole library (each spec in its own namespace): Lean's start-up
    dominates, so this costs about as much as a single spec."""
    source = "\n".join(
        f"namespace Spec{i}\n{render_lean(load_spec(p))}end Spec{i}\n" for i, p in enumerate(EXAMPLES + ACCEPTANCE)
    )
    result = real_lean.check(source, timeout=900)
    # `String.mk` is deprecated in recent Lean but is what FVAPPS' pinned Lean 4.12 has
    problems = [d for d in result.diagnostics
                if d.kind not in ("sorry", "adaptation") and "has been deprecated" not in d.message]
    assert problems == [], [f"{d.line}:{d.col} {d.message}" for d in problems]
    assert sum(d.kind == "sorry" for d in result.diagnostics) >= len(EXAMPLES)
    assert result.verdict.value != "verified"  # sorry is never a proof


def _lean_of(text: str) -> str:
    from verifier.specs.loader import load_spec_text

    return render_lean(load_spec_text(text, "t.toml"))


def test_helpers_come_callees_first_and_mutual_recursion_is_a_mutual_block() -> None:
    """Dafny takes helpers in any order, Lean only after their definition (a real Lean
    rejected `CountPos` calling `IsPos` defined below it)."""
    out = _lean_of("""name = "h"
signature = "method F(n: nat) returns (b: bool)"
ensures = ["b == (Even(n) && Top(n))"]
[[helpers]]
source = "predicate Top(n: nat) { Even(n) || Odd(n) }"
[[helpers]]
source = "predicate Even(n: nat) decreases n { if n == 0 then true else Odd(n - 1) }"
[[helpers]]
source = "predicate Odd(n: nat) decreases n { if n == 0 then false else Even(n - 1) }"
""")
    assert out.index("mutual\ndef Even") < out.index("def Odd") < out.index("end\n\ndef Top") < out.index("def F ")
    assert out.count("decreasing_by all_goals sorry") == 2  # Even and Odd, not Top


def test_let_with_a_comparison_body_stays_a_prop() -> None:
    out = _lean_of("""name = "l"
signature = "method F(s: seq<int>) returns (b: bool)"
ensures = ["b <==> var c := |s|; 2 * c > 3"]
""")
    assert "((b = true) ↔ (let c := (s.length : Int); ((2 * c) > 3)))" in out
    assert ") = true)" not in out.split("theorem")[1].replace("(b = true)", "")


def test_nat_helper_over_if_is_ascribed_int_before_to_nat() -> None:
    """`(if c then 0 else k + 1).toNat` elaborates the 0 as a Nat and then fails on the
    Int branch (real Lean: "Type mismatch … has type Int but is expected to have type Nat")."""
    out = _lean_of("""name = "n"
signature = "method F(s: seq<int>) returns (r: nat)"
ensures = ["r == C(s)"]
[[helpers]]
source = "function C(s: seq<int>): nat decreases |s| { if |s| == 0 then 0 else (if s[0] > 0 then 1 else 0) + C(s[1..]) }"
""")
    assert ("  (((if ((s.length : Int) = 0) then 0 else ((if (s[0]! > 0) then 1 else 0) + ((C ((s.drop 1))) : Int)))"
            " : Int)).toNat") in out


def test_modified_array_keeps_its_length() -> None:
    """Without this theorem `IncAll a := []` satisfies every `∀ i < a'.length` clause."""
    out = _lean_of("""name = "a"
signature = "method IncAll(a: array<int>)"
modifies = ["a"]
requires = ["a.Length > 0"]
ensures = ["forall i :: 0 <= i < a.Length ==> a[i] == old(a[i]) + 1"]
""")
    assert ("theorem IncAll_spec_length_a (a : List Int) (h0 : ((a.length : Int) > 0)) :\n"
            "    let a' := IncAll a\n    a'.length = a.length := by\n  sorry") in out


MULTIPLICITY_CASES = [  # ensures over multiset multiplicities, one spec each: (signature, ensures)
    ("method F(xs: seq<nat>, x: nat, s: string, ch: char, m: multiset<int>, k: int) returns (c: int)",
     ["c == multiset(xs)[x] + multiset(s)[ch] + m[k] + (m + multiset{k})[k]"]),
    ("method B(bs: seq<bool>, b: bool, k: int) returns (c: nat)",
     ["c == multiset(bs)[true] + multiset(bs)[b && k > 0]"]),
    ("method H<T>(xs: seq<T>, x: T) returns (c: int)", ["c == multiset(xs)[x]"]),  # no (==): Classical
    ("method O<T(==)>(a: array<T>, key: T) returns (b: bool)", ["(multiset(a[..])[key] == 1) <==> b"]),
]
# clauses over constants only: the theorem is then decidable, and `decide` checks the rendering
MULTIPLICITY_FACTS = ['multiset{1, 1, 2}[1] == 2', 'multiset{1, 1, 2}[3] == 0', "multiset(\\\"abca\\\")['a'] == 2",
                      "multiset([true, false, true])[true] == 2", "multiset([-1, 2, -1])[-1] == 2"]


def _spec_text(name: str, signature: str, ensures: list[str]) -> str:
    return f'name = "{name}"\nsignature = "{signature}"\nensures = [{", ".join(chr(34) + e + chr(34) for e in ensures)}]\n'


def test_multiset_multiplicity_is_list_count_as_an_int() -> None:
    sig, ens = MULTIPLICITY_CASES[0]
    text = _lean_of(_spec_text("f", sig, ens))
    assert "((List.count x xs : Nat) : Int)" in text  # a nat element stays a Nat
    assert "((List.count ch s.toList : Nat) : Int)" in text
    assert "((List.count k (m ++ [k]) : Nat) : Int)" in text
    sig, ens = MULTIPLICITY_CASES[1]
    text = _lean_of(_spec_text("b", sig, ens))
    assert "List.count true bs" in text and "List.count (decide ((b = true) ∧ (k > 0))) bs" in text


@pytest.mark.slow
@pytest.mark.lean
def test_real_lean_elaborates_multiplicities_and_decides_their_meaning(real_lean: LeanBackend) -> None:
    """Every rendering elaborates (also for a `T` without `(==)`, through `open Classical`);
    constant clauses are proved by `decide`, and a false one is refused."""
    parts = [_lean_of(_spec_text(f"m{i}", sig, ens)) for i, (sig, ens) in enumerate(MULTIPLICITY_CASES)]
    facts = _lean_of(_spec_text("facts", "method K(u: int) returns (r: int)", MULTIPLICITY_FACTS))
    parts.append(facts.replace(":= by\n  sorry", ":= by\n  intros; decide"))
    wrong = _lean_of(_spec_text("wrong", "method W(u: int) returns (r: int)", ["multiset{1, 1}[1] == 1"]))
    parts.append(wrong.replace(":= by\n  sorry", ":= by\n  intros; decide"))
    source = "\n".join(f"namespace M{i}\n{p}end M{i}\n" for i, p in enumerate(parts))
    result = real_lean.check(source, timeout=900)
    problems = [d for d in result.diagnostics if d.kind not in ("sorry", "adaptation") and d.severity == "error"]
    wrong_line = source[:source.index("namespace M5")].count("\n") + 1
    shown = [f"{d.line}:{d.col} {d.kind} {d.message}" for d in problems]
    assert problems and all(d.line is not None and d.line > wrong_line for d in problems), shown
    assert any("is false" in d.message for d in problems), shown
    assert result.verdict.value != "verified"


# Collections of `nat` meet collections of `int`, and spec names that a rendering's own
# binders could capture (`x` in a set equality, `p` in a map update, `k` in a range).
NAT_AND_NAMES_SIG = ("method F(xs: seq<nat>, ys: seq<int>, x: nat, s: set<nat>, t: set<int>, "
                     "mm: map<int, int>, p: int, k: int) returns (r: seq<nat>)")
NAT_AND_NAMES = [
    "r == xs + [x]", "ys == [x] ==> |ys| == 1", "[x] + ys == ys + [x] ==> true",
    "r == xs + ys ==> true", "x in xs ==> x in r", "s == {x} ==> x in s", "s + {x} == t ==> true",
    "s <= {x, 1} ==> true", "multiset(xs) == multiset{x} ==> |xs| == 1", "x in s - {x} ==> false",
    "mm[p := 1][p] == 1", "|set i | k <= i < k + 3| == 3", "s * {x} == {x} ==> x in s",
]


def test_nat_collections_meet_int_ones_at_one_element_type() -> None:
    """Dafny's `seq<nat>` is a `seq<int>`; Lean's `List Nat` is no `List Int` (a real Lean
    refused `xs ++ [(x : Int)]` with `xs : List Nat`)."""
    text = _lean_of(_spec_text("f", NAT_AND_NAMES_SIG, NAT_AND_NAMES))
    assert "(r = (xs ++ [x]))" in text  # a display of nats follows its Nat partner
    assert "(ys = [(x : Int)])" in text  # ... and an Int one
    assert "((r.map (fun (n : Nat) => (n : Int))) = ((xs.map (fun (n : Nat) => (n : Int))) ++ ys))" in text
    assert "((x ∈ xs) → (x ∈ r))" in text


def test_renderings_bind_no_name_a_spec_can_use() -> None:
    """`s == {x}` once read `∀ x, x ∈ s ↔ x ∈ [x]` (s is everything), `m[p := 1]` filtered
    with `fun p => p.1 ≠ p`, a range from `k` mapped with `fun k => k + k`."""
    text = _lean_of(_spec_text("f", NAT_AND_NAMES_SIG, NAT_AND_NAMES))
    assert "(∀ e₀, e₀ ∈ s ↔ e₀ ∈ [x])" in text
    assert "fun e₀ => e₀.1 ≠ p" in text and "fun (e₀ : Nat) => (k) + (e₀ : Int)" in text
    for captured in ("∀ x,", "fun p ", "fun (k : Nat)", "fun x "):
        assert captured not in text
    assert "∉" not in text  # `term_∉_` is outside the Lean checker's allowlist


@pytest.mark.slow
@pytest.mark.lean
def test_real_lean_elaborates_nat_collections_set_operators_and_char_codes(real_lean: LeanBackend) -> None:
    chars = _lean_of(_spec_text("g", "method G(c: char, k: int) returns (n: int, ch: char)",
                                ["n == (c as int) - ('0' as int)", "ch == k as char"]))
    source = "\n".join(f"namespace N{i}\n{p}end N{i}\n" for i, p in enumerate(
        [_lean_of(_spec_text("f", NAT_AND_NAMES_SIG, NAT_AND_NAMES)), chars]))
    result = real_lean.check(source, timeout=900)
    problems = [f"{d.line}:{d.col} {d.kind} {d.message}" for d in result.diagnostics
                if d.kind not in ("sorry", "adaptation")]
    assert problems == []
    assert sum(d.kind == "sorry" for d in result.diagnostics) >= len(NAT_AND_NAMES)
