"""Did a candidate keep a Dafny task's contract? Decided on the audit's full parse.

A benchmark task fixes what is to be proved: every declaration's signature, its
`requires`/`ensures`/`reads`/`modifies`, the bodies of its functions and predicates (a
function's definition is part of what an `ensures` means), datatypes, constants, types.
The model may add declarations and write method and lemma bodies, loop invariants,
assertions and `decreases` clauses (hints: they can make a proof go through, never make a
false claim pass). Comparing texts would refuse a reformatted answer and accept a
comment trick, so both programs are parsed with the audit's complete grammar
(`audit.lark`) and compared as trees, normalised so that layout, comments, redundant
parentheses, optional `;`, `a > b` written `b < a`, one conjunction split over several
clauses and assertions or lemma calls inside a function body are not changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from lark import Token, Tree

from verifier.backends.dafny.audit import Finding, parse

# A normalised parse tree: a token's text, or (rule, children...).
Shape = str | tuple["Shape", ...]

CONTAINERS = frozenset({"class_decl", "trait_decl", "datatype_decl", "newtype_decl"})
CALLABLES = frozenset({"method_decl", "function_decl", "iterator_decl"})
MEMBER_RULES = frozenset(
    {"method_decl", "function_decl", "iterator_decl", "field_decl", "const_decl"} | CONTAINERS
)
HINT_CLAUSES = frozenset({"decreases_clause", "decreases_star", "invariant_clause"})
FRAME_CLAUSES = frozenset({"reads_clause", "modifies_clause"})
SPEC_CLAUSES = frozenset(
    {"requires_clause", "ensures_clause", "free_clause", "yield_clause"} | FRAME_CLAUSES
)
# Expressions that prove something on the way and then mean their last part.
HINT_EXPRESSIONS = frozenset({"call_then", "assert_expr", "reveal_expr", "calc_expr"})
_FLIP = {">": "<", ">=": "<="}


@dataclass(frozen=True)
class Declaration:
    """One declaration as the contract sees it; `body` is None where the model writes it."""

    path: tuple[str, ...]  # enclosing modules and types
    name: str
    rule: str  # the grammar rule (method_decl, function_decl, const_decl, ...)
    header: Shape  # everything but the spec clauses, hints and body
    requires: tuple[Shape, ...]
    ensures: tuple[Shape, ...]
    frames: tuple[Shape, ...]
    other: tuple[Shape, ...]  # free/yield clauses: compared as written
    body: Shape | None
    line: int

    @property
    def key(self) -> tuple[tuple[str, ...], str, str]:
        return self.path, self.rule, self.name

    @property
    def label(self) -> str:
        return ".".join((*self.path, self.name)) or self.rule


class ContractParseError(ValueError):
    """The audit's grammar cannot read the program (message says where)."""


def _texts(node: Tree | Token) -> list[str]:
    if isinstance(node, Token):
        return [str(node)]
    return [str(t) for t in node.scan_values(lambda v: isinstance(v, Token))]


def shape(node: Tree | Token) -> Shape:
    """The normalised form of a subtree (module docstring)."""
    if isinstance(node, Token):
        return str(node)
    if node.data in HINT_EXPRESSIONS:  # `assert P; e`, `L(x); e`, `calc {..} e`: e
        return shape(node.children[-1])
    if node.data == "paren":
        inner = [c for c in node.children if not (isinstance(c, Token) and c in "()")]
        if len(inner) == 1:
            return shape(inner[0])
    children = [shape(c) for c in node.children]
    if node.data == "binop" and len(children) == 3 and children[1] in (
        ("rel_op", ">"), ("rel_op", ">="), ">", ">="
    ):
        op = children[1]
        flipped = ("rel_op", _FLIP[op[1]]) if isinstance(op, tuple) else _FLIP[op]
        children = [children[2], flipped, children[0]]
    return (node.data, *children)


def conjuncts(expr: Shape) -> list[Shape]:
    """`a && b && c` as [a, b, c]: `requires a && b` is `requires a requires b`."""
    if isinstance(expr, tuple) and expr[0] == "binop" and len(expr) > 2:
        ops = expr[2::2]
        if ops and all(op == "&&" for op in ops):
            return [part for e in expr[1::2] for part in conjuncts(e)]
    return [expr]


def _clause_expr(clause: Tree) -> list[Shape]:
    """A clause without its keyword and optional `;` (attributes and labels kept)."""
    parts = [c for c in clause.children if not (isinstance(c, Token) and str(c) in (";",))]
    if parts and isinstance(parts[0], Token):
        parts = parts[1:]  # the keyword
    if len(parts) == 1 and clause.data in ("requires_clause", "ensures_clause"):
        return conjuncts(shape(parts[0]))
    return [tuple(shape(p) for p in parts)]


def _name_of(decl: Tree) -> str:
    names = [c for c in decl.children if isinstance(c, Tree) and c.data in ("name", "qual_name")]
    if names:
        return "".join(_texts(names[0]))
    if decl.data in ("field_decl", "const_decl"):
        return ",".join(
            "".join(_texts(c)[:1]) for c in decl.children if isinstance(c, Tree)
            and c.data in ("field_name", "name")
        )
    return "_ctor" if decl.data == "method_decl" else ""


def _callable(decl: Tree, path: tuple[str, ...], open_body: bool) -> Declaration:
    header: list[Shape] = []
    requires: list[Shape] = []
    ensures: list[Shape] = []
    frames: list[Shape] = []
    other: list[Shape] = []
    body: Shape | None = None
    for child in decl.children:
        rule = child.data if isinstance(child, Tree) else None
        if rule == "requires_clause":
            requires += _clause_expr(child)
        elif rule == "ensures_clause":
            ensures += _clause_expr(child)
        elif rule in FRAME_CLAUSES:
            frames += [(rule, *_clause_expr(child))]
        elif rule in HINT_CLAUSES:
            continue
        elif rule in SPEC_CLAUSES:
            other += [(rule, *_clause_expr(child))]
        elif rule == "block":
            continue  # method, lemma and iterator bodies are the model's
        elif rule == "function_body":
            expr = [c for c in child.children if isinstance(c, Tree)][:1]
            body = None if open_body or not expr else shape(expr[0])
        else:
            header.append(shape(child))
    return Declaration(
        path, _name_of(decl), str(decl.data), tuple(header), tuple(requires), tuple(ensures),
        tuple(frames), tuple(other), body, decl.meta.line,
    )  # fmt: skip


def _walk(
    decls: Iterable[object], path: tuple[str, ...], open_bodies: frozenset[str]
) -> Iterator[Declaration]:
    for decl in decls:
        if not isinstance(decl, Tree):
            continue
        if decl.data == "module_decl":
            qual = _first(decl, "qual_name")
            name = tuple(t for t in _texts(qual) if t != ".") if qual is not None else ()
            inner = [c for c in decl.children if isinstance(c, Tree) and c.data not in (
                "mods", "qual_name", "refines", "attribute")]
            head = tuple(shape(c) for c in decl.children if c not in inner)
            yield Declaration(path, ".".join(name), "module_decl", head, (), (), (), (), None,
                              decl.meta.line)  # fmt: skip
            yield from _walk(inner, path + name, open_bodies)
        elif decl.data in CONTAINERS:
            name = _name_of(decl)
            holder = _first(decl, "type_members")
            members = holder.children if holder is not None else [
                c for c in decl.children if isinstance(c, Tree) and c.data in MEMBER_RULES
            ]
            head = tuple(shape(c) for c in decl.children if c is not holder and c not in members)
            yield Declaration(path, name, str(decl.data), head, (), (), (), (), None,
                              decl.meta.line)  # fmt: skip
            yield from _walk(members, (*path, name), open_bodies)
        elif decl.data in CALLABLES:
            name = _name_of(decl)
            yield _callable(decl, path, ".".join((*path, name)) in open_bodies)
        else:
            yield Declaration(path, _name_of(decl) or " ".join(_texts(decl))[:80],
                              str(decl.data), shape(decl), (), (), (), (), None,
                              decl.meta.line)  # fmt: skip


def _first(tree: Tree, rule: str) -> Tree | None:
    return next((c for c in tree.children if isinstance(c, Tree) and c.data == rule), None)


def declarations(source: str, *, open_bodies: Iterable[str] = ()) -> tuple[Declaration, ...]:
    """Every declaration of `source`; functions named in `open_bodies` (dotted paths) have
    their bodies left to the model. Raises ContractParseError."""
    tree = parse(source)
    if isinstance(tree, Finding):
        raise ContractParseError(f"line {tree.line}:{tree.col}: {tree.message}")
    return tuple(_walk(tree.children, (), frozenset(open_bodies)))


@dataclass(frozen=True)
class Change:
    """A part of the task's contract the candidate does not keep."""

    declaration: str
    what: str  # "missing", "signature", "requires", "ensures", "frames", "body", "clauses"
    line: int  # in the candidate, or the task's line when missing

    def __str__(self) -> str:
        if self.what == "missing":
            return f"`{self.declaration}` of the task is missing"
        return f"`{self.declaration}`: its {self.what} differs from the task's"


def changes(
    original: Sequence[Declaration], candidate: Sequence[Declaration]
) -> tuple[Change, ...]:
    """What of `original` is not in `candidate` unchanged (empty: the contract is kept).
    Declarations the candidate adds are allowed: they change no existing meaning."""
    found: dict[tuple[tuple[str, ...], str, str], list[Declaration]] = {}
    for decl in candidate:
        found.setdefault(decl.key, []).append(decl)
    out: list[Change] = []
    for want in original:
        matches = found.get(want.key, [])
        if len(matches) != 1:
            out.append(Change(want.label, "missing", want.line))
            continue
        got = matches[0]
        for what, a, b in (
            ("signature", want.header, got.header),
            ("requires", want.requires, got.requires),
            ("ensures", want.ensures, got.ensures),
            ("frames", want.frames, got.frames),
            ("clauses", want.other, got.other),
        ):
            if a != b:
                out.append(Change(want.label, what, got.line))
        if want.body is not None and want.body != got.body:
            out.append(Change(want.label, "body", got.line))
    return tuple(out)


def contract_changes(
    original: str, candidate: str, *, open_bodies: Iterable[str] = ()
) -> tuple[Change, ...]:
    """`changes` of two programs' texts. Raises ContractParseError (for either)."""
    opened = tuple(open_bodies)
    return changes(
        declarations(original, open_bodies=opened), declarations(candidate, open_bodies=opened)
    )
