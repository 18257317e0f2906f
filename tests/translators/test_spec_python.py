"""spec → Python predicates: semantics (Dafny's), self-containment, never silently true."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import verifier.specs
from verifier.specs.loader import load_spec, load_spec_text
from verifier.translators.spec_python import compile_predicates, render_python_module

EXAMPLES = Path(verifier.specs.__file__).parent / "examples"
GOLDEN = Path(__file__).parents[1] / "golden" / "spec"


def spec(sig: str, ensures: list[str], requires: list[str] | None = None, extra: str = "") -> object:
    def arr(xs: list[str]) -> str:
        return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in xs) + "]"

    text = f'name = "t"\nsignature = "{sig}"\nrequires = {arr(requires or [])}\nensures = {arr(ensures)}\n{extra}'
    return load_spec_text(text, "t.toml")


def test_euclidean_division_and_modulus() -> None:
    p = compile_predicates(spec("method D(x: int, y: int) returns (q: int, r: int)", ["q == x / y", "r == x % y"], ["y != 0"]))
    for x, y, q, r in [(-7, 2, -4, 1), (7, -2, -3, 1), (-7, -2, 4, 1), (7, 2, 3, 1), (0, 5, 0, 0)]:
        assert p.post({"x": x, "y": y}, {"q": q, "r": r}), (x, y)
        assert not p.post({"x": x, "y": y}, {"q": q + 1, "r": r})
    assert not p.pre({"x": 1, "y": 0})


def test_sequences_may_be_lists_or_tuples_and_strings_are_str() -> None:
    p = compile_predicates(load_spec(EXAMPLES / "reverse.toml"))
    assert p.post({"xs": (1, 2, 3)}, {"r": [3, 2, 1]})
    assert p.post({"xs": [1, 2, 3]}, {"r": (3, 2, 1)})
    # r[2] is undefined for the short r: that clause fails too, it does not raise
    assert p.failing_ensures({"xs": [1, 2, 3]}, {"r": [3, 2]}) == [
        "|r| == |xs|",
        "forall i :: 0 <= i < |xs| ==> r[i] == xs[|xs| - 1 - i]",
    ]
    s = compile_predicates(load_spec(EXAMPLES / "reverse_string.toml"))
    assert s.post({"s": "abc"}, {"r": "cba"}) and not s.post({"s": "abc"}, {"r": "abc"})


def test_collections_compare_as_values() -> None:
    u = compile_predicates(load_spec(EXAMPLES / "unique_elements.toml"))
    assert u.post({"xs": [2, 1, 2]}, {"s": {1, 2}}) and u.post({"xs": [2, 1, 2]}, {"s": frozenset({1, 2})})
    assert not u.post({"xs": [2, 1, 2]}, {"s": {1, 2, 3}})
    h = compile_predicates(load_spec(EXAMPLES / "histogram.toml"))
    assert h.post({"xs": [1, 2, 1]}, {"h": {1: 2, 2: 1}})
    assert not h.post({"xs": [1, 2, 1]}, {"h": {1: 1, 2: 1}})
    ms = compile_predicates(spec("method M(xs: seq<int>) returns (m: multiset<int>)", ["m == multiset(xs)"]))
    assert ms.post({"xs": [1, 1, 2]}, {"m": Counter({1: 2, 2: 1})})
    assert not ms.post({"xs": [1, 1, 2]}, {"m": Counter({1: 1, 2: 1})})


def test_modified_arrays_old_is_before_result_is_after() -> None:
    p = compile_predicates(load_spec(EXAMPLES / "swap_array.toml"))
    assert p.post({"a": [1, 2, 3], "i": 0, "j": 2}, {"a": [3, 2, 1]})
    assert not p.post({"a": [1, 2, 3], "i": 0, "j": 2}, {"a": [1, 2, 3]})
    sort = compile_predicates(load_spec(EXAMPLES / "insertion_sort.toml"))
    assert sort.failing_ensures({"a": [3, 1, 2]}, {"a": [1, 2, 4]}) == ["multiset(a[..]) == multiset(old(a[..]))"]


def test_undefined_is_false_not_an_exception() -> None:
    p = compile_predicates(spec("method F(xs: seq<int>) returns (r: int)", ["r == xs[3]", "r >= 0"]))
    assert p.failing_ensures({"xs": [1]}, {"r": 0}) == ["r == xs[3]"]
    assert not p.post({"xs": [1]}, {"r": 0})
    # Python's negative indexing must not leak in
    q = compile_predicates(spec("method F(xs: seq<int>, i: int) returns (r: int)", ["r == xs[i]"]))
    assert not q.post({"xs": [1, 2], "i": -1}, {"r": 2})


def test_unbounded_quantifier_is_not_executable_never_true() -> None:
    s = spec("method F(x: int) returns (r: int)", ["r == x", "forall k :: k * k >= 0 ==> r >= x"])
    p = compile_predicates(s)
    (problem,) = p.not_executable
    assert problem.where == "ensures[1]" and (problem.line, problem.col) == (4, 30)
    with pytest.raises(p.namespace["NotExecutable"], match=r"t\.toml:4:30: ensures\[1\]"):
        p.post({"x": 1}, {"r": 1})
    with pytest.raises(p.namespace["NotExecutable"]):
        p.failing_ensures({"x": 1}, {"r": 1})


def test_quantifier_domains_handle_chains_membership_and_bools() -> None:
    p = compile_predicates(load_spec(EXAMPLES / "two_sum.toml"))
    assert p.pre({"xs": [3, 2, 4, 3], "target": 6})
    assert not p.pre({"xs": [1, 2], "target": 7})
    assert p.post({"xs": [3, 2, 4, 3], "target": 6}, {"i": 0, "j": 3})
    assert not p.post({"xs": [3, 2, 4, 3], "target": 6}, {"i": 1, "j": 2})  # not the first pair
    b = compile_predicates(spec("method F(s: set<int>) returns (r: bool)", ["r <==> exists x, y :: x in s && y in s && x + y == 0 && x != y", "r || !r || forall b: bool :: b || !b"]))
    assert b.post({"s": {1, -1, 5}}, {"r": True}) and b.post({"s": {1, 5}}, {"r": False})


def test_module_is_self_contained_stdlib_only(tmp_path: Path) -> None:
    source = render_python_module(load_spec(EXAMPLES / "merge_sorted.toml"))
    imports = {
        (n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
        for n in ast.walk(ast.parse(source))
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    assert imports <= set(sys.stdlib_module_names)
    mod = tmp_path / "preds.py"
    mod.write_text(source)
    code = (
        "import runpy; from types import SimpleNamespace;"
        "preds = SimpleNamespace(**runpy.run_path('preds.py'));"
        "print(preds.pre({'a': [1, 3], 'b': [2]}), preds.post({'a': [1, 3], 'b': [2]}, {'r': [1, 2, 3]}),"
        " preds.failing_ensures({'a': [1, 3], 'b': [2]}, {'r': [3, 2, 1]}), [t for t, _ in preds.ENSURES])"
    )
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        "True True ['Sorted(r)'] ['Sorted(r)', 'multiset(r) == multiset(a) + multiset(b)']"
    )


def test_golden_module() -> None:
    text = render_python_module(load_spec(EXAMPLES / "swap_array.toml"))
    target = GOLDEN / "swap_array.py.txt"
    import os

    if os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1" or not target.exists():
        target.write_text(text)
    assert text == target.read_text()


FIB = '''
[[helpers]]
source = "function Fib(k: nat): nat decreases k { if k < 2 then k else Fib(k - 1) + Fib(k - 2) }"
'''


def test_helpers_are_remembered_so_a_naive_recursion_is_linear() -> None:
    """Dafny functions are pure: a value computed once is reused, so `Fib(200)` (2^138
    calls if recomputed) is immediate, and recursion costs one frame per step."""
    p = compile_predicates(spec("method F(n: nat) returns (r: nat)", ["r == Fib(n)"], extra=FIB))
    assert p.post({"n": 200}, {"r": 280571172992510140037611932413038677189525})
    assert not p.post({"n": 200}, {"r": 0})


def test_a_budget_makes_a_slow_clause_undecided_never_true_or_false() -> None:
    p = compile_predicates(spec("method F(n: nat) returns (r: nat)", ["r == Fib(n)"], extra=FIB))
    with pytest.raises(Exception) as info, p.budget(0.0):
        p.failing_ensures({"n": 30}, {"r": 832040})
    assert p.out_of_time(info.value)
    assert p.failing_ensures({"n": 30}, {"r": 832040}) == []  # outside the block: no budget


def test_multiset_multiplicity_counts_and_is_zero_when_absent() -> None:
    p = compile_predicates(spec("method F<T(==)>(a: array<T>, key: T, m: multiset<int>) returns (b: bool, r: int)",
                                ["(multiset(a[..])[key] == 1) <==> b", "r == m[7] + multiset{1, 1}[1]"]))
    assert p.post({"a": [1, 2, 1], "key": 2, "m": Counter()}, {"b": True, "r": 2})
    assert p.post({"a": [1, 2, 1], "key": 1, "m": Counter({7: 3})}, {"b": False, "r": 5})
    assert p.post({"a": ["x", "y"], "key": "z", "m": Counter({8: 1})}, {"b": False, "r": 2})  # absent: 0, not undefined
    assert p.failing_ensures({"a": [1, 2, 1], "key": 1, "m": Counter()}, {"b": True, "r": 2}) == [
        "(multiset(a[..])[key] == 1) <==> b"]
    assert not p.post({"a": [], "key": 0, "m": Counter({7: 1})}, {"b": False, "r": 2})
    # the element is compared by value: a sequence element of a multiset<seq<int>>
    s = compile_predicates(spec("method G(xs: seq<seq<int>>) returns (r: int)", ["r == multiset(xs)[[1, 2]]"]))
    assert s.post({"xs": [[1, 2], [3], (1, 2)]}, {"r": 2})
