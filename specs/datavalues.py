"""Python values of a spec's datatypes: one frozen dataclass per constructor, named like it.

This is the convention the Dafny→Python compiler follows (`datatype Shape = Circle(r: int)`
becomes `@dataclass(frozen=True) class Circle: r: int`), so a value is read by its
constructor's name and its fields, never by the identity of its class: the spec's
examples, the sampled and drawn inputs, the generated predicates and the function under
test each have classes of their own, and a value crossing from one to the other is
rebuilt from (constructor name, field values).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

from verifier.specs import model as m


@functools.cache
def classes_for(datatypes: tuple[m.Datatype, ...]) -> Mapping[str, type]:
    """A frozen dataclass per constructor of these datatypes, by constructor name."""
    return {
        c.name: dataclasses.make_dataclass(c.name, [(f.name, object) for f in c.fields], frozen=True)
        for d in datatypes for c in d.ctors
    }


def construct(datatypes: tuple[m.Datatype, ...], ctor: str, fields: list[Any]) -> Any:
    """The value `ctor(*fields)` in the spec's own classes."""
    return classes_for(datatypes)[ctor](*fields)


def is_datavalue(v: Any) -> bool:
    """A datatype value: an instance of a dataclass (any class, matched by name)."""
    return dataclasses.is_dataclass(v) and not isinstance(v, type)


def ctor_of(v: Any) -> str:
    return type(v).__name__


def fields_of(v: Any) -> tuple[Any, ...]:
    """The field values in declaration order."""
    return tuple(getattr(v, f.name) for f in dataclasses.fields(v))
