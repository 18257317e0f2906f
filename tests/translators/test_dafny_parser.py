"""The Dafny front end: positions, normalization, spec clauses and loud refusals."""

from __future__ import annotations

import pytest
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import DafnySyntaxError, UnsupportedConstruct
from verifier.translators.dafny_parser import parse, parse_expr

PROGRAM = """\
method {:verify false} Find(a: array<int>, key: int) returns (i: int)
  requires a.Length > 0
  ensures -1 <= i < a.Length
  modifies a
{
  i := 0;
  assume a[0] == key;
}

lemma {:axiom} Trusted(x: int)
  ensures x * x >= 0

function method {:extern} Ext(x: int): int
"""


def test_positions_are_exact() -> None:
    program = parse(PROGRAM)
    find = program.find("Find")
    assert isinstance(find, A.Method)
    assert (find.pos.line, find.pos.col) == (1, 1)
    req = find.clause_exprs("requires")[0]
    assert (req.pos.line, req.pos.col, req.pos.end_col) == (2, 12, 24)
    assert PROGRAM[req.pos.start : req.pos.end] == "a.Length > 0"
    assert find.body is not None
    assign = find.body.stmts[0]
    assert isinstance(assign, A.Assign) and (assign.pos.line, assign.pos.col) == (6, 3)


def test_spec_clauses_and_attributes_are_parsed_for_the_guard() -> None:
    program = parse(PROGRAM)
    find = program.find("Find")
    assert isinstance(find, A.Method)
    assert [a.name for a in find.attributes] == ["verify"]
    assert find.attributes[0].args == (A.BoolLit(False),)
    assert find.clause_exprs("modifies") == (A.Name("a"),)
    assert find.clause_exprs("ensures") == (
        A.Chain((A.UnaryOp("-", A.IntLit(1)), A.Name("i"), A.Field(A.Name("a"), "Length")), ("<=", "<")),
    )
    assumes = [n for n in A.walk(program) if isinstance(n, A.Assume)]
    assert len(assumes) == 1 and assumes[0].pos.line == 7
    trusted = program.find("Trusted")
    assert isinstance(trusted, A.Method) and trusted.body is None and trusted.is_ghost
    assert [a.name for a in trusted.attributes] == ["axiom"]
    ext = program.find("Ext")
    assert isinstance(ext, A.Function) and ext.body is None and ext.attributes[0].name == "extern"


def test_normalize_ignores_layout_and_redundant_parentheses() -> None:
    a = parse_expr("(a && b) && (c)")
    b = parse_expr("a &&\n   (b && c)")
    assert a != b  # associativity differs before normalization
    assert A.same(a, b)
    assert A.same(parse_expr("x > 0"), parse_expr("0 < x"))
    assert parse_expr("((x + 1))") == parse_expr("x + 1")  # positions and parens ignored
    e = parse_expr("a &&\n   (b && c)")
    assert (e.pos.line, e.pos.col, e.pos.start, e.pos.end) == (1, 1, 0, len("a &&\n   (b && c)"))
    assert not A.same(parse_expr("x - (y - z)"), parse_expr("(x - y) - z"))
    assert not A.same(parse_expr("a ==> b ==> c"), parse_expr("(a ==> b) ==> c"))


def test_dafny2_and_dafny4_function_spellings() -> None:
    program = parse(
        "function method F(x: int): int { x }\n"
        "function G(x: int): int { x }\n"
        "ghost function H(x: int): int { x }\n"
        "predicate method P(x: int) { x > 0 }\n"
    )
    f, g, h, p = program.decls
    assert isinstance(f, A.Function) and f.is_method and not f.ghost
    assert isinstance(g, A.Function) and not g.is_method and not g.ghost
    assert isinstance(h, A.Function) and h.ghost
    assert isinstance(p, A.Function) and p.kind == "predicate" and p.result == A.Type("bool")


def test_ghost_statements_parse() -> None:
    program = parse(
        """
method M(s: seq<int>) returns (r: int)
  ensures r == |s|
{
  ghost var g := s;
  calc { |s|; == { assert true; } |s|; }
  forall i | 0 <= i < |s| ensures s[i] == s[i] { }
  assert |s| >= 0 by { reveal F(); }
  r := |s|;
}
"""
    )
    kinds = [type(n).__name__ for n in A.walk(program) if isinstance(n, A.Stmt)]
    assert {"VarDecl", "Calc", "ForallStmt", "Assert", "Assign"} <= set(kinds)
    calc = next(n for n in A.walk(program) if isinstance(n, A.Calc))
    assert calc.text.startswith("calc {") and calc.pos.line == 6


def test_endless_expressions_extend_to_the_right() -> None:
    e = parse_expr("if c then 1 else 2 + 3")
    assert isinstance(e, A.IfExpr) and e.else_ == A.BinOp("+", A.IntLit(2), A.IntLit(3))
    q = parse_expr("forall i :: 0 <= i < n ==> a[i] > 0 && b")
    assert isinstance(q, A.Quantifier) and isinstance(q.body, A.BinOp) and q.body.op == "==>"


def test_statement_after_var_is_not_a_let_expression() -> None:
    program = parse("method M() { var x := 1; x := 2; }")
    m = program.decls[0]
    assert isinstance(m, A.Method) and m.body is not None
    assert [type(s).__name__ for s in m.body.stmts] == ["VarDecl", "Assign"]


@pytest.mark.parametrize(
    "source,construct,line,col",
    [
        ("codatatype S = Cons(h: int, t: S)\n", "codatatype", 1, 1),
        ("method M() {}\nmodule B refines A {}\n", "refines", 2, 10),
        ("abstract module A {}\n", "abstract", 1, 1),
        ("method M() {}\niterator Gen() yields (x: int) { }\n", "iterator", 2, 1),
    ],
)
def test_unsupported_declarations_name_the_construct(
    source: str, construct: str, line: int, col: int
) -> None:
    with pytest.raises(UnsupportedConstruct) as info:
        parse(source)
    err = info.value
    assert (err.construct, err.line, err.col) == (construct, line, col)
    assert f"<input>:{line}:{col}: error:" in str(err)


def test_syntax_error_points_at_the_token() -> None:
    with pytest.raises(DafnySyntaxError) as info:
        parse("method M() {\n  x := ;\n}\n")
    assert (info.value.line, info.value.col) == (2, 8)
    assert "';'" in info.value.message
    assert str(info.value.with_file("f.dfy")).startswith("f.dfy:2:8: error:")


def test_string_and_char_escapes() -> None:
    assert parse_expr('"a\\n\\"b"') == A.StringLit('a\n"b')
    assert parse_expr("'\\''") == A.CharLit("'")
    assert parse_expr("'\\u0041'") == A.CharLit("A")
