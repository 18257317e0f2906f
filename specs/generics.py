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
        case m.DatatypeType(name, targs) if targs:
            return m.DatatypeType(name, tuple(substitute(a, args) for a in targs))
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
        case m.DatatypeType(_, targs):
            return any(map(mentions_type_param, targs))
    return False


# ---------------------------------------------------------------- generic datatypes

# A generic datatype has no values of its own either: every use names its instance
# (`Option<int>`), and what draws, converts or encodes values works on that instance.
# Non-uniform recursion (`datatype D<T> = C(D<seq<T>>)`) has infinitely many instances;
# the closure stops here and the caller reports the spec as not drawable.
MAX_DATATYPE_INSTANCES = 64


def datatype_at(datatypes: tuple[m.Datatype, ...], t: m.DatatypeType) -> m.Datatype:
    """The declaration of t's datatype with its type parameters replaced by t's arguments
    (the fields get concrete types); a datatype without parameters as it is."""
    d = next(x for x in datatypes if x.name == t.name)
    if not d.type_params:
        return d
    args = dict(zip((tp.name for tp in d.type_params), t.args, strict=True))
    ctors = tuple(dataclasses.replace(c, fields=tuple(_param(f, args) for f in c.fields)) for c in d.ctors)
    return dataclasses.replace(d, ctors=ctors, type_params=())


def instance_name(t: m.Type) -> str:
    """An identifier for a concrete type, for what is generated per instance
    (`Option<int>` → `Option_int`, `List<seq<int>>` → `List_seq_int`); a datatype without
    type arguments keeps its name."""
    match t:
        case m.DatatypeType(name, args):
            return "_".join((name, *map(instance_name, args)))
        case m.MapType(k, v):
            return f"map_{instance_name(k)}_{instance_name(v)}"
        case m.SeqType(e) | m.SetType(e) | m.MultisetType(e) | m.ArrayType(e):
            return f"{m.type_text(t).split('<')[0]}_{instance_name(e)}"
        case m.ArrowType():
            return "fn"
    return m.type_text(t)


def _datatypes_in(t: m.Type) -> list[m.DatatypeType]:
    match t:
        case m.DatatypeType(_, args):
            return [t, *(x for a in args for x in _datatypes_in(a))]
        case m.SeqType(e) | m.SetType(e) | m.MultisetType(e) | m.ArrayType(e):
            return _datatypes_in(e)
        case m.MapType(k, v):
            return [*_datatypes_in(k), *_datatypes_in(v)]
        case m.ArrowType(ps, r):
            return [x for p in (*ps, r) for x in _datatypes_in(p)]
    return []


class TooManyInstances(Exception):
    """A generic datatype whose recursion makes ever larger instances."""


def datatype_instances(datatypes: tuple[m.Datatype, ...], roots: tuple[m.Type, ...]) -> tuple[m.DatatypeType, ...]:
    """Every datatype type a value of the `roots` types can hold, each once, in the order
    met: the roots' datatypes and, transitively, their fields' (at the instance)."""
    out: list[m.DatatypeType] = []
    todo = [x for r in roots for x in _datatypes_in(r)]
    while todo:
        t = todo.pop(0)
        if t in out or mentions_type_param(t):
            continue
        if len(out) >= MAX_DATATYPE_INSTANCES:
            raise TooManyInstances(f"the datatype {t.name} has more than {MAX_DATATYPE_INSTANCES} instances")
        out.append(t)
        todo += [x for c in datatype_at(datatypes, t).ctors for f in c.fields for x in _datatypes_in(f.type)]
    return tuple(out)


def spec_datatype_instances(spec: m.Spec) -> tuple[m.DatatypeType, ...]:
    """The instances a run of the (concrete) spec meets in its parameters and results,
    plus every datatype without type parameters."""
    plain = tuple(m.DatatypeType(d.name) for d in spec.datatypes if not d.type_params)
    return datatype_instances(spec.datatypes, (*(p.type for p in (*spec.params, *spec.returns)), *plain))


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


def datatype_instances_text(spec: m.Spec) -> str:
    """`Option<int>, List<string>`: the instances of generic datatypes a run of the
    (concrete) spec draws and checks, for reports; "" when it has none."""
    return ", ".join(m.type_text(t) for t in spec_datatype_instances(spec) if t.args)
