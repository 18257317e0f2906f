"""Type parameters, function-typed parameters and seq(n, i => e) in the spec language:
parsing and type errors (with line:col), every renderer, z3, the harness, and one real
Dafny run per feature that verifies the reference solution against the rendered contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.generics import instance_text, instances, instantiate
from verifier.specs.loader import load_spec, load_spec_text
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_parser import parse
from verifier.translators.spec_dafny import BODY_MARKER, render_dafny
from verifier.translators.spec_lean import render_lean
from verifier.translators.spec_python import compile_predicates, render_python_module

from verifier.errors import SpecError
from verifier.harness import run_properties
from verifier.results import Severity, Verdict
from verifier.sandbox import decode, encode
from verifier.sandbox.values import TableFunction

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
GOLDEN = ROOT / "tests" / "golden" / "dafny_to_python"
IMPLS = ROOT / "tests" / "harness" / "impls"

FIND = """name = "find"
signature = "method Find<T(==)>(xs: seq<T>, x: T) returns (i: int)"
ensures = ["-1 <= i < |xs|", "i >= 0 ==> xs[i] == x", "i < 0 ==> x !in xs"]
[[helpers]]
source = "function Count<U(==)>(s: seq<U>, x: U): nat decreases |s| { if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + Count(s[1..], x) }"
"""


def _error(text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "t.toml")
    return info.value


def _at(err: SpecError) -> tuple[int, int]:
    assert err.location is not None
    return err.location.line, err.location.col


# ------------------------------------------------------------------ type parameters


def test_type_parameters_parse_with_their_equality_constraint() -> None:
    spec = load_spec_text(FIND, "t.toml")
    assert spec.type_params == (m.TypeParam("T", True),)
    assert spec.params[0].type == m.SeqType(m.TypeVarType("T"))
    assert spec.helpers[0].type_params == (m.TypeParam("U", True),)


def test_equality_on_a_type_parameter_without_eq_is_a_type_error_at_its_operator() -> None:
    err = _error(FIND.replace("Find<T(==)>", "Find<T>"))
    assert _at(err) == (3, 48)  # the == of `xs[i] == x`
    assert "type parameter T is declared without (==)" in err.message
    assert "T(==)" in (err.hint or "")


def test_in_on_a_type_parameter_without_eq_is_a_type_error() -> None:
    err = _error(FIND.replace("Find<T(==)>", "Find<T>").replace('"i >= 0 ==> xs[i] == x", ', ""))
    assert "!in needs values that support equality" in err.message


def test_a_helper_sees_only_its_own_type_parameters() -> None:
    err = _error(FIND.replace("Count<U(==)>(s: seq<U>, x: U)", "Count(s: seq<T>, x: T)"))
    assert "unknown type T" in err.message
    assert err.location is not None and err.location.line == 5


def test_a_generic_helper_is_instantiated_at_each_call() -> None:
    spec = load_spec_text(FIND.replace('"i < 0 ==> x !in xs"', '"i < 0 ==> Count(xs, x) == 0 && Count([1], 1) == 1"'),
                          "t.toml")
    assert len(spec.ensures) == 3


def test_dafny_renders_type_parameters_as_written_in_both_dialects() -> None:
    spec = load_spec_text(FIND, "t.toml")
    for dialect in (DAFNY2, DAFNY4):
        text = render_dafny(spec, dialect)
        assert "method Find<T(==)>(xs: seq<T>, x: T) returns (i: int)" in text
        assert "function Count<U(==)>(s: seq<U>, x: U): nat" in text


def test_lean_binds_type_parameters_implicitly_with_decidable_eq_for_eq() -> None:
    text = render_lean(load_spec_text(FIND, "t.toml"))
    assert "def Find {T : Type} [Inhabited T] [DecidableEq T] (xs : List T) (x : T) : Int := sorry" in text
    assert "def Count {U : Type} [Inhabited U] [DecidableEq U] (s : List U) (x : U) : Nat :=" in text
    assert "theorem Find_spec_1 {T : Type} [Inhabited T] [DecidableEq T] (xs : List T) (x : T) :" in text
    plain = render_lean(load_spec_text(FIND.replace("Find<T(==)>", "Find<T>").replace(
        '"i >= 0 ==> xs[i] == x", "i < 0 ==> x !in xs"', '"i < |xs|"'), "t.toml"))
    assert "def Find {T : Type} [Inhabited T] (xs : List T)" in plain


def test_python_predicates_are_duck_typed_over_every_instance() -> None:
    preds = compile_predicates(load_spec_text(FIND, "t.toml"))
    assert preds.post({"xs": [3, 1], "x": 1}, {"i": 1})
    assert preds.post({"xs": ["ab", "c"], "x": "c"}, {"i": 1})
    assert not preds.post({"xs": ["ab", "c"], "x": "d"}, {"i": 0})


def test_examples_name_their_instance_with_type_args() -> None:
    base = FIND + '[[examples]]\nargs = { xs = [1], x = 1 }\nresult = { i = 0 }\n'
    err = _error(base)
    assert "lacks type_args" in err.message and 'T = "int"' in (err.hint or "")
    assert _at(err)[0] == 6
    spec = load_spec_text(base.replace("[[examples]]\n", '[[examples]]\ntype_args = { T = "char" }\n')
                          .replace("[1]", '["a"]').replace("x = 1", 'x = "a"'), "t.toml")
    assert spec.examples[0].type_args == {"T": m.CharType()}
    wrong = _error(base.replace("[[examples]]\n", '[[examples]]\ntype_args = { T = "bool" }\n'))
    assert wrong.code == "value" and _at(wrong)[0] == 8
    unknown = _error(base.replace("[[examples]]\n", '[[examples]]\ntype_args = { T = "int", U = "int" }\n'))
    assert "U, which is not a type parameter" in unknown.message


def test_instances_are_int_string_and_the_examples_types() -> None:
    spec = load_spec(EXAMPLES / "find_generic.toml")
    assert [instance_text(a) for a in instances(spec)] == ["T := int", "T := string", "T := char"]
    concrete = instantiate(spec, {"T": m.CharType()})
    assert concrete.params[0].type == m.SeqType(m.CharType())
    assert [ex.index for ex in concrete.examples] == [2]
    assert concrete.helpers[0].params[0].type == m.SeqType(m.CharType())


def test_spec_check_runs_z3_at_int_and_says_so() -> None:
    findings = check_spec(EXAMPLES / "find_generic.toml", CheckOptions(dafny=False))
    assert [(f.severity, f.code) for f in findings] == [(Severity.INFO, "generic-instance")]
    assert "T := int" in findings[0].message and (findings[0].line, findings[0].col) == (4, 33)


def test_z3_finds_an_unrealizable_generic_spec_at_its_instance() -> None:
    text = FIND.replace('"i < 0 ==> x !in xs"', '"i < 0 ==> x !in xs", "x in xs && i < 0"')
    spec = load_spec_text(text, "t.toml")
    codes = {f.code for f in check_spec(spec, CheckOptions(dafny=False))}
    assert "unrealizable" in codes


def test_harness_tests_a_generic_method_at_every_instance() -> None:
    spec = load_spec(EXAMPLES / "find_generic.toml")
    impl = IMPLS / "find_generic.py"
    good = run_properties(spec, f"{impl}:correct", max_examples=20, seed=3)
    assert good.ok and good.instances == ("T := int", "T := string", "T := char")
    assert "at T := int; T := string; T := char" in good.summary()
    assert good.examples_run == 3
    bad = run_properties(spec, f"{impl}:wrong_numbers_only", max_examples=20, seed=3)
    assert not bad.ok
    assert all("(at T := string)" in f.message or "(at T := char)" in f.message for f in bad.failures)


# ------------------------------------------------------------------ function types

MAP = """name = "m"
signature = "method Map(xs: seq<int>, f: int -> int, g: (int, bool) -> seq<int>) returns (ys: seq<int>)"
ensures = ["|ys| == |xs|", "forall i :: 0 <= i < |xs| ==> ys[i] == f(xs[i])", "|g(1, true)| >= 0"]
"""


def test_function_types_parse_and_render_in_every_target() -> None:
    spec = load_spec_text(MAP, "t.toml")
    assert spec.params[1].type == m.ArrowType((m.IntType(),), m.IntType())
    assert spec.params[2].type == m.ArrowType((m.IntType(), m.BoolType()), m.SeqType(m.IntType()))
    assert "method Map(xs: seq<int>, f: int -> int, g: (int, bool) -> seq<int>) returns (ys: seq<int>)" in render_dafny(spec)
    lean = render_lean(spec)
    assert "(f : (Int → Int)) (g : (Int → Bool → List Int))" in lean
    assert "(ys[i.toNat]! = (f xs[i.toNat]!))" in lean
    assert "v_f(_idx(v_xs, v_i))" in render_python_module(spec)


def test_function_calls_are_typed() -> None:
    err = _error(MAP.replace("f(xs[i])", "f(xs[i], 1)"))
    assert "f takes 1 argument(s), got 2" in err.message and _at(err) == (3, 68)
    err = _error(MAP.replace("f(xs[i])", "f(xs)"))
    assert "argument 1 of f must be int" in err.message
    err = _error(MAP.replace('"|ys| == |xs|"', '"f == f"'))
    assert "int -> int is a function type" in err.message


def test_examples_cannot_give_a_function_a_value() -> None:
    err = _error(MAP + '[[examples]]\nargs = { xs = [1], f = "x => x", g = "x" }\nresult = { ys = [1] }\n')
    assert "function-typed parameter cannot be given an example value" in err.message
    assert "not supported" in (err.hint or "")


def test_spec_check_does_not_ask_z3_about_functions_and_says_so() -> None:
    findings = check_spec(EXAMPLES / "apply_all.toml", CheckOptions(dafny=False))
    assert [(f.severity, f.code) for f in findings] == [(Severity.INFO, "not-checked")]
    assert "f: int -> int" in findings[0].message


def test_drawn_functions_cross_the_sandbox_as_tables() -> None:
    f = TableFunction([((1,), 2), ((3,), 4)], 0)
    back = decode(encode(f))
    assert isinstance(back, TableFunction) and back == f
    assert (back(1), back(3), back(7)) == (2, 4, 0)
    assert encode(f) == {"$function": {"table": [[[1], 2], [[3], 4]], "default": 0}}
    pair = TableFunction([(([1, 2], True), "x")], "y")
    assert pair([1, 2], True) == "x" and pair((1, 2), False) == "y"


def test_harness_draws_functions_and_catches_misuse() -> None:
    spec = load_spec(EXAMPLES / "apply_all.toml")
    impl = IMPLS / "apply_all.py"
    assert run_properties(spec, f"{impl}:correct", max_examples=30, seed=5).ok
    bad = run_properties(spec, f"{impl}:wrong_identity", max_examples=30, seed=5)
    assert not bad.ok and "f=fun {" in bad.lines()[0]


# ------------------------------------------------------------------ seq(n, i => e)

SEQ = """name = "s"
signature = "method S(n: nat, a: array<int>) returns (s: seq<int>)"
requires = ["n <= a.Length"]
ensures = ["s == seq(n, i => a[i] * 0 + i)", "|seq(n, (j: int) => seq(j, k => n + k))| == n"]
"""


def test_seq_init_parses_and_types() -> None:
    spec = load_spec_text(SEQ, "t.toml")
    init = spec.ensures[0].expr.right
    assert isinstance(init, m.SeqInit) and init.var.name == "i"
    err = _error(SEQ.replace("i => a[i] * 0 + i", "(i: bool) => 1"))
    assert "is an index: an int" in err.message
    err = _error(SEQ.replace("seq(n, i => a[i] * 0 + i)", "seq(true, i => i)"))
    assert "the length of seq(n, ...) must be int" in err.message
    err = _error(SEQ.replace("seq(n, i => a[i] * 0 + i)", "seq(n, f)"))
    assert err.code == "syntax" and "'=>'" in (err.hint or "")


def test_seq_init_is_written_as_is_for_dafny_4() -> None:
    text = render_dafny(load_spec_text(SEQ, "t.toml"), DAFNY4)
    assert "  ensures s == seq(n, i => a[i] * 0 + i)\n" in text
    assert "SeqInit" not in text


def test_seq_init_becomes_a_generated_function_for_dafny_2() -> None:
    text = render_dafny(load_spec_text(SEQ, "t.toml"), DAFNY2)
    assert "  ensures s == SeqInit1(n, a)\n" in text
    assert ("function SeqInit1(n: int, a: array<int>): seq<int>\n  requires n >= 0\n  reads a\n  decreases n\n{\n"
            "  if n == 0 then [] else SeqInit1(n - 1, a) + [var i := n - 1; a[i] * 0 + i]\n}") in text
    # the outer seq is SeqInit2, the inner SeqInit3; n is captured, so the length is n_
    assert "  ensures |SeqInit2(n, n)| == n\n" in text
    assert "function SeqInit2(n_: int, n: nat): seq<seq<int>>" in text
    assert "[var j := n_ - 1; SeqInit3(j, n)]" in text
    assert "[var k := n_ - 1; n + k]" in text


def test_seq_init_with_old_is_refused_for_dafny_2_at_its_position() -> None:
    spec = load_spec_text('name = "s"\nsignature = "method S(a: array<int>)"\nmodifies = ["a"]\n'
                          'ensures = ["a[..] == seq(a.Length, i => old(a[i]))"]\n', "t.toml")
    with pytest.raises(SpecError) as info:
        render_dafny(spec, DAFNY2)
    assert "Dafny 2.3" in info.value.message and "old(...)" in info.value.message
    assert _at(info.value) == (4, 22)
    assert "seq(a.Length, i => old(a[i]))" in render_dafny(spec, DAFNY4)


def test_seq_init_in_lean_python_and_z3() -> None:
    spec = load_spec(EXAMPLES / "square_seq.toml")
    assert "((List.range n).map (fun (i : Nat) => let i : Int := i; ((i * i) + k)))" in render_lean(spec)
    preds = compile_predicates(spec)
    assert preds.post({"n": 3, "k": 1}, {"s": [1, 2, 5]})
    assert not preds.post({"n": 3, "k": 1}, {"s": [1, 2]})
    neg = compile_predicates(load_spec_text('name = "q"\nsignature = "method F(n: int) returns (b: bool)"\n'
                                            'ensures = ["b == (|seq(n, i => i)| == 0)"]\n', "t.toml"))
    assert not neg.post({"n": -1}, {"b": True}) and not neg.post({"n": -1}, {"b": False})  # undefined: false
    assert check_spec(EXAMPLES / "square_seq.toml", CheckOptions(dafny=False)) == []


def test_z3_reports_an_underspecified_seq_init_spec() -> None:
    spec = load_spec_text('name = "q"\nsignature = "method F(n: nat) returns (s: seq<int>)"\n'
                          'ensures = ["s == seq(n, i => i) || s == seq(n, i => 2 * i)"]\n', "t.toml")
    findings = check_spec(spec, CheckOptions(dafny=False))
    assert [f.code for f in findings] == ["underspecified"]


# ------------------------------------------------------------------ the real Dafny


def _reference_against_contract(name: str, dialect: object) -> str:
    """The rendered contract with the reference solution's method body in place of the
    placeholder, plus the reference's lemmas (declarations the contract does not have)."""
    spec = load_spec(EXAMPLES / f"{name}.toml")
    contract = render_dafny(spec, dialect)  # type: ignore[arg-type]
    reference = (GOLDEN / f"{name}.dfy").read_text()
    extra, body = [], None
    for decl in parse(reference).decls:
        text = reference[decl.pos.start : decl.pos.end]
        if decl.name == spec.method:
            body = text[re.search(r"^\{", text, re.M).start():]  # type: ignore[union-attr]
        elif isinstance(decl, A.Method) or not re.search(rf"\b(function|predicate) {decl.name}\b", contract):
            extra.append(text)
    assert body is not None
    placeholder = "{\n  " + BODY_MARKER + "\n}\n"
    assert placeholder in contract
    return contract.replace(placeholder, body + "\n") + "\n" + "\n\n".join(extra) + "\n"


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("name", ["find_generic", "apply_all", "square_seq"])
def test_real_dafny_verifies_the_reference_against_the_rendered_contract(name: str) -> None:
    from verifier.backends import get_backend
    from verifier.specs.dafny_check import find_dafny

    backend = get_backend("dafny", cache=False)
    if not backend.available().ok:
        pytest.skip("Dafny is not installed here")
    tool = find_dafny()
    program = _reference_against_contract(name, tool.dialect)
    try:
        result = backend.check(program, timeout=300)
    finally:
        backend.close()
    assert result.verdict == Verdict.VERIFIED, (program, [d.message for d in result.diagnostics])
    broken = program.replace("ensures -1 <= i < |xs|", "ensures 0 <= i < |xs|").replace(
        "ensures |ys| == |xs|", "ensures |ys| == |xs| + 1").replace("SeqInit1(n, k)\n", "SeqInit1(n, k + 1)\n")
    assert broken != program
    backend = get_backend("dafny", cache=False)
    try:
        assert backend.check(broken, timeout=300).verdict == Verdict.REFUTED
    finally:
        backend.close()


@pytest.mark.dafny
def test_spec_check_reports_a_seq_init_dafny_2_cannot_hold_and_resolves_the_rest(tmp_path: Path) -> None:
    from verifier.specs.check import check_paths
    from verifier.specs.dafny_check import find_dafny

    bad = tmp_path / "bad.toml"
    bad.write_text('name = "s"\nsignature = "method S(a: array<int>)"\nmodifies = ["a"]\n'
                   'ensures = ["a[..] == seq(a.Length, i => old(a[i]))"]\n')
    results = check_paths([str(bad), str(EXAMPLES / "square_seq.toml")], CheckOptions(samples=2))
    found = [(f.code, f.line, f.col) for f in results[str(bad)] if f.severity == Severity.ERROR]
    if find_dafny().dialect.major >= 4:  # Dafny 4 has seq(n, f) and takes the clause as written
        assert found == []
    else:
        assert found == [("dafny-resolve", 4, 22)]
        assert "Dafny 2.3" in results[str(bad)][0].message
    assert results[str(EXAMPLES / "square_seq.toml")] == []
