"""Acceptance: verified Dafny written independently of the translator must compile to
Python that agrees with Dafny's own JS build; constructs outside the subset must fail
loudly, with file:line:col and the construct, and exit code 3.

The programs in `acceptance/` were written from docs/compile.md and the issue only (not
from the translator's code), in styles the golden set lacks: several out-parameters,
nested loops, early returns, in-place array algorithms, list and tree datatypes, maps
and sets built in loops, char arithmetic, big integers, lemmas, `calc`, `print`.

Cost: one Dafny run for all of them. Dafny 2.3 writes JavaScript only after the whole
program verifies, so the one JS build of the merged corpus is also the proof that every
program verifies; every method is then compared on 30 inputs through that build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import UnsupportedConstruct
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import translate

HERE = Path(__file__).resolve().parent
ACCEPTANCE = HERE / "acceptance"
PROGRAMS = sorted(ACCEPTANCE.glob("*.dfy"))
RUFF_RULES = ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "E501"]
INPUTS_PER_METHOD = 30


def test_corpus_is_large_enough() -> None:
    assert len(PROGRAMS) >= 25


def _load(name: str, text: str) -> types.ModuleType:
    """Import translated text as a real module (dataclasses look their module up)."""
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        exec(compile(text, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_translation_is_standalone_python(path: Path) -> None:
    module = translate(path.read_text())
    imported = set(re.findall(r"^(?:from|import) ([\w.]+)", module.text, re.M))
    assert imported, "at least `from __future__ import annotations`"
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names), imported
    loaded = _load(f"acceptance_{path.stem}", module.text)
    for func in module.functions:
        assert callable(getattr(loaded, func.name)), func.name


def test_translations_are_ruff_clean(tmp_path: Path) -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    files = []
    for path in PROGRAMS:
        out = tmp_path / f"{path.stem}.py"
        out.write_text(translate(path.read_text()).text)
        files.append(str(out))
    proc = subprocess.run(
        [ruff, "check", "--isolated", *RUFF_RULES, "--output-format", "concise", *files],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def merged_corpus() -> str:
    """All programs in one Dafny file (names are unique across the corpus)."""
    return "\n\n".join(p.read_text() for p in PROGRAMS) + "\n"


def test_merged_corpus_has_unique_names() -> None:
    names = [d.name for d in parse(merged_corpus()).decls]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def _targets() -> list[tuple[Path, str]]:
    return [
        (path, decl.name)
        for path in PROGRAMS
        for decl in parse(path.read_text()).decls
        if isinstance(decl, A.Method) and not decl.is_ghost and decl.params
    ]


@pytest.fixture(scope="module")
def acceptance_js():  # type: ignore[no-untyped-def]
    """One JS build of the merged corpus: verification and build in one Dafny run."""
    if shutil.which("dafny") is None or shutil.which("node") is None:
        pytest.skip("dafny and node are needed")
    from verifier.backends.dafny import jsbuild

    program = jsbuild.build_js(merged_corpus(), timeout=600)
    yield program
    program.close()


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("path,method", _targets(), ids=lambda v: getattr(v, "stem", v))
def test_agrees_with_dafny_js(path: Path, method: str, acceptance_js) -> None:  # type: ignore[no-untyped-def]
    from verifier.translators.validate import validate_translation

    report = validate_translation(
        path.read_text(), method, n=INPUTS_PER_METHOD, seed=20261124, js_program=acceptance_js
    )
    assert report.ok, report.summary()
    assert report.compared == INPUTS_PER_METHOD, (report.compared, report.notes)


@pytest.mark.slow
@pytest.mark.dafny
def test_printed_output_is_dafnys(acceptance_js) -> None:  # type: ignore[no-untyped-def]
    """`print` is not compared by validation (results are): run the corpus' Main under
    node, as Dafny's build runs it, and the translated Main, and compare stdout."""
    program = acceptance_js
    env = {"PATH": os.environ.get("PATH", ""), "NODE_PATH": str(program.toolchain.node_modules)}
    node = subprocess.run(
        [shutil.which("node") or "node", str(program.js_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert node.returncode == 0, node.stderr[-2000:]
    module = _load("acceptance_print_main", translate((ACCEPTANCE / "print_main.dfy").read_text()).text)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module.Main()
    assert out.getvalue().count("\n") >= 7
    assert out.getvalue() == node.stdout


# ------------------------------------------------------------------ outside the subset

# (source, construct, line, col): programs Dafny 2.3 accepts, with one construct the
# translator does not support; each must be refused where the construct is.
UNSUPPORTED = {
    "co-datatype": ("codatatype Stream = Cons(head: int, tail: Stream)\n", "codatatype", 1, 1),
    "forall statement": (
        "class Cell { var v: int }\nmethod Zero(s: set<Cell>)\n  modifies s\n{\n"
        "  forall c | c in s {\n    c.v := 0;\n  }\n}\n",
        "forall statement", 5, 3,
    ),
    "iterator": (
        "iterator Gen(n: nat) yields (x: nat)\n{\n  x := 0;\n  yield;\n}\n", "iterator", 1, 1,
    ),
    "bitwise or": (
        "method Mask(x: bv32) returns (y: bv32)\n{\n  y := x | 0xFF;\n}\n", "|", 3, 10,
    ),
    "object type": (
        "method Has(o: object) returns (y: int)\n{\n  y := 1;\n}\n", "object", 1, 12,
    ),
    "set of datatype values holding sequences": (
        "datatype Box = Box(xs: seq<int>)\nmethod Boxes(s: seq<int>) returns (n: int)\n{\n"
        "  var b := {Box(s), Box([])};\n  n := |b|;\n}\n",
        "set of sequences", 4, 13,
    ),
    "match inside an expression": (
        "datatype Sgn = Neg | Pos\nmethod SignVal(s: Sgn, x: int) returns (y: int)\n{\n"
        "  y := x + match s case Neg => -1 case Pos => 1;\n}\n",
        "match expression", 4, 12,
    ),
    "opaque type": ("type T\nmethod Id(x: int) returns (y: int) { y := x; }\n", "opaque type", 1, 1),
    "abstract module": ("abstract module A {\n  function method F(): int\n}\n", "abstract", 1, 1),
    "break to a label that is not a loop": (
        "method L(n: nat) returns (k: nat)\n{\n  k := 0;\n  label top: {\n    while k < n\n"
        "      decreases n - k\n    {\n      k := k + 1;\n      break top;\n    }\n  }\n}\n",
        "break label", 9, 7,
    ),
    "print real": ("method P(x: real)\n{\n  print x;\n}\n", "print real", 3, 9),
    "body-less loop": (
        "method Z(n: int) returns (r: int)\n{\n  r := n;\n  while r > 0\n    invariant r >= 0;\n"
        "  r := 0;\n}\n",
        "body-less loop", 4, 3,
    ),
    "while *": (
        "method Spin(n: nat) returns (k: nat)\n  decreases *\n{\n  k := n;\n"
        "  while *\n    decreases *\n  {\n    k := k + 1;\n  }\n}\n",
        "while *", 5, 3,
    ),
}


def test_dafny4_forms_parse_generic_trait_parents_and_unit_patterns() -> None:
    """`extends Comparable<T>` (a generic trait, Dafny 4) names the trait; `Ok(())`
    matches a unit field."""
    program = parse(
        "trait Comparable<T(==)> { function method Key(): int }\n"
        "class Box<T(==)> extends Comparable<T> {\n  var k: int\n"
        "  function method Key(): int reads this { k }\n}\n"
        "datatype R = Ok(u: ()) | Err(code: int)\n"
        "function method IsOk(r: R): bool { match r case Ok(()) => true case Err(_) => false }\n"
    )
    (box,) = [d for d in program.decls if isinstance(d, A.Class) and d.name == "Box"]
    assert box.parents == ("Comparable",)
    (is_ok,) = [d for d in program.decls if isinstance(d, A.Function) and d.name == "IsOk"]
    match is_ok.body:
        case A.MatchExpr(cases=(A.ExprCase(pattern=A.PatCtor(args=(A.PatTuple(elements=()),))), _)):
            pass
        case other:
            raise AssertionError(other)


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_construct_fails_loudly(name: str) -> None:
    source, construct, line, col = UNSUPPORTED[name]
    with pytest.raises(UnsupportedConstruct) as info:
        translate(source)
    err = info.value
    assert (err.construct, err.line, err.col) == (construct, line, col), str(err)
    assert err.message and "outside the supported" in err.message, err.message


@pytest.mark.parametrize("name", ["co-datatype", "print real", "object type", "set of datatype values holding sequences"])
def test_cli_exits_3_with_file_line_col(name: str, tmp_path: Path) -> None:
    source, _, line, col = UNSUPPORTED[name]
    src = tmp_path / "prog.dfy"
    src.write_text(source)
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "compile", str(src)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stderr
    assert re.search(rf"^{re.escape(str(src))}:{line}:{col}: error: .*outside the supported", proc.stderr, re.M), proc.stderr


@pytest.mark.slow
@pytest.mark.dafny
def test_unsupported_programs_are_valid_dafny(tmp_path: Path) -> None:
    """The refused programs are real Dafny 2.3 (resolution only: ~0.3 s each), so the
    refusals are about the subset, not about malformed input."""
    dafny = shutil.which("dafny")
    if dafny is None:
        pytest.skip("dafny is not installed")
    files = []
    for i, name in enumerate(sorted(UNSUPPORTED)):
        path = tmp_path / f"p{i}.dfy"
        path.write_text(UNSUPPORTED[name][0])
        files.append(path)
    for path in files:
        proc = subprocess.run(
            [dafny, "/nologo", "/compile:0", "/dafnyVerify:0", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert proc.returncode == 0, (path.read_text(), proc.stdout[-1500:])
