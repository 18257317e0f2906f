"""Datatype specs end to end with the real tools: Dafny verifies the reference solution's
body under the rendered contract (the guard completing the spec's datatype and helper),
the Dafny→Python compiler translates it, and the property harness runs the translation
in the sandbox against the spec — values cross by constructor name both ways — as does
the standalone pytest module `--emit-pytest` writes. Generic datatypes (`Option<int>`;
`List<T>` at `T := int` and `string`) the same way, the report naming the instances, and a
wrong translation caught at its instance."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from verifier.specs.dafny_check import find_dafny
from verifier.specs.loader import load_spec
from verifier.translators.dafny_to_python import translate
from verifier.translators.spec_dafny import BODY_MARKER, render_dafny

from verifier.harness import emit_pytest, run_properties
from verifier.routes.dafny_guard import ContractGuard

ROOT = Path(__file__).resolve().parents[2]
CASES = [("scale_figure", "ScaleFigure"), ("tree_sum", "TreeSum"), ("eval_term", "EvalTerm")]
# generic datatypes, and the instances the harness's report must name
GENERIC_CASES = [("find_option", "FindOption", "at Option<int>"),
                 ("list_to_seq", "ListToSeq", "at T := int (List<int>); T := string (List<string>)")]


def _method_body(reference: str, method: str) -> str:
    """The reference solution's body of `method` (from its `{` after the contract)."""
    start = re.search(rf"method {method}[<(]", reference).start()
    open_brace = reference.index("\n{", start)
    return reference[open_brace + 2:].rstrip().removesuffix("}")


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed")
@pytest.mark.parametrize(("name", "method", "instances"),
                         [(n, m, None) for n, m in CASES] + GENERIC_CASES)
def test_reference_verifies_under_the_rendered_contract_and_its_translation_passes_the_harness(
    name: str, method: str, instances: str | None, tmp_path: Path,
) -> None:
    spec = load_spec(ROOT / "specs" / "examples" / f"{name}.toml")
    reference = (ROOT / "tests" / "golden" / "dafny_to_python" / f"{name}.dfy").read_text()
    dafny = find_dafny()
    contract = render_dafny(spec, dafny.dialect)
    assert re.search(r"^datatype \w+<T> = " if instances else r"^datatype ", contract, re.M)
    # the model's reply: only the method, under the rendered contract; the guard adds the
    # spec's datatype and helper, which the reply left out
    reply = contract[re.search(rf"method {method}[<(]", contract).start():].replace(f"  {BODY_MARKER}\n", _method_body(reference, method))
    verdict = ContractGuard(spec, dafny.dialect).check_program(reply)
    assert verdict.ok, verdict.problems
    assert set(verdict.completed) == {d.name for d in spec.datatypes} | {h.name for h in spec.helpers}
    program = tmp_path / f"{name}.dfy"
    program.write_text(verdict.program)
    proc = subprocess.run(dafny.dialect.verify_argv([dafny.path], str(program), time_limit=60),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and " 0 errors" in proc.stdout, proc.stdout + proc.stderr

    module = tmp_path / f"{name}_impl.py"
    module.write_text(translate(verdict.program).text)
    report = run_properties(spec, f"{module}:{method}", max_examples=60, seed=3)
    assert report.ok, report.lines()
    if instances:
        assert instances in report.summary()
    assert report.examples_run == len(spec.examples) and report.generated_run >= 30

    test_file = tmp_path / f"test_{name}.py"
    test_file.write_text(emit_pytest(spec, f"{module}:{method}", max_examples=30, cwd=tmp_path))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "method"), CASES)
def test_a_wrong_translation_is_caught_by_constructor_name(name: str, method: str, tmp_path: Path) -> None:
    """The compiled program's classes are compared by constructor and fields: a translation
    whose arithmetic is off fails with a counterexample in Dafny spelling."""
    spec = load_spec(ROOT / "specs" / "examples" / f"{name}.toml")
    reference = (ROOT / "tests" / "golden" / "dafny_to_python" / f"{name}.dfy").read_text()
    text = translate(reference).text.replace(" * k", " * (k + 1)").replace("a + v + b", "a + v").replace("k * x", "(k + 1) * x")
    module = tmp_path / f"{name}_bad.py"
    module.write_text(text)
    report = run_properties(spec, f"{module}:{method}", max_examples=60, seed=3, shrink_seconds=10)
    assert not report.ok
    assert re.search(r"for (f|t)=(Disc|Box|Dot|Fork|Tip|Num|Plus|Scale)\b", "\n".join(report.lines())), report.lines()


@pytest.mark.slow
@pytest.mark.parametrize(("name", "method", "mutation", "shown"), [
    ("find_option", "FindOption", ("return Some(i)", "return Some(i + 1)"), r"returned Some\(1\)"),
    ("list_to_seq", "ListToSeq", ("[*s, cur.head]", "[cur.head, *s]"), r"at T := (int|string) \(List<"),
])
def test_a_wrong_translation_is_caught_at_its_instance(name: str, method: str, mutation: tuple[str, str],
                                                      shown: str, tmp_path: Path) -> None:
    spec = load_spec(ROOT / "specs" / "examples" / f"{name}.toml")
    text = translate((ROOT / "tests" / "golden" / "dafny_to_python" / f"{name}.dfy").read_text()).text
    assert mutation[0] in text
    module = tmp_path / f"{name}_bad.py"
    module.write_text(text.replace(mutation[0], mutation[1]))
    report = run_properties(spec, f"{module}:{method}", max_examples=60, seed=3, shrink_seconds=10)
    assert not report.ok
    assert re.search(shown, "\n".join(report.lines())), report.lines()
