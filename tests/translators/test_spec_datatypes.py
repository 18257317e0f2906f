"""Spec datatypes in every rendering: Dafny (both dialects), Lean, Python, z3."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pytest
import z3
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4, Dialect
from verifier.specs import model as m
from verifier.specs.datavalues import classes_for
from verifier.specs.loader import load_spec_text
from verifier.translators.spec_dafny import render_dafny
from verifier.translators.spec_lean import render_datatypes, render_lean
from verifier.translators.spec_python import compile_predicates, render_python_module
from verifier.translators.spec_z3 import Unsupported, encode_post, to_python

if TYPE_CHECKING:
    from conftest import Agree
    from verifier.backends.lean import LeanBackend

TEXT = '''name = "t"
signature = "method F(t: T, k: int) returns (u: T)"
ensures = ["u.Fork? ==> u.val == k", "t.Tip? ==> u == Fork(Tip, k, Tip)", "Size(u) >= Size(t)"]

[[datatypes]]
source = "datatype T = Tip | Fork(left: T, val: int, right: T)"

[[datatypes]]
source = "datatype Sh = Sq(side: int) | Re(side: int, h: nat)"

[[helpers]]
source = "function Size(t: T): nat { if t.Tip? then 0 else 1 + Size(t.left) + Size(t.right) }"
'''


@pytest.fixture(scope="module")
def spec() -> m.Spec:
    return load_spec_text(TEXT, "t.toml")


@pytest.mark.parametrize("dialect", [DAFNY2, DAFNY4])
def test_dafny_writes_the_declarations_as_written(spec: m.Spec, dialect: Dialect) -> None:
    text = render_dafny(spec, dialect)
    assert "\ndatatype T = Tip | Fork(left: T, val: int, right: T)\n\ndatatype Sh = Sq(side: int) | Re(side: int, h: nat)\n" in text
    assert text.index("datatype T") < text.index("Size(t: T)") < text.index("method F(t: T, k: int) returns (u: T)")


def test_lean_inductives_tests_and_accessors(spec: m.Spec) -> None:
    assert "\n".join(render_datatypes(spec.datatypes)) == """inductive T where
  | Tip : T
  | Fork (left : T) (val : Int) (right : T) : T
  deriving DecidableEq, Repr, Inhabited

inductive Sh where
  | Sq (side : Int) : Sh
  | Re (side : Int) (h : Nat) : Sh
  deriving DecidableEq, Repr, Inhabited

def T.isTip (d : T) : Bool :=
  match d with
  | .Tip => true
  | _ => false

def T.isFork (d : T) : Bool :=
  match d with
  | .Fork _ _ _ => true
  | _ => false

def T.left (d : T) : T :=
  match d with
  | .Fork x _ _ => x
  | _ => default

def T.val (d : T) : Int :=
  match d with
  | .Fork _ x _ => x
  | _ => default

def T.right (d : T) : T :=
  match d with
  | .Fork _ _ x => x
  | _ => default

def Sh.isSq (d : Sh) : Bool :=
  match d with
  | .Sq _ => true
  | _ => false

def Sh.isRe (d : Sh) : Bool :=
  match d with
  | .Re _ _ => true
  | _ => false

def Sh.side (d : Sh) : Int :=
  match d with
  | .Sq x => x
  | .Re x _ => x

def Sh.h (d : Sh) : Nat :=
  match d with
  | .Re _ x => x
  | _ => default
"""


def test_lean_expressions(spec: m.Spec) -> None:
    text = render_lean(spec)
    assert "(((T.isFork u) = true) → ((T.val u) = k))" in text
    assert "(((T.isTip t) = true) → (u = (T.Fork T.Tip k T.Tip)))" in text


def test_python_classes_are_named_like_the_constructors(spec: m.Spec) -> None:
    text = render_python_module(spec)
    assert "D_Fork = _make_dataclass('Fork', ['left', 'val', 'right'], frozen=True)" in text
    assert "    'Tip': D_Tip,\n" in text
    assert "return bool(((not _is(v_u, 'Fork')) or _eq(_field(v_u, 'val'), v_k)))" in text


def test_python_without_datatypes_reads_arguments_as_before() -> None:
    plain = load_spec_text('name = "p"\nsignature = "method F(x: int) returns (r: int)"\nensures = ["r == x"]\n')
    text = render_python_module(plain)
    assert "_CLASSES" not in text.split("# --- end runtime ---")[-1] and "_make_dataclass" not in text


def test_python_runs_recursive_helpers_on_foreign_classes(spec: m.Spec) -> None:
    @dataclasses.dataclass(frozen=True)
    class Tip:
        pass

    @dataclasses.dataclass(frozen=True)
    class Fork:
        left: object
        val: int
        right: object

    preds = compile_predicates(spec)
    assert preds.failing_ensures({"t": Tip(), "k": 4}, {"u": Fork(Tip(), 4, Tip())}) == []
    assert preds.failing_ensures({"t": Fork(Tip(), 1, Fork(Tip(), 2, Tip())), "k": 4}, {"u": Fork(Tip(), 4, Tip())}) == [
        "Size(u) >= Size(t)"]


def test_z3_agrees_with_python_on_concrete_values(spec: m.Spec, z3_agrees: Agree) -> None:
    c = classes_for(spec.datatypes)
    tip, fork = c["Tip"](), c["Fork"]
    z3_agrees(spec, {"t": tip, "k": 4}, {"u": fork(tip, 4, tip)})
    z3_agrees(spec, {"t": tip, "k": 4}, {"u": fork(tip, 5, tip)})
    z3_agrees(spec, {"t": fork(tip, 1, fork(tip, 2, tip)), "k": 4}, {"u": tip})


def test_z3_searches_datatype_outputs_and_reads_them_back(spec: m.Spec) -> None:
    c = classes_for(spec.datatypes)
    args = {"t": c["Tip"](), "k": 7}
    with pytest.raises(Unsupported, match="recursion of Size deeper than"):  # Size(u) of a searched u
        encode_post(spec, args, {"u": None})
    spec = load_spec_text(TEXT.replace(', "Size(u) >= Size(t)"', ""), "t.toml")
    enc = encode_post(spec, args, {"u": None})
    solver = z3.Solver()
    solver.add(*enc.constraints, enc.post())
    assert solver.check() == z3.sat
    found = to_python(enc.outputs["u"], m.DatatypeType("T"), solver.model(), spec.datatypes)
    assert found == c["Fork"](c["Tip"](), 7, c["Tip"]())
    assert compile_predicates(spec).post(args, {"u": found})


def test_z3_shared_field_reads_through_either_constructor(z3_agrees: Agree) -> None:
    text = TEXT.replace('ensures = [', 'ensures = ["true", ').replace(
        'signature = "method F(t: T, k: int) returns (u: T)"', 'signature = "method F(t: T, k: int, s: Sh) returns (u: T)"')
    spec = load_spec_text(text.replace('"Size(u) >= Size(t)"]', '"Size(u) >= Size(t)", "s.side == k"]'), "t.toml")
    c = classes_for(spec.datatypes)
    for s in (c["Sq"](3), c["Re"](3, 1), c["Re"](4, 1)):
        z3_agrees(spec, {"t": c["Tip"](), "k": 3, "s": s}, {"u": c["Fork"](c["Tip"](), 3, c["Tip"]())})


MUTUAL = '''name = "mu"
signature = "method F(a: A) returns (r: int)"
ensures = ["a.Cons? ==> r == a.b.n"]

[[datatypes]]
source = "datatype A = Nil | Cons(b: B)"

[[datatypes]]
source = "datatype B = Wrap(a: A, n: int)"

[[datatypes]]
source = "datatype C = Only(a: A)"
'''


def test_lean_orders_datatypes_and_puts_a_cycle_in_a_mutual_block() -> None:
    spec = load_spec_text(MUTUAL, "mu.toml")
    text = "\n".join(render_datatypes(spec.datatypes))
    assert text.startswith("mutual\ninductive A where\n  | Nil : A\n  | Cons (b : B) : A\n\ninductive B where")
    assert "end\n\ndef A.isNil" in text and "instance" not in text  # the Lean guard refuses instances
    # a field's fallback in a mutual block: a value built from constructors (no `deriving` there)
    assert "def A.b (d : A) : B :=\n  match d with\n  | .Cons x => x\n  | _ => B.Wrap A.Nil default\n" in text
    # without a cycle: dependencies first, each with its own `deriving`
    acyclic = load_spec_text(MUTUAL.replace("Wrap(a: A, n: int)", "Wrap(n: int)"), "mu.toml")
    text = "\n".join(render_datatypes(acyclic.datatypes))
    assert "mutual" not in text
    assert text.index("inductive B") < text.index("inductive A") < text.index("inductive C")
    assert text.count("deriving DecidableEq, Repr, Inhabited") == 3


@pytest.mark.slow
@pytest.mark.lean
def test_real_lean_elaborates_mutual_datatypes(real_lean: LeanBackend) -> None:
    result = real_lean.check("namespace Mu\n" + render_lean(load_spec_text(MUTUAL, "mu.toml")) + "end Mu\n", timeout=900)
    problems = [d for d in result.diagnostics if d.kind not in ("sorry", "adaptation")]
    assert problems == [], [f"{d.line}:{d.col} {d.message}" for d in problems]
    assert any(d.kind == "sorry" for d in result.diagnostics)
