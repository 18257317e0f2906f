"""Spec files: keys, examples and their values, with errors at the right place."""

from __future__ import annotations

from collections import Counter

import pytest
from verifier.specs import model as m
from verifier.specs.loader import load_spec_text
from verifier.specs.values import to_json

from verifier.errors import SpecError

BASE = '''name = "v"
signature = "method F(xs: seq<int>, s: set<int>, ms: multiset<int>, d: map<string, int>, p: map<int, char>, a: array<bool>, t: string, c: char, n: nat) returns (r: int)"
ensures = ["r == 0"]
modifies = ["a"]
'''


def test_example_values_follow_the_runtime_conventions() -> None:
    text = BASE + '''
[[examples]]
args = { xs = [1, 2], s = [3, 3, 4], ms = [5, 5, 6], d = { "k" = 1 }, p = [[1, "x"], [2, "y"]], a = [true], t = "hi", c = "z", n = 3 }
result = { r = 0, a = [false] }
'''
    spec = load_spec_text(text, "v.toml")
    (ex,) = spec.examples
    assert ex.args["xs"] == [1, 2]
    assert ex.args["s"] == frozenset({3, 4})
    assert ex.args["ms"] == Counter({5: 2, 6: 1})
    assert ex.args["d"] == {"k": 1}
    assert ex.args["p"] == {1: "x", 2: "y"}
    assert ex.args["a"] == [True] and ex.result["a"] == [False]
    assert (ex.args["t"], ex.args["c"], ex.args["n"]) == ("hi", "z", 3)
    assert to_json(ex.args["ms"]) == [5, 5, 6]
    assert to_json(ex.args["p"]) == [[1, "x"], [2, "y"]]
    assert to_json(ex.args["s"]) == [3, 4]


@pytest.mark.parametrize(
    ("args", "result", "message", "line", "col"),
    [
        ('xs = [1, true]', "r = 0, a = []", "expected a value of type int, found True", 7, 19),
        ('xs = [], n = -1', "r = 0, a = []", "expected a value of type nat, found -1", 7, 23),
        ('xs = [], c = "zz"', "r = 0, a = []", "expected a value of type char", 7, 23),
        ('xs = [], p = { "1" = "x" }', "r = 0, a = []", "an inline table has string keys", 7, 23),
        ('xs = [], p = [[1, "x"], [1, "y"]]', "r = 0, a = []", "map key 1 appears twice", 7, 34),
        ('xs = [], q = 1', "r = 0, a = []", "unknown name `q`", 7, 19),
        ('xs = []', "r = 0", "lacks a value for `a`", 8, 10),
        ('xs = []', "r = 0, a = [], t = 1", "not in modifies", 8, 27),
    ],
)
def test_example_errors(args: str, result: str, message: str, line: int, col: int) -> None:
    defaults = {"xs": "[]", "s": "[]", "ms": "[]", "d": "{}", "p": "[]", "a": "[]", "t": '""', "c": '"c"', "n": "0"}
    given = {kv.split("=", 1)[0].strip() for kv in args.split(", ") if "=" in kv and not kv.strip().startswith("[")}
    rest = ", ".join(f"{k} = {v}" for k, v in defaults.items() if k not in given)
    text = BASE + f"\n[[examples]]\nargs = {{ {args}, {rest} }}\nresult = {{ {result} }}\n"
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "v.toml")
    err = info.value
    assert message in str(err)
    assert err.location is not None and (err.location.line, err.location.col) == (line, col), str(err)


@pytest.mark.parametrize(
    ("text", "message", "line", "col"),
    [
        ('name = "x"\nsignature = "method F()"\nensure = []\n', "unknown key `ensure`", 3, 1),
        ('signature = "method F()"\n', "missing key `name`", 1, 1),
        ('name = "x"\nsignature = "method F()"\nensures = "true"\n', "must be a list of strings", 3, 11),
        ('name = "x"\nsignature = "method F()"\nensures = [1]\n', "ensures[0] must be a string", 3, 12),
        ('name = "x"\nsignature = "method F(x int)"\n', "syntax error in the signature", 2, 25),
        ('name = "x"\nsignature = "method F()"\n[[helpers]]\nsrc = "x"\n', "unknown key `src`", 4, 1),
        ('name = "x"\nsignature = "method F()"\nmodifies = ["a b"]\n', "must be a parameter name", 3, 13),
        # an unclosed string: the caret goes to its opening quote, not to the line's end
        ('name = "x\nsignature = 1\n', "TOML syntax error: this string is not closed", 1, 8),
        ('name = "x"\nensures = ["r == x",\n', "at the end of the file", 2, 21),
        ('name = "a\\"b\n', "this string is not closed", 1, 8),  # an escaped quote does not close it
    ],
)
def test_document_errors(text: str, message: str, line: int, col: int) -> None:
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "d.toml")
    err = info.value
    assert message in err.message, str(err)
    assert err.location is not None and (err.location.line, err.location.col) == (line, col), str(err)
    assert err.hint


def test_multiline_and_escaped_clauses_map_positions() -> None:
    text = 'name = "x"\nsignature = "method F(s: string) returns (r: bool)"\nensures = [\n"""\nr <==>\n  s == \\"ab\\" + zz"""]\n'
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "m.toml")
    assert info.value.message == "unknown name zz"
    assert (info.value.location.line, info.value.location.col) == (6, 17)


def test_spec_fields() -> None:
    spec = load_spec_text(BASE, "v.toml")
    assert spec.method == "F" and spec.source == "v.toml"
    assert [p.name for p in spec.returns] == ["r"]
    assert spec.modified == ("a",)
    assert spec.param("a").type == m.ArrayType(m.BoolType())
    assert spec.ensures[0].text == "r == 0" and (spec.ensures[0].span.line, spec.ensures[0].span.col) == (3, 13)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("/tmp/x/evil", "is not an identifier"),
        ("../esc", "is not an identifier"),
        ("a-b", "is not an identifier"),
        ("1abc", "is not an identifier"),
        ("", "is not an identifier"),
        ("café", "is not an identifier"),
        ("import", "is a Python keyword"),
        ("x" * 65, "at most 64"),
    ],
)
def test_the_spec_name_must_be_a_bounded_identifier(name: str, message: str) -> None:
    text = BASE.replace('name = "v"', f'name = "{name}"', 1)
    with pytest.raises(SpecError) as caught:
        load_spec_text(text, "v.toml")
    err = caught.value
    assert message in err.message
    assert err.location is not None and (err.location.line, err.location.col) == (1, 8)
    assert err.hint and "letters, digits and _" in err.hint


def test_a_spec_built_in_code_with_a_path_for_a_name_is_refused() -> None:
    """Defence in depth: the model refuses the name even when no loader ran."""
    spec = load_spec_text(BASE, "v.toml")
    for name in ("../esc", "x" * 65, "_ok_1"):
        if m.name_problem(name) is None:
            assert m.Spec(**{**spec.__dict__, "name": name}).name == name
            continue
        with pytest.raises(SpecError):
            m.Spec(**{**spec.__dict__, "name": name})
