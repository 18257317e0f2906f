"""Fast regression tests (no Dafny) for the bugs the acceptance sessions found.

Each of the first three let a cheating candidate through the guard, and Dafny 2.3 then
verified it (checked by hand with the real Dafny before the fix; the end-to-end proof
that they stay refused is the `cheats_then_honest` session in test_acceptance.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from build_sessions import (
    CAPPED_SUMF,
    GOAL,
    SUM_CAPPED_BODY,
    SUM_HEAD,
    SUM_HONEST,
    SUMF,
    fence,
    sum_prog,
)

from verifier.api import load
from verifier.llm.replay import load_replies
from verifier.routes.dafny_guard import ContractGuard, extract_program
from verifier.sandbox.containment import _remove_tree
from verifier.transcript import Transcript, read_transcript

EXAMPLES = Path(__file__).resolve().parents[3] / "specs" / "examples"


@pytest.fixture(scope="module")
def guard() -> ContractGuard:
    spec, _ = load(EXAMPLES / "sum.toml")
    return ContractGuard(spec)


def kinds(guard: ContractGuard, program: str) -> set[str]:
    verdict = guard.check(fence(program))
    assert not verdict.ok
    return {p.kind for p in verdict.problems}


def test_honest_program_is_accepted(guard: ContractGuard) -> None:
    assert guard.check(fence(SUM_HONEST)).ok


def test_assume_after_a_lone_carriage_return_is_refused(guard: ContractGuard) -> None:
    """Dafny ends a `//` comment at `\\r`; the guard used to read the assume as comment."""
    program = sum_prog(tail="  // the loop computes it\rassume s == SumF(xs);\n")
    assert "assume" in kinds(guard, program)
    assert "\r" not in (extract_program(fence(program)) or "")
    assert extract_program("```dafny\r\nmethod M() {}\r\n```") == "method M() {}\n"


def test_inline_attribute_is_refused(guard: ContractGuard) -> None:
    """`lemma {:inline 1} L() ensures P { L(); }` made Dafny verify any P."""
    program = sum_prog("lemma {:inline 1} Trust" + GOAL + "{\n  Trust(xs, s);\n}\n", "  Trust(xs, s);\n")
    assert "attribute" in kinds(guard, program)


def test_helper_hidden_in_a_nested_comment_is_refused(guard: ContractGuard) -> None:
    """Dafny nests block comments, the parser did not: the guard compared the hidden
    (correct) helper while Dafny used the capped one after it."""
    program = ("/* reference: /* */\n" + SUMF + "// */\n" + CAPPED_SUMF + "\n" + SUM_HEAD
               + SUM_CAPPED_BODY)
    found = kinds(guard, program)
    assert "comment" in found and "helper" in found  # the parser now sees what Dafny sees


def test_duplicate_declarations_are_refused(guard: ContractGuard) -> None:
    program = SUMF + "\n" + CAPPED_SUMF + "\n" + SUM_HEAD + SUM_CAPPED_BODY
    assert "duplicate" in kinds(guard, program)


def test_bodyless_forall_statement_is_refused(guard: ContractGuard) -> None:
    program = sum_prog(tail="  forall ys: seq<int> | ys == xs\n    ensures s == SumF(ys)\n")
    assert "bodyless" in kinds(guard, program)


@pytest.mark.parametrize("reply", [
    "```lean\ntheorem t : 1 = 1 := by sorry\n```",
    "```python\ndef Sum(xs):\n    return sum(xs)\n```",
])
def test_a_block_in_another_language_is_no_program(guard: ContractGuard, reply: str) -> None:
    verdict = guard.check(reply)
    assert [p.kind for p in verdict.problems] == ["no-program"]


def test_a_mislabelled_dafny_block_is_still_read(guard: ContractGuard) -> None:
    assert guard.check(fence(SUM_HONEST, "csharp")).ok


def test_transcript_with_line_separators_stays_a_replay_file(tmp_path: Path) -> None:
    """A reply holding U+2028 was written raw and split in two by `splitlines()`."""
    reply = "```dafny\n// a\u2028b\x85c\u2029\nmethod M() {}\n```"
    transcript = Transcript()
    transcript.add("response", content=reply)
    path = tmp_path / "t.jsonl"
    transcript.write(path)
    assert len(path.read_text("utf-8").splitlines()) == 2  # header + response
    assert read_transcript(path)[1]["content"] == reply
    assert [r.content for r in load_replies(path)] == [reply]
    raw = tmp_path / "raw.jsonl"  # written by another tool, characters left raw
    raw.write_text(json.dumps({"content": reply}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [r.content for r in load_replies(raw)] == [reply]


def test_removing_a_vanished_tree_leaves_its_parent_alone(tmp_path: Path) -> None:
    """The sandbox's cleanup chmod-ed the parent of a tree whose removal failed at the
    root to 0o700; for a scratch dir that parent is /tmp, which then locked every other
    sandbox child out (the quick test silently ran nothing)."""
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o1777)
    _remove_tree(parent / "already-gone")
    assert parent.stat().st_mode & 0o7777 == 0o1777
    inner = parent / "tree" / "sub"
    inner.mkdir(parents=True)
    (inner / "f").write_text("x")
    inner.chmod(0)
    _remove_tree(parent / "tree")
    assert not (parent / "tree").exists() and os.stat(parent).st_mode & 0o7777 == 0o1777


BS_SIG = "method BinarySearch(a: array<int>, key: int) returns (index: int)"
BS_BODY = "{\n  index := -1;\n}\n"


def bs_kinds(clauses: list[str]) -> set[str]:
    spec, _ = load(EXAMPLES / "binary_search.toml")
    program = BS_SIG + "\n" + "".join(f"  {c}\n" for c in clauses) + BS_BODY
    return {p.kind for p in ContractGuard(spec).check(fence(program)).problems}


def test_equivalent_contract_rewrites_are_accepted() -> None:
    """Chains written out, parentheses, clause order: the same contract to Dafny."""
    assert "contract" not in bs_kinds([
        "requires forall i, j :: 0 <= i && i < j && j < a.Length ==> a[i] <= a[j]",
        "ensures index == -1 ==> (forall k :: (0 <= k < a.Length) ==> a[k] != key)",
        "ensures (-1 <= index) && (index < a.Length)",
        "ensures index >= 0 ==> (a[index] == key && forall k :: 0 <= k < index ==> a[k] != key)",
    ])


@pytest.mark.parametrize("changed", [
    "ensures (index >= 0 ==> a[index] == key) && forall k :: 0 <= k < index ==> a[k] != key",
    "ensures index >= 0 ==> a[index] == key && forall k :: 0 < k < index ==> a[k] != key",
    "ensures index >= 0 ==> a[index] == key && forall k :: 0 <= k <= index ==> a[k] != key",
])
def test_contract_rewrites_that_change_meaning_are_refused(changed: str) -> None:
    assert "contract" in bs_kinds([
        "requires forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]",
        "ensures -1 <= index < a.Length",
        changed,
        "ensures index == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != key",
    ])


def test_quick_test_that_ran_nothing_says_so() -> None:
    """With /tmp locked (the sandbox bug above) every input came back "not_run" and the
    record said `inputs: 52` with five notes about a 20 s start-up timeout: a quick test
    that tested nothing looked like one that passed. A child that cannot start (here: an
    8 MB memory limit) must give inputs=0 and one clear note; it still never refutes."""
    import dataclasses

    from build_sessions import ABS_OK
    from verifier.backends.dafny.dialect import DAFNY2

    from verifier.quicktest import QUICK_LIMITS, QuickTester, examples_inputs
    from verifier.routes.dafny import translator

    spec, _ = load(EXAMPLES / "abs.toml")
    verdict = ContractGuard(spec, DAFNY2, translate=translator(DAFNY2)).check(fence(ABS_OK))
    starved = dataclasses.replace(QUICK_LIMITS, memory_bytes=8 << 20)
    result = QuickTester(spec, verdict.translation, limits=starved).run(examples_inputs(spec))
    assert not result.refuted and result.inputs == 0
    assert len(result.notes) == 1 and result.notes[0].startswith("could not run the candidate")
