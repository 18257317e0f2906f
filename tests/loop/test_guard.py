"""The guard: contract equality after normalization, escape hatches, extraction."""

from __future__ import annotations

from pathlib import Path

import loop_replies as R
import pytest
from verifier.specs.loader import load_spec
from verifier.translators.dafny_lexical import code_only
from verifier.translators.dafny_to_python import translate

from verifier.routes.dafny_guard import ContractGuard, extract_program


@pytest.fixture(scope="module")
def max_guard() -> ContractGuard:
    return ContractGuard(load_spec(R.MAX_SPEC), translate=translate)


@pytest.fixture(scope="module")
def count_guard() -> ContractGuard:
    return ContractGuard(load_spec(R.COUNT_SPEC), translate=translate)


def test_correct_program_passes_and_is_translated(max_guard: ContractGuard) -> None:
    verdict = max_guard.check(R.fenced(R.MAX_OK))
    assert verdict.ok, verdict.summary()
    assert verdict.program == R.MAX_OK
    assert "def MaxOfList" in verdict.translation.text


def test_layout_changes_are_not_contract_changes(max_guard: ContractGuard) -> None:
    verdict = max_guard.check(R.fenced(R.MAX_OK_REWRITTEN))
    assert verdict.ok, verdict.summary()


@pytest.mark.parametrize(
    ("cheat", "kind"),
    [
        ("assume", "assume"),
        ("verify_false", "attribute"),
        ("bodyless_lemma", "bodyless"),
        ("bodyless_trait_lemma", "bodyless"),
        ("axiom_attribute", "attribute"),
        ("extern_bodyless", "bodyless"),
        ("weakened_ensures", "contract"),
        ("ensures_made_true", "contract"),
        ("extra_requires", "contract"),
        ("changed_signature", "signature"),
        ("decreases_star", "decreases-star"),
        ("assume_in_calc_hint", "assume"),
        ("expect", "expect"),
        ("termination_false", "attribute"),
    ],
)
def test_cheats_are_refused(max_guard: ContractGuard, cheat: str, kind: str) -> None:
    verdict = max_guard.check(R.fenced(R.CHEATS[cheat]))
    assert not verdict.ok
    assert kind in {p.kind for p in verdict.problems}, verdict.summary()
    assert verdict.translation is None


def test_changed_ensures_feedback_names_the_spec_clause(max_guard: ContractGuard) -> None:
    verdict = max_guard.check(R.fenced(R.CHEATS["weakened_ensures"]))
    (problem,) = [p for p in verdict.problems if p.kind == "contract"]
    assert "exists i :: 0 <= i < |xs| && xs[i] == m" in problem.message


def test_redefined_spec_helper_is_refused(count_guard: ContractGuard) -> None:
    verdict = count_guard.check(R.fenced(R.COUNT_REDEFINED_HELPER))
    assert not verdict.ok
    assert [p.kind for p in verdict.problems] == ["helper"]


def test_missing_spec_helper_is_completed_from_the_contract(count_guard: ContractGuard) -> None:
    """The spec gives its helpers, so a reply may leave them out: the guard appends them
    as the contract renders them (after the reply, so its line numbers still hold)."""
    verdict = count_guard.check(R.fenced(R.COUNT_METHOD))
    assert verdict.ok, verdict.summary()
    assert verdict.completed == ("CountEven",)
    assert verdict.program is not None
    assert verdict.program.startswith(R.COUNT_METHOD.rstrip("\n"))
    assert verdict.program.endswith(R.COUNT_HELPER)
    assert count_guard.check_program(verdict.program).completed == ()  # recheck sees it whole


def test_a_helper_hidden_in_a_trailing_comment_is_not_completed(count_guard: ContractGuard) -> None:
    """An unclosed comment at the end would swallow the appended helper: the guard judges
    the completed text as Dafny reads it, so the helper is still missing."""
    verdict = count_guard.check(R.fenced(R.COUNT_METHOD + "/*\n"))
    assert not verdict.ok and [p.kind for p in verdict.problems] == ["missing"]


def test_compiled_copy_of_spec_helper_is_allowed(count_guard: ContractGuard) -> None:
    assert count_guard.check(R.fenced(R.COUNT_OK_COMPILED_HELPER)).ok


def test_dropped_modifies_is_refused() -> None:
    guard = ContractGuard(load_spec(R.FILL_SPEC))
    assert guard.check(R.fenced(R.FILL_OK)).ok
    verdict = guard.check(R.fenced(R.FILL_NO_MODIFIES))
    assert not verdict.ok
    assert "modifies" in verdict.problems[0].message


@pytest.mark.parametrize("reply", R.GARBAGE, ids=["refusal", "empty", "python", "truncated", "class"])
def test_garbage_is_refused(max_guard: ContractGuard, reply: str) -> None:
    verdict = max_guard.check(reply)
    assert not verdict.ok
    assert verdict.problems[0].kind in {"no-program", "missing", "parse", "unsupported"}


def test_words_in_comments_and_strings_do_not_trip_the_scan(max_guard: ContractGuard) -> None:
    commented = R.MAX_OK.replace("  m := xs[0];", "  // we never assume {:verify false} here\n  m := xs[0];")
    assert max_guard.check(R.fenced(commented)).ok
    assert "assume" not in code_only('var s := "assume"; /* assume /* nested */ */')


def test_extraction_prefers_the_last_dafny_block_with_a_method() -> None:
    reply = "Draft:\n```dafny\nmethod A() {}\n```\nFinal:\n```dafny\nmethod B() {}\n```\n```text\nx\n```"
    assert extract_program(reply) == "method B() {}\n"
    assert extract_program("Sure.\nmethod C() {}\n") == "method C() {}\n"
    assert extract_program("no code at all") is None


def test_verbatim_strings_cannot_hide_an_assume(max_guard: ContractGuard) -> None:
    hidden = R.MAX_OK.replace("  m := xs[0];", '  var s := @"\\"; assume false; var t := "x";\n  m := xs[0];')
    verdict = max_guard.check(R.fenced(hidden))
    assert not verdict.ok
    assert "assume" in {p.kind for p in verdict.problems} or verdict.problems[0].kind == "parse"


FIGURE_SPEC = Path(__file__).resolve().parents[2] / "specs" / "examples" / "scale_figure.toml"
FIGURE_METHOD = """method ScaleFigure(f: Figure, k: int) returns (g: Figure)
  requires k >= 0
  ensures g.Disc? <==> f.Disc?
  ensures g.Box? <==> f.Box?
  ensures f.Disc? ==> g == Disc(f.r * k)
  ensures f.Box? ==> g.w == f.w * k && g.h == f.h * k
  ensures f == Dot ==> g == Dot
  ensures FigureArea(g) == k * k * FigureArea(f)
{
  match f
  case Dot => g := Dot;
  case Disc(r) => g := Disc(r * k);
  case Box(w, h) => g := Box(w * k, h * k);
}
"""


def test_a_missing_spec_datatype_is_completed_and_a_redefined_one_refused() -> None:
    guard = ContractGuard(load_spec(FIGURE_SPEC), translate=translate)
    verdict = guard.check_program(FIGURE_METHOD)
    assert verdict.ok, verdict.problems
    assert verdict.completed == ("Figure", "FigureArea")
    assert "datatype Figure = Dot | Disc(r: int) | Box(w: int, h: int)" in (verdict.program or "")
    # a reply that drops a constructor would make `f.Box? ==> ...` vacuous: refused
    narrowed = "datatype Figure = Dot | Disc(r: int)\n" + FIGURE_METHOD.replace("  case Box(w, h) => g := Box(w * k, h * k);\n", "")
    verdict = guard.check_program(narrowed)
    assert not verdict.ok
    assert any(p.kind == "datatype" and "the spec datatype Figure was redefined" in p.message and p.line == 1
               for p in verdict.problems), verdict.problems
