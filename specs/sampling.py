"""Inputs to try a spec on: its examples, z3 witnesses of `requires` (one per small input
shape, so restrictive preconditions such as "sorted" still get inputs) and seeded random
values filtered by the Python `pre`. Deterministic for a given seed."""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3
from verifier.specs import model as m
from verifier.specs.datavalues import construct
from verifier.specs.generics import datatype_at
from verifier.specs.values import hashable, is_char_seq
from verifier.translators.spec_z3 import Unsupported, encode_pre, shapes_for, to_python

log = logging.getLogger(__name__)

_ALPHABET = "abca"


def random_value(t: m.Type, rnd: random.Random, size: int = 4, datatypes: tuple[m.Datatype, ...] = ()) -> Any:
    """A random value of type t (`datatypes`: the spec's, for values of a datatype)."""
    def inner(et: m.Type, sz: int) -> Any:
        return random_value(et, rnd, sz, datatypes)

    match t:
        case m.IntType():
            return rnd.choice([0, 1, 2, -1, 3, rnd.randint(-8, 8)])
        case m.NatType():
            return rnd.choice([0, 1, 2, 3, rnd.randint(0, 9)])
        case m.BoolType():
            return rnd.random() < 0.5
        case m.RealType():
            return Fraction(rnd.randint(-8, 8), rnd.choice([1, 1, 2, 3, 4]))
        case m.CharType():
            return rnd.choice(_ALPHABET)
        case _ if is_char_seq(t):
            return "".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, size)))
        case m.SeqType(e) | m.ArrayType(e):
            return [inner(e, max(size - 2, 1)) for _ in range(rnd.randint(0, size))]
        case m.SetType(e):
            return frozenset(hashable(inner(e, 2)) for _ in range(rnd.randint(0, size)))
        case m.MultisetType(e):
            return Counter(hashable(inner(e, 2)) for _ in range(rnd.randint(0, size)))
        case m.MapType(k, v):
            return {hashable(inner(k, 2)): inner(v, 2) for _ in range(rnd.randint(0, 3))}
        case m.DatatypeType():
            ctor = _pick_ctor(datatype_at(datatypes, t), rnd, size)
            return construct(datatypes, ctor.name, [inner(f.type, size - 1) for f in ctor.fields])
    raise ValueError(f"no generator for {t}")  # pragma: no cover


def _pick_ctor(d: m.Datatype, rnd: random.Random, size: int) -> m.Constructor:
    """Any constructor while there is size left; then one with the fewest datatype fields,
    so a recursive value ends."""
    if size > 1:
        return rnd.choice(d.ctors)
    def nested(c: m.Constructor) -> int:
        return sum(isinstance(f.type, m.DatatypeType) for f in c.fields)
    least = min(nested(c) for c in d.ctors)
    return rnd.choice([c for c in d.ctors if nested(c) == least])


@dataclass(frozen=True)
class PreSearch:
    """Outcome of looking for inputs that satisfy `requires` with z3."""

    witnesses: tuple[dict[str, Any], ...]
    complete: bool  # every shape was searched (no collections) and answered
    unknown: bool
    unsupported: str | None


def z3_witnesses(spec: m.Spec, max_size: int = 3, timeout_ms: int = 2000, limit: int = 24) -> PreSearch:
    types = {p.name: p.type for p in spec.params}
    found: list[dict[str, Any]] = []
    unknown = False
    try:
        shapes = list(shapes_for(types, max_size, limit=limit))
        for shape in shapes:
            enc, env = encode_pre(spec, shape)
            solver = z3.Solver()
            solver.set(timeout=timeout_ms)
            solver.add(*enc.constraints, enc.pre())
            r = solver.check()
            if r == z3.sat:
                model = solver.model()
                found.append({p.name: _as_param(to_python(env[p.name], _seq_of(p.type), model, spec.datatypes), p.type) for p in spec.params})
            elif r == z3.unknown:
                unknown = True
    except Unsupported as exc:
        return PreSearch(tuple(found), False, unknown, str(exc))
    complete = all(s is None for shape in shapes for s in shape.values())
    return PreSearch(tuple(found), complete, unknown, None)


def _seq_of(t: m.Type) -> m.Type:
    return m.SeqType(t.elem) if isinstance(t, m.ArrayType) else t


def _as_param(v: Any, t: m.Type) -> Any:
    if isinstance(t, m.ArrayType) and isinstance(v, str):
        return list(v)
    return v


def sample_inputs(
    spec: m.Spec,
    pre: Callable[[dict[str, Any]], bool],
    witnesses: tuple[dict[str, Any], ...],
    *,
    count: int = 8,
    seed: int = 0,
    attempts: int = 400,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()

    def add(args: dict[str, Any]) -> None:
        key = hashable(tuple(sorted(((k, hashable(v)) for k, v in args.items()), key=repr)))
        if key not in seen:
            seen.add(key)
            out.append(args)

    for ex in spec.examples:
        if _safe(pre, ex.args):
            add(dict(ex.args))
    for w in witnesses:
        if _safe(pre, w):
            add(w)
    rnd = random.Random(seed)
    for _ in range(attempts):
        if len(out) >= count:
            break
        args = {p.name: random_value(p.type, rnd, datatypes=spec.datatypes) for p in spec.params}
        if _safe(pre, args):
            add(args)
    return out[: max(count, len(spec.examples))]


def _safe(pre: Callable[[dict[str, Any]], bool], args: dict[str, Any]) -> bool:
    try:
        return bool(pre(args))
    except Exception as exc:  # NotExecutable, RecursionError: the check reports these itself
        log.debug("pre raised %s", exc)
        return False
