"""The contract of a Dafny task, compared on the audit's parse: what counts as a change."""

from __future__ import annotations

import pytest

from verifier.bench.dafny_contract import ContractParseError, contract_changes

TASK = """
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

datatype Color = Red | Blue

const Limit: int := 10

method SumTo(n: nat) returns (s: nat)
  requires n < Limit && n >= 0
  ensures s == Sum(n)
{
  s := 0;
  var i := 0;
  while i < n
  {
    i := i + 1;
    s := s + i;
  }
}
"""


def whats(candidate: str, original: str = TASK, **options: object) -> list[tuple[str, str]]:
    return [(c.declaration, c.what) for c in contract_changes(original, candidate, **options)]


def test_the_task_itself_keeps_its_contract() -> None:
    assert whats(TASK) == []


def test_hints_layout_comments_and_equivalent_syntax_are_no_change() -> None:
    candidate = """
// restored
function Sum(n: nat): nat { if n == 0 then 0 else (n + Sum(n - 1)) }
datatype Color = Red | Blue
const Limit: int := 10
lemma Helper(n: nat) ensures Sum(n) >= 0 {}
method SumTo(n: nat) returns (s: nat)
  requires Limit > n;
  requires 0 <= n
  ensures (s == Sum(n));
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n && s == Sum(i)
    decreases n - i
  {
    i := i + 1;
    s := s + i;
    assert s == Sum(i);
  }
}
"""
    assert whats(candidate) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("ensures s == Sum(n)", "ensures s >= 0"), ("SumTo", "ensures")),
        (("requires n < Limit && n >= 0", "requires n < Limit"), ("SumTo", "requires")),
        (("returns (s: nat)", "returns (s: int)"), ("SumTo", "signature")),
        (("then 0 else", "then 1 else"), ("Sum", "body")),
        (("Red | Blue", "Red"), ("Color", "signature")),
        (("const Limit: int := 10", "const Limit: int := 1000"), ("Limit", "signature")),
    ],
)
def test_changes_to_the_contract_are_found(edit: tuple[str, str], expected: tuple[str, str]) -> None:
    found = whats(TASK.replace(*edit))
    assert len(found) == 1
    name, what = found[0]
    assert what == expected[1]
    assert name == expected[0]


def test_a_removed_declaration_is_missing() -> None:
    without = TASK.replace("datatype Color = Red | Blue", "")
    assert whats(without) == [("Color", "missing")]


def test_an_ensures_hidden_in_a_comment_is_a_change() -> None:
    trick = TASK.replace("ensures s == Sum(n)", "// ensures s == Sum(n)")
    assert whats(trick) == [("SumTo", "ensures")]


def test_a_redeclared_method_is_not_two_matches() -> None:
    twice = TASK + "\nmethod SumTo(n: nat) returns (s: nat) ensures true { s := 0; }\n"
    assert whats(twice) == [("SumTo", "missing")]


def test_declarations_moved_into_a_module_are_missing() -> None:
    moved = "module M {\n" + TASK + "\n}\n"
    assert ("SumTo", "missing") in whats(moved)


def test_open_bodies_are_left_to_the_model() -> None:
    original = "function F(x: int): int\n  ensures F(x) >= 0\n{\n  0\n}\n"
    candidate = original.replace("  0\n", "  if x < 0 then -x else x\n")
    assert whats(candidate, original) == [("F", "body")]
    assert whats(candidate, original, open_bodies=["F"]) == []


def test_members_of_classes_are_compared() -> None:
    original = "class C {\n  var v: int\n  method Inc() modifies this ensures v == old(v) + 1 { v := v + 1; }\n}\n"
    weaker = original.replace("ensures v == old(v) + 1", "ensures true")
    assert whats(weaker, original) == [("C.Inc", "ensures")]
    framed = original.replace("modifies this", "")
    assert whats(framed, original) == [("C.Inc", "frames")]


def test_an_unreadable_program_is_an_error_with_its_place() -> None:
    with pytest.raises(ContractParseError, match="line 1"):
        contract_changes(TASK, "method ) (")
