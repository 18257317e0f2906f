"""`c as int` (a char's code) and `n as char` (a code's char), as Dafny has them:
vericoding's digit and letter tasks write `(c as int) - ('0' as int)`."""

from __future__ import annotations

import pytest
from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.loader import load_spec_all, load_spec_text
from verifier.translators.spec_lean import render_lean
from verifier.translators.spec_python import compile_predicates

from verifier.errors import SpecError

OPTS = CheckOptions(dafny=False, samples=8)
SIG = "method F(c: char, k: int, b: bool) returns (n: int, ch: char)"


def spec_text(ensures: list[str], requires: list[str] | None = None) -> str:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in xs) + "]"

    return f'name = "t"\nsignature = "{SIG}"\nrequires = {arr(requires or [])}\nensures = {arr(ensures)}\n'


@pytest.mark.parametrize(("ensures", "message"), [
    ("n == b as int", "the operand of `as int` must be a real or a char, found bool"),
    ("ch == c as char", "the operand of `as char` must be int, found char"),
])
def test_conversions_of_the_wrong_operand_are_errors(ensures: str, message: str) -> None:
    _, errors = load_spec_all(spec_text([ensures]), "t.toml")
    assert any(message in e.message for e in errors), [e.message for e in errors]


def test_a_conversion_to_another_type_is_a_syntax_error_with_the_three_it_could_be() -> None:
    with pytest.raises(SpecError, match="conversion to string is not supported") as info:
        load_spec_all(spec_text(["n == |k as string|"]), "t.toml")
    assert "`e as char`" in (info.value.hint or "")


def test_python_reads_codes_and_chars() -> None:
    spec = load_spec_text(spec_text(["n == (c as int) - ('0' as int)", "ch == k as char"]), "t.toml")
    post = compile_predicates(spec).post
    assert post({"c": "7", "k": 65, "b": True}, {"n": 7, "ch": "A"})
    assert not post({"c": "7", "k": 65, "b": True}, {"n": 7, "ch": "B"})
    assert not post({"c": "7", "k": 0xD800, "b": True}, {"n": 7, "ch": "A"})  # no char: undefined


def test_spec_check_with_z3_finds_the_digit_spec_clean_and_a_wrong_one_unrealizable() -> None:
    good = spec_text(["n == (c as int) - ('0' as int)", "ch == c"], ["'0' <= c <= '9'"])
    assert [f for f in check_spec(load_spec_text(good, "t.toml"), OPTS) if f.severity.value != "info"] == []
    wrong = spec_text(["n == (c as int) - ('0' as int)", "n == 10", "ch == c"], ["'0' <= c <= '9'"])
    codes = {f.code for f in check_spec(load_spec_text(wrong, "t.toml"), OPTS)}
    assert "unrealizable" in codes, codes


def test_lean_takes_the_code_as_an_int_and_a_char_from_a_nat() -> None:
    text = render_lean(load_spec_text(spec_text(["n == (c as int) - ('0' as int)", "ch == k as char"]), "t.toml"))
    assert "(n = ((c.toNat : Int) - ('0'.toNat : Int)))" in text
    assert "(ch = (Char.ofNat k.toNat))" in text
