"""The cross-check: Dafny's Boogie program and per-procedure report against the parsed
callables. Each case runs the real Dafny 2.3 (`/trace /print`) and checks what the
cross-check alone concludes, independently of the audit and the soundness scan."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from verifier.backends.dafny.audit import audit
from verifier.backends.dafny.cold import read_boogie_files
from verifier.backends.dafny.crosscheck import (
    CROSSCHECK_KIND,
    ExpectedCallable,
    crosscheck,
    escape,
    owner,
    read_boogie,
)
from verifier.backends.dafny.output import parse_output
from verifier.backends.dafny.toolchain import discover
from verifier.backends.dafny.verdict import expected_callables

from verifier.results import Diagnostic

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dafny,
    pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed"),
]

NAMES = """module Outer_m {
  module Inner__n {
    lemma in_inner() ensures 1 + 1 == 2 {}
  }
  class Box_b {
    var v: int
    constructor () ensures v == 0 { v := 0; }
    constructor with_v(x: int) ensures v == x { v := x; }
    method set__v(x: int) modifies this ensures v == x { v := x; }
    lemma in_class() ensures 2 + 2 == 4 {}
    function twice'(x: int): int ensures twice'(x) == 2 * x { x + x }
  }
  method under_score(x: int) returns (y: int) ensures y == x { y := x; }
}
method top?q(x: nat) returns (y: nat) ensures y >= x { y := x + 1; }
inductive predicate Even(n: nat) { n == 0 || (n >= 2 && Even(n - 2)) }
inductive lemma EvenIsEven(n: nat) requires Even(n) ensures n % 2 == 0 {}
iterator Count(k: nat) yields (i: nat) ensures true { var j := 0; while j < k { i := j; yield; j := j + 1; } }
function Len(s: seq<int>): nat ensures Len(s) == |s| { |s| }
"""


def run(source: str, tmp_path: Path) -> tuple[parse_output, tuple[str, ...]]:  # type: ignore[valid-type]
    """Dafny's report and Boogie program for `source` (the cold command line's options)."""
    tc = discover()
    (tmp_path / "p.dfy").write_text(source)
    bpl = tmp_path / "bpl"
    bpl.mkdir(exist_ok=True)
    argv = tc.dialect.verify_argv(
        tc.dafny, "p.dfy", time_limit=20, z3=tc.z3, print_file=str(bpl / "p.bpl")
    )
    out = subprocess.run(
        argv, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    boogie = read_boogie_files(bpl)
    assert boogie is not None, out.stdout
    return parse_output(out.stdout), boogie


def check(
    source: str, tmp_path: Path, expected: tuple[ExpectedCallable, ...] | None = None
) -> list[Diagnostic]:
    parsed, boogie = run(source, tmp_path)
    exp = expected_callables(audit(source)) if expected is None else expected
    return crosscheck(exp, read_boogie(boogie), parsed.procedures, parsed.diagnostics, "p.dfy")


def test_escape_follows_dafny_boogie_names() -> None:
    assert escape("a_b") == "a__b"
    assert escape("c__d") == "c____d"
    assert escape("e'") == "e_k"
    assert escape("f?q") == "f_qq"
    assert escape("L#") == "L_h"


def test_names_with_underscores_classes_modules_map_and_agree(tmp_path: Path) -> None:
    parsed, boogie = run(NAMES, tmp_path)
    expected = expected_callables(audit(NAMES))
    assert all(p.status == "verified" for p in parsed.procedures), parsed.procedures
    owners = {p.boogie_name: owner(p.boogie_name, expected) for p in parsed.procedures}
    named = {k: (v.name, v.container, v.module_path) if v else None for k, v in owners.items()}
    assert named["Impl$$_0_Inner____n.__default.in__inner"] == (
        "in_inner",
        None,
        ("Outer_m", "Inner__n"),
    )
    assert named["Impl$$_1_Outer__m.Box__b.__ctor"] == ("", "Box_b", ("Outer_m",))
    assert named["Impl$$_1_Outer__m.Box__b.with__v"] == ("with_v", "Box_b", ("Outer_m",))
    assert named["Impl$$_1_Outer__m.Box__b.set____v"] == ("set__v", "Box_b", ("Outer_m",))
    assert named["CheckWellformed$$_1_Outer__m.Box__b.twice_k"] == ("twice'", "Box_b", ("Outer_m",))
    assert named["Impl$$_1_Outer__m.__default.under__score"] == ("under_score", None, ("Outer_m",))
    assert named["Impl$$_module.__default.top_qq"] == ("top?q", None, ())
    assert named["Impl$$_module.__default.EvenIsEven_h"] == ("EvenIsEven", None, ())
    assert named["Impl$$_module.Count"] == ("Count", None, ())
    assert all(v is not None for v in owners.values()), owners
    assert (
        crosscheck(expected, read_boogie(boogie), parsed.procedures, parsed.diagnostics, "p.dfy")
        == []
    )


def test_a_lemma_dafny_does_not_verify_is_caught_by_the_crosscheck_alone(tmp_path: Path) -> None:
    source = (
        "lemma {:verify false} Skipped() ensures false {}\n"
        "method UsesIt() ensures 1 == 2 { Skipped(); }\n"
    )
    found = check(source, tmp_path)
    missing = [d for d in found if d.kind == CROSSCHECK_KIND]
    assert len(missing) == 1, found
    assert (
        "Impl$$_module.__default.Skipped" in missing[0].message
        and "did not verify" in missing[0].message
    )
    assert (missing[0].line, missing[0].col) == (1, 1)


def test_a_body_the_parse_imagines_or_misses_is_a_disagreement(tmp_path: Path) -> None:
    source = "lemma Axiom() ensures false\nlemma Proved() ensures true {}\nfunction F(x: int): int { x }\n"
    honest = expected_callables(audit(source))
    assert check(source, tmp_path, honest) == []
    # A parse that took the body-less lemma for one with a body, or missed a body.
    misread = tuple(replace(c, has_body=not c.has_body) for c in honest)
    found = check(source, tmp_path, misread)
    by_line = {d.line: d.message for d in found if d.kind == CROSSCHECK_KIND}
    assert "has none for it" in by_line[1]
    assert "did not see" in by_line[2]
    assert "did not see" in by_line[3]


def test_a_callable_the_parse_missed_is_unexpected(tmp_path: Path) -> None:
    source = "method A(x: int) returns (y: int) ensures y == x { y := x; }\nmethod B() { assert 1 < 2; }\n"
    partial = tuple(c for c in expected_callables(audit(source)) if c.name != "B")
    found = check(source, tmp_path, partial)
    assert any(
        "belongs to no callable the parse found" in d.message and "__default.B" in d.message
        for d in found
    )


def test_user_assumes_and_free_clauses_reaching_boogie_are_found_at_their_place(
    tmp_path: Path,
) -> None:
    source = (
        "function F(x: int): int ensures F(x) > x { assume x > 100; x + 1 }\n"
        "lemma L(x: int) ensures x > 5 { calc { x; { assume x > 5; } x; } }\n"
        "method M(x: int) requires x > 0 free ensures x > 7 { }\n"
    )
    found = [d for d in check(source, tmp_path) if d.kind == "unsound"]
    places = sorted((d.line, d.col) for d in found)
    lines = source.splitlines()
    at = [
        (1, lines[0].index("assume") + 1),
        (2, lines[1].index("assume") + 1),
        (3, lines[2].index("free") + 1),
    ]
    assert places == at, found
    assert all(d.file == "p.dfy" for d in found)


def test_dafnys_own_assumes_are_not_the_users(tmp_path: Path) -> None:
    # Loops, calls, quantifiers and frames make Dafny write many `assume`s of its own.
    source = (
        "method Sum(a: array<int>) returns (s: int) requires a.Length > 0 ensures s >= 0 || s < 0 {\n"
        "  s := 0; var i := 0;\n"
        "  while i < a.Length invariant 0 <= i <= a.Length { s := s + a[i]; i := i + 1; }\n"
        "  assert forall k :: 0 <= k < i ==> a[k] == a[k];\n"
        "}\n"
    )
    assert check(source, tmp_path) == []


def test_members_inherited_by_refinement_traits_and_generic_classes_agree(tmp_path: Path) -> None:
    source = (
        "abstract module Spec {\n"
        "  function F(x: int): int\n"
        "  method M(x: int) returns (y: int) ensures y == F(x)\n"
        "  lemma L() ensures true { }\n"
        "}\n"
        "module Impl refines Spec {\n"
        "  function F(x: int): int { x + 1 }\n"
        "  method M(x: int) returns (y: int) ensures y == F(x) { y := x + 1; }\n"
        "}\n"
        "class Cell<T> { var v: T  constructor (x: T) ensures v == x { v := x; } }\n"
        "trait Shape { function method Area(): int reads this\n"
        "  method Scale(k: int) modifies this ensures Area() >= 0 || Area() < 0 }\n"
        "class Sq extends Shape { var s: int  function method Area(): int reads this { s * s }\n"
        "  method Scale(k: int) modifies this ensures Area() >= 0 || Area() < 0 { s := s * k; } }\n"
    )
    parsed, boogie = run(source, tmp_path)
    assert "Impl$$_1_Impl.__default.L" in {p.boogie_name for p in parsed.procedures}
    assert (
        crosscheck(
            expected_callables(audit(source)),
            read_boogie(boogie),
            parsed.procedures,
            parsed.diagnostics,
            "p.dfy",
        )
        == []
    )


def test_a_main_lemma_inside_a_named_module_maps(tmp_path: Path) -> None:
    source = "module U {\n  lemma Main() ensures true { }\n}\nmodule Main refines U {\n  lemma Main() ensures true { }\n}\n"
    parsed, boogie = run(source, tmp_path)
    assert "Impl$$_1_Main.__default._default_Main" in {p.boogie_name for p in parsed.procedures}
    assert (
        crosscheck(
            expected_callables(audit(source)),
            read_boogie(boogie),
            parsed.procedures,
            parsed.diagnostics,
            "p.dfy",
        )
        == []
    )
