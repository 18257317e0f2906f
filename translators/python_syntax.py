"""The Python the Dafny translator writes, as a small syntax tree before it becomes text.

Expressions are `Code`: their text with the precedence of their outermost operator (so
a parent adds parentheses only where Python needs them) and whether they contain a
conditional (`x if c else y`, a comprehension filter). Statements are `PyStmt` nodes, so
the choices ruff asks for (SIM108: an if/else assigning one variable becomes
`x = a if c else b`; SIM102: an `if` whose only statement is another `if` becomes one
`if a and b`) are taken on this tree, never by reading back the generated text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum


class Prec(IntEnum):
    """Python's operator precedence, lowest first (the numbering leaves the gaps of the
    operators the translator never writes)."""

    LAMBDA = 0
    IF = 1
    OR = 2
    AND = 3
    NOT = 4
    CMP = 5
    BOR = 6
    BXOR = 7
    BAND = 8
    SHIFT = 9
    ADD = 10
    MUL = 11
    UNARY = 12
    POSTFIX = 15
    ATOM = 16


@dataclass(frozen=True)
class Code:
    """A Python expression: `has_if` when it contains a conditional expression or a
    comprehension filter (a ternary around it would read badly)."""

    text: str
    prec: int
    has_if: bool = False


def wrap(code: Code, min_prec: int) -> str:
    """The text of `code` as an operand that needs at least `min_prec`."""
    return code.text if code.prec >= min_prec else f"({code.text})"


def literal(s: str) -> str:
    """A Python string literal (Dafny strings and chars are `str`)."""
    return json.dumps(s, ensure_ascii=False)


# ---------------------------------------------------------------- statements


@dataclass(frozen=True)
class Line:
    """A simple statement (`return x`, `a[i] = v`, `x, y = f()`, `break`, ...)."""

    text: str


@dataclass(frozen=True)
class Assign:
    """`target = value` with one plain name: the one statement a ternary can merge."""

    target: str
    value: Code


@dataclass(frozen=True)
class IfStmt:
    """`if cond:` with an optional `elif` chain (`else_` an IfStmt) or `else:` block."""

    cond: Code
    then: tuple[PyStmt, ...]
    else_: IfStmt | tuple[PyStmt, ...] | None = None


@dataclass(frozen=True)
class Compound:
    """Any other statement with a block: `while c:`, `match x:`, `case P:`; an empty
    body is written `pass`."""

    header: str
    body: tuple[PyStmt, ...]


PyStmt = Line | Assign | IfStmt | Compound


def if_else(cond: Code, then: Sequence[PyStmt], other: Sequence[PyStmt]) -> PyStmt:
    """`if cond: then else: other`, or `x = a if cond else b` when both branches only
    assign the same variable and no part already holds a conditional (SIM108)."""
    match (then, other):
        case ([Assign(target=x, value=a)], [Assign(target=y, value=b)]) if (
            x == y and not (a.has_if or b.has_if or cond.has_if)
        ):
            ternary = f"{wrap(a, Prec.OR)} if {wrap(cond, Prec.OR)} else {wrap(b, Prec.IF)}"
            return Assign(x, Code(ternary, Prec.IF, has_if=True))
    return IfStmt(cond, tuple(then), tuple(other))


def if_then(cond: Code, then: Sequence[PyStmt]) -> IfStmt:
    """`if cond: then`, merged with a lone nested `if` into `if cond and inner:` (SIM102)."""
    match then:
        case [IfStmt(cond=inner, then=body, else_=None)]:
            both = f"{wrap(cond, Prec.AND)} and {wrap(inner, Prec.AND)}"
            return IfStmt(Code(both, Prec.AND, cond.has_if or inner.has_if), body)
    return IfStmt(cond, tuple(then))


def render(stmts: Sequence[PyStmt], indent: str = "") -> list[str]:
    """The lines of `stmts`, each prefixed by `indent`."""
    lines: list[str] = []
    for s in stmts:
        match s:
            case Line(text):
                lines.append(indent + text if text else "")
            case Assign(target, value) if value.prec == Prec.LAMBDA and value.text.startswith("lambda"):
                # a lambda given a name is a nested def (PEP 8, ruff E731)
                params, _, body = value.text[len("lambda") :].partition(":")
                lines.append(f"{indent}def {target}({params.strip()}):")
                lines.append(f"{indent}    return {body.strip()}")
            case Assign(target, value):
                lines.append(f"{indent}{target} = {wrap(value, Prec.LAMBDA)}")
            case IfStmt():
                lines.extend(_render_if(s, indent, "if"))
            case Compound(header, body):
                lines.append(indent + header)
                lines.extend(render(body, indent + "    ") or [indent + "    pass"])
    return lines


def _render_if(s: IfStmt, indent: str, keyword: str) -> list[str]:
    lines = [f"{indent}{keyword} {wrap(s.cond, Prec.LAMBDA)}:"]
    lines.extend(render(s.then, indent + "    ") or [indent + "    pass"])
    match s.else_:
        case IfStmt():
            lines.extend(_render_if(s.else_, indent, "elif"))
        case tuple() as other:
            lines.append(f"{indent}else:")
            lines.extend(render(other, indent + "    ") or [indent + "    pass"])
    return lines
