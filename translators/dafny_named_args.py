"""Named arguments in calls (`Variables(piles := [3, 5], turn := P1)`, Dafny 4) put in
the order of the callee's parameters, so the rest of the translator sees positional
calls only. The callee is a datatype constructor, function or method of the program."""

from __future__ import annotations

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_unsupported import unsupported


def positional(program: A.Program) -> A.Program:
    """`program` with every named argument moved to its parameter's position."""
    if not any(isinstance(n, A.NamedArg) for n in A.walk(program)):
        return program
    params: dict[str, list[str]] = {}
    for d in program.decls:
        match d:
            case A.Datatype(ctors=ctors):
                params.update({c.name: [f.name for f in c.fields] for c in ctors})
            case A.Function(params=ps) | A.Method(params=ps):
                params[d.name] = [p.name for p in ps]
    result = A.transform(program, lambda n: _reorder(n, params))
    assert isinstance(result, A.Program)
    return result


def _reorder(node: A.Node, params: dict[str, list[str]]) -> A.Node:
    if not (isinstance(node, A.Call) and any(isinstance(a, A.NamedArg) for a in node.args)):
        return node
    match node.func:
        case A.Name(name=name) | A.Field(name=name) if name in params:
            names = params[name]
        case _:
            raise unsupported(node, "named arguments to a callee not declared in the program", "named argument")
    slots: list[A.Expr | None] = [None] * len(names)
    for i, a in enumerate(node.args):
        if not isinstance(a, A.NamedArg):
            slots[i] = a
        elif a.name in names and slots[names.index(a.name)] is None:
            slots[names.index(a.name)] = a.value
        else:
            raise unsupported(a, f"'{name}' has no parameter '{a.name}' left to name", "named argument")
    missing = [n for n, s in zip(names, slots, strict=True) if s is None]
    if missing:
        raise unsupported(node, f"'{name}' is called without '{missing[0]}' (default values are outside the "
                          "subset)", "named argument")
    return A.Call(node.func, tuple(s for s in slots if s is not None), pos=node.pos)
