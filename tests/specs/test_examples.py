"""The bundled example library: at least 20 specs, each with examples, all clean."""

from __future__ import annotations

from pathlib import Path

import pytest
import verifier.specs
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, check_paths
from verifier.specs.loader import load_spec
from verifier.translators.spec_python import compile_predicates

from verifier.results import Severity

EXAMPLES = sorted((Path(verifier.specs.__file__).parent / "examples").glob("*.toml"))
REQUIRED = {
    "abs", "max_of_two", "gcd", "power", "isqrt", "sum", "max_of_list", "reverse",
    "count_occurrences", "index_of_first", "is_sorted", "remove_duplicates", "merge_sorted",
    "binary_search", "two_sum", "palindrome", "reverse_string", "count_char", "swap_array",
    "reverse_array", "insertion_sort", "unique_elements", "histogram",
}


def test_library_covers_the_issue_list() -> None:
    assert len(EXAMPLES) >= 20
    assert {p.stem for p in EXAMPLES} >= REQUIRED


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_loads_and_its_examples_pass(path: Path) -> None:
    spec = load_spec(path)
    assert spec.name == path.stem
    functions = [p for p in spec.params if isinstance(p.type, m.ArrowType)]
    # a function-typed parameter has no TOML value: such a spec is tested by the harness only
    assert spec.examples or functions, "every library spec carries examples"
    preds = compile_predicates(spec)
    assert not preds.not_executable
    for ex in spec.examples:
        assert preds.pre(dict(ex.args)), ex
        assert preds.failing_ensures(dict(ex.args), dict(ex.result)) == [], ex


@pytest.mark.slow
@pytest.mark.dafny
def test_whole_library_checks_clean_with_dafny() -> None:
    results = check_paths([str(p) for p in EXAMPLES], CheckOptions())
    problems = [f.render() for fs in results.values() for f in fs if f.severity != Severity.INFO]
    assert problems == []
    # the only notes: z3 checks a generic method at one instance, and not a function's spec
    # (generic datatypes are checked, one z3 datatype per instance: no note for them)
    notes = {(Path(str(f.file)).stem, f.code) for fs in results.values() for f in fs if f.severity == Severity.INFO}
    assert notes == {("find_generic", "generic-instance"), ("list_to_seq", "generic-instance"),
                     ("apply_all", "not-checked")}
