"""Type synonyms, subset types and newtypes replaced by the types they stand for.

In compiled code a value of a subset type (`type Pos = x: int | x > 0`) or of a newtype
over `int` is just a value of the base type: the constraint is proved by the verifier and
Dafny's own compiler represents it the same way (a newtype's `as` conversions are the
identity on the value). So the translator never sees these names: `expand` rewrites every
type in the program, in declarations, binders, `as` and `new`, to its base type, keeping
the position of the use (the declarations stay, for tools that print the program back).
An opaque `type T` has no base type: Dafny's compiler refuses it, and so does the
translator, at its declaration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_unsupported import unsupported


def expand(program: A.Program) -> A.Program:
    """`program` with every synonym, subset type and newtype replaced by its base type."""
    defs = {d.name: d for d in program.decls if isinstance(d, A.TypeDecl) and d.rhs is not None}
    if not defs:
        return program
    ex = _Expander(defs)
    result = A.transform(program, lambda n: ex.type(n) if isinstance(n, A.Type) else n)
    assert isinstance(result, A.Program)
    return result


class _Expander:
    def __init__(self, defs: Mapping[str, A.TypeDecl]) -> None:
        self.defs = defs

    def type(self, t: A.Type, seen: tuple[str, ...] = ()) -> A.Type:
        args = tuple(self.type(a, seen) for a in t.args)
        d = self.defs.get(t.name)
        if d is None or d.rhs is None:
            return dataclasses.replace(t, args=args) if args != t.args else t
        if t.name in seen:
            raise unsupported(t, f"type '{t.name}' is defined in terms of itself", "type")
        if args and len(args) != len(d.type_params):
            raise unsupported(t, f"type '{t.name}' takes {len(d.type_params)} type arguments", "type")
        body = _substitute(d.rhs, dict(zip(d.type_params, args, strict=False)))
        native = d.kind == "newtype" and _native_range(d)
        return dataclasses.replace(self.type(body, (*seen, t.name)), pos=t.pos, native=native)


_JS_SAFE = 2**53


def _native_range(d: A.TypeDecl) -> bool:
    """Whether Dafny's compilers give newtype `d` a native representation: an integer
    newtype whose constraint bounds it by literals within JavaScript's safe integers
    (`lo <= x < hi`, also as `&&` of two comparisons), unless `{:nativeType false}`."""
    if any(a.name == "nativeType" and a.args == (A.BoolLit(False),) for a in d.attributes):
        return False
    if d.rhs is None or d.rhs.name not in ("int", "nat") or d.constraint is None:
        return False
    lo, hi = _bounds(d.constraint, d.var)
    return lo is not None and hi is not None and lo >= -_JS_SAFE and hi <= _JS_SAFE


def _bounds(e: A.Expr, var: str) -> tuple[int | None, int | None]:
    """Literal lower and upper (exclusive) bounds of `var` that `e` states, if any."""
    lo = hi = None
    parts: list[tuple[A.Expr, str, A.Expr]] = []
    match e:
        case A.Chain(operands=ops, ops=rels):
            parts = [(ops[i], rels[i], ops[i + 1]) for i in range(len(rels))]
        case A.BinOp(op="&&", left=left, right=right):
            l1, h1 = _bounds(left, var)
            l2, h2 = _bounds(right, var)
            return (l1 if l1 is not None else l2), (h1 if h1 is not None else h2)
        case A.BinOp(op="<" | "<=" | ">" | ">=" as op, left=left, right=right):
            parts = [(left, op, right)]
    for left, op, right in parts:
        if op in (">", ">="):
            left, right, op = right, left, "<" if op == ">" else "<="
        if isinstance(right, A.Name) and right.name == var and (v := _literal(left)) is not None:
            lo = v + (1 if op == "<" else 0)
        elif isinstance(left, A.Name) and left.name == var and (v := _literal(right)) is not None:
            hi = v + (1 if op == "<=" else 0)
    return lo, hi


def _literal(e: A.Expr) -> int | None:
    match e:
        case A.IntLit(value=v):
            return v
        case A.UnaryOp(op="-", operand=A.IntLit(value=v)):
            return -v
    return None


def _substitute(t: A.Type, binding: Mapping[str, A.Type]) -> A.Type:
    if not t.args and t.name in binding:
        return binding[t.name]
    return dataclasses.replace(t, args=tuple(_substitute(a, binding) for a in t.args))
