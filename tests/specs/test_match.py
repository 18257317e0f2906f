"""`match` over spec datatypes: parsing (both forms, nesting as in Dafny) and the type
checker's errors, each at its line:col with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.loader import load_spec_all, load_spec_text
from verifier.specs.parser import Names, parse_expr, plain_origin

from verifier.errors import SpecError
from verifier.results import Severity

NAMES = Names(frozenset({"T"}), frozenset({"Tip", "Fork"}))
DECL = "datatype T = Tip | Fork(left: T, val: nat, right: T)"


def _parse(text: str) -> m.Expr:
    return parse_expr(text, plain_origin(text), names=NAMES)


def _spec(ensures: str, sig: str = "method F(t: T, k: int) returns (r: int)") -> str:
    return f'name = "t"\nsignature = "{sig}"\nensures = ["{ensures}"]\n[[datatypes]]\nsource = "{DECL}"\n'


def test_unbraced_match_cases_and_patterns() -> None:
    e = _parse("match t case Tip => 0 case Fork(l, v, _) => v + 1 == s")
    assert e == m.Match(m.Var("t"), (
        m.MatchCase("Tip", (), m.IntLit(0)),
        m.MatchCase("Fork", (m.BoundVar("l", None), m.BoundVar("v", None), m.BoundVar("_", None)),
                    m.Binary("==", m.Binary("+", m.Var("v"), m.IntLit(1)), m.Var("s"))),
    ))  # the last body extends as far right as it can, as in Dafny


def test_braced_form_parenthesised_and_catch_all() -> None:
    braced = _parse("match t { case Tip => 0 case x => 1 } + 2")
    assert isinstance(braced, m.Binary) and braced.op == "+"
    assert braced.left == m.Match(m.Var("t"), (m.MatchCase("Tip", (), m.IntLit(0)),
                                               m.MatchCase(None, (m.BoundVar("x", None),), m.IntLit(1))))
    assert _parse("(match t case Tip => 0 case _ => 1) + 2") == m.Binary("+", _with_wildcard(braced.left), m.IntLit(2))


def _with_wildcard(e: m.Match) -> m.Match:
    """The same match with `_` as its catch-all (names differ, structure the same)."""
    return m.Match(e.scrutinee, (e.cases[0], m.MatchCase(None, (m.BoundVar("_", None),), m.IntLit(1))))


def test_a_nested_unbraced_match_takes_the_following_cases() -> None:
    e = _parse("match t case Tip => match u case Tip => 1 case _ => 2 case Fork(a, b, c) => 3")
    assert isinstance(e, m.Match) and len(e.cases) == 1
    inner = e.cases[0].body
    assert isinstance(inner, m.Match) and [c.ctor for c in inner.cases] == ["Tip", None, "Fork"]


def test_a_pattern_variable_bound_twice_is_a_syntax_error() -> None:
    with pytest.raises(SpecError, match="pattern variable x is bound twice in case Fork") as exc:
        _parse("match t case Fork(x, x, _) => 1")
    assert exc.value.location is not None and exc.value.location.col == 22


def test_pattern_variables_take_the_field_types() -> None:
    spec = load_spec_text(_spec("r == match t case Tip => 0 case Fork(l, v, _) => v"), "t.toml")
    match_ = spec.ensures[0].expr.right
    assert isinstance(match_, m.Match) and match_.datatype is not None and match_.datatype.name == "T"
    l_, v, wild = match_.cases[1].vars
    assert (l_.type, v.type, wild.type) == (m.DatatypeType("T"), m.NatType(), None)


def _error(text: str) -> SpecError:
    try:
        _, errors = load_spec_all(text, "t.toml")
    except SpecError as exc:
        return exc
    assert errors, "expected an error"
    return errors[0]


@pytest.mark.parametrize(
    ("ensures", "message", "hint", "col"),
    [
        ("r == (match t case Tip => 0)", "match is not exhaustive: no case for Fork(left, val, right)",
         "add `case Fork(left, val, right) => ...` or a catch-all `case _ => ...` last", 19),
        ("r == (match t case Tip => 0 case Tip => 1 case _ => 2)", "duplicate case Tip",
         "remove one of the cases for Tip", 41),
        ("r == (match t case _ => 0 case Tip => 1)", "this case is unreachable", "put the catch-all case", 39),
        ("r == (match t case Tip => 0 case Fork(a, b, c) => 1 case _ => 3)",
         "this catch-all case is unreachable: every constructor of T has a case", "remove it", 65),
        ("r == (match k case _ => 0)", "match needs a value of a datatype, found int", "if ... then ... else", 25),
        ("r == (match t case Tip => 0 case Fork(a, b) => 1)", "constructor Fork has 3 field(s), the pattern binds 2",
         "write `case Fork(left, val, right) => ...`", 41),
        ("r == (match t case Tip => 0 case Fork => 1)", "constructor Fork has 3 field(s), the pattern binds 0",
         "Fork(left, val, right)", 41),
        ("r == (match t case Tip => 0 case Fork(a, b, c) => true)", "every case of a match must be int, found bool",
         "", 63),
        ("r == (match t case Tip => 0 case Leaf(a) => 1)", "Leaf is not a constructor of T",
         "the constructors of T are: Tip, Fork", 41),
        ("r == (match t case Tip => 0 case Fork(object, b, c) => 1)",
         "object is a Dafny keyword and cannot name a bound variable", "object_", 51),
        ("r == (match t case Tip => 0 case Fork(Tip, b, c) => 1)", "bound variable Tip has the name of a constructor",
         "rename the variable", 51),
        ("r == (match t case Tip => 0 case Fork(a, b, c) => q)", "unknown name q", "a, b, c", 63),
    ],
)
def test_match_errors_point_at_the_offending_text(ensures: str, message: str, hint: str, col: int) -> None:
    err = _error(_spec(ensures))
    assert message in err.message, err.message
    assert hint in (err.hint or ""), err.hint
    assert err.location is not None and (err.location.line, err.location.col) == (3, col), str(err)


def test_match_in_a_helper_and_the_pattern_scope_ends_with_its_case() -> None:
    helper = ('[[helpers]]\nsource = "function Size(t: T): int '
              '{ match t case Tip => 0 case Fork(a, _, b) => 1 + Size(a) + Size(b) }"\n')
    spec = load_spec_text(_spec("r == Size(t)") + helper, "t.toml")
    assert isinstance(spec.helpers[0].body, m.Match)
    err = _error(_spec("r == (match t case Tip => 0 case Fork(a, b, c) => 1) + a"))
    assert "unknown name a" in err.message


CATCH_ALL = '''name = "t"
signature = "method F(t: T) returns (r: int)"
ensures = ["r == (match t { case Fork(_, v, _) => v case _ => 0 })"]

[[datatypes]]
source = "datatype T = Tip | Fork(left: T, val: int, right: T) | Wide(a: int)"

[[examples]]
args = { t = { Fork = { left = "Tip", val = 3, right = "Tip" } } }
result = { r = 3 }

[[examples]]
args = { t = { Wide = { a = 9 } } }
result = { r = 0 }
'''


def test_spec_check_reports_a_non_exhaustive_match_at_its_position(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(CATCH_ALL.replace(" case _ => 0", " case Tip => 0"))
    findings = check_spec(path, CheckOptions(dafny=False, samples=8))
    (f,) = [f for f in findings if f.severity == Severity.ERROR]
    assert (f.code, f.line, f.col) == ("type", 3, 19)  # at `match`
    assert "no case for Wide(a)" in f.message


@pytest.mark.slow
@pytest.mark.dafny
def test_spec_check_is_clean_with_a_catch_all_under_the_real_dafny(tmp_path: Path) -> None:
    """Dafny 2.3 resolves the catch-all spelt out; the examples, z3 and sampling agree."""
    path = tmp_path / "t.toml"
    path.write_text(CATCH_ALL)
    findings = check_spec(path, CheckOptions(samples=8))
    assert [f.render() for f in findings if f.severity != Severity.INFO] == []
    path.write_text(CATCH_ALL.replace("result = { r = 0 }", "result = { r = 9 }"))
    codes = {f.code for f in check_spec(path, CheckOptions(samples=8))}
    assert "example-ensures" in codes


def test_an_untyped_bound_variable_takes_its_type_from_the_patterns() -> None:
    text = _spec("forall x | x in s :: match x case Tip => true case Fork(_, v, _) => v >= 0",
                 "method F(s: seq<T>) returns (r: int)")
    spec = load_spec_text(text, "t.toml")
    (x,) = spec.ensures[0].expr.vars
    assert x.type == m.DatatypeType("T")
