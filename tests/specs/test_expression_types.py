"""`expression_types`: the checker's type of every sub-expression of a spec, the one place
the Lean translator and the read-back take types from."""

from __future__ import annotations

from verifier.specs import model as m
from verifier.specs.loader import load_spec_text
from verifier.specs.typecheck import expression_types


def _spec(signature: str, clause: str, helpers: str = "") -> m.Spec:
    return load_spec_text(f'name = "t"\nsignature = "{signature}"\nensures = [{clause!r}]\n{helpers}'.replace("'", '"'))


def test_every_sub_expression_of_a_clause_has_its_type() -> None:
    spec = _spec("method F(xs: seq<nat>, s: string) returns (r: int)", "r == |xs| + xs[0] && s[0] in s")
    types = expression_types(spec)
    both = spec.ensures[0].expr
    assert isinstance(both, m.Binary)
    eq, member = both.left, both.right
    assert isinstance(eq, m.Binary) and isinstance(member, m.Binary)
    assert types.of(both) == m.BoolType()
    plus = eq.right
    assert isinstance(plus, m.Binary) and isinstance(plus.right, m.Index)
    assert types.of(plus) == m.IntType()
    assert types.of(plus.right) == m.NatType()  # the element type, as declared
    assert types.of(plus.right.seq) == m.SeqType(m.NatType())
    assert types.of(member.left) == m.CharType()


def test_a_typed_let_gives_its_body_the_declared_type() -> None:
    spec = _spec("method F(x: int) returns (r: int)", "var c: nat := x * x; r == c")
    let = spec.ensures[0].expr
    assert isinstance(let, m.Let) and isinstance(let.body, m.Binary)
    types = expression_types(spec)
    assert types.of(let.value) == m.IntType()
    assert types.of(let.body.right) == m.NatType()


def test_an_untyped_bound_variable_gets_the_inferred_type() -> None:
    spec = _spec("method F(xs: seq<bool>) returns (r: bool)", "exists x :: x in xs && x == r")
    q = spec.ensures[0].expr
    assert isinstance(q, m.Quantifier) and isinstance(q.body, m.Binary)
    types = expression_types(spec)
    assert types.of(q.body.left.left) == m.BoolType()  # type: ignore[attr-defined]


def test_helper_bodies_are_typed() -> None:
    helpers = '[[helpers]]\nsource = "function Sq(n: nat): nat { n * n }"'
    spec = _spec("method F(x: nat) returns (r: nat)", "r == Sq(x)", helpers)
    types = expression_types(spec)
    body = spec.helpers[0].body
    assert types.of(body) == m.IntType()
    assert types.of(spec.ensures[0].expr.right) == m.NatType()  # type: ignore[attr-defined]


def test_a_node_built_later_is_typed_from_its_parts_and_the_scope() -> None:
    spec = _spec("method F(xs: seq<int>) returns (r: int)", "forall i :: 0 <= i < |xs| ==> xs[i] <= r")
    types = expression_types(spec)
    built = m.Binary("<", m.Var("i"), m.Card(m.Var("xs")))
    assert types.of(built, {"i": m.IntType(), "xs": m.SeqType(m.IntType())}) == m.BoolType()
    assert types.of(m.Index(m.Var("xs"), m.Var("i")), {"i": m.IntType(), "xs": m.SeqType(m.CharType())}) == m.CharType()
    assert types.of(m.Var("nowhere")) is None
