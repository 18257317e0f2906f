"""run_properties on the hard cases: no inputs, crashes, timeouts, violations, bad targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from verifier.specs.loader import load_spec_text

from verifier.errors import SandboxViolation
from verifier.harness import HarnessInputError, run_properties

ROOT = Path(__file__).resolve().parents[2]


def spec(signature: str, requires: list[str], ensures: list[str], examples: str = "", helpers: str = "") -> object:
    req = ", ".join(f'"{r}"' for r in requires)
    ens = ", ".join(f'"{e}"' for e in ensures)
    text = f'name = "t"\nsignature = "{signature}"\nrequires = [{req}]\nensures = [{ens}]\n{helpers}{examples}'
    return load_spec_text(text, "t.toml")


def impl(tmp_path: Path, source: str) -> str:
    path = tmp_path / "impl.py"
    path.write_text(source)
    return str(path)


ABS = ("method Abs(x: int) returns (y: int)", [], ["y >= 0", "y == x || y == -x"])


def test_unsatisfiable_requires_is_reported_never_passed(tmp_path: Path) -> None:
    s = spec("method F(x: int) returns (y: int)", ["x > 5", "x < 3"], ["y == x"])
    with pytest.raises(HarnessInputError) as info:
        run_properties(s, impl(tmp_path, "def f(x):\n    return x\n") + ":f", max_examples=30, seed=1)
    message = str(info.value)
    assert "requires is unsatisfiable" in message and "z3 proves no input meets it" in message
    assert message.startswith("t.toml:")
    assert info.value.exit_code == 2


def test_requires_that_filtering_cannot_meet_is_reported_with_a_z3_witness(tmp_path: Path) -> None:
    s = spec("method F(x: int) returns (y: int)", ["x * x == 49"], ["y == x"])
    with pytest.raises(HarnessInputError) as info:
        run_properties(s, impl(tmp_path, "def f(x):\n    return x\n") + ":f", max_examples=50, seed=1)
    message = str(info.value)
    assert "rejects nearly every generated input" in message
    assert "x=7" in message or "x=-7" in message


def test_a_crashing_function_is_a_counterexample_at_the_raising_line(tmp_path: Path) -> None:
    source = "def f(x):\n    if x < 0:\n        raise ValueError('negative')\n    return x\n"
    report = run_properties(spec(*ABS), impl(tmp_path, source) + ":f", max_examples=50, seed=1)
    failure = report.failures[-1]
    assert failure.kind == "raised" and failure.source == "generated" and failure.shrunk
    assert failure.line == 3
    assert failure.inputs == {"x": -1}
    assert failure.render() == "impl.py:3: error: raised ValueError: negative for x=-1" or \
        failure.render().endswith("impl.py:3: error: raised ValueError: negative for x=-1")
    assert "Traceback" in failure.detail


def test_a_call_over_the_deadline_is_a_timeout_counterexample(tmp_path: Path) -> None:
    source = "def f(x):\n    while x > 3:\n        pass\n    return abs(x)\n"
    s = spec(*ABS)
    report = run_properties(s, impl(tmp_path, source) + ":f", max_examples=30, seed=2,
                            deadline_per_call=0.2, shrink_seconds=5)
    timeouts = [f for f in report.failures if f.kind == "timeout"]
    assert timeouts, report.lines()
    assert "did not return within 200 ms" in timeouts[-1].message
    assert all(f.inputs["x"] > 3 for f in timeouts)


def test_opening_a_socket_is_a_sandbox_violation(tmp_path: Path) -> None:
    source = "import socket\n\n\ndef f(x):\n    socket.create_connection(('127.0.0.1', 9))\n    return abs(x)\n"
    with pytest.raises(SandboxViolation) as info:
        run_properties(spec(*ABS), impl(tmp_path, source) + ":f", max_examples=10, seed=1)
    assert "sandbox violation" in str(info.value) and "impl.py:5" in str(info.value)
    assert "127.0.0.1" in info.value.attempted


def test_the_spec_examples_run_first_and_catch_what_generation_misses(tmp_path: Path) -> None:
    examples = "[[examples]]\nargs = { x = 123456 }\nresult = { y = 123456 }\n"
    s = spec(*ABS, examples=examples)
    source = "def f(x):\n    return 0 if x == 123456 else abs(x)\n"
    report = run_properties(s, impl(tmp_path, source) + ":f", max_examples=30, seed=1)
    assert [f.source for f in report.failures] == ["examples[0]"]
    assert report.examples_run == 1 and report.generated_run >= 20  # distinct inputs
    assert "ensures 'y == x || y == -x' is false for x=123456 (returned 0)" in report.lines()[0]


def test_deeply_recursive_spec_helpers_do_not_blame_a_correct_function(tmp_path: Path) -> None:
    helpers = '[[helpers]]\nsource = "function Pow(b: int, e: nat): int decreases e { if e == 0 then 1 else b * Pow(b, e - 1) }"\n'
    examples = "[[examples]]\nargs = { b = 2, e = 1500 }\nresult = { p = 0 }\n"
    s = spec("method P(b: int, e: nat) returns (p: int)", [], ["p == Pow(b, e)"], examples, helpers)
    report = run_properties(s, impl(tmp_path, "def p(b, e):\n    return b ** e\n") + ":p", max_examples=20, seed=1)
    assert report.ok, report.lines()
    assert report.examples_run == 1


def test_same_seed_same_counterexample(tmp_path: Path) -> None:
    s = spec(*ABS)
    target = impl(tmp_path, "def f(x):\n    return x if x > -7 else -x\n") + ":f"
    first = run_properties(s, target, max_examples=100, seed=11)
    second = run_properties(s, target, max_examples=100, seed=11)
    assert first.lines() == second.lines() and first.failures
    assert first.failures[-1].inputs == {"x": -1}
    assert first.seed == 11


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("def g(x):\n    return x\n", "impl.py:f", "no top-level function 'f'"),
        ("def f(x, y):\n    return x\n", "impl.py:f", "cannot take the 1 argument(s)"),
        ("def f(x:\n", "impl.py:f", "syntax error"),
        ("import no_such_module_here\n\ndef f(x):\n    return x\n", "impl.py:f", "does not load in the sandbox"),
        ("def f(x):\n    return x\n", "missing_module:f", "module 'missing_module' not found"),
        ("def f(x):\n    return x\n", "impl.py", "does not name a function"),
    ],
)
def test_bad_targets_say_what_and_how_to_fix(tmp_path: Path, source: str, target: str, expected: str) -> None:
    impl(tmp_path, source)
    with pytest.raises(HarnessInputError) as info:
        run_properties(spec(*ABS), target, max_examples=5, seed=1, cwd=tmp_path)
    assert expected in str(info.value)
    assert info.value.hint


def test_a_module_name_resolves_from_the_cwd(tmp_path: Path) -> None:
    impl(tmp_path, "def f(x):\n    return abs(x)\n")
    report = run_properties(spec(*ABS), "impl:f", max_examples=20, seed=1, cwd=tmp_path)
    assert report.ok and report.file == "impl.py" and report.def_line == 1


def test_sets_multisets_maps_and_strings_cross_the_sandbox_intact(tmp_path: Path) -> None:
    s = spec(
        "method F(s: set<seq<int>>, m: multiset<char>, d: map<string, bool>, q: seq<string>) "
        "returns (r: set<seq<int>>, c: multiset<char>, k: set<string>, n: nat)",
        [],
        ["r == s", "c == m", "forall x :: x in k ==> x in d", "forall x :: x in d ==> x in k", "n == |q|"],
    )
    source = (
        "def good(s, m, d, q):\n    return set(s), m, set(d), len(q)\n\n\n"
        "def bad(s, m, d, q):\n    return set(s), m, set(d) - {'a'}, len(q)\n"
    )
    impl(tmp_path, source)
    assert run_properties(s, "impl.py:good", max_examples=40, seed=1, cwd=tmp_path).ok
    report = run_properties(s, "impl.py:bad", max_examples=100, seed=1, cwd=tmp_path)
    assert report.lines() == [
        "impl.py:5: error: ensures 'forall x :: x in d ==> x in k' is false for "
        's={}, m=multiset{}, d=map["a" := false], q=[] (returned ({}, multiset{}, {}, 0))'
    ]


def test_changing_an_array_not_in_modifies_is_a_counterexample(tmp_path: Path) -> None:
    s = spec("method F(a: array<int>) returns (s: int)", [], ["s == |a[..]|"])
    source = "def f(a):\n    if len(a) > 1:\n        a[1] = a[0]\n    return len(a)\n"
    report = run_properties(s, impl(tmp_path, source) + ":f", max_examples=60, seed=1)
    failure = report.failures[-1]
    assert failure.kind == "mutated" and failure.shrunk
    assert failure.message == "changed its argument a (not in modifies) from [0, 1] to [0, 0]"


def test_changing_the_length_of_a_modified_array_is_a_counterexample(tmp_path: Path) -> None:
    s = load_spec_text(
        'name = "t"\nsignature = "method Sort(a: array<int>)"\nmodifies = ["a"]\n'
        'ensures = ["forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]"]\n', "t.toml")
    source = "def f(a):\n    a[:] = sorted(set(a))\n"
    report = run_properties(s, impl(tmp_path, source) + ":f", max_examples=100, seed=1)
    failure = report.failures[-1]
    assert failure.kind == "shape"
    assert failure.message == "changed the length of the array a from 2 to 1 (an array's length is fixed)"
    assert failure.render().endswith("for a=[0, 0] (a after the call: [0])")


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        ("    import os\n    os._exit(3)\n", "crashed", "crashed the sandbox child (the sandbox child exited with code 3)"),
        ("    return object()\n", "shape", "returned an object proofroute cannot read back"),
        ("    return [0] * (10 ** 10)\n", "raised", "raised MemoryError"),
    ],
)
def test_dying_and_unreadable_results_are_counterexamples(tmp_path: Path, body: str, kind: str, message: str) -> None:
    report = run_properties(spec(*ABS), impl(tmp_path, "def f(x):\n" + body) + ":f", max_examples=10, seed=1)
    failure = report.failures[-1]
    assert failure.kind == kind and failure.message.startswith(message), failure.render()


def test_a_method_without_parameters(tmp_path: Path) -> None:
    s = spec("method Zero() returns (x: int)", [], ["x == 0"])
    impl(tmp_path, "def zero():\n    return 0\n\n\ndef one():\n    return 1\n")
    good = run_properties(s, "impl:zero", max_examples=5, seed=1, cwd=tmp_path)
    assert good.ok and good.generated_run == 1
    bad = run_properties(s, "impl:one", max_examples=5, seed=1, cwd=tmp_path)
    assert bad.lines() == ["impl.py:5: error: ensures 'x == 0' is false for no arguments (returned 1)"]


def test_distinct_bugs_are_each_found_and_shrunk(tmp_path: Path) -> None:
    # Two bugs: negative inputs come back negative (ensures y >= 0), and inputs above
    # 100 raise. Each is reported once, on its own smallest input.
    source = ("def abs_(x):\n"
              "    if x > 100:\n"
              "        raise ValueError('too big')\n"
              "    return x\n")
    report = run_properties(spec(*ABS), impl(tmp_path, source) + ":abs_", max_examples=200,
                            seed=4)
    by_kind = {f.kind: f for f in report.failures}
    assert sorted(by_kind) == ["ensures", "raised"], report.lines()
    assert by_kind["ensures"].inputs == {"x": -1} and by_kind["ensures"].clause == "y >= 0"
    assert by_kind["raised"].inputs == {"x": 101} and by_kind["raised"].line == 3
    assert all(f.shrunk for f in report.failures)


def test_one_bug_is_reported_once_however_many_inputs_show_it(tmp_path: Path) -> None:
    report = run_properties(spec(*ABS), impl(tmp_path, "def abs_(x):\n    return x\n") + ":abs_",
                            max_examples=200, seed=4)
    assert [(f.kind, f.inputs) for f in report.failures] == [("ensures", {"x": -1})]


def test_a_failing_example_gives_way_to_the_shrunk_failure_of_the_same_bug(tmp_path: Path) -> None:
    examples = "[[examples]]\nargs = { x = -7 }\nresult = { y = 7 }\n"
    report = run_properties(spec(*ABS, examples=examples),
                            impl(tmp_path, "def f(x):\n    return x\n") + ":f",
                            max_examples=100, seed=4)
    assert report.examples_run == 1
    assert [(f.source, f.inputs) for f in report.failures] == [("generated", {"x": -1})]
