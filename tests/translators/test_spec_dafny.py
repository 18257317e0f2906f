"""spec → Dafny: golden contracts, dialects, and the real Dafny 2.3 resolves every one."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import verifier.specs
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4
from verifier.specs.dafny_check import find_dafny, resolve_specs
from verifier.specs.loader import load_spec, load_spec_text
from verifier.translators.spec_dafny import BODY_MARKER, render_contract_only, render_dafny

EXAMPLES = sorted((Path(verifier.specs.__file__).parent / "examples").glob("*.toml"))
GOLDEN = Path(__file__).parents[1] / "golden" / "spec"
UPDATE = os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {path}; rerun")
    assert text == path.read_text(), f"{name} differs from its golden file (PROOFROUTE_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_contract(path: Path) -> None:
    golden(f"{path.stem}.dfy", render_dafny(load_spec(path), DAFNY2))


def test_dialects_choose_helper_keywords() -> None:
    spec = load_spec(next(p for p in EXAMPLES if p.stem == "merge_sorted"))
    assert "\npredicate Sorted(s: seq<int>)\n" in render_dafny(spec, DAFNY2)
    assert "\nghost predicate Sorted(s: seq<int>)\n" in render_dafny(spec, DAFNY4)
    assert "\npredicate method Sorted" in render_dafny(spec, DAFNY2, compiled_helpers=True)
    assert "\npredicate Sorted" in render_dafny(spec, DAFNY4, compiled_helpers=True)


def test_a_helper_written_function_method_stays_compiled() -> None:
    """The implementation may call it (CloverBench-style `ys := Filter(xs, p)`): the
    contract once dropped `method`, and the guard then refused the call as ghost."""
    spec = load_spec_text(
        'name = "f"\nsignature = "method F(n: int) returns (r: int)"\nensures = ["r == Twice(n) + Half(n)"]\n'
        '[[helpers]]\nsource = "function method Twice(n: int): int { 2 * n }"\n'
        '[[helpers]]\nsource = "function Half(n: int): int { n / 2 }"\n', "f.toml")
    assert "\nfunction method Twice(n: int): int\n" in render_dafny(spec, DAFNY2)
    assert "\nfunction Half(n: int): int\n" in render_dafny(spec, DAFNY2)  # ghost in Dafny 2/3
    assert "\nfunction Twice(n: int): int\n" in render_dafny(spec, DAFNY4)
    assert "\nghost function Half(n: int): int\n" in render_dafny(spec, DAFNY4)


def test_contract_only_is_the_method_header_and_clauses() -> None:
    spec = load_spec(next(p for p in EXAMPLES if p.stem == "swap_array"))
    text = render_contract_only(spec)
    assert text.splitlines() == [
        "method Swap(a: array<int>, i: int, j: int)",
        "  requires 0 <= i < a.Length",
        "  requires 0 <= j < a.Length",
        "  modifies a",
        "  ensures a[i] == old(a[j]) && a[j] == old(a[i])",
        "  ensures forall k :: 0 <= k < a.Length && k != i && k != j ==> a[k] == old(a[k])",
    ]
    assert BODY_MARKER in render_dafny(spec) and BODY_MARKER not in text


needs_dafny = pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed (CI installs it)")


@pytest.mark.slow
@pytest.mark.dafny
@needs_dafny
def test_real_dafny_resolves_every_rendered_example(tmp_path: Path) -> None:
    """One Dafny process for all contracts (each wrapped in its own module)."""
    specs = [load_spec(p) for p in EXAMPLES]
    assert resolve_specs(specs) == []
    # and the plain rendering, exactly as `spec show` prints it, resolves on its own
    f = tmp_path / "abs.dfy"
    f.write_text(render_dafny(specs[0], find_dafny().dialect))
    proc = subprocess.run(
        ["dafny", "/nologo", "/compile:0", "/dafnyVerify:0", str(f)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.dafny
@needs_dafny
def test_dafny_errors_map_to_clause_positions() -> None:
    """Dafny's own parse error must come back pointing at the word inside ensures[1] of the
    TOML file. The type checker now rejects Dafny keywords as names itself, so the clause
    text is swapped for one with `ghost` after loading (same length, same positions), to
    stand for whatever else Dafny may refuse that the spec layer accepts."""
    text = (
        'name = "r"\nsignature = "method F(x: int) returns (r: int)"\n'
        'ensures = ["r == x", "forall ghozt :: 0 <= ghozt < x ==> r >= ghozt"]\n'
    )
    spec = load_spec_text(text, "r.toml")
    bad = dataclasses.replace(spec.ensures[1], text=spec.ensures[1].text.replace("ghozt", "ghost"))
    spec = dataclasses.replace(spec, ensures=(spec.ensures[0], bad))
    (problem,) = resolve_specs([spec])
    assert (problem.file, problem.line, problem.col, problem.where) == ("r.toml", 3, 30, "ensures[1]")
    assert "ident expected" in problem.message


@pytest.mark.slow
@pytest.mark.dafny
@needs_dafny
def test_a_dafny_warning_is_a_warning_not_an_error(tmp_path: Path) -> None:
    """Dafny 2.3 warns `/!\\ No terms found to trigger on` for a set comprehension over a
    range; the contract resolves, so spec check must not call it an error."""
    text = ('name = "r"\nsignature = "method F(k: int) returns (r: int)"\n'
            'ensures = ["r == |set i | k <= i < k + 3|"]\n')
    (problem,) = resolve_specs([load_spec_text(text, "r.toml")])
    assert problem.warning and "trigger" in problem.message and problem.where == "ensures[0]"
    path = tmp_path / "r.toml"
    path.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "verifier", "spec", "check", "--json", str(path)],
                          capture_output=True, text=True, timeout=300)
    findings = json.loads(proc.stdout)["findings"]
    kinds = {f["code"]: f["severity"] for f in findings}
    assert kinds.get("dafny-warning") == "warning" and "dafny-resolve" not in kinds, findings
