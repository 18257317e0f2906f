"""Example values: TOML data to Python runtime values and back.

The runtime conventions are shared with the Dafny→Python translator and the property
harness: int/nat → int; bool → bool; real → fractions.Fraction (exact); char → 1-character str; string (= seq<char>) → str;
seq<T> → list; set<T> → frozenset; multiset<T> → collections.Counter; map<K,V> → dict;
array<T> → list; a datatype → a frozen dataclass per constructor (`specs.datavalues`). Values nested inside sets, multisets and map keys are made hashable
(lists become tuples, sets frozensets, multisets sorted tuples of pairs are not used:
multisets cannot be nested in hashed positions).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from verifier.specs import model as m
from verifier.specs.datavalues import classes_for, ctor_of, fields_of, is_datavalue
from verifier.specs.generics import datatype_at

from verifier.errors import SourceLocation, SpecError

Where = Callable[[tuple[str | int, ...]], SourceLocation]


def is_char_seq(t: m.Type) -> bool:
    return isinstance(t, m.StringType) or (isinstance(t, m.SeqType) and isinstance(t.elem, m.CharType))


def _bad(where: Where, path: tuple[str | int, ...], what: str, t: m.Type, value: Any) -> SpecError:
    return SpecError(
        f"{what}: expected a value of type {m.type_text(t)}, found {value!r}",
        location=where(path),
        hint=_HINTS.get(type(t), "see docs/spec-format.md for how to write values"),
        code="value",
    )


_HINTS: dict[type, str] = {
    m.IntType: "write a TOML integer, e.g. 3 or -2",
    m.NatType: "write a non-negative TOML integer, e.g. 0 or 7",
    m.BoolType: "write true or false",
    m.RealType: 'write a TOML number (1, 2.5) or a string holding a decimal or a fraction ("0.1", "1/3")',
    m.CharType: 'write a one-character string, e.g. "a"',
    m.StringType: 'write a TOML string, e.g. "abc"',
    m.SeqType: "write a TOML list, e.g. [1, 2, 3]",
    m.ArrayType: "write a TOML list with the array's contents, e.g. [1, 2, 3]",
    m.SetType: "write a TOML list of distinct elements (order is ignored)",
    m.MultisetType: "write a TOML list; an element repeated k times has multiplicity k",
    m.MapType: 'write an inline table {"a" = 1} when keys are strings, else a list of [key, value] pairs',
    m.DatatypeType: 'write a constructor and its fields as a one-key table, e.g. { Circle = { r = 3 } }, '
                    'or a constructor without fields as a string, e.g. "Red"',
}


def hashable(v: Any) -> Any:
    if is_datavalue(v):
        return type(v)(*(hashable(x) for x in fields_of(v)))
    if isinstance(v, list):
        return tuple(hashable(x) for x in v)
    if isinstance(v, (set, frozenset)):
        return frozenset(hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted(((hashable(k), hashable(x)) for k, x in v.items()), key=repr))
    if isinstance(v, Counter):
        return tuple(sorted(((hashable(k), c) for k, c in v.items() if c > 0), key=repr))
    return v


def from_toml(value: Any, t: m.Type, path: tuple[str | int, ...], where: Where, what: str,
              datatypes: tuple[m.Datatype, ...] = ()) -> Any:
    """Convert and validate one TOML value against a spec type (`datatypes`: the spec's)."""
    def inner(v: Any, et: m.Type, p: tuple[str | int, ...]) -> Any:
        return from_toml(v, et, p, where, what, datatypes)

    match t:
        case m.IntType() | m.NatType():
            if isinstance(value, bool) or not isinstance(value, int):
                raise _bad(where, path, what, t, value)
            if isinstance(t, m.NatType) and value < 0:
                raise _bad(where, path, what, t, value)
            return value
        case m.BoolType():
            if not isinstance(value, bool):
                raise _bad(where, path, what, t, value)
            return value
        case m.RealType():
            real = real_from_toml(value)
            if real is None:
                raise _bad(where, path, what, t, value)
            return real
        case m.CharType():
            if not (isinstance(value, str) and len(value) == 1):
                raise _bad(where, path, what, t, value)
            return value
        case _ if is_char_seq(t):
            if isinstance(value, str):
                return value
            if isinstance(value, list) and all(isinstance(c, str) and len(c) == 1 for c in value):
                return "".join(value)
            raise _bad(where, path, what, t, value)
        case m.SeqType(e) | m.ArrayType(e):
            if not isinstance(value, list):
                raise _bad(where, path, what, t, value)
            return [inner(v, e, (*path, i)) for i, v in enumerate(value)]
        case m.SetType(e):
            if not isinstance(value, list):
                raise _bad(where, path, what, t, value)
            return frozenset(hashable(inner(v, e, (*path, i))) for i, v in enumerate(value))
        case m.MultisetType(e):
            if not isinstance(value, list):
                raise _bad(where, path, what, t, value)
            return Counter(hashable(inner(v, e, (*path, i))) for i, v in enumerate(value))
        case m.MapType(k, v):
            return _map_from_toml(value, t, k, v, path, where, what, datatypes)
        case m.DatatypeType(name):
            return _datavalue_from_toml(value, t, name, path, where, what, datatypes)
    raise _bad(where, path, what, t, value)  # pragma: no cover


def _datavalue_from_toml(value: Any, t: m.Type, name: str, path: tuple[str | int, ...], where: Where, what: str,
                         datatypes: tuple[m.Datatype, ...]) -> Any:
    """`{ Circle = { r = 3 } }`, or `"Red"` for a constructor without fields."""
    dt = datatype_at(datatypes, t)  # type: ignore[arg-type]  # a generic one at t's type arguments
    names = ", ".join(c.name for c in dt.ctors)
    if isinstance(value, str):
        ctor_name, fields = value, {}
    elif isinstance(value, dict) and len(value) == 1:
        ((ctor_name, fields),) = value.items()
    else:
        raise _bad(where, path, what, t, value)
    ctor = dt.ctor(ctor_name)
    if ctor is None:
        raise SpecError(f"{what}: {ctor_name!r} is not a constructor of {name}", location=where(path),
                        hint=f"the constructors of {name} are: {names}", code="value")
    if not isinstance(fields, dict):
        raise SpecError(f"{what}: the fields of {ctor_name} must be a table, found {fields!r}",
                        location=where((*path, ctor_name)), hint=f"write {{ {ctor_name} = {{ field = value, ... }} }}",
                        code="value")
    declared = [f.name for f in ctor.fields]
    for k in fields:
        if k not in declared:
            raise SpecError(f"{what}: {ctor_name} has no field {k!r}", location=where((*path, ctor_name, k)),
                            hint=f"the fields of {ctor_name} are: {', '.join(declared) or 'none'}", code="value")
    missing = [f for f in declared if f not in fields]
    if missing:
        raise SpecError(f"{what}: {ctor_name} lacks a value for {missing[0]!r}", location=where((*path, ctor_name)),
                        hint=f"give every field of {ctor_name}: {', '.join(declared)}", code="value")
    values = [from_toml(fields[f.name], f.type, (*path, ctor_name, f.name), where, what, datatypes)
              for f in ctor.fields]
    return classes_for(datatypes)[ctor_name](*values)


def real_from_toml(value: Any) -> Fraction | None:
    """An exact real from a TOML integer, float or string ("0.1", "-1/3"); None if it is none.

    A TOML float is binary; its shortest decimal spelling (`repr`) is what the user wrote
    whenever that had at most 15 significant digits, so 0.1 reads as exactly 1/10, not as
    the double nearest to it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            return None
    return None


def real_text(value: Fraction) -> str:
    """Dafny spelling of an exact real: `1.5`, `-2.0`, or `(1.0 / 3.0)` when no decimal is exact."""
    n, d = value.numerator, value.denominator
    rest = d
    for prime in (2, 5):  # a finite decimal iff the denominator has no prime factor but 2 and 5
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return f"({n}.0 / {d}.0)"
    k = 0
    while 10**k % d:
        k += 1
    digits = str(abs(n) * 10**k // value.denominator).rjust(k + 1, "0")
    whole, frac = digits[: len(digits) - k] or "0", digits[len(digits) - k :] or "0"
    return f"{'-' if n < 0 else ''}{whole}.{frac}"


def _map_from_toml(value: Any, t: m.Type, k: m.Type, v: m.Type, path: tuple[str | int, ...], where: Where,
                   what: str, datatypes: tuple[m.Datatype, ...] = ()) -> dict[Any, Any]:
    """A map written as an inline table (string keys) or as a list of [key, value] pairs."""
    if isinstance(value, dict):
        if not (isinstance(k, (m.CharType, m.StringType)) or is_char_seq(k)):
            raise SpecError(
                f"{what}: an inline table has string keys, but the map's keys are {m.type_text(k)}",
                location=where(path),
                hint="write the map as a list of [key, value] pairs, e.g. [[1, 2], [3, 4]]",
                code="value",
            )
        return {
            hashable(from_toml(key, k, (*path, key), where, what, datatypes)):
                from_toml(val, v, (*path, key), where, what, datatypes)
            for key, val in value.items()
        }
    if isinstance(value, list):
        out: dict[Any, Any] = {}
        for i, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise SpecError(
                    f"{what}: a map entry must be a [key, value] pair, found {pair!r}",
                    location=where((*path, i)),
                    hint="write the map as a list of [key, value] pairs, e.g. [[1, 2], [3, 4]]",
                    code="value",
                )
            key = hashable(from_toml(pair[0], k, (*path, i, 0), where, what, datatypes))
            if key in out:
                raise SpecError(
                    f"{what}: map key {pair[0]!r} appears twice",
                    location=where((*path, i)),
                    hint="each key of a map may appear once",
                    code="value",
                )
            out[key] = from_toml(pair[1], v, (*path, i, 1), where, what, datatypes)
        return out
    raise _bad(where, path, what, t, value)


def to_json(value: Any) -> Any:
    """A runtime value to plain JSON (sets and multisets as sorted lists, maps as pairs
    unless every key is a string, reals as exact strings "1/3" that `from_toml` reads back)."""
    if isinstance(value, Fraction):
        return str(value)
    if is_datavalue(value):  # the TOML form: `{ Circle = { r = 3 } }`, `"Red"`
        names = [f.name for f in dataclasses.fields(value)]
        if not names:
            return ctor_of(value)
        return {ctor_of(value): {n: to_json(x) for n, x in zip(names, fields_of(value), strict=True)}}
    if isinstance(value, Counter):
        return sorted((to_json(k) for k, c in value.items() for _ in range(max(c, 0))), key=_order)
    if isinstance(value, (set, frozenset)):
        return sorted((to_json(v) for v in value), key=_order)
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: to_json(v) for k, v in value.items()}
        return [[to_json(k), to_json(v)] for k, v in sorted(value.items(), key=lambda kv: _order(kv[0]))]
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def _order(v: Any) -> tuple[str, Any]:
    return (type(v).__name__, v if isinstance(v, (int, str, bool)) else repr(v))


def show(value: Any) -> str:
    """A short Dafny-looking rendering for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return real_text(value)
    if is_datavalue(value):
        fields = fields_of(value)
        return ctor_of(value) + ("(" + ", ".join(show(x) for x in fields) + ")" if fields else "")
    if isinstance(value, str):
        return repr(value) if len(value) == 1 else '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, Counter):
        return "multiset{" + ", ".join(show(x) for x in to_json(value)) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(show(x) for x in sorted(value, key=_order)) + "}"
    if isinstance(value, dict):
        return "map[" + ", ".join(f"{show(k)} := {show(v)}" for k, v in value.items()) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(x) for x in value) + "]"
    return str(value)
