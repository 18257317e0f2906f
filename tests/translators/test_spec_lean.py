"""spec → Lean 4: golden statements for every example, and the shape FVAPPS uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import verifier.specs
from verifier.specs import model as m
from verifier.specs.loader import load_spec
from verifier.translators.spec_lean import lean_type, render_lean

EXAMPLES = sorted((Path(verifier.specs.__file__).parent / "examples").glob("*.toml"))
GOLDEN = Path(__file__).parents[1] / "golden" / "spec"
UPDATE = os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_statement(path: Path) -> None:
    text = render_lean(load_spec(path))
    target = GOLDEN / f"{path.stem}.lean"
    if UPDATE or not target.exists():
        target.write_text(text)
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {target}; rerun")
    assert text == target.read_text()


def test_fvapps_shape() -> None:
    spec = load_spec(next(p for p in EXAMPLES if p.stem == "two_sum"))
    text = render_lean(spec)
    assert "def TwoSum (xs : List Int) (target : Int) : Int × Int := sorry" in text
    assert text.count("theorem TwoSum_spec_") == len(spec.ensures)
    assert text.count(":= by\n  sorry") == len(spec.ensures)
    assert "(h0 : (∃ (p : Int) (q : Int)," in text  # requires become hypotheses
    assert "let i := res.1" in text and "let j := res.2" in text


def test_modified_arrays_are_returned_and_old_reads_the_input() -> None:
    text = render_lean(load_spec(next(p for p in EXAMPLES if p.stem == "swap_array")))
    assert "def Swap (a : List Int) (i : Int) (j : Int) : List Int := sorry" in text
    assert "let a' := Swap a i j" in text
    assert "(a'[i.toNat]! = a[j.toNat]!)" in text


def test_recursive_helpers_defer_termination() -> None:
    text = render_lean(load_spec(next(p for p in EXAMPLES if p.stem == "sum")))
    assert "def SumF (xs : List Int) : Int :=" in text
    assert "decreasing_by all_goals sorry" in text


def test_type_mapping() -> None:
    assert lean_type(m.MapType(m.StringType(), m.SeqType(m.NatType()))) == "List (String × List Nat)"
    assert lean_type(m.SeqType(m.CharType())) == "String"
    assert lean_type(m.MultisetType(m.BoolType())) == "List Bool"


def _lean_backend():  # type: ignore[no-untyped-def]
    from verifier.backends import get_backend

    try:
        backend = get_backend("lean", cache=False)
        return backend if backend.available().ok else None
    except Exception:
        return None


@pytest.mark.slow
@pytest.mark.lean
def test_real_lean_elaborates_every_rendered_example() -> None:
    """All statements elaborate; the only complaints are the `sorry`s we put there.

    One Lean run for the whole library (each spec in its own namespace): Lean's start-up
    dominates, so this costs about as much as a single spec."""
    backend = _lean_backend()
    if backend is None:
        pytest.skip("no usable Lean toolchain (see `proofroute doctor`)")
    source = "\n".join(
        f"namespace Spec{i}\n{render_lean(load_spec(p))}end Spec{i}\n" for i, p in enumerate(EXAMPLES)
    )
    result = backend.check(source, timeout=900)
    problems = [d for d in result.diagnostics if d.kind not in ("sorry", "adaptation")]
    assert problems == [], [f"{d.line}:{d.col} {d.message}" for d in problems]
    assert sum(d.kind == "sorry" for d in result.diagnostics) >= len(EXAMPLES)
    assert result.verdict.value != "verified"  # sorry is never a proof
