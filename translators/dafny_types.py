"""Dafny types as the translator sees them, and their Python spellings.

The Python runtime conventions are shared with the spec layer and the property harness:
int/nat → int, bool → bool, char → str of length 1, string (= seq<char>) → str,
seq<T> → list, set<T> → set (frozenset when nested), multiset<T> → collections.Counter,
map<K,V> → dict, array<T> → list, tuples → tuple, datatypes → dataclasses.
"""

from __future__ import annotations

from verifier.translators.dafny_ast import Type

INT = Type("int")
NAT = Type("nat")
BOOL = Type("bool")
CHAR = Type("char")
STRING = Type("seq", (CHAR,))
UNKNOWN = Type("?")

_INTS = {"int", "nat"}
_COLLECTIONS = {"seq", "set", "multiset", "map", "array", "iset", "imap"}


def is_int(t: Type | None) -> bool:
    return t is not None and t.name in _INTS


def is_string(t: Type | None) -> bool:
    return t is not None and t.name == "seq" and len(t.args) == 1 and t.args[0].name == "char"


def is_kind(t: Type | None, *names: str) -> bool:
    return t is not None and t.name in names


def elem(t: Type | None) -> Type:
    """Element type of seq/set/multiset/array, key type of a map; UNKNOWN otherwise."""
    if t is None or not t.args:
        return UNKNOWN
    return t.args[0]


def map_value(t: Type | None) -> Type:
    if t is None or t.name != "map" or len(t.args) != 2:
        return UNKNOWN
    return t.args[1]


def python_hint(t: Type | None, *, nested: bool = False) -> str:
    """The annotation for a value of Dafny type `t` (`nested`: inside a set/map key)."""
    if t is None or t.name == "?":
        return "object"
    name = t.name
    if name in _INTS:
        return "int"
    if name == "bool":
        return "bool"
    if name == "char" or is_string(t):
        return "str"
    if name in ("seq", "array", "array?"):
        return f"list[{python_hint(elem(t))}]"
    if name == "set":
        inner = python_hint(elem(t), nested=True)
        return f"frozenset[{inner}]" if nested else f"set[{inner}]"
    if name == "multiset":
        return f"Counter[{python_hint(elem(t), nested=True)}]"
    if name == "map":
        return f"dict[{python_hint(elem(t), nested=True)}, {python_hint(map_value(t))}]"
    if name == "tuple":
        if not t.args:
            return "tuple[()]"
        return "tuple[" + ", ".join(python_hint(a, nested=nested) for a in t.args) + "]"
    if t.args:
        return f"{name}[" + ", ".join(python_hint(a) for a in t.args) + "]"
    return name


def dafny_text(t: Type | None) -> str:
    """The Dafny spelling of `t` (used in metadata and messages)."""
    if t is None:
        return "?"
    if is_string(t):
        return "string"
    if t.name == "tuple":
        return "(" + ", ".join(dafny_text(a) for a in t.args) + ")"
    if t.args:
        return f"{t.name}<" + ", ".join(dafny_text(a) for a in t.args) + ">"
    return t.name
