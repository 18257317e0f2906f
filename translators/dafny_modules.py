"""Modules flattened into one namespace, and qualified names resolved.

The Python module the translator writes is one namespace, so `module M { ... }` is
hoisted: every declaration moves to the top level, remembering its module (`Decl.module`,
which the JS cross-check needs to find the compiled method). That is exact as long as no
two compiled declarations share a name: names declared in two modules are recorded in
`Program.clashes`, and the emitter refuses one that is compiled or reached from compiled
code (ghost ones, like two modules' lemmas or predicates, never meet in Python). Qualified references are then plain names: `M.f(x)` (M a module or an import
alias), `M.T` as a type, and `D.C` (a datatype's constructor) all become `f`, `T`, `C`.
"""

from __future__ import annotations

import dataclasses

from verifier.translators import dafny_ast as A


def flatten(program: A.Program) -> A.Program:
    """`program` with modules hoisted and qualified names resolved (see module docstring)."""
    decls: list[A.Decl] = []
    prefixes: set[str] = set()
    _hoist(program.decls, "", decls, prefixes)
    qualifiers = prefixes | {d.name for d in decls if isinstance(d, A.Datatype)}
    if not prefixes and not _has_qualified(decls, qualifiers):
        return program if len(decls) == len(program.decls) else A.Program(tuple(decls), pos=program.pos)
    names = [d.name for d in decls if not isinstance(d, A.Import)]
    clashes = frozenset(n for n in names if names.count(n) > 1)
    ctors = {d.name: {c.name for c in d.ctors} for d in decls if isinstance(d, A.Datatype)}
    resolver = _Resolver(prefixes, ctors)
    return A.Program(tuple(resolver.node(d) for d in decls), clashes, pos=program.pos)


def _hoist(decls: tuple[A.Decl, ...], module: str, out: list[A.Decl], prefixes: set[str]) -> None:
    for d in decls:
        if isinstance(d, A.Module):
            path = f"{module}.{d.name}" if module else d.name
            prefixes.update({d.name, path, *d.name.split(".")})
            _hoist(d.decls, path, out, prefixes)
        elif isinstance(d, A.Import):
            prefixes.update({d.name, d.target, *d.target.split(".")})
        else:
            out.append(dataclasses.replace(d, module=module) if module else d)


def _has_qualified(decls: list[A.Decl], qualifiers: set[str]) -> bool:
    return any(
        (isinstance(n, A.Field) and _qualifier(n.obj) in qualifiers) or (isinstance(n, A.Type) and "." in n.name)
        for d in decls
        for n in A.walk(d)
    )


def _qualifier(e: A.Expr) -> str | None:
    """The dotted text of `A.B.C` made of names only, else None."""
    match e:
        case A.Name(name=name):
            return name
        case A.Field(obj=obj, name=name):
            inner = _qualifier(obj)
            return f"{inner}.{name}" if inner is not None else None
    return None


class _Resolver:
    """`prefixes` are module names and import aliases; `ctors` the constructors of each
    datatype (`D.C` is the constructor C, while `D.F()` calls D's static member F)."""

    def __init__(self, prefixes: set[str], ctors: dict[str, set[str]]) -> None:
        self.prefixes = prefixes
        self.ctors = ctors

    def qualifies(self, q: str, name: str) -> bool:
        last = q.rpartition(".")[2]
        return q in self.prefixes or last in self.prefixes or name in self.ctors.get(last, ())

    def node(self, node: A.Node) -> A.Node:
        if isinstance(node, A.Type) and "." in node.name:
            node = dataclasses.replace(node, name=node.name.rpartition(".")[2])
        if isinstance(node, A.Field):
            q = _qualifier(node.obj)
            if q is not None and self.qualifies(q, node.name):
                return A.Name(node.name, pos=node.pos)
        changes = {}
        for f in dataclasses.fields(node):
            if f.name == "pos":
                continue
            value = getattr(node, f.name)
            new = self.value(value)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node

    def value(self, value: object) -> object:
        if isinstance(value, A.Node):
            return self.node(value)
        if isinstance(value, tuple):
            items = tuple(self.value(v) for v in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value
