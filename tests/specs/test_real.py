"""`real`: exact rationals from the TOML file through typing, examples and `spec check`."""

from __future__ import annotations

from fractions import Fraction

import pytest
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.loader import load_spec_all, load_spec_text
from verifier.specs.parser import parse_expr, plain_origin
from verifier.specs.values import real_from_toml, real_text, to_json
from verifier.translators.spec_python import compile_predicates

from verifier.errors import SpecError

OPTS = CheckOptions(dafny=False, samples=8)


def spec_text(sig: str, ensures: list[str], requires: list[str] | None = None, extra: str = "") -> str:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in xs) + "]"

    return f'name = "t"\nsignature = "{sig}"\nrequires = {arr(requires or [])}\nensures = {arr(ensures)}\n{extra}'


def test_literals_conversions_and_floor_parse() -> None:
    e = parse_expr("-x as real * 1.25 < -0.5", plain_origin("-x as real * 1.25 < -0.5"))
    assert e == m.Binary(
        "<",
        m.Binary("*", m.Convert(m.Unary("-", m.Var("x")), m.RealType()), m.RealLit(Fraction(5, 4))),
        m.RealLit(Fraction(-1, 2)),
    )
    assert parse_expr("s[1..2]", plain_origin("s[1..2]")) == m.Slice(m.Var("s"), m.IntLit(1), m.IntLit(2))
    assert parse_expr("(r / 2.0).Floor", plain_origin("(r / 2.0).Floor")) == m.Member(
        m.Binary("/", m.Var("r"), m.RealLit(Fraction(2))), "Floor")


@pytest.mark.parametrize(
    ("ensures", "message"),
    [
        ("r == x + 1", "+ between real and int"),
        ("r == x % 2.0", "% is not defined on real"),
        ("r == x as real", "the operand of `as real` must be int, found real"),
        ("k == x.Length", "real has no member .Length"),
        ("k == x as int + 0.5", "+ between int and real"),
    ],
)
def test_type_errors(ensures: str, message: str) -> None:
    _, errors = load_spec_all(spec_text("method F(x: real) returns (r: real, k: int)", [ensures]), "t.toml")
    assert any(message in e.message for e in errors), [e.message for e in errors]


@pytest.mark.parametrize("ensures", ["r == k / 2", "r != k", "r < x + k", "k == x"])
def test_mixing_int_and_real_hints_at_the_conversion(ensures: str) -> None:
    """The fix for int next to real is `as real` (docs/spec-format.md); the hint says so
    instead of only "the same type"."""
    _, errors = load_spec_all(spec_text("method F(x: real, k: int) returns (r: real)", [ensures]), "t.toml")
    assert errors and all("as real" in (e.hint or "") for e in errors), [(e.message, e.hint) for e in errors]


def test_a_type_mismatch_without_reals_keeps_the_plain_hint() -> None:
    _, errors = load_spec_all(spec_text("method F(x: bool) returns (r: int)", ["r != x"]), "t.toml")
    assert [e.hint for e in errors] == ["both sides of != must have the same type"]


def test_conversion_to_other_types_is_refused_with_a_hint() -> None:
    with pytest.raises(SpecError) as info:
        load_spec_text(spec_text("method F(x: int) returns (r: bool)", ["r == x as bool"]))
    assert "conversion to bool is not supported" in info.value.message
    assert "e as real" in (info.value.hint or "")


def test_untyped_bound_variables_take_the_real_type() -> None:
    spec = load_spec_text(spec_text("method F(s: seq<real>) returns (r: real)",
                                    ["forall x :: x in s ==> x <= r"]))
    q = spec.ensures[0].expr
    assert isinstance(q, m.Quantifier) and q.vars[0].type == m.RealType()


def test_toml_values_are_exact() -> None:
    assert real_from_toml(0.1) == Fraction(1, 10)  # the decimal written, not the double
    assert real_from_toml("1/3") == Fraction(1, 3)
    assert real_from_toml("-2.5") == Fraction(-5, 2)
    assert real_from_toml(3) == Fraction(3)
    assert real_from_toml(True) is None and real_from_toml("x") is None and real_from_toml("1/0") is None
    assert [real_text(Fraction(v)) for v in ("3/2", "-7/20", "1/3", "2")] == ["1.5", "-0.35", "(1.0 / 3.0)", "2.0"]
    assert to_json(Fraction(1, 3)) == "1/3"


def test_a_bad_real_example_value_points_at_it() -> None:
    extra = '[[examples]]\nargs = { x = "half" }\nresult = { r = 1 }\n'
    with pytest.raises(SpecError) as info:
        load_spec_text(spec_text("method F(x: real) returns (r: real)", ["r == x"], extra=extra), "t.toml")
    assert "expected a value of type real" in info.value.message
    assert info.value.location is not None and info.value.location.line == 6
    assert '"1/3"' in (info.value.hint or "")


def test_python_predicates_are_exact_and_division_is_real() -> None:
    spec = load_spec_text(spec_text(
        "method F(x: real, y: real) returns (r: real, k: int)",
        ["r == x / y", "k == r.Floor", "0.1 + 0.2 == 0.3", "(k as real) <= r"], requires=["y != 0.0"]))
    preds = compile_predicates(spec)
    args = {"x": Fraction(-7), "y": Fraction(2)}
    assert preds.failing_ensures(args, {"r": Fraction(-7, 2), "k": -4}) == []
    assert preds.failing_ensures(args, {"r": Fraction(-7, 2), "k": -3}) == ["k == r.Floor", "(k as real) <= r"]
    assert not preds.pre({"x": Fraction(1), "y": Fraction(0)})


def test_as_int_of_a_fraction_is_undefined_so_the_clause_is_false() -> None:
    spec = load_spec_text(spec_text("method F(x: real) returns (k: int)", ["k == x as int"]))
    preds = compile_predicates(spec)
    assert preds.post({"x": Fraction(4)}, {"k": 4})
    assert not preds.post({"x": Fraction(9, 2)}, {"k": 4})


def test_spec_check_decides_real_outputs_with_z3() -> None:
    good = spec_text("method Half(x: real) returns (r: real)", ["r + r == x"])
    assert [f for f in check_spec(load_spec_text(good, "t.toml"), OPTS) if f.severity.value != "info"] == []
    loose = spec_text("method Half(x: real) returns (r: real)", ["r <= x"])
    codes = {f.code for f in check_spec(load_spec_text(loose, "t.toml"), OPTS)}
    assert "underspecified" in codes
    half = spec_text("method F(x: real) returns (r: real)", ["r > x", "r < x + 1.0",
                                                             "(r * 2.0).Floor as real == r * 2.0"],
                     requires=["x == 0.0"])
    found = check_spec(load_spec_text(half, "t.toml"), OPTS)
    assert {f.code for f in found} == set(), [f.render() for f in found]  # r = 0.5, and only it


def test_unrealizable_real_contract_is_an_error() -> None:
    text = spec_text("method F(x: real) returns (r: real)", ["r > x", "r < x + 0.5", "r * 2.0 == (r * 2.0).Floor as real",
                                                             "r.Floor as real == r"], requires=["x == 0.0"])
    codes = {f.code for f in check_spec(load_spec_text(text, "t.toml"), OPTS)}
    assert "unrealizable" in codes
