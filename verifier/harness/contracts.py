"""Specs attached to Python functions: `@spec("x.toml")` and `@contract(requires=…, ensures=…)`.

The decorators only record what the user wrote and return the function unchanged: the
function is never called here (the harness runs it in the sandbox, by file and name).
The pytest plugin collects decorated functions as property tests. A `contract` becomes
an ordinary spec through `contract_toml`, so it is checked by exactly the same loader,
type checker and predicates as a TOML file, and can be exported as one.

Python annotations map to spec types: `int`, `bool`, `str` (string), `list[T]`
(seq<T>), `set[T]`/`frozenset[T]` (set<T>), `dict[K, V]` (map<K, V>).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from verifier.harness.errors import HarnessInputError

F = TypeVar("F", bound=Callable[..., Any])
ATTRIBUTE = "__proofroute_spec__"
_SCALARS = {"int": "int", "bool": "bool", "str": "string"}
_GENERIC = {"list": "seq", "List": "seq", "set": "set", "Set": "set", "frozenset": "set",
            "FrozenSet": "set", "dict": "map", "Dict": "map"}


@dataclass(frozen=True)
class SpecFile:
    """`@spec(path)`: a TOML spec, found from the decorated function's folder upwards."""

    path: str


@dataclass(frozen=True)
class Contract:
    """`@contract(...)`: the clauses (Dafny expressions over the parameter names)."""

    requires: tuple[str, ...]
    ensures: tuple[str, ...]
    returns: str


def spec(path: str) -> Callable[[F], F]:
    """Attach the spec file at `path` to the decorated implementation."""

    def attach(fn: F) -> F:
        setattr(fn, ATTRIBUTE, SpecFile(path))
        return fn

    return attach


def contract(*, requires: Sequence[str] = (), ensures: Sequence[str] = (), returns: str = "result") -> Callable[[F], F]:
    """Attach a contract written in Dafny's expression syntax; `returns` names the result."""

    def attach(fn: F) -> F:
        setattr(fn, ATTRIBUTE, Contract(tuple(requires), tuple(ensures), returns))
        return fn

    return attach


def attached(obj: object) -> SpecFile | Contract | None:
    found = getattr(obj, ATTRIBUTE, None) if callable(obj) else None
    return found if isinstance(found, SpecFile | Contract) else None


def contract_of(fn: Callable[..., Any]) -> tuple[Contract, list[tuple[str, str]], str]:
    """The contract of a decorated function, its parameters and return annotation as text."""
    found = attached(fn)
    if not isinstance(found, Contract):
        raise HarnessInputError(f"{fn.__qualname__} has no @contract", hint="decorate it with @verifier.contract(...)")
    annotations = inspect.get_annotations(fn)
    params = [(name, _text(annotations.get(name))) for name in inspect.signature(fn).parameters]
    return found, params, _text(annotations.get("return"))


def export_spec(fn: Callable[..., Any]) -> str:
    """The TOML spec file a `@contract`-decorated function stands for."""
    found, params, returns = contract_of(fn)
    where = f"{inspect.getsourcefile(fn) or '<function>'}: @contract of {fn.__name__}"
    return contract_toml(fn.__name__, found, params, returns, where)


def contract_toml(name: str, found: Contract, params: Sequence[tuple[str, str]], returns: str,
                  where: str) -> str:
    """The spec a contract stands for, as TOML text (what `spec export` writes)."""
    dafny_params = ", ".join(f"{p}: {dafny_type(t, where, p)}" for p, t in params)
    result = dafny_type(returns, where, "return")
    method = "".join(part[:1].upper() + part[1:] for part in name.split("_")) or name
    lines = [
        f"name = {_toml_str(name)}",
        f"signature = {_toml_str(f'method {method}({dafny_params}) returns ({found.returns}: {result})')}",
        f"requires = [{', '.join(_toml_str(c) for c in found.requires)}]",
        f"ensures = [{', '.join(_toml_str(c) for c in found.ensures)}]",
    ]
    return "\n".join(lines) + "\n"


def dafny_type(annotation: str, where: str, what: str) -> str:
    """A Python annotation (as text) as a spec type; a clear error for anything else."""
    if not annotation:
        raise HarnessInputError(f"{where}: error: {what} has no type annotation",
                                hint="annotate every parameter and the return type (int, bool, str, list[int], ...)")
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        node = None
    converted = _convert(node) if node is not None else None
    if converted is None:
        raise HarnessInputError(f"{where}: error: {what}: the annotation {annotation!r} has no spec type",
                                hint="use int, bool, str, list[T], set[T], frozenset[T] or dict[K, V]")
    return converted


def _convert(node: ast.expr) -> str | None:
    match node:
        case ast.Name(id=name) if name in _SCALARS:
            return _SCALARS[name]
        case ast.Subscript(value=ast.Name(id=generic), slice=ast.Tuple(elts=[key, value])) if _GENERIC.get(generic) == "map":
            k, v = _convert(key), _convert(value)
            return f"map<{k}, {v}>" if k and v else None
        case ast.Subscript(value=ast.Name(id=generic), slice=elem) if _GENERIC.get(generic) in ("seq", "set"):
            inner = _convert(elem)
            return f"{_GENERIC[generic]}<{inner}>" if inner else None
    return None


def _text(annotation: object) -> str:
    if annotation is None or annotation is inspect.Parameter.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
