"""Broken, unrealizable, under-specified and vacuous specs get exactly the findings (and
positions) written in their `# expect:` header lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from verifier.specs.check import CheckOptions, check_paths

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(FIXTURES.glob("*.toml"))
NEEDS_DAFNY = {"dafny_clash.toml"}


def _expected(path: Path) -> list[str]:
    return sorted(
        line[len("# expect:") :].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    )


def _got(findings: list) -> list[str]:
    return sorted(
        f"{f.severity.value} {f.code} {f.line}:{f.col}" for f in findings if f.severity.value != "info"
    )


def test_every_fixture_states_an_expectation() -> None:
    assert len(FILES) >= 15
    for path in FILES:
        assert _expected(path), f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", [p for p in FILES if p.name not in NEEDS_DAFNY], ids=lambda p: p.stem)
def test_fixture_findings_and_positions(path: Path) -> None:
    result = check_paths([str(path)], CheckOptions(dafny=False))[str(path)]
    assert _got(result) == _expected(path), [f.render() for f in result]


@pytest.mark.slow
@pytest.mark.dafny
def test_dafny_rejection_maps_back_to_the_spec() -> None:
    path = FIXTURES / "dafny_clash.toml"
    result = check_paths([str(path)])[str(path)]
    assert _got(result) == _expected(path)
    (finding,) = [f for f in result if f.code == "dafny-resolve"]
    assert "Duplicate member name: Sum" in finding.message
    assert finding.text is not None and "method Sum" in finding.text


def test_findings_carry_the_offending_line_for_a_caret() -> None:
    path = FIXTURES / "unknown_name.toml"
    (finding,) = check_paths([str(path)], CheckOptions(dafny=False))[str(path)]
    rendered = finding.render()
    assert rendered.splitlines()[0].startswith(f"{path}:6:42: error: unknown name mx")
    assert rendered.splitlines()[1].strip() == '"exists i :: 0 <= i < |xs| && xs[i] == mx",'
    caret_line = rendered.splitlines()[2]
    assert caret_line.index("^") - 4 == 41
    assert finding.hint and "xs" in finding.hint
