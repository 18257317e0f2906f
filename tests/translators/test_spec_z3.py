"""spec → z3: on concrete points z3 and the Python predicates agree, clause by clause;
searches find the outputs the examples name; "unknown" stays unknown."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import verifier.specs
import z3
from verifier.specs import model as m
from verifier.specs.generics import instantiate
from verifier.specs.loader import load_spec, load_spec_text
from verifier.translators.spec_python import compile_predicates
from verifier.translators.spec_z3 import (
    concrete_bool,
    encode_concrete,
    encode_post,
    is_collection,
    output_types,
    to_python,
)

EXAMPLES = sorted((Path(verifier.specs.__file__).parent / "examples").glob("*.toml"))


def mutate(value: Any, t: m.Type, rnd: random.Random) -> Any:
    """A nearby value of the same type (so both sides must judge it)."""
    if isinstance(t, (m.IntType, m.NatType)):
        return max(value + rnd.choice([-1, 1, 2]), 0) if isinstance(t, m.NatType) else value + rnd.choice([-1, 1, 2])
    if isinstance(t, m.BoolType):
        return not value
    if isinstance(t, m.RealType):
        return value + rnd.choice([Fraction(-1, 3), Fraction(1, 2), Fraction(1)])
    if isinstance(t, m.CharType):
        return "b" if value != "b" else "a"
    if isinstance(value, str):
        return value[::-1] + "a" if rnd.random() < 0.5 else value[1:]
    if isinstance(value, list):
        choice = rnd.random()
        if choice < 0.3 and value:
            return [*value[:-1], value[-1] + 1]
        if choice < 0.6:
            return value[::-1] if len(set(map(repr, value))) > 1 else [*value, value[0] if value else 0]
        return [*value, 0]
    if isinstance(value, frozenset):
        return value | {99} if rnd.random() < 0.5 else frozenset(list(value)[1:])
    if isinstance(value, Counter):
        return value + Counter({7: 1})
    if isinstance(value, dict):
        return {**value, 42: 1} if rnd.random() < 0.5 else {k: v + 1 for k, v in value.items()}
    return value


def agree(spec: m.Spec, args: dict[str, Any], result: dict[str, Any]) -> None:
    preds = compile_predicates(spec)
    enc = encode_concrete(spec, args, result)
    for i, (text, fn) in enumerate(preds.ensures):
        py = bool(preds.clause_holds(fn, dict(args), dict(result)))
        zv = concrete_bool(enc.clause(i))
        assert zv is not None, f"z3 did not reduce {text!r} to a constant"
        assert py == zv, f"{spec.name}: {text!r} at {args} -> {result}: python {py}, z3 {zv}"
    for i, (text, fn) in enumerate(preds.requires):
        py = bool(preds.clause_holds(fn, dict(args)))
        v, ok = enc.requires[i]
        assert py == concrete_bool(z3.And(ok, v)), text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_python_and_z3_agree_on_examples_and_mutants(path: Path) -> None:
    generic = load_spec(path)
    rnd = random.Random(path.stem)
    for ex in generic.examples:
        spec = instantiate(generic, ex.type_args)  # z3 reasons about one instance of a generic spec
        outs = output_types(spec)
        agree(spec, dict(ex.args), dict(ex.result))
        for _ in range(6):
            name = rnd.choice(sorted(outs))
            mutated = {**ex.result, name: mutate(ex.result[name], outs[name], rnd)}
            agree(spec, dict(ex.args), mutated)


# a spec with a function-typed parameter has no examples (a function has no TOML value)
WITH_EXAMPLES = [p for p in EXAMPLES if "[[examples]]" in p.read_text()]


@pytest.mark.parametrize("path", WITH_EXAMPLES, ids=lambda p: p.stem)
def test_z3_finds_exactly_the_example_output(path: Path) -> None:
    """Library specs are deterministic: the only output z3 finds is the example's."""
    generic = load_spec(path)
    ex = generic.examples[0]
    spec = instantiate(generic, ex.type_args)
    types = output_types(spec)
    shape = {
        k: (len(v) if is_collection(types[k]) else None)
        for k, v in ex.result.items()
        if k not in spec.modified
    }
    enc = encode_post(spec, dict(ex.args), shape)
    solver = z3.Solver()
    solver.set(timeout=5000)
    solver.add(*enc.constraints, enc.post())
    assert solver.check() == z3.sat
    model = solver.model()
    found = {k: to_python(v, types[k], model, spec.datatypes) for k, v in enc.outputs.items()}
    preds = compile_predicates(spec)
    assert preds.post(dict(ex.args), found)
    assert preds.post(dict(ex.args), dict(ex.result))
    norm = preds.namespace["_norm"]
    assert {k: norm(v) for k, v in found.items()} == {k: norm(v) for k, v in ex.result.items()}


def test_symbolic_quantifier_fallback_and_unknown_is_not_sat() -> None:
    text = (
        'name = "q"\nsignature = "method F(x: int) returns (r: int)"\n'
        'ensures = ["forall k :: k * k * r >= 0 ==> r == x"]\n'
    )
    spec = load_spec_text(text, "q.toml")
    enc = encode_post(spec, {"x": 3}, {})
    solver = z3.Solver()
    solver.set(timeout=2000)
    solver.add(*enc.constraints, enc.post())
    verdict = solver.check()
    assert verdict in (z3.sat, z3.unknown)  # never a wrong "unsat"
    if verdict == z3.sat:
        assert solver.model().eval(enc.outputs["r"]).as_long() == 3


MULTIPLICITY = (
    'name = "mm"\nsignature = "method F(xs: seq<int>, k: int) returns (m: multiset<int>, c: int)"\n'
    'ensures = ["forall x :: x in xs ==> m[x] == 2 * multiset(xs)[x]", "|m| == 2 * |xs|", '
    '"c == multiset(xs)[k] + m[k + 100]"]\n'
)


def test_multiset_multiplicity_agrees_with_python_and_is_searched() -> None:
    spec = load_spec_text(MULTIPLICITY, "mm.toml")
    args = {"xs": [3, 1, 3], "k": 3}
    agree(spec, args, {"m": Counter({3: 4, 1: 2}), "c": 2})
    agree(spec, args, {"m": Counter({3: 4, 1: 1, 5: 1}), "c": 1})
    agree(spec, {"xs": [], "k": 0}, {"m": Counter(), "c": 0})
    # the output multiset is symbolic: z3 must find the doubled one (and c, where k + 100 is absent: 0)
    enc = encode_post(spec, args, {"m": 6, "c": None})
    solver = z3.Solver()
    solver.set(timeout=5000)
    solver.add(*enc.constraints, enc.post())
    assert solver.check() == z3.sat
    types = output_types(spec)
    found = {k: to_python(v, types[k], solver.model(), spec.datatypes) for k, v in enc.outputs.items()}
    assert found == {"m": Counter({3: 4, 1: 2}), "c": 2}
    solver.add(enc.outputs["c"] != 2)  # c is determined
    assert solver.check() == z3.unsat


def test_a_searched_value_of_any_datatype_is_checked_among_several() -> None:
    """`check_symbolic` looked its datatype up with a `pop()` inside the search, removing one
    name per candidate: the second of two datatypes crashed spec check (IndexError)."""
    from verifier.translators.spec_z3_datatypes import DatatypeUnsupported, check_symbolic

    spec = load_spec_text(
        'name = "p"\nsignature = "method Pick(c: Color) returns (r: Opt)"\n'
        '[[datatypes]]\nsource = "datatype Color = Red | Green"\n'
        '[[datatypes]]\nsource = "datatype Opt = None | Some(at: int)"\n'
        '[[datatypes]]\nsource = "datatype Count = Zero | More(n: nat)"\n', "p.toml")
    check_symbolic(spec.datatypes, m.DatatypeType("Opt"))
    check_symbolic(spec.datatypes, m.DatatypeType("Color"))
    with pytest.raises(DatatypeUnsupported, match=r"More\.n is a nat"):
        check_symbolic(spec.datatypes, m.DatatypeType("Count"))
