"""Generic `[[datatypes]]` (`datatype Option<T> = None | Some(value: T)`): parsing, type
arguments inferred from fields and context, errors at the offending text, example values,
the Python predicates, sampling and `spec check` (z3 per instance)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.generics import (
    datatype_at,
    datatype_instances,
    instance_name,
    instantiate,
    spec_datatype_instances,
)
from verifier.specs.loader import load_spec, load_spec_all, load_spec_text
from verifier.specs.sampling import random_value
from verifier.specs.values import show
from verifier.translators.spec_python import compile_predicates

from verifier.errors import SpecError

ROOT = Path(__file__).resolve().parents[2]
OPTION = "datatype Option<T> = None | Some(value: T)"
LIST = "datatype List<T> = Nil | Cons(head: T, tail: List<T>)"
PAIR = "datatype Pair<A, B> = MkPair(fst: A, snd: B)"
INT = m.IntType()


def spec_text(sig: str, ensures: list[str], datatypes: tuple[str, ...] = (OPTION, LIST), extra: str = "",
              requires: list[str] | None = None) -> str:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in xs) + "]"

    decls = "".join(f'\n[[datatypes]]\nsource = "{d}"\n' for d in datatypes)
    return (f'name = "t"\nsignature = "{sig}"\nrequires = {arr(requires or [])}\nensures = {arr(ensures)}\n'
            f"{decls}{extra}")


def _error(text: str) -> SpecError:
    try:
        _, errors = load_spec_all(text, "t.toml")
    except SpecError as exc:
        return exc
    assert errors, "expected an error"
    return errors[0]


def test_type_parameters_of_a_datatype_are_types_in_its_fields() -> None:
    spec = load_spec_text(spec_text("method F(o: Option<int>, l: List<seq<Option<int>>>) returns (r: int)",
                                    ["r == 0"]), "t.toml")
    opt, lst = spec.datatypes
    assert [tp.name for tp in opt.type_params] == ["T"] and not opt.type_params[0].equality
    assert lst.ctor("Cons").fields[1].type == m.DatatypeType("List", (m.TypeVarType("T"),))
    assert spec.params[0].type == m.DatatypeType("Option", (INT,))
    assert m.type_text(spec.params[1].type) == "List<seq<Option<int>>>"


def test_an_equality_type_parameter_and_two_parameters() -> None:
    spec = load_spec_text(spec_text("method F(p: Pair<int, bool>) returns (r: int)", ["r == p.fst"],
                                    ("datatype Box<T(==)> = MkBox(v: T)", PAIR)), "t.toml")
    assert spec.datatypes[0].type_params[0].equality
    assert datatype_at(spec.datatypes, spec.params[0].type).ctors[0].fields[1].type == m.BoolType()


@pytest.mark.parametrize("clauses", [
    ["r == Some(3) || r == None"],                     # None from the other side of ==
    ["r.Some? ==> r.value > 0", "r != None"],
    ["(match r case None => true case Some(v) => v >= 0)"],
    ["r == (if true then None else Some(1))"],
    ["forall o :: o in [None, Some(1)] ==> o.None? || o.value == 1"],  # one display fixes both
    ["var x: Option<int> := None; r != x"],
])
def test_type_arguments_are_inferred_from_fields_and_context(clauses: list[str]) -> None:
    _, errors = load_spec_all(spec_text("method F() returns (r: Option<int>)", clauses), "t.toml")
    assert not errors, [str(e) for e in errors]


def test_nested_and_recursive_instances_type_check() -> None:
    text = spec_text("method F(xs: seq<Option<int>>, l: List<List<int>>) returns (r: int)",
                     ["r == (if |xs| > 0 && xs[0].Some? then xs[0].value else 0)",
                      "l.Cons? ==> l.head == Cons(1, Nil) ==> l.head.head == 1"])
    _, errors = load_spec_all(text, "t.toml")
    assert not errors, [str(e) for e in errors]


def test_a_generic_helper_over_a_generic_datatype() -> None:
    helper = ('[[helpers]]\nsource = "function Len<T>(l: List<T>): nat '
              '{ match l case Nil => 0 case Cons(_, t) => 1 + Len(t) }"\n')
    _, errors = load_spec_all(spec_text("method F(l: List<bool>) returns (r: int)",
                                        ["r == Len(l) + Len(Cons(1, Nil))"], extra=helper), "t.toml")
    assert not errors, [str(e) for e in errors]


@pytest.mark.parametrize(
    ("sig", "ensures", "message", "hint", "col"),
    [
        ("method F(o: Option<int, int>) returns (r: int)", "r == 0",
         "datatype Option takes 1 type argument(s), got 2", "write Option<int>", 26),
        ("method F(o: Option) returns (r: int)", "r == 0",
         "datatype Option takes 1 type argument(s), got none", "Option<int>", 26),
        ("method F(o: Option<U>) returns (r: int)", "r == 0", "unknown type U", "type parameter", 33),
        ("method F(o: Option<int>) returns (r: bool)", "r == (None == None)",
         "cannot infer the type argument(s) of None here", "Option<int>", 19),
        ("method F(o: Option<int>) returns (r: bool)", "r == Nil.Nil?",
         "cannot infer the type argument(s) of Nil here", "List<int>", 18),
        ("method F(o: Option<int>) returns (r: bool)", "r == (o == Some(true))",
         "cannot compare Option<int> with Option<bool>", "same type", 21),
        ("method F(o: Option<int>) returns (r: bool)", "r == o.value",
         "cannot compare bool with int", "same type", 15),
    ],
)
def test_errors_point_at_the_offending_text(sig: str, ensures: str, message: str, hint: str, col: int) -> None:
    err = _error(spec_text(sig, [ensures]))
    assert message in err.message, err.message
    assert hint in (err.hint or ""), err.hint
    assert err.location is not None and err.location.col == col, (err.location, str(err))
    assert err.location.line in (2, 4) and err.location.text is not None


def test_equality_on_an_instance_needs_equality_of_its_argument() -> None:
    err = _error(spec_text("method F<T>(o: Option<T>, p: Option<T>) returns (r: bool)", ["r == (o == p)"]))
    assert "== needs values that support equality: type parameter T is declared without (==)" in err.message


def test_a_datatype_type_parameter_named_like_a_datatype_is_refused() -> None:
    err = _error(spec_text("method F() returns (r: int)", ["r == 0"], (OPTION, "datatype W<Option> = W(x: Option)")))
    assert "type parameter Option of W has the name of a datatype" in err.message


def test_example_values_are_read_at_the_instance() -> None:
    extra = ('[[examples]]\nargs = { o = { Some = { value = "ab" } } }\nresult = { r = 2 }\n'
             '[[examples]]\nargs = { o = "None" }\nresult = { r = 0 }\n')
    spec = load_spec_text(spec_text("method F(o: Option<string>) returns (r: int)",
                                    ["o.Some? ==> r == |o.value|", "o.None? ==> r == 0"], extra=extra), "t.toml")
    assert show(spec.examples[0].args["o"]) == 'Some("ab")'
    bad = extra.replace('value = "ab"', "value = 3")
    err = _error(spec_text("method F(o: Option<string>) returns (r: int)", ["r == 0"], extra=bad))
    assert "expected a value of type string, found 3" in err.message


def test_python_predicates_match_by_constructor_name() -> None:
    spec = load_spec(ROOT / "specs" / "examples" / "find_option.toml")
    preds = compile_predicates(spec)
    some, none = spec.examples[0].result["r"], spec.examples[1].result["r"]
    assert preds.post({"xs": [4, 7, 7], "x": 7}, {"r": some})
    assert not preds.post({"xs": [4, 7, 7], "x": 7}, {"r": none})
    assert preds.post({"xs": [4, 7], "x": 5}, {"r": none})


def test_instances_reachable_from_the_parameters() -> None:
    spec = load_spec_text(spec_text("method F(xs: seq<Option<int>>, l: List<List<bool>>) returns (r: int)",
                                    ["r == 0"]), "t.toml")
    found = spec_datatype_instances(spec)
    assert [m.type_text(t) for t in found] == ["Option<int>", "List<List<bool>>", "List<bool>"]
    assert [instance_name(t) for t in found] == ["Option_int", "List_List_bool", "List_bool"]
    lst = datatype_at(spec.datatypes, found[1])
    assert lst.ctor("Cons").fields[0].type == m.DatatypeType("List", (m.BoolType(),)) and not lst.type_params
    assert datatype_instances(spec.datatypes, (m.TypeVarType("T"),)) == ()


def test_a_generic_method_instantiates_the_datatypes_it_names() -> None:
    spec = load_spec(ROOT / "specs" / "examples" / "list_to_seq.toml")
    inst = instantiate(spec, {"T": m.StringType()})
    assert m.type_text(inst.params[0].type) == "List<string>"
    assert [m.type_text(t) for t in spec_datatype_instances(inst)] == ["List<string>"]


def test_random_values_follow_the_instance() -> None:
    spec = load_spec_text(spec_text("method F(l: List<bool>) returns (r: int)", ["r == 0"]), "t.toml")
    rnd = random.Random(1)
    seen = set()
    for _ in range(40):
        v = random_value(spec.params[0].type, rnd, datatypes=spec.datatypes)
        while type(v).__name__ == "Cons":
            seen.add(type(v.head))
            v = v.tail
    assert seen == {bool}


def test_spec_check_is_clean_on_the_shipped_generic_examples(tmp_path: Path) -> None:
    for name in ("find_option", "list_to_seq"):
        findings = check_spec(ROOT / "specs" / "examples" / f"{name}.toml", CheckOptions(dafny=False, samples=8))
        assert not [f for f in findings if f.severity != "info"], [str(f) for f in findings]


def test_spec_check_refutes_a_wrong_example(tmp_path: Path) -> None:
    text = (ROOT / "specs" / "examples" / "find_option.toml").read_text().replace(
        "result = { r = { Some = { value = 1 } } }", "result = { r = { Some = { value = 2 } } }")
    path = tmp_path / "t.toml"
    path.write_text(text)
    findings = check_spec(path, CheckOptions(dafny=False, samples=8))
    assert any(f.code == "example-ensures" for f in findings), [str(f) for f in findings]
