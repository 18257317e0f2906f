"""Regressions found by playing the issue's acceptance check (tests/specs/acceptance/):
each test is one bug that made a valid spec fail, or a finding point at the wrong place."""

from __future__ import annotations

from collections import Counter

import pytest
from verifier.specs.check import CheckOptions, _size, check_spec
from verifier.specs.loader import load_spec_text
from verifier.translators.spec_z3 import concrete_bool, encode_concrete

from verifier.errors import SpecError


def _findings(text: str, tmp_path, **opts) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return [(f.severity.value, f.code, f.message) for f in check_spec(path, CheckOptions(dafny=False, **opts))]


def test_multiset_inputs_count_their_repetitions() -> None:
    """`_size` saw a Counter as a dict of distinct keys: multiset{0, 0, 0} had size 1, so
    outputs were searched up to 3 elements and `m == b + multiset{x}` (4) was "unrealizable"."""
    assert _size(Counter({0: 3})) == 3
    assert _size([[1, 2], [], [3]]) == 6  # nested elements count too (a flattened output)
    assert _size({"ab": [1]}) == 4  # one entry, a 2-character key, a 1-element value


@pytest.mark.parametrize(("signature", "ensures", "args", "result"), [
    # a 10-character example: longer than the old cap of 8 elements
    ('method R(s: string) returns (t: string)', '"|t| == |s|", "forall i :: 0 <= i < |s| ==> t[i] == s[i]"',
     "s = 'abcdefghij'", 't = "abcdefghij"'),
    # twice the input: longer than input size + 2
    ("method D(s: seq<int>) returns (t: seq<int>)", '"t == s + s"', "s = [1, 2, 3]", "t = [1, 2, 3, 1, 2, 3]"),
    # as long as an integer input says, with no |r| == clause at all
    ("method Range(n: nat) returns (r: set<int>)",
     '"forall i :: 0 <= i < n ==> i in r", "forall x :: x in r ==> 0 <= x < n"', "n = 6", "r = [0, 1, 2, 3, 4, 5]"),
    ("method M(b: multiset<int>, x: int) returns (m: multiset<int>)", '"m == b + multiset{x}"',
     "b = [0, 0, 0], x = 0", "m = [0, 0, 0, 0]"),
])
def test_valid_specs_with_long_outputs_are_not_unrealizable(signature, ensures, args, result, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (f'name = "x"\nsignature = "{signature}"\nensures = [{ensures}]\n\n'
            f"[[examples]]\nargs = {{ {args} }}\nresult = {{ {result} }}\n")
    assert _findings(text, tmp_path) == []


def test_a_clause_that_fixes_the_output_size_is_not_vacuous(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Outputs pinned by `|t| == |s|` are searched at that size only; the clause that
    pinned them is false at every other size and must not be reported as vacuous."""
    text = ('name = "x"\nsignature = "method C(s: seq<int>) returns (t: seq<int>)"\n'
            'ensures = ["|t| == |s|", "forall i :: 0 <= i < |s| ==> t[i] == s[i] + 1"]\n')
    assert _findings(text, tmp_path) == []


def test_unrealizable_for_one_input_is_still_caught_with_pinned_sizes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = ('name = "x"\nsignature = "method G(s: seq<int>) returns (t: seq<int>)"\n'
            'ensures = ["|t| == |s| + 1", "forall x :: x in t ==> x in s"]\n')
    found = _findings(text, tmp_path)
    assert ("error", "unrealizable", "no output satisfies ensures[0] and ensures[1] for the valid input s = []") in found


def test_unrealizable_beyond_the_first_pass_names_the_wider_bound(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = ('name = "x"\nsignature = "method G(s: seq<int>) returns (t: seq<int>)"\n'
            'requires = ["|s| == 2"]\nensures = ["forall x :: x in s ==> x in t", "|t| < 0 || t != t"]\n')
    found = [f for f in _findings(text, tmp_path) if f[1] == "unrealizable"]
    assert len(found) == 1 and "(searched outputs with up to 6 elements)" in found[0][2], found


def test_map_compared_with_the_empty_map_display() -> None:
    """z3's map equality looked up keys of `map[]` and compared a string with None:
    "Unsupported: comparison of values of different kinds"."""
    spec = load_spec_text('name = "x"\nsignature = "method F(k: int, v: string) returns (m: map<int, string>)"\n'
                          'ensures = ["m != map[]", "map[] == m"]\n')
    full = encode_concrete(spec, {"k": 1, "v": "a"}, {"m": {1: "a"}})
    empty = encode_concrete(spec, {"k": 1, "v": "a"}, {"m": {}})
    assert [concrete_bool(full.clause(i)) for i in range(2)] == [True, False]
    assert [concrete_bool(empty.clause(i)) for i in range(2)] == [False, True]


def test_example_findings_point_at_args_or_result() -> None:
    spec = load_spec_text('name = "x"\nsignature = "method F(x: int) returns (r: int)"\n\n'
                          "[[examples]]\nargs = { x = 1 }\nresult = { r = 1 }\n")
    ex = spec.examples[0]
    assert (ex.span.line, ex.args_span.line, ex.args_span.col, ex.result_span.line) == (4, 5, 1, 6)


@pytest.mark.parametrize(("text", "line", "col", "message", "hint"), [
    ('name = "x"\nsignature = "method F(x: int) returns (r: int)"\nensures = ["r = x"]\n', 3, 15,
     "unexpected '='", "write == to compare"),
    ('name = "x"\nname = "y"\n', 2, 1, "Cannot overwrite a value", "given twice"),
    ('name = "x"\nsignature = "method F(x: int) returns (r: int)\n', 2, 13,
     "this string is not closed", 'use """'),
])
def test_common_slips_get_a_precise_caret_and_a_specific_hint(text, line, col, message, hint) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "s.toml")
    err = info.value
    assert err.location is not None and (err.location.line, err.location.col) == (line, col), str(err)
    assert message in err.message and err.hint is not None and hint in err.hint, str(err)


@pytest.mark.parametrize(("clauses", "line", "col", "what"), [
    ('signature = "method F(object: int) returns (r: int)"\nensures = ["r == object"]\n', 2, 23, "parameter"),
    ('signature = "method F(s: seq<int>) returns (r: bool)"\nensures = ["r <==> forall real :: real in s ==> real > 0"]\n',
     3, 27, "bound variable"),
    ('signature = "method F(x: int) returns (r: int)"\nensures = ["r == G(x)"]\n'
     '[[helpers]]\nsource = "function G(ghost: int): int { ghost }"\n', 5, 22, "parameter"),
])
def test_dafny_keywords_as_names_are_caught_at_the_name(clauses, line, col, what) -> None:  # type: ignore[no-untyped-def]
    """Dafny rejected these with "closeparen expected" at the start of the signature."""
    with pytest.raises(SpecError) as info:
        load_spec_text(f'name = "x"\n{clauses}', "s.toml")
    err = info.value
    assert err.location is not None and (err.location.line, err.location.col) == (line, col), str(err)
    assert f"is a Dafny keyword and cannot name a {what}" in err.message
    assert err.hint is not None and "rename it" in err.hint


def test_caret_keeps_the_tabs_of_the_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.toml"
    path.write_text('name = "x"\nsignature = "method F(x: int) returns (r: int)"\nensures = [\t"r == y"]\n')
    (finding,) = check_spec(path, CheckOptions(dafny=False))
    assert finding.render().splitlines()[2] == "    " + " " * 11 + "\t" + " " * 6 + "^"


def test_one_input_beyond_the_encoding_does_not_stop_the_others(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A large example (recursion deeper than the unrolling limit) made the whole semantic
    check stop; now only that input is skipped, and the info finding says so."""
    text = ('name = "x"\nsignature = "method Fact(n: nat) returns (f: nat)"\nensures = ["f == F(n)"]\n'
            '[[helpers]]\nsource = "function F(n: nat): nat decreases n { if n == 0 then 1 else n * F(n - 1) }"\n'
            "[[examples]]\nargs = { n = 70 }\n"
            "result = { f = 11978571669969891796072783721689098736458938142546425857555362864628009582789845319680000000000000000 }\n")
    found = _findings(text, tmp_path)
    assert len(found) == 1 and found[0][:2] == ("info", "not-checked"), found
    assert "not checked for 1 of 8 sampled inputs (e.g. n = 70)" in found[0][2]
    assert "recursion of F deeper than 60 calls" in found[0][2]
    # the other inputs were checked: a wrong clause is still caught on them
    assert ("error", "unrealizable") in [f[:2] for f in _findings(text.replace("f == F(n)", "f == F(n) && f < 0"),
                                                                    tmp_path)]


def test_multiset_multiplicity_is_checked_by_z3_not_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """CloverBench only_once: `multiset(a[..])[key]` was refused ("cannot index a
    multiset<T>"). It is an int that z3 reasons about: a wrong bound is unrealizable."""
    base = 'name = "o"\nsignature = "method F(xs: seq<int>, x: int) returns (c: int)"\n'
    assert _findings(base + 'ensures = ["c == multiset(xs)[x]"]\n\n[[examples]]\n'
                     "args = { xs = [1, 2, 1], x = 1 }\nresult = { c = 2 }\n", tmp_path) == []
    findings = _findings(base + 'ensures = ["c == multiset(xs)[x]", "c > |xs|"]\n', tmp_path)
    assert [code for _, code, _ in findings] == ["unrealizable"]
