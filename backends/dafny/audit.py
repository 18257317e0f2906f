"""The soundness audit: an allowlist over a real parse of the whole Dafny program.

Dafny 2.3 exits 0 with "N verified, 0 errors" for a program that `assume`s its goal,
turns verification off, declares a lemma without a body (an axiom) or includes a file it
never verifies. A VERIFIED verdict therefore also needs this audit to come back clean.
It parses the program with a complete Dafny grammar (`audit.lark`, after Dafny's Coco
grammar `Dafny.atg`) and visits every node: each kind of declaration, clause, statement,
expression and attribute is either known to keep Dafny's proof obligations intact or
yields a finding with its line:col and a hint. A program the grammar cannot parse is a
finding too (never VERIFIED), so no construct goes unseen, and nothing is decided by
looking for patterns in the text.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import lark
from lark import Token, Tree
from verifier.backends.dafny.declarations import Param
from verifier.backends.dafny.lexer import normalize_newlines

from verifier.grammars import lalr_parser

# Attributes known to only steer the prover (triggers, induction, unfolding, opacity,
# splitting, time limits: a time out is UNKNOWN anyway) or the compiler and warnings.
# Anything else is a finding: Dafny 2.3 hands attributes it does not know to Boogie,
# and Boogie's `{:inline N}`, `{:ignore}` and `{:selective_checking}` make Dafny report a
# method with `ensures false` as verified (or silently not check it at all). A whitelist
# fails safe when a Dafny release adds another escape hatch (Dafny 4's `{:only}`).
# `autotriggers` only chooses which triggers Dafny writes for quantifiers: fewer or other
# triggers can make a proof fail, never make a false one pass.
SAFE_ATTRIBUTES = frozenset(
    {
        "trigger", "induction", "opaque", "fuel", "timeLimit", "timeLimitMultiplier",
        "vcs_max_splits", "vcs_max_cost", "vcs_split_on_every_assert", "split_here",
        "priority", "nowarn", "warnShadowing", "compile", "main", "tailrecursion", "print",
        "error", "msg", "abstemious", "nativeType", "autocontracts", "isolate_assertions",
        "disableNonlinearArithmetic", "autotriggers",
    }
)  # fmt: skip

_HINT_ASSUME = "replace it with an `assert` and prove it, or remove it"


class FindingKind(enum.StrEnum):
    UNSOUND = "unsound"  # a construct that makes Dafny accept a claim it did not prove
    UNKNOWN_CONSTRUCT = "unknown-construct"  # parsed, but not known to be sound
    PARSE = "parse"  # the audit's grammar could not read the program
    INCLUDE = "include"  # an `include` the caller did not allow


class CallableKind(enum.StrEnum):
    METHOD = "method"
    CONSTRUCTOR = "constructor"
    LEMMA = "lemma"
    TWOSTATE_LEMMA = "twostate lemma"
    LEAST_LEMMA = "least lemma"  # `inductive lemma` in Dafny 2.3
    GREATEST_LEMMA = "greatest lemma"  # `colemma`
    FUNCTION = "function"
    PREDICATE = "predicate"
    TWOSTATE_FUNCTION = "twostate function"
    TWOSTATE_PREDICATE = "twostate predicate"
    LEAST_PREDICATE = "least predicate"  # `inductive predicate`
    GREATEST_PREDICATE = "greatest predicate"  # `copredicate`
    ITERATOR = "iterator"


_FUNCTION_KINDS = frozenset(
    {
        CallableKind.FUNCTION, CallableKind.PREDICATE, CallableKind.TWOSTATE_FUNCTION,
        CallableKind.TWOSTATE_PREDICATE, CallableKind.LEAST_PREDICATE,
        CallableKind.GREATEST_PREDICATE,
    }
)  # fmt: skip
_GHOST_KINDS = frozenset(
    {
        CallableKind.LEMMA, CallableKind.TWOSTATE_LEMMA, CallableKind.LEAST_LEMMA,
        CallableKind.GREATEST_LEMMA, CallableKind.TWOSTATE_FUNCTION,
        CallableKind.TWOSTATE_PREDICATE, CallableKind.LEAST_PREDICATE,
        CallableKind.GREATEST_PREDICATE,
    }
)  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    line: int  # 1-based
    col: int  # 1-based, in characters
    message: str  # what is wrong and how to fix it


@dataclass(frozen=True)
class AuditedCallable:
    """One method, lemma, function, ... as the parse saw it (for the cross-check with
    Dafny's per-procedure output)."""

    kind: CallableKind
    name: str
    module_path: tuple[str, ...]  # enclosing modules, () for the default module
    container: str | None  # class/trait/datatype/iterator; None for module level
    has_body: bool
    ghost: bool
    line: int  # of the declaration's keyword
    col: int


@dataclass(frozen=True)
class CallableSpan:
    """Where a callable's declaration ends and what its parameters are: for pointing a
    verification error and its counterexample model at the right declaration."""

    callable: AuditedCallable
    end_line: int
    params: tuple[Param, ...]


@dataclass(frozen=True)
class Include:
    path: str  # as written, between the quotes
    line: int
    col: int


@dataclass(frozen=True)
class Audit:
    parsed: bool
    findings: tuple[Finding, ...]
    callables: tuple[AuditedCallable, ...] = ()
    spans: tuple[CallableSpan, ...] = ()
    includes: tuple[Include, ...] = ()

    @property
    def clean(self) -> bool:
        return self.parsed and not self.findings


# ---------------------------------------------------------------------------- parsing


def _audit_version() -> str:
    """Changes with the grammar and this module: results judged by an older audit (in
    the on-disk result cache) must not be reused."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("audit.lark", "audit.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


AUDIT_VERSION = _audit_version()


_PARSER_LOCK = threading.Lock()


@functools.cache
def _parser() -> lark.Lark:
    # Building the LALR tables of this grammar recurses deeper than Python's default
    # limit allows (once per process at most: the tables are kept on disk). The limit is
    # process-wide, so the build is serialised: a second thread must not restore it
    # while the first is still building.
    with _PARSER_LOCK:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20000))
        try:
            return lalr_parser(
                "verifier.backends.dafny",
                "audit.lark",
                lexer="basic",
                keep_all_tokens=True,
                propagate_positions=True,
            )
        finally:
            sys.setrecursionlimit(limit)


def blank_comments(source: str) -> str:
    """`source` with comments turned into blanks (newlines kept, so positions hold) and
    every lone CR read as a newline, as Dafny's scanner reads them. Dafny's block
    comments nest, which no regular lexer can follow; strings and char literals are
    skipped so a `//` inside them stays."""
    text = normalize_newlines(source)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = _skip_literal(text, i)
        if j > i:
            out.append(text[i:j])
            i = j
            continue
        if text.startswith("//", i):
            k = text.find("\n", i)
            k = n if k == -1 else k
            out.append(" " * (k - i))
            i = k
        elif text.startswith("/*", i):
            depth, k = 1, i + 2
            while k < n and depth:
                if text.startswith("/*", k):
                    depth, k = depth + 1, k + 2
                elif text.startswith("*/", k):
                    depth, k = depth - 1, k + 2
                else:
                    k += 1
            out.append(re.sub(r"[^\n]", " ", text[i:k]))
            i = k
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# The same literals as the grammar's lexer: identifiers (which may contain `'`), numbers,
# char literals before strings, so `'"'` is a char and not the start of a string.
_IDENT_RUN = re.compile(r"[A-Za-z_][A-Za-z0-9_'?]*|[0-9][A-Za-z0-9_]*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?|@"(?:[^"]|"")*"?', re.S)
_CHAR = re.compile(r"'(?:[^'\\\n\r]|\\u[0-9a-fA-F]{4}|\\.)'")


def _skip_literal(text: str, i: int) -> int:
    """End of the identifier, number, char or string literal starting at i (i when none)."""
    for pattern in (_IDENT_RUN, _CHAR, _STRING):
        m = pattern.match(text, i)
        if m:
            return m.end()
    return i


_TYPE_WORDS = frozenset({"IDENT", "SET", "ISET", "SEQ", "MULTISET", "MAP", "IMAP"})
_IN_TYPE_LIST = _TYPE_WORDS | {
    "DOT", "COMMA", "LPAR", "RPAR", "ARROW", "GHOST", "DIGITS", "BANG", "NEW", "PLUS",
    "MINUS", "STAR", "EQEQ",
}  # fmt: skip
_NOT_AFTER_GENERIC = frozenset(
    {
        "IDENT", "DIGITS", "HEXDIGITS", "DECIMAL", "CHAR", "STRING", "TRUE", "FALSE",
        "NULL", "THIS", "OLD",
    }
)  # fmt: skip


def _type_list_end(toks: Sequence[Token], i: int) -> int | None:
    """Index of the `>` that closes the `<` at toks[i] when it opens `< Type {, Type} >`
    (Dafny's own lookahead `IsGenericInstantiation`): only type tokens up to the
    matching `>`, and no operand right after it (`a < b, c > d` is two comparisons)."""
    depth = 1
    parens = 0
    for j in range(i + 1, len(toks)):
        kind = toks[j].type
        if kind == "LT":
            depth += 1
        elif kind == "GT":
            depth -= 1
            if depth == 0:
                if parens == 0 and (
                    j + 1 == len(toks) or toks[j + 1].type not in _NOT_AFTER_GENERIC
                ):
                    return j
                return None
        elif kind == "LPAR":
            parens += 1
        elif kind == "RPAR":
            parens -= 1
            if parens < 0:
                return None
        elif kind not in _IN_TYPE_LIST:
            return None
    return None


def _tokens(text: str) -> list[Token]:
    """The lexer's tokens, with a generic `<` retyped TLT and two adjacent `<` (`>`) that
    are not brackets joined into a shift operator, as Dafny's parser decides them."""
    toks = list(_parser().lex(text))
    closers: set[int] = set()
    for i, t in enumerate(toks):
        if t.type == "LT" and i > 0 and toks[i - 1].type in _TYPE_WORDS:
            end = _type_list_end(toks, i)
            if end is not None:
                toks[i] = Token.new_borrow_pos("TLT", t.value, t)
                closers.add(end)
    toks = _split_tuple_selectors(toks)
    _retype_case_arrows(toks)
    _retype_lambda_specs(toks)
    for i, t in enumerate(toks):
        if t.type == "ASSUME" and i > 0 and toks[i - 1].type == "SUCH_THAT":
            toks[i] = Token.new_borrow_pos("SUCH_THAT_ASSUME", t.value, t)
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if (
            t.type in ("LT", "GT")
            and i + 1 < len(toks)
            and toks[i + 1].type == t.type
            and toks[i + 1].start_pos == t.end_pos
            and not {i, i + 1} & closers
        ):
            kind = "SHL" if t.type == "LT" else "SHR"
            out.append(
                Token(
                    kind,
                    t.value * 2,
                    t.start_pos,
                    t.line,
                    t.column,
                    t.end_line,
                    t.end_column + 1,
                    t.end_pos + 1,
                )
            )
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def _split_tuple_selectors(toks: list[Token]) -> list[Token]:
    """`t.1.1` is two tuple selections, not the number 1.1 (Dafny's scanner decides it
    the same way: a decimal right after a `.`)."""
    out: list[Token] = []
    for i, t in enumerate(toks):
        if t.type == "DECIMAL" and i > 0 and toks[i - 1].type == "DOT":
            first, second = str(t).split(".")
            at = t.start_pos
            out.append(
                Token(
                    "DIGITS",
                    first,
                    at,
                    t.line,
                    t.column,
                    t.line,
                    t.column + len(first),
                    at + len(first),
                )
            )
            dot_col = t.column + len(first)
            out.append(
                Token(
                    "DOT",
                    ".",
                    at + len(first),
                    t.line,
                    dot_col,
                    t.line,
                    dot_col + 1,
                    at + len(first) + 1,
                )
            )
            out.append(
                Token(
                    "DIGITS",
                    second,
                    at + len(first) + 1,
                    t.line,
                    dot_col + 1,
                    t.end_line,
                    t.end_column,
                    t.end_pos,
                )
            )
        else:
            out.append(t)
    return out


_OPENERS = frozenset({"LPAR", "LSQB", "LBRACE", "ATTR_OPEN"})
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})


def _retype_case_arrows(toks: list[Token]) -> None:
    """The first `=>` after `case` at the same bracket depth ends the case's pattern or
    guard (Dafny parses the guard with lambdas off): retyped CARROW so that `case x =>`
    is not read as the lambda `x => ...`."""
    depth = 0
    cases: list[int] = []
    for i, t in enumerate(toks):
        if t.type in _OPENERS:
            depth += 1
        elif t.type in _CLOSERS:
            depth -= 1
        elif t.type == "CASE":
            cases.append(depth)
        elif t.type == "DARROW" and cases and cases[-1] == depth:
            cases.pop()
            toks[i] = Token.new_borrow_pos("CARROW", t.value, t)


_LAMBDA_SPEC = {"REQUIRES": "LREQUIRES", "READS": "LREADS"}
_NOT_IN_LAMBDA = frozenset(
    {
        "SEMICOLON", "ENSURES", "MODIFIES", "DECREASES", "INVARIANT", "METHOD", "LEMMA",
        "FUNCTION", "PREDICATE", "CONSTRUCTOR", "CLASS", "DATATYPE", "MODULE", "VAR",
        "CONST", "GHOST", "STATIC", "CARROW",
    }
)  # fmt: skip


def _retype_lambda_specs(toks: list[Token]) -> None:
    """`x requires P reads R => e` is a lambda; `requires P` after a signature is a clause.
    Dafny looks ahead for the `=>`; so does this: a `requires`/`reads` right after a name
    or `)` whose `=>` follows at the same bracket depth (before a body, a `;` or another
    clause) is retyped LREQUIRES/LREADS."""
    for i, t in enumerate(toks):
        if t.type not in _LAMBDA_SPEC or i == 0 or toks[i - 1].type not in ("IDENT", "RPAR"):
            continue
        depth = 0
        specs = [i]
        for j in range(i + 1, len(toks)):
            kind = toks[j].type
            if kind in _OPENERS:
                if kind == "LBRACE" and depth == 0:
                    break
                depth += 1
            elif kind in _CLOSERS:
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and kind in _LAMBDA_SPEC and toks[j - 1].type != "DOT":
                specs.append(j)
            elif depth == 0 and kind == "DARROW":
                for k in specs:
                    new = _LAMBDA_SPEC[toks[k].type]
                    toks[k] = Token.new_borrow_pos(new, toks[k].value, toks[k])
                toks[j] = Token.new_borrow_pos("LDARROW", toks[j].value, toks[j])
                break
            elif depth == 0 and kind in _NOT_IN_LAMBDA:
                break


def parse(source: str) -> Tree | Finding:
    """The parse tree of `source`, or a finding at the first place the grammar fails."""
    text = blank_comments(source.removeprefix("\ufeff"))
    try:
        toks = _tokens(text)
    except lark.UnexpectedCharacters as exc:
        return Finding(
            FindingKind.PARSE,
            exc.line,
            exc.column,
            f"the audit cannot read the character {text[exc.pos_in_stream]!r} here; only "
            "programs the audit parses completely can be VERIFIED",
        )
    interactive = _parser().parse_interactive("")
    try:
        for tok in toks:
            interactive.feed_token(tok)
        return interactive.feed_eof(toks[-1] if toks else None)
    except lark.UnexpectedToken as exc:
        tok = exc.token
        shown = "end of file" if tok.type == "$END" else repr(str(tok.value))
        expected = ", ".join(sorted(_readable(e) for e in exc.expected)[:8])
        return Finding(
            FindingKind.PARSE,
            tok.line or 1,
            tok.column or 1,
            f"the audit's Dafny grammar does not expect {shown} here (expected one of: "
            f"{expected}); only programs the audit parses completely can be VERIFIED — "
            "if this is valid Dafny, rewrite the construct in a common form",
        )


def _readable(terminal: str) -> str:
    try:
        pattern = _parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal
    return pattern.value if pattern.type == "str" else terminal


# ---------------------------------------------------------------------------- the audit


def audit(source: str) -> Audit:
    """Every finding in `source`, the callables it declares and the files it includes."""
    tree = parse(source)
    if isinstance(tree, Finding):
        return Audit(parsed=False, findings=(tree,))
    walker = _Walker()
    walker.top(tree.children, module_path=(), abstract=False)
    walker.check_refinements()
    walker.check_traits()
    findings = sorted(set(walker.findings), key=lambda f: (f.line, f.col, f.message))
    return Audit(
        parsed=True,
        findings=tuple(findings),
        callables=tuple(s.callable for s in walker.spans),
        spans=tuple(walker.spans),
        includes=tuple(walker.includes),
    )


def callable_at_line(spans: Sequence[CallableSpan], line: int) -> CallableSpan | None:
    """The innermost callable whose declaration spans `line`."""
    best: CallableSpan | None = None
    for s in spans:
        if s.callable.line <= line <= s.end_line and (
            best is None or s.callable.line >= best.callable.line
        ):
            best = s
    return best


def _trees(children: Iterable[object]) -> Iterator[Tree]:
    return (c for c in children if isinstance(c, Tree))


def _first(tree: Tree, data: str) -> Tree | None:
    return next((c for c in _trees(tree.children) if c.data == data), None)


def _extended_names(extends: Tree) -> set[str]:
    """`extends M.T<int>, U` -> {"T", "U"}: the simple name of each extended type."""
    names: set[str] = set()
    for t in _trees(extends.children):
        texts = _token_texts(t)
        base = texts[: texts.index("<")] if "<" in texts else texts
        idents = [x for x in base if x not in (".", "?")]
        if idents:
            names.add(idents[-1])
    return names


def _token_texts(tree: Tree) -> list[str]:
    return [str(t) for t in tree.scan_values(lambda v: isinstance(v, Token))]


def _name(tree: Tree | None) -> str:
    if tree is None:
        return ""
    return ".".join(_token_texts(tree)).replace("...", "")


def _pos(node: Tree | Token) -> tuple[int, int]:
    if isinstance(node, Token):
        return node.line or 1, node.column or 1
    return node.meta.line, node.meta.column


@dataclass
class _Module:
    path: tuple[str, ...]
    abstract: bool
    refines: tuple[str, ...] | None
    line: int
    col: int
    # body-less callables that need a body from a refining module: name -> position
    open_members: dict[str, AuditedCallable] = field(default_factory=dict)
    members_with_body: set[str] = field(default_factory=set)


@dataclass
class _Walker:
    findings: list[Finding] = field(default_factory=list)
    spans: list[CallableSpan] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    modules: dict[tuple[str, ...], _Module] = field(default_factory=dict)
    extended: set[str] = field(default_factory=set)  # simple names of the traits some type extends
    trait_members: list[tuple[str, AuditedCallable]] = field(default_factory=list)  # body-less ones

    def report(self, node: Tree | Token, kind: FindingKind, message: str) -> None:
        line, col = _pos(node)
        self.findings.append(Finding(kind, line, col, message))

    # --- declarations ------------------------------------------------------------------

    def top(self, decls: Iterable[object], *, module_path: tuple[str, ...], abstract: bool) -> None:
        for decl in _trees(decls):
            self.declaration(decl, module_path=module_path, container=None, abstract=abstract)

    def declaration(
        self,
        decl: Tree,
        *,
        module_path: tuple[str, ...],
        container: tuple[str, str] | None,  # (kind, name)
        abstract: bool,
    ) -> None:
        match decl.data:
            case "include_decl":
                literal = str(decl.children[-1])
                self.includes.append(Include(literal[1:-1], *_pos(decl)))
            case "module_decl":
                self.module(decl, module_path)
            case "import_plain" | "import_alias" | "import_abstract" | "import_decl":
                self.sound_parts(decl)
            case "export_decl":
                pass
            case "class_decl" | "trait_decl" | "datatype_decl" | "newtype_decl":
                self.type_with_members(decl, module_path=module_path, abstract=abstract)
            case "opaque_type_decl" | "synonym_type_decl" | "subset_type_decl":
                self.sound_parts(decl)
            case "iterator_decl":
                self.callable(
                    decl, CallableKind.ITERATOR, module_path=module_path,
                    container=container, abstract=abstract,
                )  # fmt: skip
            case "method_decl":
                kind = _method_kind(_first(decl, "method_kind"))
                self.callable(
                    decl, kind, module_path=module_path, container=container, abstract=abstract
                )
            case "function_decl":
                kind = _function_kind(_first(decl, "function_kind"))
                self.callable(
                    decl, kind, module_path=module_path, container=container, abstract=abstract
                )
            case "field_decl" | "const_decl":
                self.sound_parts(decl)
            case other:
                self.report(
                    decl,
                    FindingKind.UNKNOWN_CONSTRUCT,
                    f"the audit does not know the declaration kind `{other}`; "
                    "it cannot be VERIFIED",
                )

    def module(self, decl: Tree, parent: tuple[str, ...]) -> None:
        mods = _token_texts(_first(decl, "mods") or Tree("mods", []))
        name = tuple(_token_texts(_first(decl, "qual_name") or Tree("q", [])))
        name = tuple(n for n in name if n != ".")
        path = parent + name
        refines = _first(decl, "refines")
        refined = None
        if refines is not None:
            refined = tuple(n for n in _token_texts(refines)[1:] if n != ".")
        line, col = _pos(decl)
        self.modules[path] = _Module(path, "abstract" in mods, refined, line, col)
        for attr in _trees(decl.children):
            if attr.data == "attribute":
                self.sound_parts(attr)
        body = [
            c
            for c in _trees(decl.children)
            if c.data not in ("mods", "qual_name", "refines", "attribute")
        ]
        self.top(body, module_path=path, abstract="abstract" in mods)

    def type_with_members(
        self, decl: Tree, *, module_path: tuple[str, ...], abstract: bool
    ) -> None:
        name = _name(_first(decl, "name"))
        kind = decl.data.removesuffix("_decl")
        members = decl.children
        holder = _first(decl, "type_members")
        if holder is not None:
            members = holder.children
        for child in _trees(decl.children):
            if child.data == "extends":
                self.extended.update(_extended_names(child))
            if child.data != "type_members" and child.data not in _MEMBER_RULES:
                self.sound_parts(child)
        for member in _trees(members):
            if member.data in _MEMBER_RULES:
                self.declaration(
                    member, module_path=module_path, container=(kind, name), abstract=abstract
                )

    def callable(
        self,
        decl: Tree,
        kind: CallableKind,
        *,
        module_path: tuple[str, ...],
        container: tuple[str, str] | None,
        abstract: bool,
    ) -> None:
        mods = _token_texts(_first(decl, "mods") or Tree("mods", []))
        head = _first(decl, "method_kind") or _first(decl, "function_kind") or decl
        if kind is CallableKind.ITERATOR:
            head = next(t for t in decl.children if isinstance(t, Token) and t == "iterator")
        body = _first(decl, "block") or _first(decl, "function_body")
        compiled_function = kind in _FUNCTION_KINDS and "method" in _token_texts(head)
        ghost = (
            "ghost" in mods
            or kind in _GHOST_KINDS
            or (kind in _FUNCTION_KINDS and not compiled_function)
        )
        name = _name(_first(decl, "name")) or ("_ctor" if kind is CallableKind.CONSTRUCTOR else "")
        line, col = _pos(head)
        audited = AuditedCallable(
            kind=kind,
            name=name,
            module_path=module_path,
            container=container[1] if container else None,
            has_body=body is not None,
            ghost=ghost,
            line=line,
            col=col,
        )
        self.spans.append(
            CallableSpan(audited, decl.meta.end_line, _params(_first(decl, "formals")))
        )
        for child in _trees(decl.children):
            self.sound_parts(child)
        if body is not None:
            self.modules_entry(module_path).members_with_body.add(name)
            return
        self.bodiless(decl, audited, mods=mods, container=container, abstract=abstract)

    def modules_entry(self, path: tuple[str, ...]) -> _Module:
        if path not in self.modules:
            self.modules[path] = _Module(path, False, None, 1, 1)
        return self.modules[path]

    def bodiless(
        self,
        decl: Tree,
        c: AuditedCallable,
        *,
        mods: list[str],
        container: tuple[str, str] | None,
        abstract: bool,
    ) -> None:
        is_function = c.kind in _FUNCTION_KINDS
        if is_function and not any(
            s.data in ("ensures_clause", "free_clause") for s in _trees(decl.children)
        ):
            return  # an uninterpreted function: it assumes nothing
        # Instance members of a trait may be abstract: every class that extends the trait
        # must implement them, and Dafny checks that — but only if some class does
        # (`check_traits`). A static one is never overridden.
        if container is not None and container[0] == "trait" and "static" not in mods:
            self.trait_members.append((container[1], c))
            return
        what = f"{c.kind}{f' {c.name!r}' if c.name else ''}"
        if abstract:
            # Dafny does not make a refining module give it a body: checked at the end.
            self.modules_entry(c.module_path).open_members[c.name] = c
            return
        claim = "its `ensures` as an axiom" if is_function else "its contract without proof"
        self.findings.append(
            Finding(
                FindingKind.UNSOUND,
                c.line,
                c.col,
                f"{what} has no body, so Dafny assumes {claim}; give it a body that "
                "proves the contract",
            )
        )

    def check_traits(self) -> None:
        """A body-less trait member is proved by the classes that implement it. With no
        type extending the trait in this program its contract is never proved, yet a
        caller holding a trait value may use it: an axiom."""
        for trait, member in self.trait_members:
            if trait not in self.extended:
                self.findings.append(
                    Finding(
                        FindingKind.UNSOUND,
                        member.line,
                        member.col,
                        f"{member.kind} {member.name!r} of trait {trait} has no body and no type "
                        f"in this program extends {trait}, so its contract is never proved; give "
                        f"it a body, or add a class that extends {trait} and implements it",
                    )
                )

    def check_refinements(self) -> None:
        """A body-less member of an abstract module is a parameter: it is sound only if a
        concrete module refining it (here, in this program) gives it a body."""
        for module in self.modules.values():
            if not module.open_members:
                continue
            for member in module.open_members.values():
                if not any(
                    self.implements(m, module.path, member.name) for m in self.modules.values()
                ):
                    self.findings.append(
                        Finding(
                            FindingKind.UNSOUND,
                            member.line,
                            member.col,
                            f"{member.kind} {member.name!r} of abstract module "
                            f"{'.'.join(module.path)} has no body and no concrete module in "
                            "this program refines it with one, so everything proved with it "
                            "rests on an unproved assumption; give it a body, or refine the "
                            "module with a concrete one that does",
                        )
                    )

    def implements(self, m: _Module, refined: tuple[str, ...], name: str) -> bool:
        if m.abstract or m.refines is None:
            return False
        chain = m
        seen: set[tuple[str, ...]] = set()
        found = name in m.members_with_body
        while chain.refines is not None and chain.path not in seen:
            seen.add(chain.path)
            target = self.resolve(chain.refines, chain.path)
            if target is None:
                return False
            if target.path == refined:
                return found
            found = found or name in target.members_with_body
            chain = target
        return False

    def resolve(self, name: tuple[str, ...], at: tuple[str, ...]) -> _Module | None:
        for k in range(len(at), -1, -1):
            candidate = at[:k] + name
            if candidate in self.modules and candidate != at:
                return self.modules[candidate]
        return None

    # --- everything inside a declaration -------------------------------------------------

    def sound_parts(self, tree: Tree) -> None:
        """Findings for every clause, statement, expression and attribute under `tree`."""
        for node in tree.iter_subtrees():
            if node.data in _UNSOUND_CHECKS or node.data in _UNKNOWN_CHECKS:
                unsound = node.data in _UNSOUND_CHECKS
                check = _UNSOUND_CHECKS[node.data] if unsound else _UNKNOWN_CHECKS[node.data]
                message = check(node)
                if message is not None:
                    kind = FindingKind.UNSOUND if unsound else FindingKind.UNKNOWN_CONSTRUCT
                    self.report(_report_at(node), kind, message)
            elif node.data not in _KNOWN_SOUND:
                self.report(
                    node,
                    FindingKind.UNKNOWN_CONSTRUCT,
                    f"the audit does not know whether `{node.data}` is sound; "
                    "it cannot be VERIFIED",
                )


_MEMBER_RULES = frozenset(
    {
        "method_decl", "function_decl", "field_decl", "const_decl", "class_decl",
        "trait_decl", "datatype_decl", "newtype_decl", "opaque_type_decl",
        "synonym_type_decl", "subset_type_decl", "iterator_decl",
    }
)  # fmt: skip


def _report_at(node: Tree) -> Tree | Token:
    if node.data == "attribute":
        return node.children[0]
    return node


def _method_kind(tree: Tree | None) -> CallableKind:
    words = _token_texts(tree) if tree is not None else ["method"]
    match words:
        case ["method"]:
            return CallableKind.METHOD
        case ["constructor"]:
            return CallableKind.CONSTRUCTOR
        case ["lemma"]:
            return CallableKind.LEMMA
        case ["twostate", "lemma"]:
            return CallableKind.TWOSTATE_LEMMA
        case ["inductive" | "least", "lemma"]:
            return CallableKind.LEAST_LEMMA
        case ["colemma"] | ["greatest", "lemma"]:
            return CallableKind.GREATEST_LEMMA
    # `name LEMMA` with another word than least/greatest: Dafny refuses it to parse,
    # so the verdict is UNKNOWN anyway; keep the strictest reading.
    return CallableKind.LEMMA


def _function_kind(tree: Tree | None) -> CallableKind:
    words = [w for w in (_token_texts(tree) if tree is not None else ["function"]) if w != "method"]
    match words:
        case ["function"]:
            return CallableKind.FUNCTION
        case ["predicate"]:
            return CallableKind.PREDICATE
        case ["twostate", "function"]:
            return CallableKind.TWOSTATE_FUNCTION
        case ["twostate", "predicate"]:
            return CallableKind.TWOSTATE_PREDICATE
        case ["inductive" | "least", "predicate"]:
            return CallableKind.LEAST_PREDICATE
        case ["copredicate"] | ["greatest", "predicate"]:
            return CallableKind.GREATEST_PREDICATE
    return CallableKind.PREDICATE


def _params(formals: Tree | None) -> tuple[Param, ...]:
    if formals is None:
        return ()
    out: list[Param] = []
    for f in _trees(formals.children):
        mods = [m for m in _trees(f.children) if m.data == "formal_mod"]
        ghost = any("ghost" in _token_texts(m) for m in mods)
        name = _name(_first(f, "name"))
        typ = next((c for c in _trees(f.children) if c.data not in ("formal_mod", "name")), None)
        type_text = "".join(_token_texts(typ)) if typ is not None else ""
        out.append(Param(name=name, type=type_text, ghost=ghost))
    return tuple(out)


# --- local checks: node -> what is wrong and how to fix it (None: nothing) -------------


def _attribute(node: Tree) -> str | None:
    opener = str(node.children[0])
    name = re.sub(r"^\{\s*:\s*", "", opener)
    args = [str(t) for t in _token_texts(node)[1:-1]]
    match name:
        case "verify":
            if args == ["true"]:
                return None
            value = " ".join(args) or "(none)"
            return (
                f"`{{:verify {value}}}` switches verification off; remove the attribute so "
                "Dafny proves the declaration"
            )
        case "axiom":
            return "`{:axiom}` declares a claim true without proof; remove it and give a proof"
        case "extern":
            return "`{:extern}` trusts code Dafny cannot see; implement the declaration in Dafny"
        case "termination":
            if args == ["true"]:
                return None
            return (
                "`{:termination false}` turns off the termination check of overriding "
                "members; remove it"
            )
        case _ if name in SAFE_ATTRIBUTES:
            return None
    return (
        f"`{{:{name}}}` is not known to keep verification on (Dafny passes unknown "
        "attributes to Boogie, where e.g. `{:inline 1}`, `{:ignore}` and "
        "`{:selective_checking}` skip or weaken a proof); remove it"
    )


def _assume(node: Tree) -> str:
    return f"`assume` makes Dafny take a claim without proof; {_HINT_ASSUME}"


def _free(node: Tree) -> str:
    return "a `free` clause is assumed and never checked; remove `free` so Dafny proves the clause"


def _decreases_star(node: Tree) -> str:
    return (
        "`decreases *` lets the code run forever, so Dafny proves only partial correctness "
        "(a loop that never ends satisfies any postcondition); give a termination measure"
    )


def _needs_body(what: str) -> Callable[[Tree], str | None]:
    def check(node: Tree) -> str | None:
        if _first(node, "block") is not None:
            return None
        return (
            f"{what} without a body: Dafny assumes what it ensures without proof; give it "
            "a body that proves it"
        )

    return check


def _expect(node: Tree) -> str:
    return (
        "`expect` is assumed by the verifier (checked only when the program runs); use "
        "`assert` and prove it"
    )


def _witness_star(node: Tree) -> str:
    return (
        "`witness *` skips the proof that the type has a value; an empty type can make "
        "a body-less function or constant prove anything; give a witness"
    )


def _refinement_dots(node: Tree) -> str:
    return "`...` (refinement skeletons) is not audited; write the statements out"


_UNSOUND_CHECKS: dict[str, Callable[[Tree], str | None]] = {
    "attribute": _attribute,
    "assume_stmt": _assume,
    "assume_expr": _assume,
    "assign_such_that_assume": _assume,
    "var_such_that_assume": _assume,
    "free_clause": _free,
    "decreases_star": _decreases_star,
    "forall_stmt": _needs_body("a `forall` statement"),
    "while_stmt": _needs_body("a loop"),
    "for_stmt": _needs_body("a loop"),
    "expect_stmt": _expect,
    "expect_expr": _expect,
}
# Not known to hide a proof, but not known to be harmless either.
_UNKNOWN_CHECKS: dict[str, Callable[[Tree], str | None]] = {
    "witness_star": _witness_star,
    "skip_stmt": _refinement_dots,
}

# Rules whose meaning keeps every proof obligation (their parts are visited on their own).
_KNOWN_SOUND = frozenset(
    [
        "start",
        "include_decl",
        "module_decl",
        "mods",
        "refines",
        "qual_name",
        "import_decl",
        "import_plain",
        "import_alias",
        "import_abstract",
        "export_decl",
        "export_item",
        "export_names",
        "export_name",
        "class_decl",
        "trait_decl",
        "extends",
        "datatype_decl",
        "ctor",
        "ctor_formals",
        "anon_formal",
        "type_members",
        "newtype_decl",
        "opaque_type_decl",
        "synonym_type_decl",
        "subset_type_decl",
        "subset_def",
        "witness",
        "type_chars",
        "type_char",
        "iterator_decl",
        "method_decl",
        "method_kind",
        "kformal",
        "function_decl",
        "function_kind",
        "result",
        "function_body",
        "field_decl",
        "field_name",
        "const_decl",
        "type_params",
        "type_param",
        "variance",
        "formals",
        "formal",
        "formal_mod",
        "requires_clause",
        "ensures_clause",
        "yield_clause",
        "reads_clause",
        "modifies_clause",
        "decreases_clause",
        "invariant_clause",
        "label_prefix",
        "frame",
        "arrow",
        "unit_type",
        "tuple_type",
        "tuple_elem",
        "named_type",
        "type_segment",
        "type_name",
        "gen_args",
        "block",
        "label_stmt",
        "var_stmt",
        "var_such_that",
        "var_elephant",
        "var_pattern",
        "local_vars",
        "local_var",
        "update_stmt",
        "assign_such_that",
        "elephant_stmt",
        "call_stmt",
        "lhs_list",
        "new_array",
        "new_object",
        "havoc",
        "if_stmt",
        "if_alt",
        "star_guard",
        "binding_guard",
        "alternatives",
        "alternative",
        "while_alt",
        "match_stmt",
        "stmt_case",
        "assert_stmt",
        "print_stmt",
        "reveal_stmt",
        "return_stmt",
        "yield_stmt",
        "break_stmt",
        "new_stmt",
        "calc_stmt",
        "calc_line",
        "calc_step",
        "calc_op",
        "ensures_like",
        "modify_stmt",
        "call_then",
        "binop",
        "rel_op",
        "as_op",
        "unop",
        "suffixed",
        "this_expr",
        "suffix",
        "member_binding",
        "member",
        "args",
        "arg",
        "paren",
        "tuple_display",
        "card",
        "seq_display",
        "set_display",
        "multiset_display",
        "multiset_of",
        "map_display",
        "seq_init",
        "old_expr",
        "unchanged_expr",
        "fresh_expr",
        "allocated_expr",
        "lambda_expr",
        "label_at",
        "name_segment",
        "expr_list",
        "map_items",
        "map_item",
        "if_expr",
        "quantifier",
        "set_comprehension",
        "map_comprehension",
        "let_expr",
        "match_expr",
        "assert_expr",
        "reveal_expr",
        "calc_expr",
        "lambda_tail",
        "lambda_spec",
        "range",
        "binder_list",
        "binder",
        "let_vars",
        "expr_case",
        "pat_var",
        "pat_ctor",
        "pattern_tuple",
        "pat_lit",
        "lit",
        "name",
        "let_pat",
        "ctor_formal",
        "arrow_type",
        "as_expr",
        "atom",
        "bv_factor",
        "domain_type",
        "endless",
        "equiv",
        "expr",
        "factor",
        "fexpr",
        "guard",
        "hint",
        "implies",
        "import_target",
        "lhs",
        "literal",
        "logic",
        "loop_spec",
        "member_decl",
        "pattern",
        "postfix",
        "rel",
        "rhs",
        "shift",
        "spec",
        "stmt",
        "synonym_decl",
        "term",
        "top_decl",
        "type",
        "type_decl",
        "unary",
    ]
)
