"""`match` in every rendering: Dafny (2.3 spells a catch-all out; both verified by the real
Dafny 2.3), Lean (real `match` in helpers, tests and accessors in statements; elaborated by
the real Lean), the Python predicates (by constructor name; another shape is never a
match) and z3 (agreeing with Python; outputs searched through a match)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import z3
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4
from verifier.specs import model as m
from verifier.specs.datavalues import classes_for
from verifier.specs.loader import load_spec, load_spec_text
from verifier.translators.spec_dafny import BODY_MARKER, render_dafny
from verifier.translators.spec_lean import render_lean
from verifier.translators.spec_python import compile_predicates, render_python_module
from verifier.translators.spec_z3 import encode_post, to_python

from verifier.errors import SpecError

if TYPE_CHECKING:
    from conftest import Agree
    from verifier.backends.lean import LeanBackend

ROOT = Path(__file__).resolve().parents[2]
TEXT = '''name = "t"
signature = "method F(t: T, k: int) returns (r: int)"
ensures = [
  "r == match t case Tip => 0 case Fork(l, v, _) => v + Size(l) case Three(a) => a",
  "(match t { case Fork(_, _, _) => k >= 0 case x => x != Three(k) })",
  "(match t case Tip => 0 case _ => 1) + 2 >= 2",
]

[[datatypes]]
source = "datatype T = Tip | Fork(left: T, val: nat, right: T) | Three(a: int)"

[[helpers]]
source = "function Size(t: T): int { match t case Tip => 0 case Fork(a, _, b) => 1 + Size(a) + Size(b) case _ => 7 }"
'''


@pytest.fixture(scope="module")
def spec() -> m.Spec:
    return load_spec_text(TEXT, "t.toml")


def test_dafny4_writes_clauses_as_written(spec: m.Spec) -> None:
    text = render_dafny(spec, DAFNY4)
    assert "  ensures (match t { case Fork(_, _, _) => k >= 0 case x => x != Three(k) })\n" in text
    assert "case Fork(a, _, b) => 1 + Size(a) + Size(b) case _ => 7\n" in text


def test_dafny2_spells_a_catch_all_out_per_constructor(spec: m.Spec) -> None:
    text = render_dafny(spec, DAFNY2)
    assert ("  ensures (match t { case Fork(_, _, _) => k >= 0 case Tip => (var x := t; x != Three(k)) "
            "case Three(_) => (var x := t; x != Three(k)) })\n") in text
    assert "  ensures (match t case Tip => 0 case Fork(_, _, _) => (1) case Three(_) => (1)) + 2 >= 2\n" in text
    assert "case Fork(a, _, b) => 1 + Size(a) + Size(b) case Three(_) => (7)\n" in text
    # a clause without a catch-all stays as written
    assert "  ensures r == match t case Tip => 0 case Fork(l, v, _) => v + Size(l) case Three(a) => a\n" in text


def _dafny() -> str:
    dafny = shutil.which("dafny")
    if dafny is None:
        pytest.fail("dafny is not installed: run `make install` (Debian's dafny package)")
    return dafny


def _verify(program: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    from verifier.backends.dafny.toolchain import discover

    z3_path = discover().z3  # the z3 the backend uses (4.8.5)
    path = tmp_path / "p.dfy"
    path.write_text(program)
    argv = [_dafny(), "/nologo", "/compile:0", "/timeLimit:60", *([f"/z3exe:{z3_path}"] if z3_path else []), str(path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=tmp_path)


@pytest.mark.slow
@pytest.mark.dafny
def test_real_dafny_23_resolves_the_rendered_matches_and_refutes_a_wrong_body(spec: m.Spec, tmp_path: Path) -> None:
    body = "  match t\n  case Tip => r := 0;\n  case Fork(l, v, _) => r := v + Size(l);\n  case Three(a) => r := a;\n"
    good = render_dafny(spec, DAFNY2, compiled_helpers=True).replace(f"  {BODY_MARKER}\n", body)
    # the second ensures needs these inputs (Dafny refutes the contract without them)
    good = good.replace("returns (r: int)\n", "returns (r: int)\n  requires k >= 0 && t != Three(k)\n")
    proc = _verify(good, tmp_path)
    assert proc.returncode == 0 and " 0 errors" in proc.stdout, proc.stdout + proc.stderr
    proc = _verify(good.replace("r := a;", "r := a + 1;"), tmp_path)
    assert " 1 error" in proc.stdout, proc.stdout + proc.stderr


def test_python_predicates_on_each_constructor(spec: m.Spec) -> None:
    c = classes_for(spec.datatypes)
    tip, fork, three = c["Tip"](), c["Fork"], c["Three"]
    preds = compile_predicates(spec)
    assert preds.failing_ensures({"t": tip, "k": 0}, {"r": 0}) == []
    assert preds.failing_ensures({"t": fork(fork(tip, 1, tip), 5, tip), "k": 1}, {"r": 6}) == []
    assert preds.failing_ensures({"t": three(4), "k": 3}, {"r": 4}) == []
    failing = preds.failing_ensures({"t": three(4), "k": 4}, {"r": 5})
    assert failing == [spec.ensures[0].text, spec.ensures[1].text]
    assert preds.failing_ensures({"t": fork(tip, 2, tip), "k": -1}, {"r": 2}) == [spec.ensures[1].text]


def test_python_a_value_of_another_shape_matches_no_case(spec: m.Spec) -> None:
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class Leaf:  # not a constructor of T: even the catch-all does not take it
        pass

    preds = compile_predicates(spec)
    for value in (Leaf(), 3, None):
        assert preds.failing_ensures({"t": value, "k": 0}, {"r": 0}) == [c.text for c in spec.ensures]


def test_python_reads_fields_by_name_and_evaluates_only_the_chosen_case(spec: m.Spec) -> None:
    text = render_python_module(spec)
    assert ("_match(v_t, ('Tip', 'Fork', 'Three', ), (('Tip', (), (lambda *_: 0)), "
            "('Fork', ('left', 'val', ), (lambda v_l, v_v: _add(v_v, h_Size(v_l)))), "
            "('Three', ('a', ), (lambda v_a: v_a)),))") in text


def test_z3_agrees_with_python_on_every_constructor(spec: m.Spec, z3_agrees: Agree) -> None:
    c = classes_for(spec.datatypes)
    tip, fork, three = c["Tip"](), c["Fork"], c["Three"]
    for t, k, r in ((tip, 0, 0), (tip, 0, 1), (fork(fork(tip, 1, three(2)), 5, tip), 1, 6),
                    (fork(tip, 5, tip), -1, 5), (three(4), 4, 4), (three(4), 3, 4)):
        z3_agrees(spec, {"t": t, "k": k}, {"r": r})


def test_z3_searches_an_output_through_a_match() -> None:
    # a searched value needs int fields (a nat field's range cannot be stated at every depth)
    text = TEXT.replace("val: nat", "val: int").replace("returns (r: int)", "returns (r: int, u: T)").replace(
        '"(match t case Tip => 0 case _ => 1) + 2 >= 2",',
        '"match u case Three(a) => a == k + 1 case _ => false",')
    spec = load_spec_text(text, "t.toml")
    c = classes_for(spec.datatypes)
    args = {"t": c["Tip"](), "k": 6}
    enc = encode_post(spec, args, {"r": None, "u": None})
    solver = z3.Solver()
    solver.add(*enc.constraints, enc.post())
    assert solver.check() == z3.sat
    found = to_python(enc.outputs["u"], m.DatatypeType("T"), solver.model(), spec.datatypes)
    assert found == c["Three"](7)


def test_lean_helpers_match_and_statements_use_tests_and_accessors(spec: m.Spec) -> None:
    text = render_lean(spec)
    assert ("def Size (t : T) : Int :=\n  (match t with | T.Tip => 0 | T.Fork a _ b => ((1 + (Size a)) + (Size b)) "
            "| _ => 7)\n") in text
    assert ("(r = (if (T.isTip t) = true then 0 else (if (T.isFork t) = true then "
            "(let l := (T.left t); let v := (T.val t); ((v : Int) + (Size l))) else (let a := (T.a t); a))))") in text
    assert "(if (T.isFork t) = true then (k ≥ 0) else (let x := t; ¬(x = (T.Three k))))" in text
    assert "match_" not in text


@pytest.mark.slow
@pytest.mark.lean
@pytest.mark.parametrize("source", ["inline", "eval_term"])
def test_real_lean_elaborates_matches(spec: m.Spec, source: str, real_lean: LeanBackend) -> None:
    rendered = render_lean(spec if source == "inline" else load_spec(ROOT / "specs" / "examples" / "eval_term.toml"))
    result = real_lean.check("namespace Mt\n" + rendered + "end Mt\n", timeout=900)
    problems = [d for d in result.diagnostics if d.kind not in ("sorry", "adaptation")]
    assert problems == [], [f"{d.line}:{d.col} {d.message}" for d in problems]
    assert any(d.kind == "sorry" for d in result.diagnostics)


def test_dafny2_refuses_a_catch_all_and_a_seq_init_in_one_clause_at_the_case() -> None:
    text = TEXT.replace('"(match t case Tip => 0 case _ => 1) + 2 >= 2",',
                        '"|seq(k, i => match t case Tip => i case _ => 0)| >= 0",')
    spec = load_spec_text(text, "t.toml")
    assert render_dafny(spec, DAFNY4)  # Dafny 4 writes both as they stand
    with pytest.raises(SpecError, match="catch-all case and a seq") as exc:
        render_dafny(spec, DAFNY2)
    assert exc.value.location is not None and (exc.value.location.line, exc.value.location.col) == (6, 39)


def test_dafny2_seq_init_does_not_capture_pattern_variables() -> None:
    text = TEXT.replace('"(match t case Tip => 0 case _ => 1) + 2 >= 2",',
                        '"|seq(k, i => match t case Tip => i case Fork(l, v, _) => v case Three(a) => a)| >= 0",')
    rendered = render_dafny(load_spec_text(text, "t.toml"), DAFNY2)
    assert "function SeqInit1(n: int, t: T): seq<int>" in rendered  # t only: not l, v or a
