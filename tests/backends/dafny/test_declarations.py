"""The declaration reader (signatures for the JS build) and the lexer: pure, on source text."""

from __future__ import annotations

from verifier.backends.dafny.declarations import find_callables
from verifier.backends.dafny.lexer import TokenKind, tokenize


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
