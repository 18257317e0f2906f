"""Ghost erasure: what of a verified Dafny program exists only for the proof.

Lemmas, ghost methods and variables, assertions, `calc` and `reveal` disappear; a
function is compiled only when compiled code reaches it (and in Dafny 2/3 only if it is
a `function method`). A ghost function reached from compiled code is an error, since
Dafny itself would refuse to compile the program.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from verifier.backends.dafny.dialect import Dialect
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_scope import ProgramIndex
from verifier.translators.dafny_unsupported import unsupported


def function_is_ghost(f: A.Function, dialect: Dialect | None) -> bool:
    """Dafny 2/3: a plain function is ghost; Dafny 4 (or auto): compiled when used."""
    if f.ghost:
        return True
    if f.is_method or f.by_method is not None:
        return False
    return dialect is not None and dialect.major < 4


def is_ghost_call(index: ProgramIndex, call: A.Expr) -> bool:
    """A call statement of a lemma or ghost method: proof only, dropped."""
    match call:
        case A.Call(func=A.Name(name=name)):
            m = index.methods.get(name) or index.class_method(name)
            return m is not None and m.is_ghost
        case A.Call(func=A.Field(name=name)):
            m = index.class_method(name)
            return m is not None and m.is_ghost
    return False


def is_ghost_stmt(index: ProgramIndex, s: A.Stmt) -> bool:
    """A statement with no compiled meaning at all."""
    match s:
        case A.ForallStmt(ensures=ensures, body=body):
            return bool(ensures) or body is None or all(is_ghost_stmt(index, x) for x in body.stmts)
        case A.Assert() | A.Reveal() | A.Calc():
            return True
        case A.VarDecl(ghost=ghost):
            return ghost
        case A.CallStmt(call=call):
            return is_ghost_call(index, call)
    return False


def compiled_nodes(node: A.Node) -> Iterator[A.Node]:
    """`A.walk` without the proof steps in front of expressions (`assert P; e`): a ghost
    function called in `P` is not reached by compiled code."""
    yield node
    children = (node.body,) if isinstance(node, A.StmtExpr) else A.children(node)
    for child in children:
        yield from compiled_nodes(child)


def strip_ghost(index: ProgramIndex, node: A.Node) -> A.Node:
    """A block without the ghost statements (for reachability of functions)."""
    match node:
        case A.Block(stmts=stmts):
            return A.Block(tuple(strip_ghost(index, s) for s in stmts if not is_ghost_stmt(index, s)))
        case A.While(cond=cond, body=body):
            return A.While(cond, (), strip_ghost(index, body))
        case A.For(body=body):
            return dataclasses.replace(node, specs=(), body=strip_ghost(index, body))
        case A.Labeled(stmt=stmt):
            return dataclasses.replace(node, stmt=strip_ghost(index, stmt))
        case A.If(cond=cond, then=then, else_=else_):
            other = strip_ghost(index, else_) if else_ is not None else None
            return A.If(cond, strip_ghost(index, then), other)
    return node


def compiled_functions(
    program: A.Program, index: ProgramIndex, dialect: Dialect | None, extra_roots: Sequence[A.Expr] = ()
) -> set[str]:
    """Functions to emit: compiled ones reachable from compiled code, `function method`s.

    `extra_roots` (a method's `requires`, for validation) may reach ghost functions."""
    roots: list[A.Node] = []
    for m in program.methods:
        if not m.is_ghost and m.body is not None:
            roots.append(strip_ghost(index, m.body))
    for f in program.functions:
        if f.is_method and f.body is not None:
            roots.append(f.body)
    for c in index.consts.values():
        if not c.ghost:
            roots.append(c.value)
    for holder in (*index.classes.values(), *index.datatype_members.values()):
        for m in holder.members:  # compiled members reach functions too
            if isinstance(m, A.Method) and not m.is_ghost and m.body is not None:
                roots.append(strip_ghost(index, m.body))
            elif isinstance(m, A.Function) and not function_is_ghost(m, dialect) and m.body is not None:
                roots.append(m.body)
    seen: set[str] = {f.name for f in program.functions if f.is_method}
    stack = [(r, False) for r in roots] + [(r, True) for r in extra_roots]
    while stack:
        node, ghost_ok = stack.pop()
        for n in compiled_nodes(node):
            if not (isinstance(n, A.Name) and n.name in index.functions and n.name not in seen):
                continue
            f = index.functions[n.name]
            if function_is_ghost(f, dialect) and not ghost_ok:
                raise unsupported(
                    n,
                    f"ghost function '{n.name}' is called from compiled code"
                    + (" (in Dafny 2/3 write 'function method')" if not f.ghost else ""),
                    "ghost call",
                )
            seen.add(n.name)
            if f.by_method is not None:  # the body is the specification: only the method runs
                stack.append((strip_ghost(index, f.by_method), ghost_ok))
            elif f.body is not None:
                stack.append((f.body, ghost_ok))
    return seen
