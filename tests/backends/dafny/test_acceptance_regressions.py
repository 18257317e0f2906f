"""Regressions for the holes the outside acceptance run found (pure, no Dafny needed; the
same programs run through the real CLI in `acceptance/`, see test_acceptance.py).

Each program here was reported VERIFIED (or mispositioned) by the backend although Dafny
2.3 proved nothing about the claim, or proved it only partially.
"""

from __future__ import annotations

from verifier.backends.dafny.audit import audit
from verifier.backends.dafny.lexer import tokenize
from verifier.backends.dafny.output import to_char_columns

from verifier.cli.render import render_check
from verifier.results import CheckResult, Diagnostic, Verdict


def where(source: str) -> list[tuple[int, int]]:
    return [(f.line, f.col) for f in audit(source).findings]


def test_static_trait_lemma_without_body_is_an_axiom() -> None:
    """`static` trait members cannot be overridden, so no class ever proves them; the scan
    exempted every trait member and `Tricks.Bad()` proved `ensures false`."""
    src = "trait Tricks {\n  static lemma Bad()\n    ensures false\n}\n"
    assert where(src) == [(2, 10)]
    # Instance members are exempt when a class extends the trait (it must implement them);
    # with no such class nothing proves them (see test_audit.py).
    assert where("trait T {\n  lemma Good()\n    ensures true\n}\nclass C extends T {\n  lemma Good() ensures true { }\n}\n") == []
    assert where("trait T {\n  lemma Good()\n    ensures false\n}\n") == [(2, 3)]
    assert where("trait T {\n  ghost static method G()\n}\n") == [(2, 16)]


def test_bodyless_iterator_is_an_axiom() -> None:
    src = "iterator Gen() yields (x: int)\n  yield ensures false\n  ensures false\n"
    assert where(src) == [(1, 1)]
    with_body = "iterator Gen() yields (x: int)\n  yield ensures x > 0\n{\n  yield;\n}\n"
    assert where(with_body) == []


def test_boogie_attributes_that_skip_proofs_are_flagged() -> None:
    """Dafny hands unknown attributes to Boogie: `{:inline 1}`, `{:ignore}` and
    `{:selective_checking}` each let `ensures false` through (measured on Dafny 2.3)."""
    for attr in ("inline 1", "ignore", "selective_checking", "termination false", "rlimit 1"):
        src = f"method {{:{attr}}} Bad() ensures false {{ }}\n"
        found = audit(src).findings
        assert [(d.line, d.col) for d in found] == [(1, 8)], attr
        assert attr.split()[0] in found[0].message
    safe = (
        "lemma {:induction n} L(n: nat) ensures n >= 0 { }\n"
        "function {:opaque} {:fuel 2} F(x: int): int { x }\n"
        "method {:timeLimit 20} M() { assert forall x {:trigger F(x)} :: F(x) == F(x); }\n"
    )
    assert where(safe) == []


def test_decreases_star_is_partial_correctness_only() -> None:
    src = "method M() ensures false\n  decreases *\n{\n  while true\n    decreases *\n  { }\n}\n"
    assert where(src) == [(2, 3), (5, 5)]
    assert where("method M(n: nat) decreases n { }\n") == []


def test_lone_carriage_return_ends_a_line_comment() -> None:
    """Dafny ends `//` at a lone `\\r`: the lexer read the `assume` after it as comment."""
    src = "method M(x: int)\n  ensures x > 0\n{\n  // note\rassume x > 0;\n}\n"
    assert where(src) == [(5, 1)]
    # Offsets still index the caller's text.
    [tok] = [t for t in tokenize(src) if t.text == "assume"]
    assert src[tok.offset : tok.offset + 6] == "assume"
    # CRLF is one line break, not two.
    assert where("method M()\r\n{\r\n  assume false;\r\n}\r\n") == [(3, 3)]


def test_byte_columns_become_character_columns() -> None:
    """Dafny 2.3 counts UTF-8 bytes: `é😀€` before an error moved the column by 6."""
    source = 'method U()\n{\n  var s := "hé😀€"; assert |s| == 3;\n}\n'
    related = Diagnostic(kind="related", message="r", line=3, col=37)
    dafny = Diagnostic(kind="assertion", message="m", line=3, col=37, related=(related,))
    [fixed] = to_char_columns((dafny,), source)
    assert source.split("\n")[2][fixed.col - 1 : fixed.col + 1] == "=="
    assert (fixed.col, fixed.related[0].col) == (31, 31)
    # ASCII lines, and positions past the text, are left alone.
    plain = Diagnostic(kind="assertion", message="m", line=1, col=4)
    assert to_char_columns((plain,), source) == (plain,)


def test_excerpt_line_ignores_form_feeds_and_unicode_separators() -> None:
    """str.splitlines() broke lines at `\\f` and U+2028, so the excerpt under an error
    showed another line than the one Dafny (and the position) meant."""
    source = "// page\f break \u2028 here\nmethod M()\n{\n  assert 1 == 2;\n}\n"
    diag = Diagnostic(kind="assertion", message="assertion violation", file="f.dfy", line=4, col=12)
    text = render_check(CheckResult(verdict=Verdict.REFUTED, diagnostics=(diag,)), source, "f.dfy")
    lines = text.splitlines()
    at = lines.index("f.dfy:4:12: error: assertion violation [assertion]")
    assert lines[at + 1].strip() == "assert 1 == 2;"
    assert lines[at + 2].index("^") - lines[at + 1].index("a") == 9


def test_byte_order_mark_is_not_a_column() -> None:
    """Dafny skips a UTF-8 BOM (its columns start after it); we counted it, so every
    line-1 column of a BOM file was off (by 2 with the byte conversion)."""
    source = '\ufeffmethod M() { var s := "é"; assume 1 == 2; }\n'
    dafny = Diagnostic(kind="assertion", message="m", line=1, col=38)  # Dafny's (1,37) + 1
    [fixed] = to_char_columns((dafny,), source)
    assert fixed.col == 37
    assert where(source) == [(1, 28)]
    assert source.removeprefix("\ufeff")[27:33] == "assume"
