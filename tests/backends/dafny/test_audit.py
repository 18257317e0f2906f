"""The soundness audit on a real parse: pure, on source text (no Dafny run)."""

from __future__ import annotations

import pytest
from verifier.backends.dafny.audit import (
    AuditedCallable,
    CallableKind,
    FindingKind,
    audit,
    callable_at_line,
)


def where(source: str) -> list[tuple[int, int]]:
    return [(f.line, f.col) for f in audit(source).findings]


def kinds(source: str) -> set[FindingKind]:
    return {f.kind for f in audit(source).findings}


def test_each_cheat_is_reported_at_its_position() -> None:
    src = (
        "method A(x: int) returns (y: int) ensures y > x {\n"
        "  y := x; assume y > x;\n"
        "}\n"
        "method {:verify false} B() ensures false {}\n"
        "lemma {:axiom} C() ensures false {}\n"
        "method {:extern} D() returns (r: int)\n"
        "lemma E() ensures false\n"
        "function F(x: int): int ensures F(x) > x\n"
    )
    result = audit(src)
    assert result.parsed
    assert {f.kind for f in result.findings} == {FindingKind.UNSOUND}
    assert where(src) == [(2, 11), (4, 8), (5, 7), (6, 1), (6, 8), (7, 1), (8, 1)]
    assert "assume" in result.findings[0].message and "verify" in result.findings[1].message


@pytest.mark.parametrize(
    "src",
    [
        # the three known bypasses of the token heuristics
        "lemma L(S: set<int>) ensures S > {1}\nlemma M() ensures false { }\n",
        "lemma L(a: array<set<int>>) requires a.Length > 0 ensures a[0] > {}\n",
        "lemma L(s: set<int>) ensures |{1}| == 1 && |set x | x in s| >= 0\n",
        "method M() ensures false\n  free ensures false\n{ }\n",
        "method M() requires true\n  free requires false\n{ }\n",
        "method M() { var i := 0; while i < 3 free invariant false { i := i + 1; } }\n",
        "method M(x: int) { assert var y := x; assume y > 0; y > 0; }\n",
        "function F(x: int): int { assume x > 0; x }\n",
        "method M() { var n: int :| assume n > 0; }\n",
        "method M() { var n: int; n :| assume n > 0; }\n",
        "method M() decreases * { }\n",
        "method M() { while true decreases * { } }\n",
        "lemma L() ensures false { forall x: int | x > 0 ensures x < 0 }\n",
        "method M() { var i := 0; while i < 3 invariant i <= 3 }\n",
        "class C { constructor () ensures false }\n",
        "iterator I() yields (x: int) yield ensures false\n",
        "inductive lemma L() ensures false\n",
        "colemma L() ensures false\n",
        "twostate lemma L() ensures false\n",
        "predicate P(x: int) ensures P(x) ==> x > 0\n",
        "module A { lemma L() ensures false }\n",
        "method {:inline 1} M() ensures false { }\n",
        "method {:rlimit 1} M() { }\n",
        "lemma {:termination false} L() { }\n",
        "method M() { assert {:focus} true; }\n",
        "method M() { expect false; }\n",
    ],
)
def test_unsound_constructs_are_found(src: str) -> None:
    result = audit(src)
    assert result.parsed, result.findings
    assert FindingKind.UNSOUND in {f.kind for f in result.findings}, src


def test_bodies_are_read_from_the_parse_not_guessed() -> None:
    src = (
        "lemma A(S: set<int>) ensures S > {1} ==> 1 in S { }\n"
        "lemma B(a: array<set<int>>) requires a.Length > 0 ensures a[0] > {} ==> true { }\n"
        "lemma C(s: set<int>) ensures |{1}| == 1 && |set x | x in s| >= 0 { }\n"
        "method D(s: set<int>) returns (t: set<int>) ensures t == s + {2} { t := s + {2}; }\n"
        "function E(): set<int> { {1, 2} }\n"
        "function G(x: int): int\n"
    )
    result = audit(src)
    assert result.findings == ()
    assert {c.name: c.has_body for c in result.callables} == {
        "A": True, "B": True, "C": True, "D": True, "E": True, "G": False,
    }  # fmt: skip


def test_uninterpreted_functions_and_implemented_trait_members_assume_nothing() -> None:
    src = (
        "function F(x: int): int\npredicate P(x: int) requires x > 0\n"
        "trait T { method M(x: int) returns (y: int) ensures y > x\n"
        "  lemma L() ensures true }\n"
        "class C extends T { method M(x: int) returns (y: int) ensures y > x { y := x + 1; }\n"
        "  lemma L() ensures true { } }\n"
    )
    assert where(src) == []
    assert where("trait T { static lemma L() ensures false }\n") == [(1, 18)]


def test_trait_members_nobody_implements_are_axioms() -> None:
    # With no type extending T, nothing ever proves L's contract, yet `t.L()` uses it.
    src = "trait T {\n  lemma L() ensures false\n}\nmethod Main(t: T) ensures 1 == 2 { t.L(); }\n"
    assert where(src) == [(2, 3)]
    assert kinds(src) == {FindingKind.UNSOUND}


def test_abstract_module_members_need_a_refining_body() -> None:
    abstract = "abstract module A {\n  lemma L(x: int) ensures x > 0\n  method M() { }\n}\n"
    assert where(abstract) == [(2, 3)]  # nobody gives L a body
    refined = (
        abstract + "module B refines A {\n  lemma L(x: int) ensures x > 0 { assume false; }\n}\n"
    )
    assert kinds(refined) == {FindingKind.UNSOUND}  # the body's assume, not L itself
    assert where(refined) == [(6, 35)]
    honest = abstract.replace("x > 0", "x > 0 || x <= 0") + (
        "module B refines A {\n  lemma L(x: int) ensures x > 0 || x <= 0 { }\n}\n"
    )
    assert where(honest) == []
    skipped = abstract + "module B refines A { }\n"
    assert where(skipped) == [(2, 3)]


def test_comments_strings_and_line_breaks_as_dafny_reads_them() -> None:
    src = (
        "// assume false; {:verify false}\n"
        "/* outer /* nested assume */ still a comment {:axiom} */\n"
        'method S() returns (s: string) ensures s == "assume {:extern}" { s := "assume"; }\n'
        "method Q() returns (c: char) ensures c == '\\'' { c := '\\''; var x' := 1; }\n"
        'method V() returns (s: string) { s := @"verbatim ""assume"" text"; }\n'
    )
    assert where(src) == []
    # Dafny ends a `//` comment at a lone CR: what follows is code.
    assert where("method M() {\n  // note\rassume false;\n}\n") == [(3, 1)]
    assert where("method M()\r\n{\r\n  assume false;\r\n}\r\n") == [(3, 3)]
    assert where("method { :verify false } M() {}\n") == [(1, 8)]
    # `'"'` is a char: the string after it opens and closes where Dafny sees it, so the
    # `/*` inside that string cannot start a comment that would hide the `assume`.
    src = 'method M() { var c := \'"\'; var s := "/*"; assume false; var t := "*/"; }\n'
    assert where(src) == [(1, 43)]
    assert where("method {:verify true} M() {}\n") == []


def test_a_program_the_grammar_cannot_read_is_a_finding_with_its_position() -> None:
    result = audit("method M() {\n  var x := ;\n}\n")
    assert not result.parsed
    [finding] = result.findings
    assert finding.kind is FindingKind.PARSE and (finding.line, finding.col) == (2, 12)
    assert "';'" in finding.message


def test_tricky_honest_syntax_parses_clean() -> None:
    src = """
module M.N {
  import opened Std = Lib
  datatype Tree<T> = Leaf | Node(left: Tree<T>, val: T, right: Tree<T>)
  type Pos = x: int | x > 0 witness 1
  newtype Byte = b: int | 0 <= b < 256
  class C<T(==)> {
    var a: array<int>
    const k := 3
    constructor (n: nat) ensures fresh(a) { a := new int[n]; }
    function method Get(i: int): int reads this, a requires 0 <= i < a.Length { a[i] }
  }
  function method Sum(s: seq<int>): int decreases |s| {
    if |s| == 0 then 0 else s[0] + Sum(s[1..])
  }
  lemma Shift(x: bv8) ensures x << 1 == x << 1 { }
  method Lambdas(s: seq<int>) returns (m: map<int, int>)
    ensures forall k :: k in m ==> m[k] == k * 2
  {
    var f := (x: int) => x * 2;
    var g := x => x + 1;
    m := map k | k in s :: f(k);
    var t := set x | x in s && x > 0 :: g(x);
    var u := (1, 2);
    var v := u.0 + u.1;
    var w := if |t| > 0 then match Leaf case Leaf => 0 case Node(_, y, _) => 1 else 2;
    var seqs: seq<seq<int>> := [[1], [2, 3]];
    calc {
      v;
    == { assert u.0 == 1; }
      3;
    }
    label L: while v > 0 invariant v >= 0 decreases v { v := v - 1; }
    forall i | 0 <= i < 1 ensures true { }
  }
}
"""
    result = audit(src)
    assert result.findings == ()
    assert AuditedCallable(
        kind=CallableKind.FUNCTION, name="Get", module_path=("M", "N"), container="C",
        has_body=True, ghost=False, line=11, col=5,
    ) in result.callables  # fmt: skip
    ctor = next(c for c in result.callables if c.kind is CallableKind.CONSTRUCTOR)
    assert ctor.container == "C" and ctor.has_body
    lemma = next(c for c in result.callables if c.name == "Shift")
    assert lemma.ghost and lemma.container is None and lemma.module_path == ("M", "N")


def test_includes_are_listed() -> None:
    result = audit('include "lib.dfy"\ninclude "../up.dfy"\nmethod M() { }\n')
    assert [(i.path, i.line, i.col) for i in result.includes] == [
        ("lib.dfy", 1, 1),
        ("../up.dfy", 2, 1),
    ]


def test_callable_at_line_finds_the_innermost_declaration() -> None:
    src = "method A()\n{\n  var x := 1;\n}\nmethod B(n: int, s: seq<int>)\n{\n}\n"
    spans = audit(src).spans
    assert callable_at_line(spans, 3).callable.name == "A"  # type: ignore[union-attr]
    span = callable_at_line(spans, 6)
    assert span is not None and [(p.name, p.type) for p in span.params] == [
        ("n", "int"),
        ("s", "seq<int>"),
    ]
