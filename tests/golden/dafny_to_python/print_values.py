"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


def _show(value: object) -> str:
    """Dafny's `print` format for booleans and collections."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(_show(v) for v in sorted(value, key=repr)) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, Counter):
        return "multiset{" + ", ".join(_show(v) for v in value.elements()) + "}"
    if isinstance(value, dict):
        return "map[" + ", ".join(f"{_show(k)} := {_show(v)}" for k, v in value.items()) + "]"
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        name = _DAFNY_NAMES[type(value)]
        return f"{name}({', '.join(_show(getattr(value, f)) for f in fields)})" if fields else name
    return str(value)


@dataclass(frozen=True)
class Dark:
    """Constructor `Dark` of datatype `Shade`."""


@dataclass(frozen=True)
class Rgb:
    """Constructor `Rgb` of datatype `Shade`."""

    r: int
    g: int


Shade = Dark | Rgb


_DAFNY_NAMES: dict[type, str] = {Dark: "Shade.Dark", Rgb: "Shade.Rgb"}


def PrintValues(x: int) -> int:
    """Dafny method `PrintValues`.

    ensures n == x
    """
    m = {x: True}
    ms = Counter([x, x, 2])
    print(_show(m), " ", _show(ms), " ", _show(Dark()), " ", _show(Rgb(x, -1)), " ", _show([Dark()]), "\n", sep="", end="")
    n = x
    return n
