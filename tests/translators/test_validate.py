"""Translation validation against Dafny's own JS build: agreement, and bugs it must catch."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from verifier.translators import dafny_ast as A
from verifier.translators import validate as V
from verifier.translators.dafny_to_python import translate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "dafny_to_python"
SPECS = Path(__file__).resolve().parents[2] / "specs" / "examples"
needs_toolchain = pytest.mark.skipif(
    shutil.which("dafny") is None or shutil.which("node") is None, reason="dafny and node needed"
)


@given(st.data())
@settings(max_examples=30, deadline=None)
def test_strategies_follow_the_value_conventions(data: st.DataObject) -> None:
    t = A.Type
    assert isinstance(data.draw(V.strategy_for(t("nat"))), int)
    assert data.draw(V.strategy_for(t("nat"))) >= 0
    s = data.draw(V.strategy_for(t("seq", (t("char"),))))
    assert isinstance(s, str)
    assert isinstance(data.draw(V.strategy_for(t("multiset", (t("int"),)))), Counter)
    m = data.draw(V.strategy_for(t("map", (t("int"), t("bool")))))
    assert isinstance(m, dict) and all(isinstance(v, bool) for v in m.values())
    c = data.draw(V.strategy_for(t("char")))
    assert isinstance(c, str) and len(c) == 1


def test_draw_inputs_is_reproducible_with_a_seed() -> None:
    params = (A.Param("xs", A.Type("seq", (A.Type("int"),))), A.Param("x", A.Type("int")))
    first = V.draw_inputs(params, 20, seed=7)
    assert first == V.draw_inputs(params, 20, seed=7)
    assert len(first) >= 10 and all(set(d) == {"xs", "x"} for d in first)


def test_canonical_forms_compare_collections_by_value() -> None:
    assert V._canon({3, 1}) == V._canon({1, 3})
    assert V._canon(Counter([1, 1, 2])) != V._canon(Counter([1, 2]))
    assert V._canon({1: [2]}) == V._canon({1: [2]})


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_a_correct_translation_agrees() -> None:
    report = V.validate_translation((GOLDEN / "euclid_divmod.dfy").read_text(), "DivMod", n=30, seed=3)
    assert report.ok, report.summary()
    assert report.compared == 30 and report.rejected_by_requires > 0  # b == 0 was filtered


PICK_FROM_MULTISET = """
method Partition(m: multiset<int>) returns (pre: multiset<int>, p: int, post: multiset<int>)
  requires |m| > 0
  ensures p in m && m == pre + multiset{p} + post
{
  p :| p in m;
  var rest := m - multiset{p};
  pre, post := multiset{}, multiset{};
  while rest != multiset{}
    decreases rest
    invariant m == rest + pre + multiset{p} + post
  {
    var t :| t in rest;
    rest := rest - multiset{t};
    if t <= p { pre := pre + multiset{t}; } else { post := post + multiset{t}; }
  }
}
"""


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_a_choice_from_a_multiset_is_the_same_element_on_both_sides() -> None:
    """`p :| p in m` takes the first element each build iterates: the JS build gets the
    multiset in the order the sandbox rebuilds Python's (found on DafnyBench's H8, where
    `-1` sorted before `-9` as text and the two sides picked different pivots)."""
    report = V.validate_translation(PICK_FROM_MULTISET, "Partition", n=30, seed=5)
    assert report.ok and report.compared >= 20, report.summary()


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_floor_division_instead_of_euclidean_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A translator bug that Python's `//` would hide on positive inputs."""

    def broken(source: str, **kw: object):  # type: ignore[no-untyped-def]
        module = translate(source, **kw)  # type: ignore[arg-type]
        text = module.text.replace("return a // b if b > 0 else -(a // -b)", "return a // b")
        text = text.replace("return a % abs(b)", "return a % b")
        assert text != module.text
        return type(module)(text=text, functions=module.functions)

    monkeypatch.setattr(V, "translate", broken)
    report = V.validate_translation((GOLDEN / "euclid_divmod.dfy").read_text(), "DivMod", n=40, seed=3)
    assert not report.ok
    bad = report.disagreements[0]
    assert bad.inputs["b"] < 0 and bad.python != bad.dafny
    assert "disagreement" in report.summary()


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_array_contents_after_the_call_are_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(source: str, **kw: object):  # type: ignore[no-untyped-def]
        module = translate(source, **kw)  # type: ignore[arg-type]
        text = module.text.replace("a[i], a[j] = a[j], a[i]", "a[i] = a[j]")
        assert text != module.text
        return type(module)(text=text, functions=module.functions)

    monkeypatch.setattr(V, "translate", broken)
    report = V.validate_translation(
        (GOLDEN / "reverse_array.dfy").read_text(), "ReverseInPlace", n=20, seed=5
    )
    assert not report.ok
    assert report.disagreements[0].what == "array a after the call"


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_spec_predicates_decide_inputs_and_check_ensures(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SPECS / "swap_array.toml"
    source = (GOLDEN / "swap_array.dfy").read_text()
    report = V.validate_translation(source, "Swap", n=15, seed=11, spec=spec)
    assert report.ok, report.summary()
    assert report.compared >= 5 and report.rejected_by_requires > 0

    def broken(source: str, **kw: object):  # type: ignore[no-untyped-def]
        module = translate(source, **kw)  # type: ignore[arg-type]
        text = module.text.replace("a[j] = t", "a[j] = t + 1")
        assert text != module.text
        return type(module)(text=text, functions=module.functions)

    monkeypatch.setattr(V, "translate", broken)
    report = V.validate_translation(source, "Swap", n=10, seed=11, spec=spec)
    whats = {d.what for d in report.disagreements}
    assert any(w.startswith("ensures ") for w in whats), whats
    assert "array a after the call" in whats


def test_a_single_nat_parameter_gets_thirty_distinct_inputs() -> None:
    drawn = V.draw_inputs((A.Param("n", A.Type("nat")),), 300, seed=1)
    assert len(drawn) >= 30 and all(0 <= d["n"] <= 32 for d in drawn)


def test_datatype_results_are_compared_in_dafnys_js_text() -> None:
    """The JS bridge returns datatype values as Dafny's `toString` text (`Opt.Some(3)`);
    our dataclass results (decoded from the sandbox) must be rendered the same way, or a
    method returning a datatype disagrees on every input."""
    from verifier.translators.dafny_parser import parse

    program = parse(
        "datatype Opt<T> = None | Some(v: T)\n"
        "datatype Rec = Rec(name: string, c: char, xs: seq<int>, b: bool, o: Opt<int>, t: (int, bool))\n"
    )
    dts = {d.name: d for d in program.decls if isinstance(d, A.Datatype)}
    some = {"$dataclass": "Some", "fields": {"v": 3}}
    none = {"$dataclass": "None_", "fields": {}}
    rec = {
        "$dataclass": "Rec",
        "fields": {"name": "ab", "c": "a", "xs": [3, 2], "b": True, "o": some, "t": [3, True]},
    }
    opt_int = A.Type("Opt", (A.Type("int"),))
    assert V._from_sandbox(some, opt_int, dts) == "Opt.Some(3)"
    assert V._from_sandbox(none, opt_int, dts) == "Opt.None"
    assert V._from_sandbox([none, some], A.Type("seq", (opt_int,)), dts) == ["Opt.None", "Opt.Some(3)"]
    # the text Dafny 2.3's JS build printed for the same value
    assert V._from_sandbox(rec, A.Type("Rec"), dts) == "Rec.Rec(ab, a, [3, 2], true, Opt.Some(3), (3, true))"
    assert V._from_sandbox({1: some}, A.Type("map", (A.Type("int"), opt_int)), dts) == {1: "Opt.Some(3)"}
    assert V._from_sandbox([1, 2], A.Type("seq", (A.Type("int"),)), dts) == [1, 2]  # untouched


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_a_method_named_main_is_found_in_the_js_build() -> None:
    # Dafny 2.3's JS calls it `_default_Main`; the lookup by name found nothing
    src = "method Main(n: nat) returns (x: int, y: int)\n  ensures x == y\n{\n  x := n;\n  y := n;\n}\n"
    report = V.validate_translation(src, "Main", n=10, seed=1)
    assert report.ok and report.compared == 10, report.summary()


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
@pytest.mark.parametrize("name", ["double_array_elements", "a__b", "x_", "def", "lambda", "len", "class_", "type_", "M'", "N?", "m_'_x"])
def test_names_dafny_escapes_or_python_reserves_agree(name: str) -> None:
    # Dafny doubles `_` in compiled names; Python keywords and builtins are renamed by the
    # translator: both lookups must still meet the same method (Dafny 2.3 allows only
    # ASCII names without a leading `_`; Unicode is exercised in strings and chars)
    src = f"method {name}(k: int) returns (r: int)\n  ensures r == k + 1\n{{\n  r := k + 1;\n}}\n"
    report = V.validate_translation(src, name, n=10, seed=2)
    assert report.ok and report.compared == 10, report.summary()


REAL_SPEC = """name = "halve_all"
signature = "method HalveAll(xs: seq<real>, c: real) returns (ys: seq<real>, m: real)"
requires = ["c > 0.0"]
ensures = ["|ys| == |xs|", "forall i :: 0 <= i < |xs| ==> ys[i] * 2.0 == xs[i]", "m == c / 2.0"]
"""
REAL_SOURCE = """method HalveAll(xs: seq<real>, c: real) returns (ys: seq<real>, m: real)
  requires c > 0.0
  ensures |ys| == |xs|
  ensures forall i :: 0 <= i < |xs| ==> ys[i] * 2.0 == xs[i]
  ensures m == c / 2.0
{
  ys := [];
  var k := 0;
  while k < |xs|
    invariant 0 <= k <= |xs| && |ys| == k
    invariant forall i :: 0 <= i < k ==> ys[i] * 2.0 == xs[i]
  {
    ys := ys + [xs[k] / 2.0];
    k := k + 1;
  }
  m := c / 2.0;
}
"""


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_spec_predicates_read_reals_as_fractions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reals travel through validation as fraction text; the spec's requires and ensures
    must see them as Fractions: before, `c > 0.0` rejected every input (0 compared, yet
    "ok") and a right real result was reported as breaking `m == c / 2.0`."""
    spec = tmp_path / "halve_all.toml"
    spec.write_text(REAL_SPEC)
    report = V.validate_translation(REAL_SOURCE, "HalveAll", n=10, seed=4, spec=spec)
    assert report.ok, report.summary()
    assert report.compared == 10 and not report.notes

    def broken(source: str, **kw: object):  # type: ignore[no-untyped-def]
        module = translate(source, **kw)  # type: ignore[arg-type]
        text = re.sub(r"(m = .*)/ (_Fraction\(2\)|Fraction\(2\))", r"\1/ \2 + 1", module.text)
        assert text != module.text, module.text
        return type(module)(text=text, functions=module.functions)

    monkeypatch.setattr(V, "translate", broken)
    report = V.validate_translation(REAL_SOURCE, "HalveAll", n=10, seed=4, spec=spec)
    assert "ensures m == c / 2.0" in {d.what for d in report.disagreements}


@pytest.mark.slow
@pytest.mark.dafny
@needs_toolchain
def test_spec_predicates_read_datatype_results_as_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """A datatype result (`Option<int>`) reaches the spec's ensures as the sandbox's
    {"$dataclass": ...} value, which the predicates adopt by constructor name: before, it
    was the JS text `Option.None` and every clause about it was reported broken."""
    spec = SPECS / "find_option.toml"
    source = (GOLDEN / "find_option.dfy").read_text()
    report = V.validate_translation(source, "FindOption", n=15, seed=11, spec=spec)
    assert report.ok, report.summary()
    assert report.compared == 15 and not report.notes

    def broken(source: str, **kw: object):  # type: ignore[no-untyped-def]
        module = translate(source, **kw)  # type: ignore[arg-type]
        text = module.text.replace("return Some(i)", "return Some(i + 1)")
        assert text != module.text, module.text
        return type(module)(text=text, functions=module.functions)

    monkeypatch.setattr(V, "translate", broken)
    report = V.validate_translation(source, "FindOption", n=15, seed=11, spec=spec)
    assert not report.ok
    assert any(d.what.startswith("ensures r.Some? ==>") for d in report.disagreements), report.summary()


def test_a_type_validation_cannot_draw_is_named_in_the_reason() -> None:
    """`map<K, seq<V>>` of a generic method: the reason names K, not `map<...>`."""
    with pytest.raises(V.NotGenerated, match=r"cannot generate values of K \(in map<K, seq<V>>\)"):
        V.strategy_for(A.Type("map", (A.Type("K"), A.Type("seq", (A.Type("V"),)))))
