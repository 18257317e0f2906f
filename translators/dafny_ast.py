"""The AST of the Dafny subset: frozen dataclasses with exact source positions.

Positions are excluded from equality (`compare=False`), so two nodes are `==` when they
mean the same text whatever their layout; parentheses never become nodes. The generation
loop's guard relies on this to compare a candidate's contract with the spec's, and
`normalize` additionally flattens `&&`/`||` nesting so that `a && (b && c)` equals
`(a && b) && c`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pos:
    """1-based line and column of the first character, and of the character after the end.

    `start`/`end` are character offsets into the source, so the exact text of any node can
    be sliced out (the translator puts contract text into docstrings that way).
    """

    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0
    start: int = 0
    end: int = 0


NO_POS = Pos()


@dataclass(frozen=True)
class Node:
    pos: Pos = field(default=NO_POS, compare=False, repr=False, kw_only=True)


# ------------------------------------------------------------------ types


@dataclass(frozen=True)
class Type(Node):
    """`name` is the Dafny spelling (`int`, `seq`, `array`, a datatype); tuples are `tuple`."""

    name: str
    args: tuple[Type, ...] = ()
    # a newtype that Dafny's compilers represent as a machine number (its declared range
    # fits one); the same integers, but the JS bridge must pass them as JS numbers
    native: bool = field(default=False, compare=False, kw_only=True)


# ------------------------------------------------------------------ attributes


@dataclass(frozen=True)
class Attribute(Node):
    name: str
    args: tuple[Expr, ...] = ()


# ------------------------------------------------------------------ expressions


@dataclass(frozen=True)
class Expr(Node):
    pass


@dataclass(frozen=True)
class IntLit(Expr):
    value: int


@dataclass(frozen=True)
class BoolLit(Expr):
    value: bool


@dataclass(frozen=True)
class CharLit(Expr):
    value: str


@dataclass(frozen=True)
class StringLit(Expr):
    value: str


@dataclass(frozen=True)
class RealLit(Expr):
    text: str


@dataclass(frozen=True)
class NullLit(Expr):
    pass


@dataclass(frozen=True)
class ThisExpr(Expr):
    pass


@dataclass(frozen=True)
class Name(Expr):
    name: str


@dataclass(frozen=True)
class BinOp(Expr):
    """Binary operators, including `&&`, `||`, `==>`, `<==`, `<==>` and one comparison."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Chain(Expr):
    """A chain of two or more comparisons, `a <= b < c`: each operand is evaluated once."""

    operands: tuple[Expr, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class UnaryOp(Expr):
    op: str  # "-" or "!"
    operand: Expr


@dataclass(frozen=True)
class Cardinality(Expr):
    operand: Expr


@dataclass(frozen=True)
class Call(Expr):
    func: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class NamedArg(Expr):
    """`f := v` in a call's arguments (Dafny 4); dafny_named_args puts it in place."""

    name: str
    value: Expr


@dataclass(frozen=True)
class Index(Expr):
    seq: Expr
    index: Expr


@dataclass(frozen=True)
class MultiIndex(Expr):
    seq: Expr
    indices: tuple[Expr, ...]


@dataclass(frozen=True)
class Slice(Expr):
    """`s[lo..hi]`; either bound may be absent (`a[..]` has neither)."""

    seq: Expr
    lo: Expr | None
    hi: Expr | None


@dataclass(frozen=True)
class Update(Expr):
    """`s[i := v]` on a sequence, map or multiset."""

    seq: Expr
    index: Expr
    value: Expr


@dataclass(frozen=True)
class DatatypeUpdate(Expr):
    obj: Expr
    updates: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class Field(Expr):
    """`e.name`: `.Length`, `.Keys`, destructors, discriminators `Ctor?`, tuple `.0`."""

    obj: Expr
    name: str


@dataclass(frozen=True)
class SeqDisplay(Expr):
    elements: tuple[Expr, ...]


@dataclass(frozen=True)
class SetDisplay(Expr):
    elements: tuple[Expr, ...]


@dataclass(frozen=True)
class MultisetDisplay(Expr):
    elements: tuple[Expr, ...]


@dataclass(frozen=True)
class MultisetOf(Expr):
    operand: Expr


@dataclass(frozen=True)
class MapDisplay(Expr):
    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True)
class TupleDisplay(Expr):
    elements: tuple[Expr, ...]


@dataclass(frozen=True)
class Old(Expr):
    operand: Expr
    label: str = ""  # `old@L(e)`: the state at label L


@dataclass(frozen=True)
class Fresh(Expr):
    operand: Expr


@dataclass(frozen=True)
class SeqConstructor(Expr):
    """Dafny 4 `seq(n, i => e)`."""

    length: Expr
    init: Expr


@dataclass(frozen=True)
class Lambda(Expr):
    """`x => e` (`param`), or `(x, y: int) => e` (`binders`; `param` the only one's name)."""

    param: str
    body: Expr
    binders: tuple[Binder, ...] | None = None

    @property
    def params(self) -> tuple[Binder, ...]:
        return self.binders if self.binders is not None else (Binder(self.param, pos=self.pos),)


@dataclass(frozen=True)
class Binder(Node):
    name: str
    type: Type | None = None


@dataclass(frozen=True)
class Quantifier(Expr):
    kind: str  # "forall" | "exists"
    binders: tuple[Binder, ...]
    range: Expr | None
    body: Expr
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class SetComprehension(Expr):
    binders: tuple[Binder, ...]
    range: Expr
    body: Expr | None
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class MapComprehension(Expr):
    """`map x | R :: v` (key is the binder) or Dafny 4 `map x | R :: k := v`."""

    binders: tuple[Binder, ...]
    range: Expr
    key: Expr | None
    value: Expr
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class IfExpr(Expr):
    cond: Expr
    then: Expr
    else_: Expr


@dataclass(frozen=True)
class LetExpr(Expr):
    binders: tuple[Binder, ...]
    values: tuple[Expr, ...]
    body: Expr


@dataclass(frozen=True)
class LetSuchThat(Expr):
    """`var x :| P; body`: Dafny proves the value unique where it is compiled."""

    binders: tuple[Binder, ...]
    cond: Expr
    body: Expr


@dataclass(frozen=True)
class StmtExpr(Expr):
    """`assert P; e`, `reveal L; e`, `calc {…} e` or `assume P; e`: a proof step in front
    of an expression. Only `body` is compiled; an `assume` is refused, as Dafny does."""

    stmt: Stmt
    body: Expr


@dataclass(frozen=True)
class Pattern(Node):
    pass


@dataclass(frozen=True)
class PatName(Pattern):
    """A bare name: a variable binding, `_`, or a nullary constructor (resolved later)."""

    name: str


@dataclass(frozen=True)
class PatCtor(Pattern):
    name: str
    args: tuple[Pattern, ...]


@dataclass(frozen=True)
class PatTuple(Pattern):
    elements: tuple[Pattern, ...]


@dataclass(frozen=True)
class PatLit(Pattern):
    value: Expr


@dataclass(frozen=True)
class ExprCase(Node):
    pattern: Pattern
    body: Expr


@dataclass(frozen=True)
class MatchExpr(Expr):
    scrutinee: Expr
    cases: tuple[ExprCase, ...]


@dataclass(frozen=True)
class AsExpr(Expr):
    operand: Expr
    type: Type


@dataclass(frozen=True)
class NewArray(Expr):
    """`new T[n]` — only as the right-hand side of an assignment."""

    elem_type: Type
    sizes: tuple[Expr, ...]
    init: Expr | None = None  # `new int[n](i => e)`
    elements: tuple[Expr, ...] | None = None  # `new int[][1, 2]` (the size, if any, first)


@dataclass(frozen=True)
class NewObject(Expr):
    """`new C`, `new C(args)` (the anonymous constructor) or `new C.Init(args)`; the
    parser keeps the dotted text in `cls` and the emitter splits it."""

    cls: str
    ctor: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Havoc(Expr):
    """`*` as a right-hand side: an arbitrary value."""


# ------------------------------------------------------------------ statements


@dataclass(frozen=True)
class Stmt(Node):
    pass


@dataclass(frozen=True)
class Block(Stmt):
    stmts: tuple[Stmt, ...]


@dataclass(frozen=True)
class VarDecl(Stmt):
    vars: tuple[Binder, ...]
    values: tuple[Expr, ...] | None
    ghost: bool = False


@dataclass(frozen=True)
class VarSuchThat(Stmt):
    vars: tuple[Binder, ...]
    cond: Expr
    ghost: bool = False


@dataclass(frozen=True)
class Assign(Stmt):
    targets: tuple[Expr, ...]
    values: tuple[Expr, ...]


@dataclass(frozen=True)
class AssignSuchThat(Stmt):
    targets: tuple[Expr, ...]
    cond: Expr


@dataclass(frozen=True)
class CallStmt(Stmt):
    call: Expr


@dataclass(frozen=True)
class If(Stmt):
    cond: Expr | None  # None for `if *`
    then: Block
    else_: Block | If | None


@dataclass(frozen=True)
class IfSuchThat(Stmt):
    """`if x, y :| P { S } else { T }`: S with values satisfying P if there are any."""

    binders: tuple[Binder, ...]
    cond: Expr
    then: Block
    else_: Block | If | None


@dataclass(frozen=True)
class LoopSpec(Node):
    kind: str  # "invariant" | "decreases" | "modifies"
    exprs: tuple[Expr, ...]
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class While(Stmt):
    cond: Expr | None  # None for `while *`
    specs: tuple[LoopSpec, ...]
    body: Block

    @property
    def invariants(self) -> tuple[Expr, ...]:
        return tuple(e for s in self.specs if s.kind == "invariant" for e in s.exprs)


@dataclass(frozen=True)
class Return(Stmt):
    values: tuple[Expr, ...]


@dataclass(frozen=True)
class BodylessLoop(Stmt):
    """`while G invariant I;` without a body: the verifier takes it as a havoc of what
    it may modify plus its invariants; Dafny's compiler refuses it, and so do we."""


@dataclass(frozen=True)
class Break(Stmt):
    """`break;`, `break L;` (`label`), or `break break;` (`levels` 2 and up)."""

    label: str = ""
    levels: int = 1


@dataclass(frozen=True)
class Continue(Stmt):
    label: str = ""


@dataclass(frozen=True)
class Labeled(Stmt):
    label: str
    stmt: Stmt


@dataclass(frozen=True)
class For(Stmt):
    """Dafny 4 `for var := lo to hi` (or `hi downto lo`): `lo`/`hi` are the bounds as
    written (the loop runs from `start` towards `end`, `end` excluded)."""

    var: Binder
    start: Expr
    end: Expr
    down: bool
    specs: tuple[LoopSpec, ...]
    body: Block


@dataclass(frozen=True)
class Assert(Stmt):
    expr: Expr
    proof: Block | None = None
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class Assume(Stmt):
    expr: Expr
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class Expect(Stmt):
    """`expect e, msg;`: checked when the program runs (it halts if `e` is false)."""

    expr: Expr
    message: Expr | None = None


@dataclass(frozen=True)
class Print(Stmt):
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Reveal(Stmt):
    exprs: tuple[Expr, ...]


@dataclass(frozen=True)
class Calc(Stmt):
    """A ghost `calc` block, kept as text (see dafny_parser for why it is not parsed)."""

    text: str


@dataclass(frozen=True)
class ForallStmt(Stmt):
    """`forall x | R ensures P { ... }`: a proof when it has `ensures` or a ghost body."""

    binders: tuple[Binder, ...]
    range: Expr | None
    ensures: tuple[Expr, ...]
    body: Block | None


@dataclass(frozen=True)
class StmtCase(Node):
    pattern: Pattern
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class MatchStmt(Stmt):
    scrutinee: Expr
    cases: tuple[StmtCase, ...]


# ------------------------------------------------------------------ declarations


@dataclass(frozen=True)
class Param(Node):
    name: str
    type: Type
    ghost: bool = False


@dataclass(frozen=True)
class Clause(Node):
    """One specification clause: requires/ensures/modifies/reads/decreases."""

    kind: str
    exprs: tuple[Expr, ...]
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class Decl(Node):
    name: str
    # the enclosing module's dotted path ("" at the top level); set by dafny_modules
    module: str = field(default="", compare=False, kw_only=True)


@dataclass(frozen=True)
class Method(Decl):
    """A method or lemma. `body` None means body-less (an axiom, to the verifier)."""

    kind: str  # "method" | "lemma"
    ghost: bool
    attributes: tuple[Attribute, ...]
    type_params: tuple[str, ...]
    params: tuple[Param, ...]
    returns: tuple[Param, ...]
    clauses: tuple[Clause, ...]
    body: Block | None

    @property
    def is_ghost(self) -> bool:
        return self.ghost or self.kind == "lemma"

    def clause_exprs(self, kind: str) -> tuple[Expr, ...]:
        return tuple(e for c in self.clauses if c.kind == kind for e in c.exprs)


@dataclass(frozen=True)
class Function(Decl):
    """`function`/`predicate`, with `method` (2.x compiled) and `ghost` (4.x) as written."""

    kind: str  # "function" | "predicate"
    is_method: bool
    ghost: bool
    attributes: tuple[Attribute, ...]
    type_params: tuple[str, ...]
    params: tuple[Param, ...]
    result: Type | None
    clauses: tuple[Clause, ...]
    body: Expr | None
    # `by method { ... }` (Dafny 4): what is compiled instead of `body`, which is then the
    # specification; `result_name` is the named result it may assign
    by_method: Block | None = None
    result_name: str = ""

    def clause_exprs(self, kind: str) -> tuple[Expr, ...]:
        return tuple(e for c in self.clauses if c.kind == kind for e in c.exprs)

    def as_method(self) -> Method:
        """The `by method` body as the method Dafny compiles (one result)."""
        assert self.by_method is not None and self.result is not None
        result = Param(self.result_name or "__result", self.result, pos=self.pos)
        return Method(self.name, kind="method", ghost=False, attributes=self.attributes,
                      type_params=self.type_params, params=self.params, returns=(result,),
                      clauses=(), body=self.by_method, pos=self.pos)


@dataclass(frozen=True)
class Constructor(Node):
    name: str
    fields: tuple[Param, ...]  # unnamed fields get "" as name
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class Datatype(Decl):
    """`members` (functions, methods, constants with `this` the value) and `statics` as
    in a class."""

    type_params: tuple[str, ...]
    ctors: tuple[Constructor, ...]
    attributes: tuple[Attribute, ...] = ()
    members: tuple[Decl, ...] = ()
    statics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Const(Decl):
    type: Type | None
    value: Expr
    ghost: bool = False


@dataclass(frozen=True)
class TypeDecl(Decl):
    """`type`/`newtype` N: `rhs` is what a synonym, subset type or newtype stands for in
    compiled code (its base type), None for an opaque type. `kind` is "type" or
    "newtype"; `constraint` the subset's predicate over `var` (proof only)."""

    kind: str
    type_params: tuple[str, ...]
    rhs: Type | None
    var: str = ""
    constraint: Expr | None = None
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class FieldDecl(Decl):
    type: Type
    ghost: bool = False


@dataclass(frozen=True)
class Class(Decl):
    """A class: `members` are FieldDecl, Const, Method (constructors have kind
    "constructor", the anonymous one the name ""), Function; `static` ones are listed in
    `statics` by name."""

    type_params: tuple[str, ...]
    members: tuple[Decl, ...]
    statics: frozenset[str] = frozenset()
    trait: bool = False  # a `trait`: a base class, never allocated itself
    parents: tuple[str, ...] = ()  # the traits it `extends`

    @property
    def fields(self) -> tuple[FieldDecl, ...]:
        return tuple(m for m in self.members if isinstance(m, FieldDecl))

    def member(self, name: str) -> Decl | None:
        return next((m for m in self.members if m.name == name and not isinstance(m, FieldDecl)), None)


@dataclass(frozen=True)
class Module(Decl):
    """`module M { ... }`; dafny_modules hoists its declarations to the top level."""

    decls: tuple[Decl, ...]


@dataclass(frozen=True)
class Import(Decl):
    """`import opened? Name (= Target)?`: `name` the local name, `target` the module."""

    target: str
    opened: bool = False


@dataclass(frozen=True)
class Program(Node):
    """`clashes`: names declared in two modules (dafny_modules hoists them into one
    namespace; the emitter refuses one that compiled code would need)."""

    decls: tuple[Decl, ...]
    clashes: frozenset[str] = frozenset()

    def find(self, name: str) -> Decl | None:
        return next((d for d in self.decls if d.name == name), None)

    @property
    def methods(self) -> tuple[Method, ...]:
        return tuple(d for d in self.decls if isinstance(d, Method))

    @property
    def functions(self) -> tuple[Function, ...]:
        return tuple(d for d in self.decls if isinstance(d, Function))

    @property
    def datatypes(self) -> tuple[Datatype, ...]:
        return tuple(d for d in self.decls if isinstance(d, Datatype))


# ------------------------------------------------------------------ traversal


def children(node: Node) -> Iterator[Node]:
    """Direct child nodes, in field order (tuples and (key, value) pairs looked into)."""
    for f in dataclasses.fields(node):
        if f.name == "pos":
            continue
        yield from _nodes_in(getattr(node, f.name))


def _nodes_in(value: object) -> Iterator[Node]:
    if isinstance(value, Node):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes_in(item)


def transform(node: Node, fn: Callable[[Node], Node]) -> Node:
    """`node` rebuilt bottom-up with `fn` applied to every node (unchanged parts shared)."""
    changes = {}
    for f in dataclasses.fields(node):
        if f.name != "pos":
            value = getattr(node, f.name)
            new = _transform_value(value, fn)
            if new is not value:
                changes[f.name] = new
    return fn(dataclasses.replace(node, **changes) if changes else node)


def _transform_value(value: object, fn: Callable[[Node], Node]) -> object:
    if isinstance(value, Node):
        return transform(value, fn)
    if isinstance(value, tuple):
        items = tuple(_transform_value(v, fn) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def walk(node: Node) -> Iterator[Node]:
    """Every node below and including `node`, depth first, in source order."""
    yield node
    for child in children(node):
        yield from walk(child)


def normalize(node: Node) -> Node:
    """A canonical form for structural comparison.

    Positions are already ignored by `==` and parentheses never reach the AST; on top of
    that `&&` and `||` chains are re-associated to the left and `>`/`>=` comparisons of two
    operands are flipped to `<`/`<=`, so layout choices of a model do not count as a change
    of contract.
    """
    if not isinstance(node, Node):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        if f.name == "pos":
            continue
        value = getattr(node, f.name)
        new = _normalize_value(value)
        if new is not value:
            changes[f.name] = new
    out = dataclasses.replace(node, **changes) if changes else node
    if isinstance(out, BinOp):
        if out.op in ("&&", "||"):
            parts = _flatten(out, out.op)
            acc = parts[0]
            for part in parts[1:]:
                acc = BinOp(out.op, acc, part, pos=out.pos)
            return acc
        if out.op in (">", ">="):
            return BinOp("<" if out.op == ">" else "<=", out.right, out.left, pos=out.pos)
    return out


def _normalize_value(value: object) -> object:
    if isinstance(value, Node):
        return normalize(value)
    if isinstance(value, tuple):
        items = tuple(_normalize_value(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def _flatten(expr: Expr, op: str) -> list[Expr]:
    if isinstance(expr, BinOp) and expr.op == op:
        return _flatten(expr.left, op) + _flatten(expr.right, op)
    return [expr]


def same(a: Node, b: Node) -> bool:
    """Structural equality after `normalize`, ignoring positions and layout."""
    return normalize(a) == normalize(b)
