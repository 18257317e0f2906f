"""Python values <-> JSON with tags, so sets, multisets, maps and big ints survive a pipe.

Both sides of the sandbox use this module: the parent encodes the inputs and decodes the
results, the child does the reverse. It therefore imports nothing but the standard
library (the child loads it as a top-level module, before the audit hook is installed).

Encoding (what `encode` writes):

- ``None``, bools, strings, ints and finite floats are themselves. Ints are exact; one
  with more than ``_INT_DIGITS`` decimal digits becomes ``{"$int": "<hex>"}`` because
  Python refuses to print such ints in decimal (CVE-2020-10735 limit).
- non-finite floats: ``{"$float": "nan" | "inf" | "-inf"}``.
- lists and tuples: JSON arrays (a result tuple is "several results"; the harness compares
  them as sequences). `encode(..., tag_tuples=True)` writes ``{"$tuple": [...]}`` instead.
- set / frozenset: ``{"$set": [...]}``; Counter: ``{"$multiset": [...]}`` (each element
  repeated by its count, counts <= 0 dropped as in Dafny). Elements are sorted, so equal
  collections encode to equal JSON.
- dicts whose keys are all strings not starting with ``$``: JSON objects; any other dict:
  ``{"$map": [[k, v], ...]}``.
- fractions.Fraction (a spec's `real`): ``{"$fraction": "n/d"}``, exact.
- a function given as a table (anything with a ``table_function()`` method returning
  ``(pairs, default)``, e.g. `TableFunction`, the harness's drawn functions):
  ``{"$function": {"table": [[[args...], result], ...], "default": d}}``; decoded as a
  `TableFunction` (total, pure: the same answer for the same arguments).
- bytes: ``{"$bytes": "<base64>"}``; dataclass instances:
  ``{"$dataclass": "Name", "fields": {...}}``; enum members: ``{"$enum": "Cls.NAME"}``;
  anything else: ``{"$repr": "..."}`` (one way: it cannot be decoded back to the object).

`decode` inverts this; collections in a hashable position (set elements, map keys) come
back as frozensets and tuples so they can be hashed. A dataclass comes back as the dict
it was encoded to, unless `decode` is given classes by name (the child passes the
function module's dataclasses: a spec's datatype values reach the function as instances
of its own classes, matched by constructor name).
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import json
import math
import sys
from collections import Counter
from collections.abc import Mapping

TYPE_CHECKING = False  # not `from typing import ...`: that would import typing
if TYPE_CHECKING:  # `typing` would add ~10 ms to every sandbox child's start-up
    from typing import Any

_INT_DIGITS = 4000  # below sys.get_int_max_str_digits() default of 4300
_INT_BITS = int(_INT_DIGITS * 3.32)
_REPR_CAP = 2000


def encode(value: Any, *, tag_tuples: bool = False) -> Any:
    """Python value -> JSON-compatible value with tags (see module docstring)."""
    try:
        return _Encoder(tag_tuples).enc(value, 0)
    except RecursionError:
        raise ValueError("value nested too deeply to encode (or it contains itself)") from None


class TableFunction:
    """A function-typed argument as data: a finite table from argument tuples to results
    and one default result elsewhere, so it is total and pure and can cross the pipe."""

    __slots__ = ("_default", "_table")

    def __init__(self, pairs: Any, default: Any) -> None:
        self._table = {_frozen(tuple(a)): r for a, r in pairs}
        self._default = default

    def __call__(self, *args: Any) -> Any:
        return self._table.get(_frozen(args), self._default)

    def table_function(self) -> tuple[list[tuple[tuple[Any, ...], Any]], Any]:
        return list(self._table.items()), self._default

    def __eq__(self, other: object) -> bool:
        return same_table_function(self, other)

    def __hash__(self) -> int:
        return hash(_key(encode(self)))

    def __repr__(self) -> str:
        return f"TableFunction({self.table_function()!r})"


def same_table_function(a: Any, b: Any) -> bool:
    """Two table functions with the same table and default (of whatever class)."""
    if not (hasattr(a, "table_function") and hasattr(b, "table_function")):
        return False
    return _key(_Encoder(False).enc(a, 0)) == _key(_Encoder(False).enc(b, 0))


def _frozen(v: Any) -> Any:
    """A hashable stand-in for an argument (lists to tuples, sets to frozensets)."""
    if isinstance(v, (list, tuple)):
        return tuple(_frozen(x) for x in v)
    if isinstance(v, (set, frozenset)):
        return frozenset(_frozen(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted(((_frozen(k), _frozen(x)) for k, x in v.items()), key=repr))
    return v


def decode(value: Any, classes: Mapping[str, type] | None = None) -> Any:
    """Tagged JSON value -> Python value; inverse of `encode` up to tuples-as-lists.

    With `classes`, ``{"$dataclass": name, ...}`` becomes ``classes[name](*fields)``; a name
    missing from `classes` raises `LookupError` (the function's module lacks that class)."""
    return _decode(value, hashable=False, classes=classes)


def dumps(value: Any, *, tag_tuples: bool = False) -> str:
    """`encode` then a compact JSON string."""
    return json.dumps(encode(value, tag_tuples=tag_tuples), separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """A JSON string -> decoded Python value."""
    return decode(json.loads(text))


class _Encoder:
    __slots__ = ("tag_tuples",)

    def __init__(self, tag_tuples: bool) -> None:
        self.tag_tuples = tag_tuples

    def enc(self, v: Any, depth: int) -> Any:
        if depth > 500:
            raise ValueError("value nested too deeply to encode (or it contains itself)")
        d = depth + 1
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, enum.Enum):
            return {"$enum": f"{type(v).__name__}.{v.name}"}
        if isinstance(v, int):
            if v.bit_length() > _INT_BITS:
                return {"$int": hex(v)}
            return int(v)
        if isinstance(v, float):
            if math.isnan(v):
                return {"$float": "nan"}
            if math.isinf(v):
                return {"$float": "inf" if v > 0 else "-inf"}
            return v
        if isinstance(v, tuple) and self.tag_tuples:
            return {"$tuple": [self.enc(x, d) for x in v]}
        if isinstance(v, (list, tuple)):
            return [self.enc(x, d) for x in v]
        if isinstance(v, Counter):
            items = [self.enc(x, d) for x, n in v.items() if n > 0 for _ in range(n)]
            return {"$multiset": _sorted(items)}
        if isinstance(v, (set, frozenset)):
            return {"$set": _sorted([self.enc(x, d) for x in v])}
        if isinstance(v, Mapping):
            if all(isinstance(k, str) and not k.startswith("$") for k in v):
                return {k: self.enc(x, d) for k, x in v.items()}
            pairs = [[self.enc(k, d), self.enc(x, d)] for k, x in v.items()]
            return {"$map": sorted(pairs, key=lambda p: _key(p[0]))}
        fractions = sys.modules.get("fractions")  # never imported here: a Fraction implies it was
        if fractions is not None and isinstance(v, fractions.Fraction):
            return {"$fraction": f"{v.numerator}/{v.denominator}"}
        if isinstance(v, (bytes, bytearray)):
            return {"$bytes": base64.b64encode(bytes(v)).decode("ascii")}
        if callable(v) and hasattr(v, "table_function"):
            pairs, default = v.table_function()
            table = [[self.enc(list(args), d), self.enc(r, d)] for args, r in pairs]
            return {"$function": {"table": sorted(table, key=_key), "default": self.enc(default, d)}}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            fields = {f.name: self.enc(getattr(v, f.name), d) for f in dataclasses.fields(v)}
            return {"$dataclass": type(v).__name__, "fields": fields}
        return {"$repr": _safe_repr(v)}


def _key(encoded: Any) -> str:
    return json.dumps(encoded, sort_keys=True, separators=(",", ":"))


def _sorted(items: list[Any]) -> list[Any]:
    """Deterministic order: natural order when comparable, else by the JSON text."""
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=_key)


def _safe_repr(v: Any) -> str:
    try:
        text = repr(v)
    except Exception as exc:  # a hostile __repr__ must not break the protocol
        text = f"<unrepresentable {type(v).__name__}: {type(exc).__name__}>"
    return text[:_REPR_CAP]


def _decode(v: Any, *, hashable: bool, classes: Mapping[str, type] | None = None) -> Any:
    if isinstance(v, list):
        items = [_decode(x, hashable=hashable, classes=classes) for x in v]
        return tuple(items) if hashable else items
    if not isinstance(v, dict):
        return v
    if classes is not None and set(v) == {"$dataclass", "fields"} and isinstance(v["fields"], dict):
        cls = classes.get(v["$dataclass"])
        if cls is None:
            raise LookupError(
                f"the module defines no dataclass {v['$dataclass']} for a value of the spec's datatype: "
                f"declare @dataclass(frozen=True) class {v['$dataclass']} with the constructor's fields")
        named = {k: _decode(x, hashable=hashable, classes=classes) for k, x in v["fields"].items()}
        own = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else []
        if set(own) == set(named):  # by name: JSON with sorted keys loses the fields' order
            return cls(**{f: named[f] for f in own})
        return cls(*named.values())
    if len(v) == 1:
        ((tag, payload),) = v.items()
        if tag == "$set":
            elems = [_decode(x, hashable=True, classes=classes) for x in payload]
            return frozenset(elems) if hashable else set(elems)
        if tag == "$multiset":
            return Counter(_decode(x, hashable=True, classes=classes) for x in payload)
        if tag == "$map":
            return {_decode(k, hashable=True, classes=classes): _decode(x, hashable=False, classes=classes)
                    for k, x in payload}
        if tag == "$tuple":
            return tuple(_decode(x, hashable=hashable, classes=classes) for x in payload)
        if tag == "$int":
            return int(payload, 16)
        if tag == "$float":
            return float(payload)
        if tag == "$bytes":
            return base64.b64decode(payload)
        if tag == "$function":
            pairs = [(_decode(a, hashable=False, classes=classes), _decode(r, hashable=False, classes=classes))
                     for a, r in payload["table"]]
            return TableFunction(pairs, _decode(payload["default"], hashable=False, classes=classes))
        if tag == "$fraction":
            from fractions import Fraction  # only when a real crosses the pipe

            return Fraction(payload)
    return {k: _decode(x, hashable=False, classes=classes) for k, x in v.items()}
