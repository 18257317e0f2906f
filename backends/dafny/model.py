"""Counterexample models (`/mv:file`, Boogie's BVD format) read back into Python values.

Why: a failing postcondition is far more useful to a repair loop with "x = -1, s = [7, 0]"
beside it. Boogie writes one `*** MODEL` per error, in the order the errors print; its
`*** STATE <initial>` block holds the parameters as `x#0 -> 42`. Sequences and chars are
opaque solver values decoded through the model's `Seq#Length`, `Seq#Index`, `$Unbox` and
`char#ToInt` tables. The values are solver hints, not facts: callers should execute them
before presenting them as a real failure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verifier.backends.dafny.declarations import Param

_MAX_SEQ = 64
_INT = re.compile(r"^-?\d+$")
_NEG = re.compile(r"^\(- (\d+)\)$")


@dataclass(frozen=True)
class Model:
    constants: Mapping[str, str] = field(default_factory=dict)
    functions: Mapping[str, Mapping[tuple[str, ...], str]] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)  # the `else ->` of each table
    states: tuple[tuple[str, Mapping[str, str]], ...] = ()

    def initial_state(self) -> Mapping[str, str]:
        for name, values in self.states:
            if name == "<initial>":
                return values
        return self.states[0][1] if self.states else {}

    def apply(self, fn: str, *args: str) -> str | None:
        table = self.functions.get(fn)
        if table is None:
            return None
        return table.get(tuple(args), self.defaults.get(fn))


def parse_models(text: str) -> list[Model]:
    """All models in a BVD file, in order; malformed parts are skipped, never raised."""
    models: list[Model] = []
    constants: dict[str, str] = {}
    functions: dict[str, dict[tuple[str, ...], str]] = {}
    defaults: dict[str, str] = {}
    states: list[tuple[str, dict[str, str]]] = []
    current_fn: str | None = None
    current_state: dict[str, str] | None = None
    inside = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if line == "*** MODEL":
            constants, functions, defaults, states = {}, {}, {}, []
            current_fn, current_state, inside = None, None, True
            continue
        if not inside:
            continue
        if line == "*** END_MODEL":
            models.append(Model(constants, functions, defaults, tuple(states)))
            inside = False
            continue
        if line.startswith("*** STATE "):
            current_state = {}
            states.append((line[len("*** STATE ") :].strip(), current_state))
            continue
        if line == "*** END_STATE":
            current_state = None
            continue
        if current_state is not None:
            name, sep, value = line.strip().partition(" -> ")
            if sep:
                current_state[name] = value.strip()
            continue
        if current_fn is not None:
            if line.strip() == "}":
                current_fn = None
                continue
            lhs, sep, value = line.strip().rpartition(" -> ")
            if not sep:
                continue
            if lhs == "else":
                defaults[current_fn] = value.strip()
            else:
                functions[current_fn][tuple(_split_args(lhs))] = value.strip()
            continue
        name, sep, value = line.partition(" -> ")
        if not sep:
            continue
        if value.strip() == "{":
            current_fn = name.strip()
            functions[current_fn] = {}
        else:
            constants[name.strip()] = value.strip()
    return models


def _split_args(text: str) -> list[str]:
    """'T@T!val!0 (- 1)' -> ['T@T!val!0', '(- 1)']."""
    out: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == " " and depth == 0:
            if current:
                out.append(current)
            current = ""
        else:
            current += ch
    if current:
        out.append(current)
    return out


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    if _INT.match(value):
        return int(value)
    m = _NEG.match(value)
    return -int(m.group(1)) if m else None


def _unbox(model: Model, box: str | None) -> str | None:
    if box is None:
        return None
    table = model.functions.get("$Unbox", {})
    for args, value in table.items():
        if len(args) == 2 and args[1] == box:
            return value
    return model.defaults.get("$Unbox")


def decode(model: Model, value: str | None, type_text: str, *, depth: int = 0) -> Any:
    """A model value of Dafny type `type_text` as a Python value, or None if unknown."""
    if value is None or value.startswith("**") or depth > 3:
        return None
    t = type_text.replace(" ", "")
    if t in ("int", "nat") or re.fullmatch(r"u?int\d*|nat\d*", t):
        return _int(value)
    if t == "bool":
        return {"true": True, "false": False}.get(value)
    if t == "char":
        code = _int(value) if _INT.match(value) else _int(model.apply("char#ToInt", value))
        return chr(code) if code is not None and 0 <= code < 0x110000 else None
    elem_type = None
    if t == "string":
        elem_type = "char"
    elif t.startswith("seq<") and t.endswith(">"):
        elem_type = t[4:-1]
    if elem_type is not None:
        length = _int(model.apply("Seq#Length", value))
        if length is None or length < 0 or length > _MAX_SEQ:
            return None
        items = []
        for i in range(length):
            raw = _unbox(model, model.apply("Seq#Index", value, str(i)))
            item = decode(model, raw, elem_type, depth=depth + 1)
            if item is None:
                return None
            items.append(item)
        return "".join(items) if t == "string" else items
    return None


def initial_values(model: Model, params: Sequence[Param]) -> dict[str, Any]:
    """Parameter name -> decoded initial value, for the parameters the model constrains."""
    state = model.initial_state()
    out: dict[str, Any] = {}
    for p in params:
        raw = state.get(f"{p.name}#0")
        value = decode(model, raw, p.type)
        if value is not None:
            out[p.name] = value
    return out
