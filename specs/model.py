"""The parsed specification: frozen dataclasses shared by every translator and check.

Every expression node carries a `Span` in the TOML file, so a finding about any
sub-expression points at its exact line and column. Spans never take part in equality:
two expressions that read the same are equal wherever they stand.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

from verifier.errors import SpecError

# A spec's name becomes file names (`<name>.py`, `test_<name>.py`, `<name>.dfy`), a
# folder under the output folder and a Python module name, so it must be an identifier
# in Python and Dafny alike, never a path.
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class Span:
    """A spot in the spec file (1-based line and column) plus offsets in the clause text."""

    file: str | None
    line: int
    col: int
    start: int = 0  # offset of the node in its clause/helper string
    end: int = 0


NO_SPAN = Span(None, 1, 1)


# ---------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Type:
    def __str__(self) -> str:
        return type_text(self)


@dataclass(frozen=True)
class IntType(Type):
    pass


@dataclass(frozen=True)
class NatType(Type):
    pass


@dataclass(frozen=True)
class BoolType(Type):
    pass


@dataclass(frozen=True)
class RealType(Type):
    """Dafny's `real`: exact rationals (Python `Fraction`, Lean `Rat`, z3 `Real`)."""


@dataclass(frozen=True)
class CharType(Type):
    pass


@dataclass(frozen=True)
class StringType(Type):
    pass


@dataclass(frozen=True)
class SeqType(Type):
    elem: Type


@dataclass(frozen=True)
class SetType(Type):
    elem: Type


@dataclass(frozen=True)
class MultisetType(Type):
    elem: Type


@dataclass(frozen=True)
class MapType(Type):
    key: Type
    value: Type


@dataclass(frozen=True)
class ArrayType(Type):
    elem: Type


@dataclass(frozen=True)
class TypeVarType(Type):
    """A type parameter of the method or of a helper (`T` in `method Find<T(==)>`)."""

    name: str


@dataclass(frozen=True)
class DatatypeType(Type):
    """A datatype declared under `[[datatypes]]`, by name (its constructors are in
    `Spec.datatypes`), with the type arguments of a generic one (`Option<int>`: args (int,))."""

    name: str
    args: tuple[Type, ...] = ()


@dataclass(frozen=True)
class ArrowType(Type):
    """A total function type `int -> int`, `(int, T) -> bool` (Dafny's `->`)."""

    params: tuple[Type, ...]
    result: Type


@dataclass(frozen=True)
class TypeParam:
    """A declared type parameter; `equality` is Dafny's `(==)`: values of it may be compared."""

    name: str
    equality: bool
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


def type_params_text(tps: tuple[TypeParam, ...]) -> str:
    """`<T(==), U>` as Dafny writes it (2.3 and 4 alike), or "" for none."""
    if not tps:
        return ""
    return "<" + ", ".join(f"{tp.name}{'(==)' if tp.equality else ''}" for tp in tps) + ">"


def type_text(t: Type) -> str:
    """Dafny spelling of a type (also used in messages)."""
    match t:
        case IntType():
            return "int"
        case NatType():
            return "nat"
        case BoolType():
            return "bool"
        case RealType():
            return "real"
        case CharType():
            return "char"
        case StringType():
            return "string"
        case SeqType(e):
            return f"seq<{type_text(e)}>"
        case SetType(e):
            return f"set<{type_text(e)}>"
        case MultisetType(e):
            return f"multiset<{type_text(e)}>"
        case MapType(k, v):
            return f"map<{type_text(k)}, {type_text(v)}>"
        case ArrayType(e):
            return f"array<{type_text(e)}>"
        case DatatypeType(name, args):
            return f"{name}<{', '.join(map(type_text, args))}>" if args else name
        case TypeVarType(name):
            return name
        case ArrowType(ps, r):
            src = type_text(ps[0]) if len(ps) == 1 and not isinstance(ps[0], ArrowType) else f"({', '.join(map(type_text, ps))})"
            return f"{src} -> {type_text(r)}"
    return "?"


# ---------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Expr:
    pass


def subexpressions(e: object) -> Iterator[Expr]:
    """The direct sub-expressions of `e`: its fields, and the items of tuple fields (one
    or two deep: cases, pairs of a map display)."""
    if isinstance(e, Expr):
        for v in e.__dict__.values():
            for x in v if isinstance(v, tuple) else (v,):
                for y in x if isinstance(x, tuple) else (x,):
                    if isinstance(y, Expr):
                        yield y


_Node = TypeVar("_Node", bound=Expr)


def outermost(e: object, kind: type[_Node]) -> list[_Node]:
    """The outermost nodes of `kind` in `e` (none inside another), in text order."""
    if isinstance(e, kind):
        return [e]
    found = [n for sub in subexpressions(e) for n in outermost(sub, kind)]
    return sorted(found, key=lambda n: n.span.start)  # type: ignore[attr-defined]


def array_identity(e: Binary) -> bool | None:
    """Whether `a == b` / `a != b` holds when a and b are arrays (None: not arrays).

    Dafny compares arrays by identity (`requires src != dst` rules out aliasing). Nothing
    but Dafny ever aliases two array parameters here: the examples, the harness, the
    translation validation, Lean and z3 each hold a parameter's own contents. So two
    parameters are the same array exactly when they are the same name (the type checker
    allows nothing but parameters on either side)."""
    if not isinstance(e.operand_type, ArrayType) or e.op not in ("==", "!="):
        return None
    same = isinstance(e.left, Var) and isinstance(e.right, Var) and e.left.name == e.right.name
    return same == (e.op == "==")


@dataclass(frozen=True)
class IntLit(Expr):
    value: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class RealLit(Expr):
    """A real literal such as `1.5`, kept exact (never a float)."""

    value: Fraction
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class BoolLit(Expr):
    value: bool
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class CharLit(Expr):
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class StrLit(Expr):
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Var(Expr):
    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "!" or "-"
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Binary(Expr):
    """Binary operator; comparison chains are desugared into `&&` of binaries."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    # filled by the type checker for ordering operators: int/char order, or subset/prefix
    operand_type: Type | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Convert(Expr):
    """`e as real` (an int to a real) or `e as int` (a real that must be whole)."""

    operand: Expr
    target: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Ite(Expr):
    cond: Expr
    then: Expr
    orelse: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class BoundVar:
    name: str
    type: Type | None  # None until the type checker infers it
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Quantifier(Expr):
    kind: str  # "forall" | "exists"
    vars: tuple[BoundVar, ...]
    range: Expr | None
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class SetComp(Expr):
    vars: tuple[BoundVar, ...]
    range: Expr
    term: Expr | None  # None: the (single) bound variable itself
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class MapComp(Expr):
    var: BoundVar
    range: Expr
    value: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Let(Expr):
    var: BoundVar
    value: Expr
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Index(Expr):
    seq: Expr
    index: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Slice(Expr):
    seq: Expr
    lo: Expr | None
    hi: Expr | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Update(Expr):
    seq: Expr
    key: Expr
    value: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Member(Expr):
    obj: Expr
    name: str  # "Length" (of an array), "Floor" (of a real) or a datatype's field (destructor)
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Construct(Expr):
    """A constructor of a declared datatype applied to its fields: `Circle(3)`, `Red`."""

    name: str
    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class IsCtor(Expr):
    """A discriminator `e.Circle?`: whether e was built by that constructor."""

    obj: Expr
    ctor: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class MatchCase(Expr):
    """One `case` of a `Match`: a constructor pattern `C(x, _)` (one bound variable per
    field, `_` for a field not read) or, with `ctor` None, a catch-all binding the whole
    value to its one variable (`x` or `_`). Not an expression on its own; it derives from
    `Expr` so that the generic tree walkers (calls, types, generics) reach its body."""

    ctor: str | None
    vars: tuple[BoundVar, ...]
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Match(Expr):
    """`match e case C(x, y) => a case D => b`: the first case whose pattern fits e.
    The type checker makes it exhaustive, each constructor once, a catch-all only last."""

    scrutinee: Expr
    cases: tuple[MatchCase, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    # filled by the type checker: the scrutinee's datatype (its constructors and fields
    # are what every rendering reads a pattern against)
    datatype: Datatype | None = field(default=None, compare=False, repr=False)


WILDCARD = "_"  # a pattern variable that binds nothing


@dataclass(frozen=True)
class Card(Expr):
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Old(Expr):
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class MultisetOf(Expr):
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class SeqInit(Expr):
    """`seq(n, i => body)`: the sequence of body at i = 0 .. n-1 (`var` is the lambda's int)."""

    length: Expr
    var: BoundVar
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class SeqDisplay(Expr):
    elems: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class SetDisplay(Expr):
    elems: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class MultisetDisplay(Expr):
    elems: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class MapDisplay(Expr):
    items: tuple[tuple[Expr, Expr], ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# ---------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class Param:
    name: str
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Clause:
    """One requires/ensures string: its text as written, its tree, where it stands."""

    text: str
    expr: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Frame:
    """One name in `modifies`."""

    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Helper:
    """A spec-level function or predicate (Dafny syntax; recursion allowed)."""

    kind: str  # "function" | "predicate"
    name: str
    params: tuple[Param, ...]
    return_type: Type  # BoolType for predicates
    requires: tuple[Clause, ...]
    decreases: tuple[Clause, ...]
    body: Expr
    body_text: str
    source: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    type_params: tuple[TypeParam, ...] = ()
    # written `function method` / `predicate method`: the implementation may call it, so
    # Dafny 2/3 must compile it (Dafny 4 compiles every `function` not marked ghost)
    compiled: bool = False


@dataclass(frozen=True)
class Constructor:
    """One constructor of a datatype; its fields are named (`Rect(w: int, h: int)`)."""

    name: str
    fields: tuple[Param, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Datatype:
    """A `[[datatypes]]` entry: `datatype Shape = Circle(r: int) | Rect(w: int, h: int)`;
    a generic one declares `type_params` (`datatype Option<T> = None | Some(value: T)`),
    which its fields name as `TypeVarType`s (`specs.generics.datatype_at` instantiates them)."""

    name: str
    ctors: tuple[Constructor, ...]
    source: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    type_params: tuple[TypeParam, ...] = ()

    def ctor(self, name: str) -> Constructor | None:
        return next((c for c in self.ctors if c.name == name), None)

    def field_type(self, name: str) -> Type | None:
        """The type of the field `name` (the same in every constructor that has it)."""
        return next((f.type for c in self.ctors for f in c.fields if f.name == name), None)


@dataclass(frozen=True)
class Example:
    """Concrete values in the Python runtime conventions of `specs.values`."""

    args: Mapping[str, Any]
    result: Mapping[str, Any]
    index: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)  # its [[examples]] header
    # the `args` / `result` keys: an example that breaks requires is wrong in its args, one
    # that breaks ensures in its result, and that is the line a finding should point at
    args_span: Span | None = field(default=None, compare=False, repr=False)
    result_span: Span | None = field(default=None, compare=False, repr=False)
    # the concrete types of a generic method's type parameters in this example (`type_args`)
    type_args: Mapping[str, Type] = field(default_factory=dict, compare=False)


NAME_HINT = 'use letters, digits and _ only, starting with a letter or _, e.g. name = "max_of_list"'


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a spec name, or None when it can."""
    if not NAME_PATTERN.match(name):
        return (f"the spec name {name!r} is not an identifier: it names the artifact's "
                "files and folder, so it may hold only letters, digits and _")
    if len(name) > MAX_NAME_LENGTH:
        return f"the spec name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are allowed"
    if keyword.iskeyword(name):
        return f"the spec name {name!r} is a Python keyword; the Python module could not be imported"
    return None


@dataclass(frozen=True)
class Spec:
    name: str
    description: str
    method: str
    params: tuple[Param, ...]
    returns: tuple[Param, ...]
    requires: tuple[Clause, ...]
    ensures: tuple[Clause, ...]
    modifies: tuple[Frame, ...]
    helpers: tuple[Helper, ...]
    examples: tuple[Example, ...]
    source: str | None = None
    signature: str = ""
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    datatypes: tuple[Datatype, ...] = ()
    type_params: tuple[TypeParam, ...] = ()

    def __post_init__(self) -> None:
        # defence in depth for specs built in code; the loader reports it with a position
        problem = name_problem(self.name)
        if problem is not None:
            raise SpecError(problem, hint=NAME_HINT)

    def param(self, name: str) -> Param | None:
        for p in (*self.params, *self.returns):
            if p.name == name:
                return p
        return None

    def helper(self, name: str) -> Helper | None:
        for h in self.helpers:
            if h.name == name:
                return h
        return None

    def datatype(self, name: str) -> Datatype | None:
        return next((d for d in self.datatypes if d.name == name), None)

    def constructor(self, name: str) -> tuple[Datatype, Constructor] | None:
        """The datatype declaring the constructor `name`, and the constructor."""
        for d in self.datatypes:
            c = d.ctor(name)
            if c is not None:
                return d, c
        return None

    @property
    def modified(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.modifies)
