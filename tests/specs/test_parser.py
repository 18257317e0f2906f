"""The expression grammar: Dafny precedence, chains, positions, and errors — never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from verifier.specs import model as m
from verifier.specs.loader import load_spec_text
from verifier.specs.parser import parse_expr, parse_helper, parse_signature, plain_origin

from verifier.errors import SpecError


def expr(text: str) -> m.Expr:
    return parse_expr(text, plain_origin(text, "t.toml"))


def test_precedence_follows_dafny() -> None:
    with pytest.raises(SpecError, match="unexpected '&&'") as info:
        expr("a || b && c")  # Dafny forbids mixing && and || without parentheses
    assert "parentheses" in (info.value.hint or "")
    e = expr("a ==> b ==> c")
    assert isinstance(e, m.Binary) and e.op == "==>" and isinstance(e.right, m.Binary) and e.right.op == "==>"
    e = expr("x + y * z == w")
    assert e.op == "==" and e.left.op == "+" and e.left.right.op == "*"
    e = expr("a <==> b ==> c")
    assert e.op == "<==>" and e.right.op == "==>"


def test_quantifier_body_extends_right() -> None:
    e = expr("forall i :: 0 <= i < |s| ==> s[i] > 0 && ok")
    assert isinstance(e, m.Quantifier)
    assert e.body.op == "==>" and e.body.right.op == "&&"
    inner = expr("p && forall i | i in s :: i > 0")
    assert inner.op == "&&" and isinstance(inner.right, m.Quantifier) and inner.right.range is not None


def test_chains_become_conjunctions() -> None:
    e = expr("0 <= i < j < |s|")
    parts = []
    while isinstance(e, m.Binary) and e.op == "&&":
        parts.append(e.right)
        e = e.left
    parts.append(e)
    assert [p.op for p in reversed(parts)] == ["<=", "<", "<"]


def test_all_forms_parse() -> None:
    for text in [
        "x !in s", "s[i..j] + s[..k] + s[i..]", "s[i := v]", "multiset(a[..]) == multiset(old(a[..]))",
        "a.Length", "if c then 1 else -x", "var y := x + 1; y * y", "{1, 2} <= set x | x in s",
        "map[1 := 2]", "map k | k in s :: k * 2", "multiset{1, 1}", "'a' != c", '"ab" + s',
        "set i, j | 0 <= i < j < 3 :: i + j", "F(x, G(y))", "!(a && b)", "x % 3 == -7 / 2",
    ]:
        expr(text)


def test_node_positions_are_file_positions() -> None:
    e = expr("a &&\n  xs[i] == 1")
    assert (e.span.line, e.span.col) == (1, 3)
    idx = e.right.left
    assert isinstance(idx, m.Index) and (idx.span.line, idx.span.col) == (2, 3)


@pytest.mark.parametrize(
    ("text", "col", "fragment"),
    [
        ("a + ", 5, "unexpected end of text"),
        ("x[1", 4, "unexpected end of text"),
        ("forall :: 3", 8, "unexpected '::'"),
        ("a $ b", 3, "unexpected '$'"),
        ("a < b > c", 7, "chain"),
        ("'\\q' == c", 1, "unknown escape"),
    ],
)
def test_syntax_errors_point_at_the_spot(text: str, col: int, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        expr(text)
    err = info.value
    assert err.location is not None and (err.location.line, err.location.col) == (1, col)
    assert fragment in err.message
    assert err.hint
    assert str(err).startswith(f"t.toml:1:{col}: error:")
    assert str(err).splitlines()[2].index("^") == 4 + col - 1


def test_signature_and_helper() -> None:
    name, params, outs = parse_signature(
        "method M(a: array<int>, m: map<int, set<char>>) returns (r: seq<string>)", plain_origin("")
    )
    assert name == "M"
    assert params[0].type == m.ArrayType(m.IntType())
    assert params[1].type == m.MapType(m.IntType(), m.SetType(m.CharType()))
    assert outs[0].type == m.SeqType(m.StringType())
    h = parse_helper("predicate method P(x: int) requires x > 0 { x > 1 }", plain_origin(""))
    assert h.kind == "predicate" and h.return_type == m.BoolType() and h.body_text == "x > 1"
    with pytest.raises(SpecError, match="no result type"):
        parse_helper("function F(x: int) { x }", plain_origin(""))
    with pytest.raises(SpecError, match="type argument"):
        parse_signature("method M(x: map<int>)", plain_origin(""))


TOKENS = [*"ab01 ()[]{}|:=<>!&-+*/%.,;'\"\\\n", "forall", "exists", "old", "set", "map", "::", "==>",
          "var", "then", "else", "if ", "multiset", "in", "!in", "..", ":=", "&&", "||", "s", "i", "|s|"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_fuzz_expression_parser_never_crashes(text: str) -> None:
    try:
        expr(text)
    except SpecError as err:
        assert err.location is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_fuzz_arbitrary_text(text: str) -> None:
    try:
        tree = expr(text)
    except SpecError as err:
        assert err.location is not None and err.location.line >= 1
    else:
        assert isinstance(tree, m.Expr)


TEMPLATE = 'name = "f"\nsignature = "method F(xs: seq<int>, x: int) returns (r: int)"\nensures = [{}]\n'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=50))
def test_fuzz_whole_spec_loader(text: str) -> None:
    """Any clause text (even one breaking the TOML string) gives a Spec or a SpecError."""
    source = TEMPLATE.format('"' + text + '"')
    try:
        load_spec_text(source, "fuzz.toml")
    except SpecError as err:
        assert err.location is not None and err.location.line >= 1 and err.location.col >= 1


FRAGMENTS = [
    'name = "x"\n', 'signature = "method F(x: int) returns (r: int)"\n',
    'signature = "method F(a: array<int>, s: seq<char>) returns (r: map<int, bool>)"\n',
    'ensures = ["r == x"]\n', 'requires = ["x > 0",]\n', 'modifies = ["a"]\n', "[[helpers]]\n",
    'source = "function G(x: int): int { x }"\n', "[[examples]]\n", "args = { x = 1 }\n",
    "result = { r = 2 }\n", "args.x = 3\n", "[examples.args]\n", "x = 1979-05-27\n", "x = 1.5\n",
    "ensures = \'\'\'r\n == x\'\'\'\n", 'a."b.c" = 1\n', "[t]\n", "[[t.u]]\n", 'x = {a = [1, {b = 2}]}\n',
    'ensures = [ # c\n "r == x", # d\n]\n', "result = { r = [[1, true]], a = [] }\n", "name = 3\n",
    "helpers = 1\n", "examples = [1]\n", "args = 1\n", 'x = "\\u00e9\\t"\n', "x = -0x1f\n", '"', "[", "=", "\\",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join))
def test_fuzz_whole_files(text: str) -> None:
    """Arbitrary (mostly TOML-shaped) files: a Spec or a located SpecError, nothing else."""
    try:
        spec = load_spec_text(text, "fuzz.toml")
    except SpecError as err:
        assert err.location is not None and err.location.line >= 1
    else:
        assert isinstance(spec, m.Spec)
