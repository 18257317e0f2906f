"""Generic specs made concrete: a method's type parameters replaced by chosen types.

A type parameter has no values of its own, so everything that runs the spec (the z3
checks, the property harness) works on instances: the spec with `T := int`, `T :=
string`, ... The Dafny and Lean renderings keep the parameters (they state the contract
for every T); Python is duck typed and needs no instance to compile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from verifier.specs import model as m

# The instances the property harness tests a generic method on (besides the types its
# examples name): an ordered numeric type and a type of sequences.
DEFAULT_INSTANCES: tuple[m.Type, ...] = (m.IntType(), m.StringType())


def substitute(t: m.Type, args: Mapping[str, Any]) -> Any:
    """t with every type parameter named in `args` replaced (by types, or by the type
    checker's variables for a generic helper's parameters at one call)."""
    match t:
        case m.TypeVarType(name):
            return args.get(name, t)
        case m.SeqType(e):
            return m.SeqType(substitute(e, args))
        case m.SetType(e):
            return m.SetType(substitute(e, args))
        case m.MultisetType(e):
            return m.MultisetType(substitute(e, args))
        case m.ArrayType(e):
            return m.ArrayType(substitute(e, args))
        case m.MapType(k, v):
            return m.MapType(substitute(k, args), substitute(v, args))
        case m.ArrowType(ps, r):
            return m.ArrowType(tuple(substitute(p, args) for p in ps), substitute(r, args))
    return t


def mentions_type_param(t: m.Type) -> bool:
    """Whether t names a type parameter anywhere (then a value of it needs an instance)."""
    match t:
        case m.TypeVarType():
            return True
        case m.SeqType(e) | m.SetType(e) | m.MultisetType(e) | m.ArrayType(e):
            return mentions_type_param(e)
        case m.MapType(k, v):
            return mentions_type_param(k) or mentions_type_param(v)
        case m.ArrowType(ps, r):
            return any(map(mentions_type_param, ps)) or mentions_type_param(r)
    return False


def _tree(node: Any, args: Mapping[str, m.Type]) -> Any:
    """An expression (or tuple of them) with the types of its bound variables replaced."""
    if isinstance(node, m.BoundVar):
        return node if node.type is None else dataclasses.replace(node, type=substitute(node.type, args))
    if isinstance(node, tuple):
        return tuple(_tree(x, args) for x in node)
    if isinstance(node, m.Expr):
        changes = {}
        for f in dataclasses.fields(node):
            if f.name == "span":
                continue
            value = getattr(node, f.name)
            new = substitute(value, args) if isinstance(value, m.Type) else _tree(value, args)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node


def _param(p: m.Param, args: Mapping[str, m.Type]) -> m.Param:
    return dataclasses.replace(p, type=substitute(p.type, args))


def _clause(c: m.Clause, args: Mapping[str, m.Type]) -> m.Clause:
    return dataclasses.replace(c, expr=_tree(c.expr, args))


def _helper(h: m.Helper, args: Mapping[str, m.Type]) -> m.Helper:
    """A helper's own type parameters are instantiated with the method's first instance
    type too (a helper like `Count<T(==)>` is called at the method's T)."""
    own = {tp.name: next(iter(args.values())) for tp in h.type_params if tp.name not in args} if args else {}
    scope = {**args, **own}
    return dataclasses.replace(
        h, params=tuple(_param(p, scope) for p in h.params), return_type=substitute(h.return_type, scope),
        requires=tuple(_clause(c, scope) for c in h.requires), body=_tree(h.body, scope), type_params=(),
    )


def instantiate(spec: m.Spec, args: Mapping[str, m.Type]) -> m.Spec:
    """The spec with its type parameters replaced by `args` (one type per parameter), and
    only the examples written for exactly this instance."""
    examples = tuple(ex for ex in spec.examples if dict(ex.type_args) == dict(args))
    return dataclasses.replace(
        spec,
        params=tuple(_param(p, args) for p in spec.params),
        returns=tuple(_param(p, args) for p in spec.returns),
        requires=tuple(_clause(c, args) for c in spec.requires),
        ensures=tuple(_clause(c, args) for c in spec.ensures),
        helpers=tuple(_helper(h, args) for h in spec.helpers),
        examples=examples,
        type_params=(),
    )


def instance_text(args: Mapping[str, m.Type]) -> str:
    """`T := int, U := string`: how reports name an instance."""
    return ", ".join(f"{k} := {m.type_text(v)}" for k, v in args.items())


def instances(spec: m.Spec) -> tuple[dict[str, m.Type], ...]:
    """The instances a generic spec is tested on: every type of `DEFAULT_INSTANCES` for all
    parameters at once, then each distinct `type_args` of its examples. A spec without
    type parameters has one instance, the empty one."""
    if not spec.type_params:
        return ({},)
    out: list[dict[str, m.Type]] = [{tp.name: t for tp in spec.type_params} for t in DEFAULT_INSTANCES]
    for ex in spec.examples:
        if dict(ex.type_args) not in out:
            out.append(dict(ex.type_args))
    return tuple(out)
