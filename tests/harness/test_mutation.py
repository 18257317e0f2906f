"""Mutation test of the harness: for every example spec, a correct implementation passes
and every deliberately wrong one is caught with a shrunk, generated counterexample.

The implementations live in tests/harness/impls/<spec name>.py: `correct` plus one or
more `wrong_*` functions (off-by-one, wrong comparison, missing case, mutated input,
wrong return shape, non-permutation...). Everything runs for real in the sandbox.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from verifier.specs.loader import load_spec

from verifier.harness import run_properties

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs" / "examples").glob("*.toml"))
IMPLS = Path(__file__).resolve().parent / "impls"
EXAMPLES = 50


def _functions(path: Path) -> list[str]:
    return [n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)]


def test_there_are_enough_example_specs_and_each_has_implementations() -> None:
    assert len(SPECS) >= 15, f"only {len(SPECS)} specs in specs/examples"
    missing = [s.stem for s in SPECS if not (IMPLS / f"{s.stem}.py").is_file()]
    assert not missing, f"write tests/harness/impls/<name>.py (correct + wrong_*) for: {missing}"
    for s in SPECS:
        names = _functions(IMPLS / f"{s.stem}.py")
        assert "correct" in names and any(n.startswith("wrong_") for n in names), s.stem


@pytest.mark.parametrize("spec_path", SPECS, ids=[s.stem for s in SPECS])
def test_correct_passes_and_every_wrong_implementation_is_caught(spec_path: Path) -> None:
    impl = IMPLS / f"{spec_path.stem}.py"
    if not impl.is_file():
        pytest.fail(f"no implementations for {spec_path.stem}: write {impl}")
    spec = load_spec(spec_path)

    good = run_properties(spec, f"{impl}:correct", max_examples=EXAMPLES, seed=7)
    assert good.ok, good.lines()
    assert good.generated_run >= min(EXAMPLES, 10), "the correct implementation was barely exercised"
    assert good.examples_run == len(spec.examples)

    for name in (n for n in _functions(impl) if n.startswith("wrong_")):
        bad = run_properties(spec, f"{impl}:{name}", max_examples=EXAMPLES, seed=7, shrink_seconds=20)
        assert not bad.ok, f"{spec_path.stem}:{name} was not caught"
        generated = [f for f in bad.failures if f.source == "generated"]
        assert generated, f"{spec_path.stem}:{name}: only the spec's examples caught it: {bad.lines()}"
        failure = generated[0]
        assert failure.shrunk
        assert failure.render().startswith(f"{bad.file}:{failure.line}: error: ")
        assert set(failure.inputs) == {p.name for p in spec.params}
