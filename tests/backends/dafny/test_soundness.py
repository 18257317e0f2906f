"""The soundness scan and the declaration reader: pure, on source text."""

from __future__ import annotations

from verifier.backends.dafny.declarations import find_callables
from verifier.backends.dafny.lexer import TokenKind, tokenize
from verifier.backends.dafny.soundness import scan


def where(source: str) -> list[tuple[int, int]]:
    return [(d.line, d.col) for d in scan(source, "f.dfy")]


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
    found = scan(src, "f.dfy")
    assert {d.kind for d in found} == {"unsound"}
    assert [(d.line, d.col) for d in found] == [(2, 11), (4, 8), (5, 7), (6, 1), (6, 8), (7, 1), (8, 1)]
    assert all(d.file == "f.dfy" for d in found)
    assert "assume" in found[0].message and "verify" in found[1].message


def test_comments_and_strings_do_not_fool_the_scan() -> None:
    src = (
        "// assume false; {:verify false}\n"
        "/* outer /* nested assume */ still a comment {:axiom} */\n"
        'method S() returns (s: string) ensures s == "assume {:extern}" { s := "assume"; }\n'
        "method Q() returns (c: char) ensures c == '\\'' { c := '\\''; var x' := 1; }\n"
        'method V() returns (s: string) { s := @"verbatim ""assume"" text"; }\n'
    )
    assert where(src) == []


def test_verify_true_and_spaced_attributes() -> None:
    assert where("method {:verify true} M() {}\n") == []
    assert where("method { :verify false } M() {}\n") == [(1, 8)]


def test_body_detection_is_not_fooled_by_set_displays_or_cardinalities() -> None:
    src = (
        "method A(s: set<int>) ensures s == {1} {}\n"
        "lemma B(s: seq<int>) ensures |s| == |s| {}\n"
        "method C(s: set<int>) returns (t: set<int>) ensures t == s + {2}\n"
        "method D() decreases * { }\n"
        "function E(): set<int> { {1, 2} }\n"
    )
    decls = {d.name: d.has_body for d in find_callables(src)}
    assert decls == {"A": True, "B": True, "C": False, "D": True, "E": True}


def test_trait_members_without_body_are_not_axioms() -> None:
    src = "trait T { method M(x: int) returns (y: int) ensures y > x }\nmethod N() {}\n"
    assert where(src) == []


def test_signatures() -> None:
    src = "method M(x: int, ghost g: nat, s: map<int, seq<char>>) returns (r: bool, a: array<int>) {}\n"
    (m,) = find_callables(src)
    assert [(p.name, p.type, p.ghost) for p in m.params] == [
        ("x", "int", False),
        ("g", "nat", True),
        ("s", "map<int,seq<char>>", False),
    ]
    assert [(p.name, p.type) for p in m.returns] == [("r", "bool"), ("a", "array<int>")]


def test_lexer_positions_are_one_based() -> None:
    toks = tokenize("x\n  assume  // c\n")
    assert [(t.text, t.line, t.col) for t in toks] == [("x", 1, 1), ("assume", 2, 3)]
    assert tokenize('"unterminated')[0].kind is TokenKind.STRING
