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


class DatatypeUnsupported(Exception):
    """These datatypes (or this use of them) have no z3 encoding."""


_SCALAR_SORTS = {m.IntType: z3.IntSort, m.NatType: z3.IntSort, m.CharType: z3.IntSort,
                 m.BoolType: z3.BoolSort, m.RealType: z3.RealSort}


@dataclass(frozen=True)
class DatatypeSorts:
    """The z3 sort of every datatype of a spec, by datatype name."""

    datatypes: tuple[m.Datatype, ...]
    sorts: Mapping[str, Any]

    def sort(self, name: str) -> Any:
        return self.sorts[name]

    def datatype(self, name: str) -> m.Datatype:
        return next(d for d in self.datatypes if d.name == name)

    def ctor_decl(self, dt: str, ctor: str) -> Any:
        sort = self.sorts[dt]
        i = [c.name for c in self.datatype(dt).ctors].index(ctor)
        return sort.constructor(i)

    def construct(self, ctor: str, args: list[Any]) -> Any:
        dt = next(d for d in self.datatypes if d.ctor(ctor) is not None)
        return self.ctor_decl(dt.name, ctor)(*args)

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
        return refs[t.name]
    make = _SCALAR_SORTS.get(type(t))
    if make is None:
        raise DatatypeUnsupported(f"a datatype field of type {m.type_text(t)} (collections inside datatypes)")
    return make()


@functools.cache
def sorts_for(datatypes: tuple[m.Datatype, ...]) -> DatatypeSorts:
    """z3 sorts for these datatypes (created once: z3 sorts are global by name)."""
    decls = {d.name: z3.Datatype(f"{d.name}") for d in datatypes}
    for d in datatypes:
        for c in d.ctors:
            decls[d.name].declare(c.name, *((f"{c.name}.{f.name}", _field_sort(f.type, decls)) for f in c.fields))
    created = z3.CreateDatatypes(*decls.values()) if decls else ()
    return DatatypeSorts(datatypes, dict(zip(decls, created, strict=True)))


def check_symbolic(datatypes: tuple[m.Datatype, ...], name: str) -> None:
    """Refuse a symbolic value of a datatype with a nat or char field anywhere inside."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()  # once: inside the generator it popped once per candidate
        d = next(x for x in datatypes if x.name == current)
        seen.add(d.name)
        for c in d.ctors:
            for f in c.fields:
                if isinstance(f.type, (m.NatType, m.CharType)):
                    raise DatatypeUnsupported(
                        f"a searched value of {name}, whose field {c.name}.{f.name} is a {m.type_text(f.type)}")
                if isinstance(f.type, m.DatatypeType) and f.type.name not in seen:
                    todo.append(f.type.name)


def value_to_z3(dts: DatatypeSorts, value: Any, t: m.DatatypeType) -> Any:
    """A runtime datatype value (a dataclass named after its constructor) as a z3 term."""
    d = dts.datatype(t.name)
    c = d.ctor(ctor_of(value))
    if c is None:
        raise DatatypeUnsupported(f"{ctor_of(value)} is not a constructor of {t.name}")
    args = [_leaf_to_z3(dts, x, f.type) for x, f in zip(fields_of(value), c.fields, strict=True)]
    return dts.ctor_decl(t.name, c.name)(*args)


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
    d = dts.datatype(t.name)
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
