"""The spec's signature in the plain form `check_runtime` reads (names and type tuples).

The runtime is pasted into emitted test modules, so it cannot import the spec model;
this module flattens what it needs into literals that `repr` writes out faithfully.
"""

from __future__ import annotations

from typing import Any

from verifier.harness import check_runtime
from verifier.specs import model as m
from verifier.specs.generics import datatype_at, spec_datatype_instances
from verifier.specs.values import is_char_seq
from verifier.translators.spec_python import ctor_name, field_py_name

TypeDesc = tuple[Any, ...]


def type_desc(t: m.Type) -> TypeDesc:
    """A spec type as nested tuples: ("int",), ("seq", ("int",)), ("map", k, v)."""
    if is_char_seq(t):
        return ("string",)
    match t:
        case m.IntType():
            return ("int",)
        case m.NatType():
            return ("nat",)
        case m.BoolType():
            return ("bool",)
        case m.RealType():
            return ("real",)
        case m.CharType():
            return ("char",)
        case m.SeqType(e):
            return ("seq", type_desc(e))
        case m.ArrayType(e):
            return ("array", type_desc(e))
        case m.SetType(e):
            return ("set", type_desc(e))
        case m.MultisetType(e):
            return ("multiset", type_desc(e))
        case m.MapType(k, v):
            return ("map", type_desc(k), type_desc(v))
        case m.DatatypeType():
            return ("datatype", m.type_text(t))  # a generic one by its instance: `Option<int>`
        case m.ArrowType():
            return ("function",)
    raise ValueError(f"unknown type {t!r}")  # pragma: no cover


def signature_of(spec: m.Spec) -> dict[str, Any]:
    """Names and type tuples of the parameters; with datatypes, each one's constructors
    (by the class name a Python implementation gives them) and their fields — a generic
    datatype once per instance the parameters reach (`Option<int>`), its fields at it."""
    sig: dict[str, Any] = {
        "params": [(p.name, type_desc(p.type)) for p in spec.params],
        "returns": [(p.name, type_desc(p.type)) for p in spec.returns],
        "modifies": list(spec.modified),
    }
    if spec.datatypes:
        sig["datatypes"] = {
            m.type_text(t): [(ctor_name(c.name), [(field_py_name(f.name), type_desc(f.type)) for f in c.fields])
                             for c in datatype_at(spec.datatypes, t).ctors]
            for t in spec_datatype_instances(spec)
        }
    return sig


def runtime_source() -> str:
    """The text between the markers of check_runtime.py, for pasting into emitted tests."""
    from pathlib import Path

    text = Path(check_runtime.__file__).read_text("utf-8")
    start = text.index("# --- begin runtime ---")
    end = text.index("# --- end runtime ---")
    return text[start:end]


show = check_runtime.show
show_args = check_runtime.show_args
check_call = check_runtime.check_call
