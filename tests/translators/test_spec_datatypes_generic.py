"""Generic spec datatypes (`datatype Option<T>`, `List<T>`, `Pair<A, B>`) in every rendering:
Dafny (both dialects, as written), Lean (an `inductive` with parameters, constructors at
their instance), Python (classes by constructor name), z3 (one datatype per instance)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import z3
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4, Dialect
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, check_spec
from verifier.specs.datavalues import classes_for
from verifier.specs.loader import load_spec_text
from verifier.translators.spec_dafny import render_dafny
from verifier.translators.spec_lean import lean_type, render_datatypes, render_lean
from verifier.translators.spec_python import compile_predicates
from verifier.translators.spec_z3 import Unsupported, encode_post, to_python
from verifier.translators.spec_z3_datatypes import sorts_for

if TYPE_CHECKING:
    from conftest import Agree
    from verifier.backends.lean import LeanBackend

TEXT = '''name = "rich"
signature = "method Rich(xs: seq<Option<int>>, l: List<List<int>>, p: Pair<int, bool>) returns (r: Option<int>, q: List<Option<int>>)"
requires = ["|xs| > 0 ==> xs[0] != None"]
ensures = [
  "r == (if |xs| > 0 then xs[0] else Some(3))",
  "r.Some? ==> (|xs| == 0 ==> r.value == 3) || p.snd",
  "q == Cons(None, Cons(Some(p.fst), Nil))",
  "(match r case None => 0 case Some(v) => v) == Get(r, 0)",
  "Len(l) >= 0 && Len(Cons(true, Nil)) == 1",
  "forall o :: o in xs ==> o.Some? ==> Get(o, 1) == o.value",
]

[[datatypes]]
source = "datatype Option<T> = None | Some(value: T)"

[[datatypes]]
source = "datatype List<T> = Nil | Cons(head: T, tail: List<T>)"

[[datatypes]]
source = "datatype Pair<A, B> = MkPair(fst: A, snd: B)"

[[helpers]]
source = "function Get<T>(o: Option<T>, d: T): T { match o case None => d case Some(v) => v }"

[[helpers]]
source = "function Len<T>(l: List<T>): nat { match l case Nil => 0 case Cons(_, t) => 1 + Len(t) }"

[[examples]]
args = { xs = [{ Some = { value = 4 } }], l = "Nil", p = { MkPair = { fst = 2, snd = false } } }
result = { r = { Some = { value = 4 } }, q = { Cons = { head = "None", tail = { Cons = { head = { Some = { value = 2 } }, tail = "Nil" } } } } }
'''


@pytest.fixture(scope="module")
def spec() -> m.Spec:
    return load_spec_text(TEXT, "rich.toml")


@pytest.mark.parametrize("dialect", [DAFNY2, DAFNY4])
def test_dafny_writes_the_declarations_and_uses_as_written(spec: m.Spec, dialect: Dialect) -> None:
    text = render_dafny(spec, dialect)
    assert "\ndatatype Option<T> = None | Some(value: T)\n" in text
    assert "\ndatatype Pair<A, B> = MkPair(fst: A, snd: B)\n" in text
    assert "returns (r: Option<int>, q: List<Option<int>>)" in text
    assert "function Get<T>(o: Option<T>, d: T): T" in text


@pytest.mark.slow
@pytest.mark.dafny
def test_real_dafny_verifies_the_rendered_contract_with_a_body(spec: m.Spec, tmp_path: Path) -> None:
    """Dafny 2.3 resolves the generic declarations, the instances and the inferred
    constructors as rendered, and proves a body against them."""
    assert shutil.which("dafny"), "install Dafny: this test needs the real Dafny"
    body = ("  r := if |xs| > 0 then xs[0] else Some(3);\n"
            "  q := Cons(None, Cons(Some(p.fst), Nil));\n")
    text = render_dafny(spec, DAFNY2).replace("  // proofroute: the implementation goes here\n", body)
    path = tmp_path / "rich.dfy"
    path.write_text(text)
    proc = subprocess.run(DAFNY2.verify_argv(["dafny"], str(path), time_limit=60), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0 and " 0 errors" in proc.stdout, proc.stdout + proc.stderr


def test_lean_inductives_take_their_parameters() -> None:
    spec = load_spec_text(TEXT, "rich.toml")
    text = "\n".join(render_datatypes(spec.datatypes))
    assert "inductive Option_ (T : Type) where\n  | None : Option_ T\n  | Some (value : T) : Option_ T\n" in text
    assert "  | Cons (head : T) (tail : List_ T) : List_ T\n  deriving DecidableEq, Repr, Inhabited" in text
    assert "inductive Pair (A : Type) (B : Type) where\n  | MkPair (fst : A) (snd : B) : Pair A B" in text
    assert "def Option_.isSome {T : Type} (d : (Option_ T)) : Bool :=" in text
    # an accessor's `default` for the other constructors needs an Inhabited instance
    assert "def List_.tail {T : Type} [Inhabited T] (d : (List_ T)) : List_ T :=" in text
    assert lean_type(m.SeqType(m.DatatypeType("Option", (m.SeqType(m.IntType()),)))) == "List (Option_ (List Int))"


def test_lean_constructors_name_their_instance(spec: m.Spec) -> None:
    text = render_lean(spec)
    assert "(xs : List (Option_ Int)) (l : List_ (List_ Int)) (p : Pair Int Bool)" in text
    assert "¬(xs[0]! = (@Option_.None Int))" in text  # None alone leaves nothing to infer T from
    assert "(@List_.Cons (Option_ Int) ((@Option_.None Int)) ((@List_.Cons (Option_ Int)" in text
    assert "(@Option_.Some Int 3)" in text  # 3 an Int, not a Nat
    assert "def Get {T : Type} [Inhabited T] (o : Option_ T) (d : T) : T :=" in text


@pytest.mark.slow
@pytest.mark.lean
def test_real_lean_elaborates_generic_datatypes(spec: m.Spec, real_lean: LeanBackend) -> None:
    result = real_lean.check("namespace Gen\n" + render_lean(spec) + "end Gen\n", timeout=900)
    problems = [d for d in result.diagnostics if d.kind not in ("sorry", "adaptation")]
    assert problems == [], [f"{d.line}:{d.col} {d.message}" for d in problems]
    assert any(d.kind == "sorry" for d in result.diagnostics)


def test_python_predicates_read_the_example(spec: m.Spec) -> None:
    preds = compile_predicates(spec)
    (ex,) = spec.examples
    assert preds.pre(ex.args) and preds.post(ex.args, ex.result)
    c = classes_for(spec.datatypes)
    wrong = {**ex.result, "q": c["Nil"]()}
    assert preds.failing_ensures(ex.args, wrong) == ["q == Cons(None, Cons(Some(p.fst), Nil))"]


def test_z3_agrees_with_python_on_concrete_values(spec: m.Spec, z3_agrees: Agree) -> None:
    c = classes_for(spec.datatypes)
    some, none, cons, nil = c["Some"], c["None"], c["Cons"], c["Nil"]
    args = {"xs": [some(4), none()], "l": cons(cons(1, nil()), nil()), "p": c["MkPair"](2, False)}
    z3_agrees(spec, args, {"r": some(4), "q": cons(none(), cons(some(2), nil()))})
    z3_agrees(spec, args, {"r": some(5), "q": cons(none(), cons(some(3), nil()))})
    z3_agrees(spec, {**args, "xs": []}, {"r": none(), "q": nil()})


def test_z3_has_one_sort_per_instance(spec: m.Spec) -> None:
    dts = sorts_for(spec.datatypes)
    a = dts.key(m.DatatypeType("Option", (m.IntType(),)))
    b = dts.key(m.DatatypeType("Option", (m.BoolType(),)))
    assert (a, b) == ("Option_int", "Option_bool") and dts.sort(a) != dts.sort(b)
    assert dts.key(m.DatatypeType("Option", (m.IntType(),))) == a  # created once
    lst = dts.key(m.DatatypeType("List", (m.DatatypeType("List", (m.IntType(),)),)))
    assert lst == "List_List_int" and "List_int" in dts.sorts  # the field's instance with it
    assert [c.fields[0].type for c in dts.datatype(lst).ctors[1:]] == [m.DatatypeType("List", (m.IntType(),))]


def test_z3_searches_a_generic_output_and_reads_it_back() -> None:
    text = '''name = "t"
signature = "method F(a: int) returns (r: Option<int>, s: Option<bool>)"
ensures = ["a > 0 ==> r == Some(a + 1)", "a <= 0 ==> r == None", "s == Some(a > 2)"]

[[datatypes]]
source = "datatype Option<T> = None | Some(value: T)"
'''
    spec = load_spec_text(text, "t.toml")
    c = classes_for(spec.datatypes)
    for a, want_r, want_s in ((4, c["Some"](5), c["Some"](True)), (0, c["None"](), c["Some"](False))):
        enc = encode_post(spec, {"a": a}, {"r": None, "s": None})
        solver = z3.Solver()
        solver.add(*enc.constraints, enc.post())
        assert solver.check() == z3.sat
        model = solver.model()
        assert to_python(enc.outputs["r"], spec.returns[0].type, model, spec.datatypes) == want_r
        assert to_python(enc.outputs["s"], spec.returns[1].type, model, spec.datatypes) == want_s


def test_what_z3_cannot_hold_is_not_checked() -> None:
    text = '''name = "t"
signature = "method F(a: int) returns (r: Option<nat>)"
ensures = ["r.Some?"]

[[datatypes]]
source = "datatype Option<T> = None | Some(value: T)"
'''
    spec = load_spec_text(text, "t.toml")
    with pytest.raises(Unsupported, match=r"a searched value of Option<nat>, whose field Some\.value is a nat"):
        encode_post(spec, {"a": 1}, {"r": None})
    box = load_spec_text(text.replace("Option<nat>", "Box<int>").replace("r.Some?", "|r.items| == 1") +
                         '\n[[datatypes]]\nsource = "datatype Box<T> = B(items: seq<T>)"\n', "t.toml")
    with pytest.raises(Unsupported, match="collections inside datatypes"):
        encode_post(box, {"a": 1}, {"r": None})


def test_spec_check_finds_contradictions_over_generic_values(tmp_path: Path) -> None:
    path = tmp_path / "u.toml"
    path.write_text('name = "u"\nsignature = "method U(a: int) returns (r: Option<int>)"\n'
                    'ensures = ["r.Some? && r.value > a", "r == None || r.value < a"]\n\n'
                    '[[datatypes]]\nsource = "datatype Option<T> = None | Some(value: T)"\n')
    findings = check_spec(path, CheckOptions(dafny=False, samples=4))
    assert [f.code for f in findings if f.severity == "error"] == ["unrealizable"], [str(f) for f in findings]
