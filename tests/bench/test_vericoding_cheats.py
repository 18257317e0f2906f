"""Replies that try to get around a vericoding task's fixed parts: each one must show up as
a contract change on the parse (before any Dafny time is spent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.bench.dafny_contract import ContractParseError, contract_changes
from verifier.bench.dafny_program import candidate
from verifier.bench.program_tasks import load_vericoding, select

TASKS = Path(__file__).parent / "data" / "vericoding" / "tasks.jsonl"


def problems(task_id: str, reply_code: str) -> list[str]:
    task = select(load_vericoding(TASKS), ids=[task_id])[0]
    built = candidate(task, reply_code)
    try:
        found = contract_changes(built.contract, built.program, open_bodies=built.open_bodies)
    except ContractParseError as exc:
        return [f"parse: {exc}"]
    return [str(c) for c in found]


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("closes the method early and redeclares it",
         "{ y := 0; }\nmethod Abs(x: int) returns (y: int)\n  ensures true\n{ y := 0; }\n",
         "`Abs` of the task is missing"),
        ("comments out the ensures",
         "function AbsSpec(x: int): int { if x < 0 then -x else x }\n"
         "method Abs(x: int) returns (y: int)\n  // ensures y == AbsSpec(x)\n{ y := 0; }\n",
         "`Abs`: its ensures differs"),
        ("redefines the spec function in full-file form",
         "function AbsSpec(x: int): int { 0 }\nmethod Abs(x: int) returns (y: int)\n"
         "  ensures y == AbsSpec(x)\n{ y := 0; }\n", "`AbsSpec`: its body differs"),
        ("moves everything into a module",
         "module M {\nfunction AbsSpec(x: int): int { if x < 0 then -x else x }\n"
         "method Abs(x: int) returns (y: int) ensures y == AbsSpec(x) { y := 0; }\n}\n",
         "`AbsSpec` of the task is missing"),
        ("adds a requires", "function AbsSpec(x: int): int { if x < 0 then -x else x }\n"
         "method Abs(x: int) returns (y: int)\n  requires x > 0\n  ensures y == AbsSpec(x)\n"
         "{ y := x; }\n", "`Abs`: its requires differs"),
    ],
)  # fmt: skip
def test_cheats_change_the_contract(name: str, code: str, expected: str) -> None:
    found = problems("VC1", code)
    assert any(expected in p for p in found), (name, found)


def test_honest_answers_keep_it() -> None:
    assert problems("VC1", "{\n  if x < 0 { y := -x; } else { y := x; }\n}\n") == []
    full = ("function AbsSpec(x: int): int\n{\n  if x < 0 then -x else x\n}\n\n"
            "lemma Helper(x: int) ensures AbsSpec(x) >= 0 {}\n\n"
            "method Abs(x: int) returns (y: int)\n  ensures (y == AbsSpec(x));\n"
            "{\n  y := if x < 0 then -x else x;\n}\n")  # fmt: skip
    assert problems("VC1", full) == []
