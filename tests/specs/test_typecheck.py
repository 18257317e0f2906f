"""Names, types, arities, `old` and `modifies` are checked, each error at its spot."""

from __future__ import annotations

import pytest
from verifier.specs import model as m
from verifier.specs.loader import load_spec_all, load_spec_text

from verifier.errors import SpecError


def spec_text(sig: str, ensures: list[str], requires: list[str] | None = None, extra: str = "") -> str:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in xs) + "]"

    return (
        f'name = "t"\nsignature = "{sig}"\nrequires = {arr(requires or [])}\n'
        f"ensures = {arr(ensures)}\n{extra}"
    )


def errors_of(text: str) -> list[SpecError]:
    return load_spec_all(text, "t.toml")[1]


@pytest.mark.parametrize(
    ("sig", "ensures", "message", "col"),
    [
        ("method F(x: int) returns (r: int)", ["r == y"], "unknown name y", 18),
        ("method F(x: int) returns (r: bool)", ["r == x"], "cannot compare bool with int", 15),
        ("method F(s: seq<int>) returns (r: int)", ["r == |s| + s"], "+ between int and seq<int>", 22),
        ("method F(s: seq<int>) returns (r: int)", ["r"], "must be a bool", 13),
        ("method F(s: seq<int>) returns (r: int)", ["r in s[0]"], "needs a seq, set, multiset or map", 18),
        ("method F(a: array<int>) returns (r: int)", ["r == |a|"], "|a| of an array", 18),
        ("method F(a: array<int>) returns (r: int)", ["r == a.Size"], "no member .Size", 20),
        ("method F(x: int) returns (r: int)", ["r == x[0]"], "cannot index a int", 18),
        ("method F(x: int) returns (r: int)", ["forall i :: i == x ==> r[i] == 0"], "cannot index a int", 36),
        ("method F(x: int) returns (r: char)", ["r == 'a' + 1"], "+ between char and int", 22),
    ],
)
def test_type_errors(sig: str, ensures: list[str], message: str, col: int) -> None:
    errs = errors_of(spec_text(sig, ensures))
    assert errs, "expected a type error"
    err = errs[0]
    assert message in err.message
    assert err.location is not None and (err.location.line, err.location.col) == (4, col)
    assert err.hint


def test_requires_cannot_mention_outputs_and_old_only_in_ensures() -> None:
    errs = errors_of(spec_text("method F(x: int) returns (r: int)", ["r == x"], requires=["r > 0"]))
    assert errs[0].message == "unknown name r" and "out-parameter" in (errs[0].hint or "")
    errs = errors_of(spec_text("method F(x: int) returns (r: int)", ["r == x"], requires=["old(x) > 0"]))
    assert "old(...) in requires" in errs[0].message


def test_helper_arity_and_argument_types() -> None:
    helper = '[[helpers]]\nsource = "function G(s: seq<int>, k: nat): int { if k == 0 then 0 else G(s, k - 1) }"\n'
    errs = errors_of(spec_text("method F(x: int) returns (r: int)", ["r == G([x])"], extra=helper))
    assert "G takes 2 argument(s), got 1" in errs[0].message
    errs = errors_of(spec_text("method F(x: int) returns (r: int)", ["r == G(x, 1)"], extra=helper))
    assert "argument s of G must be seq<int>, found int" in errs[0].message
    errs = errors_of(spec_text("method F(x: int) returns (r: int)", ["r == H(x)"], extra=helper))
    assert "unknown function H" in errs[0].message and "G" in (errs[0].hint or "")


def test_helper_body_type_checked() -> None:
    helper = '[[helpers]]\nsource = "function G(x: int): bool { x + 1 }"\n'
    errs = errors_of(spec_text("method F(x: int) returns (r: bool)", ["r == G(x)"], extra=helper))
    assert "the body of G has type int, but G returns bool" in errs[0].message
    assert errs[0].location is not None and (errs[0].location.line, errs[0].location.col) == (6, 40)


def test_modifies_must_name_array_parameters() -> None:
    text = spec_text("method F(a: array<int>, n: int)", ["a.Length >= 0"]) + 'modifies = ["n", "b"]\n'
    errs = errors_of(text)
    assert [e.message for e in errs] == [
        "modifies names n of type int; only arrays can be modified",
        "modifies names b, which is not a parameter",
    ]
    assert [(e.location.line, e.location.col) for e in errs] == [(5, 14), (5, 19)]


def test_bound_variable_types_are_inferred() -> None:
    spec = load_spec_text(
        spec_text(
            "method F(s: seq<char>, m: map<int, bool>) returns (r: bool)",
            ["r <==> forall i, c :: 0 <= i < |s| && c == s[i] ==> c in s", "forall k :: k in m ==> m[k] || !m[k]"],
        ),
        "t.toml",
    )
    q = spec.ensures[0].expr.right
    assert isinstance(q, m.Quantifier)
    assert [v.type for v in q.vars] == [m.IntType(), m.CharType()]
    q2 = spec.ensures[1].expr
    assert q2.vars[0].type == m.IntType()


def test_many_errors_are_all_reported() -> None:
    errs = errors_of(spec_text("method F(x: int) returns (r: int)", ["r == a", "r == b", "r == x"]))
    assert [e.message for e in errs] == ["unknown name a", "unknown name b"]


def test_duplicate_and_clashing_names() -> None:
    errs = errors_of(spec_text("method F(x: int) returns (x: int)", ["x == x"]))
    assert "declared twice" in errs[0].message
    # an array out-parameter is a new array the method returns (issue 15); it cannot be
    # listed in modifies, which names parameters only
    assert errors_of(spec_text("method F(x: int) returns (r: array<int>)", ["r.Length == x"])) == []
    errs = errors_of(spec_text("method F(x: int) returns (r: array<int>)", ["r.Length == x"],
                               extra='modifies = ["r"]\n'))
    assert "modifies names r, which is not a parameter" in errs[0].message


def test_multiset_multiplicity_is_an_int_of_an_element() -> None:
    ok = spec_text("method F<T(==)>(a: array<T>, key: T, m: multiset<int>) returns (b: bool, r: nat)",
                   ["b <==> multiset(a[..])[key] == 1", "r == m[3] + (m + multiset{1})[1]"])
    assert errors_of(ok) == []
    [err] = errors_of(spec_text("method F(m: multiset<int>) returns (r: int)", ["r == m['a']"]))
    assert "a multiset element" in err.message and "char" in err.message
    assert err.location is not None and (err.location.line, err.location.col) == (4, 20)
    [err] = errors_of(spec_text("method F(m: multiset<int>) returns (r: bool)", ["r == m[1]"]))
    assert "cannot compare bool with int" in err.message  # an int, not a bool
    [err] = errors_of(spec_text("method F(s: set<int>) returns (r: int)", ["r == s[1]"]))
    assert "cannot index a set<int>" in err.message and "multiset" in err.hint
