"""A spec's datatypes as z3 algebraic datatypes (recursive and mutually recursive ones too).

A datatype value is one z3 term of its datatype's sort, so equality, if-then-else and
the solver's search work on it as on an integer. What z3 cannot hold this way is refused
with `DatatypeUnsupported` (the caller reports "not checked", never a verdict):

- a field whose type is a collection (seq, set, multiset, map, array, string): the z3
  encoding keeps collections as fixed-shape lists of terms, which cannot sit inside a term;
- a *symbolic* value (an output z3 searches, an input it invents) of a datatype with a
  `nat` or `char` field anywhere inside: the range of such a field cannot be constrained
  at every depth of a recursive value. Concrete values (examples, samples) are fine.

Constructor `C`'s field `f` is the accessor `C.f`; a field shared by several constructors
is read through whichever built the value, and is defined only for those (as in Dafny,
where `s.f` on another constructor is an error; the Python predicates raise `Undefined`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import z3
from verifier.specs import model as m
from verifier.specs.datavalues import construct, ctor_of, fields_of
from verifier.specs.generics import (
    TooManyInstances,
    datatype_at,
    datatype_instances,
    instance_name,
    mentions_type_param,
)


class DatatypeUnsupported(Exception):
    """These datatypes (or this use of them) have no z3 encoding."""


_SCALAR_SORTS = {m.IntType: z3.IntSort, m.NatType: z3.IntSort, m.CharType: z3.IntSort,
                 m.BoolType: z3.BoolSort, m.RealType: z3.RealSort}


@dataclass(frozen=True)
class DatatypeSorts:
    """The z3 sort of every datatype instance of a spec, keyed by the sort's name: a datatype
    without type parameters by its name, a generic one per instance (`Option<int>` is the
    sort `Option_int`, `specs.generics.instance_name`). z3 has no parametric datatypes, so
    each instance is a datatype of its own, created the first time it is met (`key`)
    together with the instances its fields name; a sort is never created twice, since
    two z3 sorts of one name would not mix."""

    datatypes: tuple[m.Datatype, ...]
    sorts: dict[str, Any]  # grows as instances are met
    decls: dict[str, m.Datatype]  # each sort's datatype, its fields at the instance

    def key(self, t: m.DatatypeType) -> str:
        """The sort name of t, its sort created if this is the first use of the instance."""
        name = instance_name(t)
        if name not in self.sorts:
            self.create((t,))
        return name

    def create(self, roots: tuple[m.DatatypeType, ...]) -> None:
        """Sorts for the roots and every instance their fields reach, in one z3 batch
        (the ones created before are referred to, not made again)."""
        bad = next((t for t in roots if mentions_type_param(t)), None)
        if bad is not None:
            raise DatatypeUnsupported(f"a value of {m.type_text(bad)}, a datatype at a type parameter")
        try:
            todo = [x for x in datatype_instances(self.datatypes, roots) if instance_name(x) not in self.sorts]
        except TooManyInstances as exc:
            raise DatatypeUnsupported(str(exc)) from None
        decls = {instance_name(x): z3.Datatype(instance_name(x)) for x in todo}
        insts = {instance_name(x): datatype_at(self.datatypes, x) for x in todo}
        refs = {**self.sorts, **decls}
        for key, d in insts.items():
            for c in d.ctors:
                decls[key].declare(c.name, *((f"{c.name}.{f.name}", _field_sort(f.type, refs)) for f in c.fields))
        created = z3.CreateDatatypes(*decls.values()) if decls else ()
        self.sorts.update(zip(decls, created, strict=True))
        self.decls.update(insts)

    def sort(self, name: str) -> Any:
        return self.sorts[name]

    def datatype(self, name: str) -> m.Datatype:
        return self.decls[name]

    def ctor_decl(self, dt: str, ctor: str) -> Any:
        sort = self.sorts[dt]
        i = [c.name for c in self.datatype(dt).ctors].index(ctor)
        return sort.constructor(i)

    def construct(self, ctor: str, args: list[Any], t: m.DatatypeType | None = None) -> Any:
        """`ctor(args)`; a constructor of a generic datatype needs the instance `t`."""
        dt = next(d for d in self.datatypes if d.ctor(ctor) is not None)
        if dt.type_params and (t is None or not t.args):
            raise DatatypeUnsupported(f"the constructor {ctor} of the generic {dt.name} at an unknown instance")
        return self.ctor_decl(self.key(t if dt.type_params else m.DatatypeType(dt.name)), ctor)(*args)  # type: ignore[arg-type]

    def is_ctor(self, dt: str, ctor: str, v: Any) -> Any:
        sort = self.sorts[dt]
        i = [c.name for c in self.datatype(dt).ctors].index(ctor)
        return sort.recognizer(i)(v)

    def field(self, dt: str, name: str, v: Any) -> tuple[Any, Any]:
        """(value, defined) of `v.name`: the accessor of each constructor that has the field."""
        d = self.datatype(dt)
        sort = self.sorts[dt]
        arms = []
        for i, c in enumerate(d.ctors):
            for j, f in enumerate(c.fields):
                if f.name == name:
                    arms.append((sort.recognizer(i)(v), sort.accessor(i, j)(v)))
        value = arms[-1][1]
        for cond, acc in reversed(arms[:-1]):
            value = z3.If(cond, acc, value)
        defined = arms[0][0] if len(arms) == 1 else z3.Or(*(c for c, _ in arms))
        return value, defined


def _field_sort(t: m.Type, refs: Mapping[str, Any]) -> Any:
    if isinstance(t, m.DatatypeType):
        return refs[instance_name(t)]
    make = _SCALAR_SORTS.get(type(t))
    if make is None:
        raise DatatypeUnsupported(f"a datatype field of type {m.type_text(t)} (collections inside datatypes)")
    return make()


@functools.cache
def sorts_for(datatypes: tuple[m.Datatype, ...]) -> DatatypeSorts:
    """z3 sorts for these datatypes (one object per spec's datatypes: z3 sorts are global
    by name); the ones without type parameters at once, generic ones per instance met."""
    dts = DatatypeSorts(datatypes, {}, {})
    dts.create(tuple(m.DatatypeType(d.name) for d in datatypes if not d.type_params))
    return dts


def check_symbolic(datatypes: tuple[m.Datatype, ...], t: m.DatatypeType) -> None:
    """Refuse a symbolic value of a datatype with a nat or char field anywhere inside."""
    try:
        reached = datatype_instances(datatypes, (t,))
    except TooManyInstances as exc:
        raise DatatypeUnsupported(str(exc)) from None
    for x in reached:
        for c in datatype_at(datatypes, x).ctors:
            for f in c.fields:
                if isinstance(f.type, (m.NatType, m.CharType)):
                    raise DatatypeUnsupported(
                        f"a searched value of {m.type_text(t)}, whose field {c.name}.{f.name} is a {m.type_text(f.type)}")


def value_to_z3(dts: DatatypeSorts, value: Any, t: m.DatatypeType) -> Any:
    """A runtime datatype value (a dataclass named after its constructor) as a z3 term."""
    key = dts.key(t)
    d = dts.datatype(key)
    c = d.ctor(ctor_of(value))
    if c is None:
        raise DatatypeUnsupported(f"{ctor_of(value)} is not a constructor of {m.type_text(t)}")
    args = [_leaf_to_z3(dts, x, f.type) for x, f in zip(fields_of(value), c.fields, strict=True)]
    return dts.ctor_decl(key, c.name)(*args)


def _leaf_to_z3(dts: DatatypeSorts, x: Any, t: m.Type) -> Any:
    match t:
        case m.DatatypeType():
            return value_to_z3(dts, x, t)
        case m.BoolType():
            return z3.BoolVal(bool(x))
        case m.RealType():
            return z3.RealVal(f"{x.numerator}/{x.denominator}")
        case m.CharType():
            return z3.IntVal(ord(x))
    return z3.IntVal(int(x))


def value_from_z3(dts: DatatypeSorts, term: Any, t: m.DatatypeType, model: Any) -> Any:
    """The runtime value of a datatype term under a model."""
    v = model.eval(term, model_completion=True)
    d = dts.datatype(dts.key(t))
    c = d.ctor(v.decl().name())
    assert c is not None, v
    fields = [_leaf_from_z3(dts, v.arg(j), f.type, model) for j, f in enumerate(c.fields)]
    return construct(dts.datatypes, c.name, fields)


def _leaf_from_z3(dts: DatatypeSorts, x: Any, t: m.Type, model: Any) -> Any:
    match t:
        case m.DatatypeType():
            return value_from_z3(dts, x, t, model)
        case m.BoolType():
            return z3.is_true(x)
        case m.RealType():
            return x.as_fraction()
        case m.CharType():
            return chr(x.as_long())
    return x.as_long()
