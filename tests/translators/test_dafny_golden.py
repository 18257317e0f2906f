"""Golden translations: every tests/golden/dafny_to_python/NAME.dfy must translate to NAME.py.

Set PROOFROUTE_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change
(then read the diff: it is the review of the change). The slow tests re-verify every
program with the real Dafny and run each against Dafny's own JS build.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import translate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "dafny_to_python"
SPECS = Path(__file__).resolve().parents[2] / "specs" / "examples"
PROGRAMS = sorted(GOLDEN.glob("*.dfy"))
UPDATE = os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1"
RUFF_RULES = ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "E501"]


def test_corpus_is_large_enough() -> None:
    assert len(PROGRAMS) >= 53


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_golden_translation(path: Path) -> None:
    module = translate(path.read_text())
    expected = path.with_suffix(".py")
    if UPDATE or not expected.exists():
        expected.write_text(module.text)
    assert module.text == expected.read_text(), f"translation of {path.name} changed"
    compile(module.text, str(expected), "exec")  # valid Python
    assert module.functions, "at least one function translated"


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_golden_module_is_standalone(path: Path) -> None:
    text = path.with_suffix(".py").read_text()
    imported = set(re.findall(r"^(?:from|import) ([\w.]+)", text, re.M))
    assert imported <= {"__future__", "collections", "collections.abc", "dataclasses", "fractions", "typing"}
    module = _load(path.with_suffix(".py"))
    for func in translate(path.read_text()).functions:
        assert callable(getattr(module, func.name))


def _load(path: Path) -> types.ModuleType:
    """Import a golden file as a real module (dataclasses look their module up)."""
    name = f"golden_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def test_golden_outputs_are_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    files = [str(p.with_suffix(".py")) for p in PROGRAMS]
    proc = subprocess.run(
        [ruff, "check", "--isolated", *RUFF_RULES, "--output-format", "concise", *files],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_spec_example_has_a_reference_solution() -> None:
    specs = sorted(SPECS.glob("*.toml"))
    assert len(specs) >= 20
    names = {p.stem for p in PROGRAMS}
    missing = [s.stem for s in specs if s.stem not in names]
    assert not missing, f"spec examples without a Dafny reference solution: {missing}"


def _verified_count(output: str) -> tuple[int, int]:
    m = re.search(r"finished with (\d+) verified, (\d+) errors?", output)
    assert m, output[-2000:]
    return int(m.group(1)), int(m.group(2))


def merged_corpus() -> str:
    """All programs as one Dafny file: one Dafny run instead of sixty.

    Method names are unique across the corpus; helper functions copied from the spec
    examples (CountF, ...) occur in several files and are included once, after checking
    that the copies are the same declaration.
    """
    seen: dict[str, A.Decl] = {}
    parts = []
    for path in PROGRAMS:
        text = path.read_text()
        for decl in parse(text).decls:
            if decl.name in seen:
                assert A.same(seen[decl.name], decl), f"{decl.name} differs in {path.name}"
                continue
            seen[decl.name] = decl
            parts.append(text[decl.pos.start : decl.pos.end])
    return "\n\n".join(parts) + "\n"


def test_merged_corpus_parses() -> None:
    merged = parse(merged_corpus())
    assert len({d.name for d in merged.decls}) == len(merged.decls)


@pytest.mark.slow
@pytest.mark.dafny
def test_golden_programs_verify_in_dafny(tmp_path: Path) -> None:
    dafny = shutil.which("dafny")
    if dafny is None:
        pytest.skip("dafny is not installed")
    merged = tmp_path / "corpus.dfy"
    merged.write_text(merged_corpus())
    from verifier.backends.dafny.toolchain import discover

    z3 = discover().z3  # the z3 the backend uses (4.8.5); a newer z3 on PATH misbehaves
    argv = [dafny, "/nologo", "/compile:0", "/timeLimit:60", *([f"/z3exe:{z3}"] if z3 else []), str(merged)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    verified, errors = _verified_count(proc.stdout)
    assert errors == 0 and "time out" not in proc.stdout, proc.stdout[-3000:]
    bodies = [d for d in parse(merged.read_text()).decls if isinstance(d, (A.Method, A.Function))]
    assert verified >= len(bodies)  # each method, function and lemma: at least one obligation


def _targets() -> list[tuple[Path, str]]:
    """Every compiled method whose inputs can be drawn (generic ones cannot: no element type).

    Each compiled function is called by one of them.
    """
    from verifier.translators.validate import can_generate

    return [
        (path, decl.name)
        for path in PROGRAMS
        for decl in parse(path.read_text()).decls
        if isinstance(decl, A.Method)
        and not decl.is_ghost
        and all(can_generate(p.type) for p in decl.params)
    ]


@pytest.fixture(scope="module")
def corpus_js():  # type: ignore[no-untyped-def]
    """One JS build of the whole corpus (one Dafny run instead of one per program)."""
    from verifier.translators.validate import _js_backend

    if shutil.which("dafny") is None or shutil.which("node") is None:
        pytest.skip("dafny and node are needed")
    build_js, _ = _js_backend()
    program = build_js(merged_corpus())
    yield program
    program.close()


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("path,method", _targets(), ids=lambda v: getattr(v, "stem", v))
def test_golden_agrees_with_dafny_js(path: Path, method: str, corpus_js) -> None:  # type: ignore[no-untyped-def]
    from verifier.translators.validate import validate_translation

    spec = SPECS / f"{path.stem}.toml"
    use_spec = spec.exists() and re.search(rf"method\s+{method}\b", spec.read_text()) is not None
    report = validate_translation(
        path.read_text(),
        method,
        n=25,
        seed=20241124,
        js_program=corpus_js,
        spec=spec if use_spec else None,  # reference solutions: the spec's ensures hold too
    )
    assert report.ok, report.summary()
    assert report.compared >= 5, (report.compared, report.notes)


if __name__ == "__main__":  # regenerate: python tests/translators/test_dafny_golden.py
    os.environ["PROOFROUTE_UPDATE_GOLDEN"] = "1"
    sys.exit(pytest.main([__file__, "-q", "-k", "test_golden_translation"]))
