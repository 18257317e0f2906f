"""`@contract` stands for an ordinary spec: same loader, same checks, exportable as TOML."""

from __future__ import annotations

import re

import pytest
from verifier.specs.check import check_spec
from verifier.specs.loader import load_spec_text

from verifier.harness.contracts import contract, contract_of, contract_toml, dafny_type, export_spec
from verifier.harness.errors import HarnessInputError


def test_a_contract_becomes_a_spec_that_passes_spec_check() -> None:
    # defined here, not at module level, where the plugin would collect it as a property
    @contract(requires=["|xs| > 0"], ensures=["forall i :: 0 <= i < |xs| ==> xs[i] <= m", "m in xs"], returns="m")
    def max_of_list(xs: list[int]) -> int:
        return max(xs)

    found, params, returns = contract_of(max_of_list)
    text = contract_toml("max_of_list", found, params, returns, "test_contracts.py: @contract")
    assert 'signature = "method MaxOfList(xs: seq<int>) returns (m: int)"' in text
    spec = load_spec_text(text, file="contract.toml")
    assert [c.text for c in spec.ensures] == ["forall i :: 0 <= i < |xs| ==> xs[i] <= m", "m in xs"]
    findings = check_spec(spec)
    assert not [f for f in findings if f.severity.value == "error"], findings


@pytest.mark.parametrize(
    ("annotation", "dafny"),
    [("int", "int"), ("bool", "bool"), ("str", "string"), ("list[int]", "seq<int>"),
     ("set[str]", "set<string>"), ("frozenset[int]", "set<int>"), ("dict[str, list[int]]", "map<string, seq<int>>")],
)
def test_python_annotations_map_to_spec_types(annotation: str, dafny: str) -> None:
    assert dafny_type(annotation, "f.py:1", "xs") == dafny


@pytest.mark.parametrize("annotation", ["", "float", "tuple[int, int]", "list[float]", "not python"])
def test_an_annotation_without_a_spec_type_is_a_clear_error(annotation: str) -> None:
    with pytest.raises(HarnessInputError, match=re.escape("f.py:1: error: xs")):
        dafny_type(annotation, "f.py:1", "xs")


def test_export_spec_writes_the_spec_file_text() -> None:
    @contract(requires=["n >= 0"], ensures=["r * r <= n < (r + 1) * (r + 1)"], returns="r")
    def isqrt(n: int) -> int:
        return int(n**0.5)

    text = export_spec(isqrt)
    spec = load_spec_text(text, file="isqrt.toml")
    assert spec.name == "isqrt" and spec.signature == "method Isqrt(n: int) returns (r: int)"


def test_a_real_output_must_be_exact() -> None:
    from fractions import Fraction

    from verifier.harness.check_runtime import conform

    assert conform(Fraction(1, 3), ("real",)) is None
    assert conform(2, ("real",)) is None  # an int is an exact real
    assert "fractions.Fraction" in (conform(0.5, ("real",)) or "")
    assert conform(True, ("real",)) is not None
