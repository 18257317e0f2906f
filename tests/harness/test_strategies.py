"""`inputs_strategy`: requires compiled into the generator, the rest filtered — measured
by how often the final `pre` filter has to reject (zero when the shape is recognised)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from verifier.specs.loader import load_spec_text

from verifier.harness import FilterStats, StrategyOptions, input_plan, inputs_strategy


def spec(signature: str, requires: list[str], ensures: str = "true") -> Any:
    req = ", ".join(f'"{r}"' for r in requires)
    text = f'name = "t"\nsignature = "{signature}"\nrequires = [{req}]\nensures = ["{ensures}"]\n'
    return load_spec_text(text, "t.toml")


def draw_all(s: Any, n: int = 60, options: StrategyOptions | None = None) -> tuple[list[dict], FilterStats]:
    stats = FilterStats()
    seen: list[dict] = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(inputs_strategy(s, options, stats=stats))
    def collect(inputs: dict) -> None:
        seen.append(inputs)

    collect()
    assert len(seen) >= min(n, 20)
    return seen, stats


def test_nonempty_becomes_min_size_without_filtering() -> None:
    s = spec("method M(xs: seq<int>) returns (m: int)", ["|xs| > 0"])
    seen, stats = draw_all(s)
    assert all(len(x["xs"]) >= 1 for x in seen)
    assert stats.rejected == 0
    assert any("|xs| >= 1" in n for n in input_plan(s).notes)


def test_int_range_becomes_integer_bounds() -> None:
    s = spec("method M(x: int) returns (y: int)", ["0 <= x < 100"])
    seen, stats = draw_all(s)
    assert all(0 <= x["x"] <= 99 for x in seen)
    assert stats.rejected == 0
    assert len({x["x"] for x in seen}) > 5


def test_one_sided_bound_and_size_cap() -> None:
    s = spec("method M(x: int, s: seq<int>) returns (y: int)", ["x > 0", "|s| <= 3"])
    seen, stats = draw_all(s)
    assert all(x["x"] >= 1 and len(x["s"]) <= 3 for x in seen)
    assert stats.rejected == 0


def test_default_sizes_are_small_and_configurable() -> None:
    s = spec("method M(xs: seq<int>) returns (y: int)", [])
    seen, _ = draw_all(s, options=StrategyOptions(int_min=-5, int_max=5, max_size=4))
    assert all(len(x["xs"]) <= 4 and all(-5 <= v <= 5 for v in x["xs"]) for x in seen)


def test_sortedness_builds_sorted_lists() -> None:
    s = spec("method M(a: array<int>) returns (y: int)", ["forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]"])
    seen, stats = draw_all(s)
    assert all(x["a"] == sorted(x["a"]) for x in seen)
    assert any(len(x["a"]) >= 3 for x in seen)
    assert stats.rejected == 0
    assert any("built sorted" in n for n in input_plan(s).notes)


def test_strict_adjacent_sortedness_builds_strictly_sorted_lists() -> None:
    s = spec("method M(a: seq<int>) returns (y: int)", ["forall i :: 0 < i < |a| ==> a[i-1] < a[i]"])
    seen, stats = draw_all(s)
    assert all(all(p < q for p, q in zip(x["a"], x["a"][1:], strict=False)) for x in seen)
    assert stats.rejected == 0


def test_sortedness_through_a_helper_predicate() -> None:
    text = (
        'name = "t"\nsignature = "method M(a: seq<int>) returns (y: int)"\nrequires = ["Sorted(a)"]\n'
        'ensures = ["true"]\n[[helpers]]\n'
        'source = "predicate Sorted(s: seq<int>) { forall i, j :: 0 <= i < j < |s| ==> s[i] <= s[j] }"\n'
    )
    s = load_spec_text(text, "t.toml")
    seen, stats = draw_all(s)
    assert all(x["a"] == sorted(x["a"]) for x in seen) and stats.rejected == 0


def test_distinctness_builds_unique_lists_and_element_bounds_hold() -> None:
    s = spec(
        "method M(a: seq<int>) returns (y: int)",
        ["forall i, j :: 0 <= i < j < |a| ==> a[i] != a[j]", "forall i :: 0 <= i < |a| ==> 0 <= a[i] < 50"],
    )
    seen, stats = draw_all(s)
    assert all(len(set(x["a"])) == len(x["a"]) and all(0 <= v < 50 for v in x["a"]) for x in seen)
    assert stats.rejected == 0


def test_membership_and_index_bounds_depend_on_the_drawn_collection() -> None:
    s = spec("method M(xs: seq<int>, x: int, i: nat) returns (y: int)", ["x in xs", "i < |xs|"])
    seen, stats = draw_all(s)
    assert all(x["x"] in x["xs"] and 0 <= x["i"] < len(x["xs"]) for x in seen)
    assert stats.rejected == 0


def test_equal_lengths() -> None:
    s = spec("method M(a: seq<int>, b: seq<int>) returns (y: int)", ["|a| == |b|"])
    seen, stats = draw_all(s)
    assert all(len(x["a"]) == len(x["b"]) for x in seen) and stats.rejected == 0


def test_exists_witness_computes_the_target() -> None:
    s = spec("method M(xs: seq<int>, t: int) returns (y: int)",
             ["exists p, q :: 0 <= p < q < |xs| && xs[p] + xs[q] == t"])
    seen, stats = draw_all(s)
    assert all(any(x["xs"][p] + x["xs"][q] == x["t"] for p in range(len(x["xs"])) for q in range(p + 1, len(x["xs"])))
               for x in seen)
    assert stats.rejected == 0


def test_chars_and_strings_with_bounds() -> None:
    s = spec("method M(s: string, c: char) returns (y: int)",
             ["forall i :: 0 <= i < |s| ==> '0' <= s[i] <= '9'", "c >= 'a' && c <= 'f'"])
    seen, stats = draw_all(s)
    assert all(x["s"].isdigit() or x["s"] == "" for x in seen)
    assert all("a" <= x["c"] <= "f" for x in seen) and stats.rejected == 0


def test_sets_multisets_and_maps_use_runtime_conventions() -> None:
    from collections import Counter

    s = spec("method M(s: set<int>, m: multiset<int>, d: map<int, seq<int>>) returns (y: int)",
             ["|s| > 1", "forall x :: x in s ==> x >= 0"])
    seen, stats = draw_all(s)
    for x in seen:
        assert isinstance(x["s"], frozenset) and len(x["s"]) >= 2 and min(x["s"]) >= 0
        assert isinstance(x["m"], Counter)
        assert isinstance(x["d"], dict) and all(isinstance(v, list) for v in x["d"].values())
    assert stats.rejected == 0


def test_unrecognised_clauses_are_filtered_and_listed() -> None:
    s = spec("method M(a: nat, b: nat) returns (y: int)", ["a > 0 || b > 0"])
    seen, _ = draw_all(s)
    assert all(x["a"] > 0 or x["b"] > 0 for x in seen)
    assert input_plan(s).filtered == ("requires[0] `a > 0 || b > 0`",)


def test_reals_are_exact_fractions_and_requires_filters_them() -> None:
    from fractions import Fraction

    seen, _ = draw_all(spec("method F(x: real, s: seq<real>) returns (r: real)", ["x > 0.0"]))
    assert all(type(d["x"]) is Fraction and d["x"] > 0 for d in seen)
    assert all(type(v) is Fraction for d in seen for v in d["s"])
    assert any(d["x"].denominator != 1 for d in seen)  # not just whole numbers


def test_datatype_values_are_drawn_from_every_constructor_and_nest_boundedly() -> None:
    text = ('name = "t"\nsignature = "method F(t: T, xs: seq<T>) returns (r: int)"\nensures = ["true"]\n'
            '[[datatypes]]\nsource = "datatype T = Tip | Fork(left: T, val: nat, right: T)"\n')
    s = load_spec_text(text, "t.toml")
    seen, stats = draw_all(s, n=80, options=StrategyOptions(datatype_depth=2))

    def depth(v: Any) -> int:
        return 0 if type(v).__name__ == "Tip" else 1 + max(depth(v.left), depth(v.right))

    def vals(v: Any) -> list[int]:
        return [] if type(v).__name__ == "Tip" else [v.val, *vals(v.left), *vals(v.right)]

    trees = [x["t"] for x in seen] + [y for x in seen for y in x["xs"]]
    assert {type(v).__name__ for v in trees} == {"Tip", "Fork"}
    assert max(depth(v) for v in trees) == 2  # at most `datatype_depth` Forks deep, and that deep is drawn
    assert all(n >= 0 for v in trees for n in vals(v))  # nat fields
    assert "_dt_T(" in input_plan(s).source and stats.rejected == 0
