"""`[[datatypes]]`: parsing, typing, example values, the Python predicates and `spec check`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, Finding, check_spec
from verifier.specs.datavalues import classes_for
from verifier.specs.loader import load_spec_all, load_spec_text
from verifier.specs.sampling import random_value
from verifier.specs.values import show, to_json
from verifier.translators.spec_python import compile_predicates

from verifier.errors import SpecError

OPTS = CheckOptions(dafny=False, samples=8)


def check_text(text: str, tmp_path: Path) -> list[Finding]:
    path = tmp_path / "t.toml"
    path.write_text(text)
    return check_spec(path, OPTS)
FIGURE = 'datatype Figure = Dot | Disc(r: int) | Box(w: int, h: int)'
TREE = 'datatype T = Tip | Fork(left: T, val: int, right: T)'


def spec_text(sig: str, ensures: list[str], datatypes: tuple[str, ...] = (FIGURE,), extra: str = "",
              requires: list[str] | None = None) -> str:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in xs) + "]"

    decls = "".join(f'\n[[datatypes]]\nsource = "{d}"\n' for d in datatypes)
    return (f'name = "t"\nsignature = "{sig}"\nrequires = {arr(requires or [])}\nensures = {arr(ensures)}\n'
            f"{decls}{extra}")


def test_declarations_parse_into_constructors_and_fields() -> None:
    spec = load_spec_text(spec_text("method F(t: T) returns (r: int)", ["r == 0"], (TREE,)), "t.toml")
    (t,) = spec.datatypes
    assert t.name == "T" and [c.name for c in t.ctors] == ["Tip", "Fork"]
    assert t.ctor("Fork") == m.Constructor("Fork", (m.Param("left", m.DatatypeType("T")),
                                                    m.Param("val", m.IntType()),
                                                    m.Param("right", m.DatatypeType("T"))))
    assert spec.params[0].type == m.DatatypeType("T")


def test_constructors_discriminators_and_fields_in_expressions() -> None:
    text = spec_text("method F(f: Figure) returns (g: Figure)",
                     ["f.Disc? ==> g == Disc(f.r + 1)", "f == Dot ==> g == Dot"])
    spec = load_spec_text(text, "t.toml")
    first, second = (c.expr for c in spec.ensures)
    assert first == m.Binary("==>", m.IsCtor(m.Var("f"), "Disc"), m.Binary(
        "==", m.Var("g"), m.Construct("Disc", (m.Binary("+", m.Member(m.Var("f"), "r"), m.IntLit(1)),))))
    assert second.left == m.Binary("==", m.Var("f"), m.Construct("Dot", ()))


def test_a_leading_bar_and_mutually_recursive_datatypes() -> None:
    text = spec_text("method F(a: A) returns (r: int)", ["r == 0"],
                     ("datatype A = | Nil | Cons(b: B)", "datatype B = Wrap(a: A, n: int)"))
    spec = load_spec_text(text, "t.toml")
    assert [d.name for d in spec.datatypes] == ["A", "B"]
    assert spec.datatype("B").ctor("Wrap").fields[0].type == m.DatatypeType("A")


def _error(text: str) -> SpecError:
    try:
        _, errors = load_spec_all(text, "t.toml")
    except SpecError as exc:
        return exc
    assert errors, "expected an error"
    return errors[0]


@pytest.mark.parametrize(
    ("sig", "ensures", "message", "hint", "col"),
    [
        ("method F(f: Figure) returns (r: int)", "r == f.radius", "Figure has no field radius",
         "the fields of Figure are: h, r, w", 20),
        ("method F(f: Figure) returns (r: bool)", "r == f.Square?", "Square is not a constructor of Figure",
         "the constructors of Figure are: Dot, Disc, Box", 20),
        ("method F(f: Figure) returns (g: Figure)", "g == Box(1)", "constructor Box takes 2 field(s), got 1",
         "write Box(w, h)", 18),
        ("method F(f: Figure) returns (g: Figure)", "g == Disc(true)", "field r of Disc must be int, found bool",
         "change this expression to a int", 23),
        ("method F(f: Figure) returns (g: Figure)", "g == Square(2)", "unknown function Square",
         "the constructors are: Dot, Disc, Box", 18),
        ("method F(x: int) returns (r: bool)", "r == x.Disc?", "int has no constructor test .Disc?",
         "[[datatypes]]", 20),
        ("method F(f: Figure) returns (r: bool)", "r == (f < f)", "< is not defined on Figure", "", 21),
    ],
)
def test_type_errors_point_at_the_offending_text(sig: str, ensures: str, message: str, hint: str, col: int) -> None:
    err = _error(spec_text(sig, [ensures]))
    assert message in err.message, err.message
    assert hint in (err.hint or ""), err.hint
    assert err.location is not None and err.location.line == 4
    assert err.location.col == col, (err.location.col, str(err))


@pytest.mark.parametrize(
    ("decls", "message"),
    [
        (("datatype L<T> = Nil | Cons(h: T, t: L)",), "datatype L takes 1 type argument(s), got none"),
        (("datatype L<T> = Nil | Cons(h: U)",), "unknown type U"),
        (("datatype D = A(x: int, x: int)",), "field x is declared twice in A"),
        (("datatype D = A(Length: int)",), "Length cannot name a field"),
        (("datatype D = A(x: int) | B(x: bool)",), "field x of B is bool, but another constructor of D has x: int"),
        ((FIGURE, "datatype Other = Dot | Blob"), "the constructor Dot has the name of a constructor"),
        (("datatype D = F | G",), "the constructor F has the name of the method"),
        (("datatype D = A(Figure: int)", "datatype E = object"), "object is a Dafny keyword and cannot name a constructor"),
        (("datatype D = Circle(int)",), "syntax error in the datatype"),
        (("datatype D = A(x: Shape)",), "unknown type Shape"),
    ],
)
def test_bad_declarations(decls: tuple[str, ...], message: str) -> None:
    err = _error(spec_text("method F(x: int) returns (r: int)", ["r == x"], decls))
    assert message in err.message, err.message
    assert err.location is not None and err.location.line >= 5  # in a [[datatypes]] source


def test_a_parameter_named_like_a_constructor_is_refused() -> None:
    err = _error(spec_text("method F(Dot: int) returns (r: int)", ["r == 0"]))
    assert "parameter Dot has the name of a constructor of Figure" in err.message


def test_example_values_in_toml() -> None:
    extra = ('[[examples]]\nargs = { f = { Box = { w = 2, h = 3 } } }\nresult = { g = "Dot" }\n'
             '[[examples]]\nargs = { f = { Dot = {} } }\nresult = { g = { Disc = { r = -1 } } }\n')
    spec = load_spec_text(spec_text("method F(f: Figure) returns (g: Figure)", ["true"], extra=extra), "t.toml")
    one, two = spec.examples
    assert show(one.args["f"]) == "Box(2, 3)" and show(one.result["g"]) == "Dot"
    assert show(two.args["f"]) == "Dot" and show(two.result["g"]) == "Disc(-1)"
    assert to_json(one.args["f"]) == {"Box": {"w": 2, "h": 3}}
    assert to_json(two.args["f"]) == "Dot"
    assert type(one.args["f"]).__name__ == "Box" and dataclasses.is_dataclass(one.args["f"])


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ('{ Square = { s = 1 } }', "'Square' is not a constructor of Figure", "Dot, Disc, Box"),
        ('{ Box = { w = 1 } }', "Box lacks a value for 'h'", "w, h"),
        ('{ Box = { w = 1, h = 2, d = 3 } }', "Box has no field 'd'", "w, h"),
        ('{ Disc = { r = "x" } }', "expected a value of type int", "integer"),
        ('3', "expected a value of type Figure", "{ Circle = { r = 3 } }"),
        ('{ Disc = { r = 1 }, Dot = {} }', "expected a value of type Figure", "one-key table"),
    ],
)
def test_bad_example_values(value: str, message: str, hint: str) -> None:
    extra = f'[[examples]]\nargs = {{ f = {value} }}\nresult = {{ g = "Dot" }}\n'
    err = _error(spec_text("method F(f: Figure) returns (g: Figure)", ["true"], extra=extra))
    assert message in err.message, err.message
    assert hint in (err.hint or ""), err.hint
    assert err.code == "value" and err.location is not None and err.location.line == 9


def test_predicates_compare_by_constructor_name_whatever_the_class() -> None:
    spec = load_spec_text(spec_text("method F(f: Figure, k: int) returns (g: Figure)",
                                    ["f.Disc? ==> g == Disc(f.r * k)", "f.Box? ==> g.w == f.w * k"]), "t.toml")
    preds = compile_predicates(spec)

    @dataclasses.dataclass(frozen=True)
    class Disc:  # the function under test's own class, as the Dafny→Python compiler writes it
        r: int

    ours = classes_for(spec.datatypes)
    assert preds.failing_ensures({"f": ours["Disc"](2), "k": 3}, {"g": Disc(6)}) == []
    assert preds.failing_ensures({"f": Disc(2), "k": 3}, {"g": Disc(7)}) == ["f.Disc? ==> g == Disc(f.r * k)"]
    crossed = {"$dataclass": "Disc", "fields": {"r": 6}}  # a value that crossed the sandbox
    assert preds.post({"f": {"$dataclass": "Disc", "fields": {"r": 2}}, "k": 3}, {"g": crossed})
    # fields go by name: JSON written with sorted keys (the failure database) loses their order
    assert preds.post({"f": {"$dataclass": "Box", "fields": {"h": 5, "w": 1}}, "k": 2}, {"g": ours["Box"](2, 10)})
    assert not preds.post({"f": {"$dataclass": "Box", "fields": {"h": 5, "w": 1}}, "k": 2}, {"g": ours["Box"](10, 2)})
    # a field of another constructor is undefined (Dafny refuses it), so the clause is false
    assert preds.failing_ensures({"f": ours["Box"](1, 1), "k": 1}, {"g": Disc(1)}) == ["f.Box? ==> g.w == f.w * k"]


def test_reserved_python_names_as_constructors() -> None:
    text = spec_text("method F(o: Opt) returns (r: int)", ["o.None? ==> r == 0", "o.Some? ==> r == o.value"],
                     ("datatype Opt = None | Some(value: int)",))
    preds = compile_predicates(load_spec_text(text, "t.toml"))

    @dataclasses.dataclass(frozen=True)
    class None_:
        pass

    assert preds.post({"o": None_()}, {"r": 0})
    assert not preds.post({"o": None_()}, {"r": 1})


def test_random_values_of_a_recursive_datatype_end() -> None:
    import random

    spec = load_spec_text(spec_text("method F(t: T) returns (r: int)", ["r == 0"], (TREE,)), "t.toml")
    rnd = random.Random(1)
    values = [random_value(m.DatatypeType("T"), rnd, 4, spec.datatypes) for _ in range(50)]
    assert {type(v).__name__ for v in values} == {"Tip", "Fork"}


def test_check_finds_underspecified_datatype_outputs_with_z3(tmp_path: Path) -> None:
    text = spec_text("method F(f: Figure) returns (g: Figure)", ["g.Disc? <==> f.Disc?"],
                     extra='[[examples]]\nargs = { f = { Disc = { r = 2 } } }\nresult = { g = { Disc = { r = 2 } } }\n')
    findings = check_text(text, tmp_path)
    under = [f for f in findings if f.code == "underspecified"]
    assert under and "g = Disc(" in under[0].message, [f.render() for f in findings]


def test_check_finds_unrealizable_datatype_outputs(tmp_path: Path) -> None:
    text = spec_text("method F(f: Figure) returns (g: Figure)", ["g.Disc?", "g == Dot"])
    findings = check_text(text, tmp_path)
    assert any(f.code == "unrealizable" for f in findings), [f.render() for f in findings]


def test_recursive_outputs_are_searched_by_z3(tmp_path: Path) -> None:
    text = spec_text("method F(n: int) returns (t: T)", ["t.Fork? && t.left.Fork? && t.left.val == n"], (TREE,),
                     requires=["n > 0"])
    findings = check_text(text, tmp_path)
    assert [f.code for f in findings if f.severity.value != "info"] == ["underspecified"], [f.render() for f in findings]


@pytest.mark.parametrize(
    ("decl", "sig", "why"),
    [
        ("datatype D = A(xs: seq<int>)", "method F(d: D) returns (r: D)", "collections inside datatypes"),
        ("datatype D = A(n: nat)", "method F(x: int) returns (r: D)", "field A.n is a nat"),
    ],
)
def test_what_z3_cannot_hold_is_reported_not_checked(decl: str, sig: str, why: str, tmp_path: Path) -> None:
    ensures = ["r == d"] if "d: D" in sig else ["r.A? && r.n == x"]
    extra = ('[[examples]]\nargs = { d = { A = { xs = [1] } } }\nresult = { r = { A = { xs = [1] } } }\n'
             if "d: D" in sig else '[[examples]]\nargs = { x = 1 }\nresult = { r = { A = { n = 1 } } }\n')
    findings = check_text(spec_text(sig, ensures, (decl,), extra=extra), tmp_path)
    assert all(f.severity.value == "info" for f in findings), [f.render() for f in findings]
    assert any(f.code == "not-checked" and why in f.message for f in findings), [f.render() for f in findings]
