"""Golden translations of whole-file constructs: modules, imports, qualified names.

These programs cannot join the merged corpus of test_dafny_golden (a module's
declarations are hoisted by the translator, so slicing them out loses the `module` and
`import` lines), so each one is checked on its own: the translation must equal NAME.py
(PROOFROUTE_UPDATE_GOLDEN=1 rewrites it), and, slow, every compiled method must agree
with Dafny's own JS build of the file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import translate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "dafny_to_python_modules"
PROGRAMS = sorted(GOLDEN.glob("*.dfy"))
UPDATE = os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_golden_translation(path: Path) -> None:
    module = translate(path.read_text())
    expected = path.with_suffix(".py")
    if UPDATE or not expected.exists():
        expected.write_text(module.text)
    assert module.text == expected.read_text(), f"translation of {path.name} changed"
    compile(module.text, str(expected), "exec")


def test_modules_are_hoisted_with_their_path() -> None:
    program = parse((GOLDEN / "modules.dfy").read_text())
    build = program.find("Build")
    assert isinstance(build, A.Method) and build.module == "Main_Mod"
    assert all(not isinstance(d, (A.Module, A.Import)) for d in program.decls)


def test_a_name_declared_in_two_modules_is_refused() -> None:
    from verifier.translators.dafny_errors import UnsupportedConstruct

    src = "module A { function method F(): int { 1 } }\nmodule B { function method F(): int { 2 } }\n"
    with pytest.raises(UnsupportedConstruct) as err:
        translate(src)
    assert err.value.construct == "module name clash" and (err.value.line, err.value.col) == (2, 12)


def test_ghost_declarations_of_one_name_in_two_modules_never_meet() -> None:
    """Two modules' lemmas and (Dafny 2) predicates of one name are not compiled, so they
    do not clash; a compiled call of such a name is refused (it could mean either)."""
    from verifier.translators.dafny_errors import UnsupportedConstruct

    src = ("module A { predicate Ok(x: int) { x > 0 }\n  lemma L() ensures Ok(1) { } }\n"
           "module B { predicate Ok(x: int) { x >= 0 }\n  lemma L() ensures Ok(0) { }\n"
           "  method M(x: int) returns (y: int) ensures Ok(y) { y := x * x; } }\n")
    assert [f.name for f in translate(src).functions] == ["M"]
    with pytest.raises(UnsupportedConstruct) as err:
        translate(src.replace("predicate Ok", "predicate method Ok").replace("y := x * x;", "y := if Ok(x) then x else 0;"))
    assert err.value.construct == "module name clash" and (err.value.line, err.value.col) == (3, 12)


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_agrees_with_dafny_js(path: Path) -> None:
    from verifier.translators.validate import validate_translation

    if shutil.which("dafny") is None or shutil.which("node") is None:
        pytest.skip("dafny and node are needed")
    source = path.read_text()
    methods = [d.name for d in parse(source).decls if isinstance(d, A.Method) and not d.is_ghost]
    assert methods
    for name in methods:
        report = validate_translation(source, name, n=20, seed=20261205)
        assert report.ok, report.summary()
        assert report.compared >= 5, (report.compared, report.notes)
