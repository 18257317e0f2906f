"""Dafny text to `dafny_ast` nodes, with exact positions on every node.

The grammar is the data file `dafny.lark` (LALR: fast, and its errors point at the exact
token). Declarations and statements that Dafny has but the subset does not are reported
as `UnsupportedConstruct` with their keyword and position, so a user learns *what* is
not supported rather than seeing a bare syntax error.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

import lark
from lark import Token, Transformer, v_args
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import DafnySyntaxError, UnsupportedConstruct
from verifier.translators.dafny_lexical import without_comments
from verifier.translators.dafny_modules import flatten
from verifier.translators.dafny_named_args import positional
from verifier.translators.dafny_type_decls import expand

from verifier.grammars import lalr_parser

# Keywords of Dafny outside the subset: a parse error on one of them names the construct.
_UNSUPPORTED_KEYWORDS = {
    "include": "include directives",
    "iterator": "iterators",
    "codatatype": "co-datatypes",
    "abstract": "abstract modules",
    "modify": "modify statements",
    "yield": "yield statements",
    "refines": "module refinement",
}


@functools.cache
def _parser() -> lark.Lark:
    return lalr_parser("verifier.translators", "dafny.lark", propagate_positions=True,
                       maybe_placeholders=False)


def parse(source: str) -> A.Program:
    """Parse a whole Dafny file. Raises DafnySyntaxError / UnsupportedConstruct."""
    if source.startswith("\ufeff"):  # a byte-order mark: a space keeps every offset
        source = " " + source[1:]
    code = without_comments(source)  # block comments nest in Dafny, not in a token regex
    marked = _mark_lambda_parens(_mark_case_arrows(_blank_lambda_specs(_blank_type_arguments(code))))
    blanked, calcs = _blank_calcs(marked)
    try:
        tree = _parser().parse(blanked)
    except lark.exceptions.UnexpectedInput as exc:
        raise _syntax_error(source, exc) from None
    try:
        program = _ToAst(source, calcs).transform(tree)
    except lark.exceptions.VisitError as exc:  # a refusal raised while building the AST
        if isinstance(exc.orig_exc, (UnsupportedConstruct, DafnySyntaxError)):
            raise exc.orig_exc from None
        raise
    return positional(expand(flatten(program)))


def parse_expr(text: str) -> A.Expr:
    """Parse one expression (used for spec clauses given as text and in tests)."""
    prefix = "predicate method __expr__() {\n"
    program = parse(f"{prefix}{text}\n}}")
    func = program.decls[0]
    assert isinstance(func, A.Function) and func.body is not None
    return _shift_lines(func.body, -1, -len(prefix))


def _shift_lines(expr: A.Expr, delta: int, offset: int) -> A.Expr:
    import dataclasses

    def fix(node: Any) -> Any:
        if isinstance(node, A.Node):
            changes = {
                f.name: fix(getattr(node, f.name))
                for f in dataclasses.fields(node)
                if f.name != "pos"
            }
            p = node.pos
            pos = dataclasses.replace(
                p,
                line=p.line + delta,
                end_line=p.end_line + delta,
                start=p.start + offset,
                end=p.end + offset,
            )
            return dataclasses.replace(node, **changes, pos=pos)
        if isinstance(node, tuple):
            return tuple(fix(n) for n in node)
        return node

    return fix(expr)


# operators the grammar does not have, named by the construct they belong to
_UNSUPPORTED_OPERATORS = (
    ("||", None, ""),
    ("|", "bitwise or operators ('|' between two values)", "|"),
)


def _unsupported_operator(source: str, at: int) -> tuple[str, str] | None:
    """The construct of an operator the subset lacks at offset `at`, or None: a binary
    `|` then gets named instead of reported as an unexpected token."""
    for spelling, what, construct in _UNSUPPORTED_OPERATORS:
        if source.startswith(spelling, at):
            return (what, construct) if what else None
    return None


def _syntax_error(source: str, exc: lark.exceptions.UnexpectedInput) -> Exception:
    line = getattr(exc, "line", 0) or 0
    col = getattr(exc, "column", 0) or 0
    token = getattr(exc, "token", None)
    at = getattr(token, "start_pos", None) if token is not None else exc.pos_in_stream
    operator = _unsupported_operator(source, at) if isinstance(at, int) else None
    if operator is not None:
        what, construct = operator
        return UnsupportedConstruct(
            f"{what} are outside the supported Dafny subset",
            line=line,
            col=col,
            construct=construct,
            hint="see docs/compile.md for the supported subset",
        )
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        char = source[exc.pos_in_stream] if exc.pos_in_stream < len(source) else "end of input"
        return DafnySyntaxError(
            f"unexpected character {char!r}", line=line, col=col, construct=repr(char)
        )
    text = str(token) if token is not None else ""
    if token is not None and getattr(token, "type", "") == "$END":
        return DafnySyntaxError("unexpected end of input", line=line, col=col, construct="end")
    word = text if re.fullmatch(r"[A-Za-z_]\w*", text) else None
    if word not in _UNSUPPORTED_KEYWORDS and line:
        # `for i := ...`: the parser stops at `i`; the construct is the word before it
        before = source.splitlines()[line - 1][: max(col - 1, 0)]
        m = re.search(r"([A-Za-z_]\w*)\s*$", before)
        if m and m.group(1) in _UNSUPPORTED_KEYWORDS:
            word, col = m.group(1), m.start(1) + 1
    if word in _UNSUPPORTED_KEYWORDS:
        what = _UNSUPPORTED_KEYWORDS[word]
        return UnsupportedConstruct(
            f"{what} ('{word}') are outside the supported Dafny subset",
            line=line,
            col=col,
            construct=word,
            hint="see docs/compile.md for the supported subset",
        )
    expected = sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    shown = ", ".join(expected[:8]) + (", ..." if len(expected) > 8 else "")
    return DafnySyntaxError(
        f"unexpected {text!r}" + (f" (expected one of: {shown})" if shown else ""),
        line=line,
        col=col,
        construct=text,
    )


_CALC_RE = re.compile(r"\bcalc\b")


def _blank_calcs(source: str) -> tuple[str, dict[int, str]]:
    """Replace each `calc { ... }` by `calc;` padded with spaces (newlines kept).

    Returns the new text and, by start offset, the original text of each calc block.
    """
    code_mask = _code_mask(source)
    out = list(source)
    calcs: dict[int, str] = {}
    pos = 0
    while True:
        m = _CALC_RE.search(source, pos)
        if m is None:
            break
        start = m.start()
        if not code_mask[start]:
            pos = m.end()
            continue
        i = m.end()
        while i < len(source) and not (source[i] == "{" and code_mask[i]):
            i += 1
        depth = 0
        end = None
        while i < len(source):
            if code_mask[i]:
                if source[i] == "{":
                    depth += 1
                elif source[i] == "}":
                    depth -= 1
                    if depth == 0:
                        end = i + 1
                        break
            i += 1
        if end is None:
            break
        calcs[start] = source[start:end]
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "
        out[start : start + 5] = list("calc;")
        pos = end
    return "".join(out), calcs


_GENERIC_CALL_RE = re.compile(r"\b([A-Za-z_][\w?']*)\s*<")
_NEW_CLASS = re.compile(r"\bnew\s+[\w?'.]+\s*$")
_TYPE_TEXT = re.compile(r"[\w?'.,\s<>()]*")
_DECLARES = re.compile(r"\b(method|function|predicate|lemma|constructor|iterator|datatype|codatatype|class|"
                       r"trait|type|newtype)\b(\s*\{:[^}]*\})*\s*$")


def _blank_type_arguments(source: str) -> str:
    """`F<int>(x)`: explicit type arguments of a call are blanked (they have no compiled
    meaning, and an LR grammar cannot tell them from `<` before the `(`). Like Dafny's
    own lookahead, the `<...>` must close, hold only type text, and be followed by `(`
    — or, after `new C`, by `.`, `(` or `;` (`new Node<T>.Init()`, `new Ref<int>;`)."""
    mask = _code_mask(source)
    out = list(source)
    for m in _GENERIC_CALL_RE.finditer(source):
        start = m.end() - 1
        if not mask[start] or m.group(1) in ("seq", "set", "multiset", "map", "array", "iset", "imap"):
            continue
        if _DECLARES.search(source, max(0, m.start() - 200), m.start()):
            continue  # the type parameters of a declaration
        depth, i = 0, start
        while i < len(source):
            if source[i] == "<":
                depth += 1
            elif source[i] == ">":
                depth -= 1
                if depth == 0:
                    break
            elif not _TYPE_TEXT.fullmatch(source[i]) or source[i] in "\n":
                i = len(source)
                break
            i += 1
        if i >= len(source):
            continue
        follower = source[i + 1 : i + 2]
        after_new = _NEW_CLASS.search(source, max(0, m.start() - 100), m.end() - 1) is not None
        if follower != "(" and not (after_new and follower in (".", ";")):
            continue
        for k in range(start, i + 1):
            out[k] = " "
    return "".join(out)


_CASE_RE = re.compile(r"\bcase\b")


def _mark_case_arrows(source: str) -> str:
    """Each `=>` that ends a `case` head (a pattern, or the guard of an alternative `if`)
    becomes CASE_ARROW (one character and a space, so offsets are kept): Dafny finds that
    arrow by lookahead, and an LR grammar would read `case i < n =>` as a lambda `n => ...`."""
    mask = _code_mask(source)
    out = list(source)
    for m in _CASE_RE.finditer(source):
        if not mask[m.start()]:
            continue
        i, level = m.end(), 0
        while i < len(source) - 1:
            c = source[i]
            if mask[i] and c in "([{":
                level += 1
            elif mask[i] and c in ")]}":
                if level == 0:
                    break
                level -= 1
            elif mask[i] and level == 0 and source.startswith("=>", i) and source[i - 1] not in "=<":
                out[i], out[i + 1] = "\u21d2", " "
                break
            i += 1
    return "".join(out)


def _mark_lambda_parens(source: str) -> str:
    """The `(` that opens a lambda's parameter list becomes LAMBDA_OPEN (one character):
    a `(` not after a name, `)` or `]` (a call) whose `)` is followed by `=>` (the arrows
    of case heads are already marked)."""
    mask = _code_mask(source)
    out = list(source)
    for i, c in enumerate(source):
        if c != "(" or not mask[i]:
            continue
        j = i - 1
        while j >= 0 and source[j] in " \t\r\n":
            j -= 1
        word = re.search(r"[A-Za-z_][\w?']*$", source[: j + 1])
        keyword = word is not None and word.group(0) in ("return", "then", "else", "in")
        if j >= 0 and (source[j].isalnum() or source[j] in "_?')]") and not keyword:
            continue
        depth, k = 0, i
        while k < len(source):
            if mask[k] and source[k] in "([{":
                depth += 1
            elif mask[k] and source[k] in ")]}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        rest = source[k + 1 :].lstrip()
        if source[k : k + 1] == ")" and rest.startswith("=>"):
            out[i] = "\u27e8"
    return "".join(out)


_LAMBDA_SPEC_RE = re.compile(r"\b(requires|reads)\b")
# `f := x reads r => e` outside brackets: the parameter right after `:=` (or `:=` a list)
_LAMBDA_HEAD = re.compile(r":=\s*(?:[A-Za-z_][\w']*|\([^()]*\))\s*$")


def _blank_lambda_specs(source: str) -> str:
    """Blank out the `requires`/`reads` of a lambda (`i requires 0 <= i < n => a[i]`).

    They are proof only, and Dafny parses their expressions without lambdas, which an LR
    grammar with `x => e` cannot do. A lambda's specs are the only `requires`/`reads`
    inside parentheses or brackets (a declaration's clauses are outside its parameter
    list), so each one is blanked up to the `=>` at its own depth; offsets are kept. A
    lambda assigned outside brackets (`f := x reads r => e;`) is told by the `:=` before
    its parameter."""
    mask = _code_mask(source)
    depth = [0] * (len(source) + 1)
    d = 0
    for i, c in enumerate(source):
        depth[i] = d
        if mask[i] and c in "([":
            d += 1
        elif mask[i] and c in ")]":
            d -= 1
    out = list(source)
    for m in _LAMBDA_SPEC_RE.finditer(source):
        start = m.start()
        if not mask[start] or out[start] == " ":
            continue
        if depth[start] <= 0 and not _LAMBDA_HEAD.search(source, max(0, start - 200), start):
            continue  # a declaration's clause, not a lambda's
        i, level = m.end(), 0
        while i < len(source) - 1:
            if mask[i] and source[i] in "([{":
                level += 1
            elif mask[i] and source[i] in ")]}":
                if level == 0:
                    break
                level -= 1
            elif (mask[i] and level == 0 and source.startswith("=>", i)
                  and source[i - 1] not in "=<"):
                for k in range(start, i):
                    if out[k] != "\n":
                        out[k] = " "
                break
            i += 1
    return "".join(out)


def _code_mask(source: str) -> list[bool]:
    """True for characters outside comments, strings and char literals."""
    mask = [True] * len(source)
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            j = source.find("\n", i)
            j = n if j < 0 else j
        elif source.startswith("/*", i):
            j = source.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            j += 1
        elif c == "'" and re.match(r"'([^'\\\n]|\\.|\\u[0-9a-fA-F]{4})'", source[i:]):
            j = i + len(re.match(r"'([^'\\\n]|\\.|\\u[0-9a-fA-F]{4})'", source[i:]).group(0))
        else:
            i += 1
            continue
        for k in range(i, min(j, n)):
            mask[k] = False
        i = j
    return mask


def _pos(meta: Any) -> A.Pos:
    if getattr(meta, "empty", True):
        return A.NO_POS
    return A.Pos(
        line=meta.line,
        col=meta.column,
        end_line=meta.end_line,
        end_col=meta.end_column,
        start=meta.start_pos,
        end=meta.end_pos,
    )


def _tok_pos(tok: Token) -> A.Pos:
    return A.Pos(
        line=tok.line or 0,
        col=tok.column or 0,
        end_line=tok.end_line or 0,
        end_col=tok.end_column or 0,
        start=tok.start_pos or 0,
        end=tok.end_pos or 0,
    )


def _nodes(children: list[Any], cls: type = A.Node) -> list[Any]:
    return [c for c in children if isinstance(c, cls)]


def _tokens(children: list[Any], *types: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and (not types or c.type in types)]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def _unescape(body: str) -> str:
    """Dafny escapes (\\n \\t \\r \\0 \\\\ \\' \\" \\uXXXX) to the characters they mean."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u") and len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return _ESCAPE_RE.sub(one, body)


def _members(ch: list[Any]) -> tuple[tuple[A.Decl, ...], frozenset[str]]:
    """The members of a class or datatype body, and the names of the static ones."""
    members: list[A.Decl] = []
    statics: set[str] = set()
    for c in ch:
        if isinstance(c, tuple) and c and c[0] == "static":
            statics.add(c[1].name)
            members.append(c[1])
        elif isinstance(c, tuple) and c and c[0] == "fields":
            members.extend(c[1])
        elif isinstance(c, A.Decl):
            members.append(c)
    return tuple(members), frozenset(statics)


def _literal_base(constraint: A.Expr) -> A.Type | None:
    """`type Num = x | 0 <= x < 10`: Dafny infers the base type; here it is the one kind
    of literal the constraint compares with (int, real or char), if there is exactly one."""
    kinds = {A.IntLit: "int", A.RealLit: "real", A.CharLit: "char"}
    found = {kinds[type(n)] for n in A.walk(constraint) if type(n) in kinds}
    return A.Type(found.pop()) if len(found) == 1 else None


@v_args(meta=True)
class _ToAst(Transformer):
    def __init__(self, source: str, calcs: dict[int, str]) -> None:
        super().__init__()
        self.source = source
        self.calcs = calcs

    # -------------------------------------------------------------- helpers
    def _unsupported(self, meta: Any, what: str, construct: str) -> UnsupportedConstruct:
        p = _pos(meta)
        return UnsupportedConstruct(
            f"{what} are outside the supported Dafny subset",
            line=p.line,
            col=p.col,
            construct=construct,
        )

    # -------------------------------------------------------------- program
    def start(self, meta: Any, ch: list[Any]) -> A.Program:
        return A.Program(tuple(_nodes(ch, A.Decl)), pos=_pos(meta))

    def export_decl(self, meta: Any, ch: list[Any]) -> None:
        return None  # dropped: see the grammar

    def method_decl(self, meta: Any, ch: list[Any]) -> A.Method:
        kind_ghost, *rest = ch
        ghost, kind = kind_ghost
        attrs = tuple(_nodes(rest, A.Attribute))
        name = _tokens(rest, "IDENT")[0]
        tparams = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "tparams"), ())
        params = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "params"), ())
        outs = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "returns"), ())
        clauses = tuple(_nodes(rest, A.Clause))
        body = next((c for c in rest if isinstance(c, A.Block)), None)
        return A.Method(
            str(name),
            kind=kind,
            ghost=ghost,
            attributes=attrs,
            type_params=tparams,
            params=params,
            returns=outs,
            clauses=clauses,
            body=body,
            pos=_pos(meta),
        )

    def method_kind(self, meta: Any, ch: list[Any]) -> tuple[bool, str]:
        toks = _tokens(ch)
        ghost = any(t.type in ("GHOST", "PROOF_ONLY", "COLEMMA") for t in toks)
        return (ghost, "lemma" if toks[-1].type == "COLEMMA" else str(toks[-1]))

    def returns(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.Param, ...]]:
        params = next((c[1] for c in ch if isinstance(c, tuple)), ())
        return ("returns", params)

    def function_kind(self, meta: Any, ch: list[Any]) -> tuple[bool, str, bool]:
        toks = _tokens(ch)
        ghost = any(t.type in ("GHOST", "PROOF_ONLY", "COPREDICATE") for t in toks)
        kind = next(("predicate" if t.type == "COPREDICATE" else str(t)) for t in toks
                    if t.type in ("FUNCTION", "PREDICATE", "COPREDICATE"))
        return (ghost, kind, any(t.type == "METHOD" for t in toks))

    def function_decl(self, meta: Any, ch: list[Any]) -> A.Function:
        (ghost, kind, is_method), *rest = ch
        attrs = tuple(_nodes(rest, A.Attribute))
        name = _tokens(rest, "IDENT")[0]
        tparams = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "tparams"), ())
        params = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "params"), ())
        named = next((c for c in rest if isinstance(c, tuple) and c[0] == "result_name"), None)
        result = named[2] if named else next((c for c in rest if isinstance(c, A.Type)), None)
        if result is None and kind == "predicate":
            result = A.Type("bool")
        clauses = tuple(_nodes(rest, A.Clause))
        body = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "fbody"), None)
        by_method = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "by_method"), None)
        result_name = named[1] if named else ""
        return A.Function(
            str(name),
            kind=kind,
            is_method=is_method,
            ghost=ghost,
            attributes=attrs,
            type_params=tparams,
            params=params,
            result=result,
            clauses=clauses,
            body=body,
            by_method=by_method,
            result_name=result_name,
            pos=_pos(meta),
        )

    def by_method(self, meta: Any, ch: list[Any]) -> tuple[str, A.Block]:
        return ("by_method", _nodes(ch, A.Block)[0])

    def named_result(self, meta: Any, ch: list[Any]) -> tuple[str, str, A.Type]:
        return ("result_name", str(_tokens(ch, "IDENT")[0]), _nodes(ch, A.Type)[0])

    def clause_label(self, meta: Any, ch: list[Any]) -> tuple[str, str]:
        return ("label", str(ch[0]))

    def fbody(self, meta: Any, ch: list[Any]) -> tuple[str, A.Expr]:
        return ("fbody", ch[0])

    def datatype_decl(self, meta: Any, ch: list[Any]) -> A.Datatype:
        name = _tokens(ch, "IDENT")[0]
        tparams = next((c[1] for c in ch if isinstance(c, tuple) and c[0] == "tparams"), ())
        members, statics = next((c[1:] for c in ch if isinstance(c, tuple) and c[0] == "members"), ((), frozenset()))
        return A.Datatype(
            str(name),
            type_params=tparams,
            ctors=tuple(_nodes(ch, A.Constructor)),
            attributes=tuple(_nodes(ch, A.Attribute)),
            members=members,
            statics=statics,
            pos=_pos(meta),
        )

    def datatype_members(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.Decl, ...], frozenset[str]]:
        return ("members", *_members(ch))

    def _type_decl(self, meta: Any, ch: list[Any], rhs: A.Type | None, **kw: Any) -> A.TypeDecl:
        kind = str(_tokens(ch, "TYPE", "NEWTYPE")[0])
        name = _tokens(ch, "IDENT")[0]
        tparams = next((c[1] for c in ch if isinstance(c, tuple) and c[0] == "tparams"), ())
        return A.TypeDecl(str(name), kind=kind, type_params=tparams, rhs=rhs,
                          attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta), **kw)

    def type_synonym(self, meta: Any, ch: list[Any]) -> A.TypeDecl:
        return self._type_decl(meta, ch, _nodes(ch, A.Type)[-1])

    def subset_type(self, meta: Any, ch: list[Any]) -> A.TypeDecl:
        var = _tokens(ch, "IDENT")[1]
        constraint = next(c for c in ch if isinstance(c, A.Expr))
        base = next(iter(_nodes(ch, A.Type)), None) or _literal_base(constraint)
        if base is None:
            raise self._unsupported(
                meta, "subset types without the base type written (write `x: T | ...`)", "type")
        return self._type_decl(meta, ch, base, var=str(var), constraint=constraint)

    def opaque_type(self, meta: Any, ch: list[Any]) -> A.TypeDecl:
        return self._type_decl(meta, ch, None)

    def witness(self, meta: Any, ch: list[Any]) -> tuple[str, None]:
        return ("witness", None)

    def ctor(self, meta: Any, ch: list[Any]) -> A.Constructor:
        name = _tokens(ch, "IDENT")[0]
        fields = next((c for c in ch if isinstance(c, tuple)), ())
        return A.Constructor(
            str(name), fields, attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta)
        )

    def ctor_fields(self, meta: Any, ch: list[Any]) -> tuple[A.Param, ...]:
        return tuple(ch)

    def named_field(self, meta: Any, ch: list[Any]) -> A.Param:
        ghost = bool(_tokens(ch, "GHOST"))
        name = _tokens(ch, "IDENT")[0]
        return A.Param(str(name), _nodes(ch, A.Type)[0], ghost=ghost, pos=_pos(meta))

    def anon_field(self, meta: Any, ch: list[Any]) -> A.Param:
        return A.Param("", ch[0], pos=_pos(meta))

    def const_decl(self, meta: Any, ch: list[Any]) -> A.Const:
        name = _tokens(ch, "IDENT")[0]
        typ = next((c for c in ch if isinstance(c, A.Type)), None)
        value = _nodes(ch, A.Expr)[-1]
        return A.Const(
            str(name), type=typ, value=value, ghost=bool(_tokens(ch, "GHOST")), pos=_pos(meta)
        )

    def type_params(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[str, ...]]:
        return ("tparams", tuple(ch))

    def type_param(self, meta: Any, ch: list[Any]) -> str:
        return str(_tokens(ch, "IDENT")[0])

    def params(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.Param, ...]]:
        return ("params", tuple(ch))

    def param(self, meta: Any, ch: list[Any]) -> A.Param:
        name = _tokens(ch, "IDENT")[0]
        return A.Param(
            str(name), _nodes(ch, A.Type)[0], ghost=bool(_tokens(ch, "GHOST")), pos=_pos(meta)
        )

    def _clause(self, kind: str, meta: Any, ch: list[Any]) -> A.Clause:
        exprs: list[A.Expr] = []
        for c in ch:
            if isinstance(c, tuple) and c and c[0] == "exprs":
                exprs.extend(c[1])
            elif isinstance(c, A.Expr):
                exprs.append(c)
        return A.Clause(
            kind, tuple(exprs), attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta)
        )

    def requires_clause(self, meta: Any, ch: list[Any]) -> A.Clause:
        return self._clause("requires", meta, ch)

    def ensures_clause(self, meta: Any, ch: list[Any]) -> A.Clause:
        return self._clause("ensures", meta, ch)

    def modifies_clause(self, meta: Any, ch: list[Any]) -> A.Clause:
        return self._clause("modifies", meta, ch)

    def reads_clause(self, meta: Any, ch: list[Any]) -> A.Clause:
        return self._clause("reads", meta, ch)

    def decreases_clause(self, meta: Any, ch: list[Any]) -> A.Clause:
        return self._clause("decreases", meta, ch)

    def frame_list(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.Expr, ...]]:
        return ("exprs", tuple(ch))

    def decreases_list(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.Expr, ...]]:
        return ("exprs", tuple(ch))

    def decreases_star(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.Expr, ...]]:
        return ("exprs", (A.Name("*", pos=_pos(meta)),))

    def attribute(self, meta: Any, ch: list[Any]) -> A.Attribute:
        name = _tokens(ch, "IDENT")[0]
        return A.Attribute(str(name), tuple(_nodes(ch, A.Expr)), pos=_pos(meta))

    # -------------------------------------------------------------- types
    def named_type(self, meta: Any, ch: list[Any]) -> A.Type:
        name = ch[0]
        args = tuple(_nodes(ch[1:], A.Type))
        if name == "string":
            return A.Type("seq", (A.Type("char"),), pos=_pos(meta))
        return A.Type(name, args, pos=_pos(meta))

    def type_name(self, meta: Any, ch: list[Any]) -> str:
        return ".".join(str(c) for c in ch)  # `M.T` is resolved by dafny_modules

    def class_decl(self, meta: Any, ch: list[Any]) -> A.Class:
        name = _tokens(ch, "IDENT")[0]
        tparams = next((c[1] for c in ch if isinstance(c, tuple) and c[0] == "tparams"), ())
        parents = next((c[1] for c in ch if isinstance(c, tuple) and c[0] == "extends"), ())
        trait = bool(_tokens(ch, "TRAIT"))
        return A.Class(str(name), tparams, *_members(ch), trait=trait, parents=parents, pos=_pos(meta))

    def extends(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[str, ...]]:
        """The traits' names (a generic trait's type arguments only matter to the verifier)."""
        return ("extends", tuple(t.name.rpartition(".")[2] for t in _nodes(ch, A.Type)))

    def top_static(self, meta: Any, ch: list[Any]) -> A.Decl:
        return _nodes(ch, A.Decl)[0]

    def static_member(self, meta: Any, ch: list[Any]) -> tuple[str, A.Decl]:
        return ("static", _nodes(ch, A.Decl)[0])

    def field_decl(self, meta: Any, ch: list[Any]) -> tuple[str, tuple[A.FieldDecl, ...]]:
        ghost = bool(_tokens(ch, "GHOST"))
        fields = tuple(dataclasses.replace(f, ghost=ghost) for f in _nodes(ch, A.FieldDecl))
        return ("fields", fields)

    def const_field(self, meta: Any, ch: list[Any]) -> A.FieldDecl:
        """`const c: T` without a value: a class's constant set by its constructor."""
        return A.FieldDecl(str(_tokens(ch, "IDENT")[0]), _nodes(ch, A.Type)[0],
                           ghost=bool(_tokens(ch, "GHOST")), pos=_pos(meta))

    def field_var(self, meta: Any, ch: list[Any]) -> A.FieldDecl:
        return A.FieldDecl(str(_tokens(ch, "IDENT")[0]), _nodes(ch, A.Type)[0], pos=_pos(meta))

    def constructor_decl(self, meta: Any, ch: list[Any]) -> A.Method:
        name = _tokens(ch, "IDENT")
        params = next((c[1] for c in ch if isinstance(c, tuple) and c[0] == "params"), ())
        return A.Method(
            str(name[0]) if name else "",
            kind="constructor",
            ghost=False,
            attributes=tuple(_nodes(ch, A.Attribute)),
            type_params=(),
            params=params,
            returns=(),
            clauses=tuple(_nodes(ch, A.Clause)),
            body=next((c for c in ch if isinstance(c, A.Block)), None),
            pos=_pos(meta),
        )

    def frame_field(self, meta: Any, ch: list[Any]) -> A.Expr:
        """`o`f`, or `` `f`` alone: the field `f` of `this`."""
        obj = next(iter(_nodes(ch, A.Expr)), None) or A.ThisExpr(pos=_pos(meta))
        return A.Field(obj, str(_tokens(ch, "IDENT")[-1]), pos=_pos(meta))

    def new_object(self, meta: Any, ch: list[Any]) -> A.NewObject:
        # `new M.C.Init(...)`: which part is the class is decided with the program
        # (dafny_emit_expr), so the whole dotted name is kept
        dotted = ".".join(str(c) for c in ch if isinstance(c, str))
        args = next((c for c in ch if isinstance(c, tuple)), ())
        return A.NewObject(dotted, "", tuple(args), pos=_pos(meta))

    def module_decl(self, meta: Any, ch: list[Any]) -> A.Module:
        name = next(c for c in ch if isinstance(c, str) and not isinstance(c, Token))
        return A.Module(name, tuple(_nodes(ch, A.Decl)), pos=_pos(meta))

    def import_decl(self, meta: Any, ch: list[Any]) -> A.Import:
        names = [c for c in ch if isinstance(c, str) and not isinstance(c, Token)]
        opened = bool(_tokens(ch, "OPENED"))
        local = names[0].rpartition(".")[2]
        return A.Import(local, target=names[-1], opened=opened, pos=_pos(meta))

    def dotted_name(self, meta: Any, ch: list[Any]) -> str:
        return ".".join(str(c) for c in ch)

    def tuple_type(self, meta: Any, ch: list[Any]) -> A.Type:
        return A.Type("tuple", tuple(ch), pos=_pos(meta))

    def fun_type(self, meta: Any, ch: list[Any]) -> A.Type:
        """`A -> B`, `(A, B) -> C` (also `-->` and `~>`: the same values when compiled)."""
        left, right = _nodes(ch, A.Type)
        params = left.args if left.name == "tuple" else (left,)
        return A.Type("->", (*params, right), pos=_pos(meta))

    def unit_type(self, meta: Any, ch: list[Any]) -> A.Type:
        return A.Type("tuple", (), pos=_pos(meta))

    # -------------------------------------------------------------- statements
    def block(self, meta: Any, ch: list[Any]) -> A.Block:
        """`var C(x, y) := e; rest` (a pattern the verifier proved to match) is
        `match e { case C(x, y) => rest }`: the rest of the block binds the names."""
        stmts: list[A.Stmt] = []
        for k, s in enumerate(ch):
            if isinstance(s, tuple) and s[0] == "var_pattern":
                _, pattern, value, pos = s
                rest = self.block(meta, ch[k + 1 :]).stmts
                stmts.append(A.MatchStmt(value, (A.StmtCase(pattern, rest, pos=pos),), pos=pos))
                break
            stmts.append(s)
        return A.Block(tuple(stmts), pos=_pos(meta))

    def var_pattern(self, meta: Any, ch: list[Any]) -> tuple[str, A.Pattern, A.Expr, A.Pos]:
        name, *parts, value = ch
        pattern = A.PatCtor(str(name), tuple(_nodes(parts, A.Pattern)), pos=_pos(meta))
        return ("var_pattern", pattern, value, _pos(meta))

    def var_decl(self, meta: Any, ch: list[Any]) -> A.VarDecl:
        ghost = bool(_tokens(ch, "GHOST"))
        binders = next(c for c in ch if isinstance(c, tuple))
        values = tuple(_nodes(ch, A.Expr))
        return A.VarDecl(binders, values or None, ghost=ghost, pos=_pos(meta))

    def var_tuple(self, meta: Any, ch: list[Any]) -> A.VarDecl:
        """`var (a, b) := e;`: a tuple taken apart, like `var a, b := M();`."""
        ghost = bool(_tokens(ch, "GHOST"))
        binders = next(c for c in ch if isinstance(c, tuple))
        return A.VarDecl(binders, tuple(_nodes(ch, A.Expr)), ghost=ghost, pos=_pos(meta))

    def local_vars(self, meta: Any, ch: list[Any]) -> tuple[A.Binder, ...]:
        return tuple(ch)

    def local_var(self, meta: Any, ch: list[Any]) -> A.Binder:
        name = _tokens(ch, "IDENT")[0]
        typ = next((c for c in ch if isinstance(c, A.Type)), None)
        return A.Binder(str(name), typ, pos=_pos(meta))

    def var_such_that(self, meta: Any, ch: list[Any]) -> A.VarSuchThat:
        binders = next(c for c in ch if isinstance(c, tuple))
        return A.VarSuchThat(
            binders, _nodes(ch, A.Expr)[-1], ghost=bool(_tokens(ch, "GHOST")), pos=_pos(meta)
        )

    def assign_such_that(self, meta: Any, ch: list[Any]) -> A.AssignSuchThat:
        exprs = _nodes(ch, A.Expr)
        return A.AssignSuchThat(tuple(exprs[:-1]), exprs[-1], pos=_pos(meta))

    def assign(self, meta: Any, ch: list[Any]) -> A.Assign:
        # children: lhs..., rhs... ; the ':=' token is anonymous, so split by source order
        exprs = _nodes(ch, A.Expr)
        text = self.source[meta.start_pos : meta.end_pos]
        n_targets = _count_targets(text)
        return A.Assign(tuple(exprs[:n_targets]), tuple(exprs[n_targets:]), pos=_pos(meta))

    def call_stmt(self, meta: Any, ch: list[Any]) -> A.CallStmt:
        return A.CallStmt(ch[0], pos=_pos(meta))

    def elem_type(self, meta: Any, ch: list[Any]) -> A.Type:
        """`new [n]` leaves the element type to inference: `?` until the target's type gives it."""
        return ch[0] if ch else A.Type("?", pos=_pos(meta))

    def new_array(self, meta: Any, ch: list[Any]) -> A.NewArray:
        return A.NewArray(ch[0], (ch[1],), pos=_pos(meta))

    def new_array_init(self, meta: Any, ch: list[Any]) -> A.NewArray:
        return A.NewArray(ch[0], (ch[1],), ch[2], pos=_pos(meta))

    def new_array_display(self, meta: Any, ch: list[Any]) -> A.NewArray:
        elem_type, *rest = ch
        elements = next((c for c in rest if isinstance(c, tuple)), ())
        size = _nodes(rest, A.Expr)
        return A.NewArray(elem_type, tuple(size), elements=tuple(elements), pos=_pos(meta))

    def new_multi_array(self, meta: Any, ch: list[Any]) -> A.NewArray:
        return A.NewArray(ch[0], tuple(ch[1:]), pos=_pos(meta))

    def new_multi_array_init(self, meta: Any, ch: list[Any]) -> A.NewArray:
        return A.NewArray(ch[0], tuple(ch[1:-1]), ch[-1], pos=_pos(meta))

    def havoc(self, meta: Any, ch: list[Any]) -> A.Havoc:
        return A.Havoc(pos=_pos(meta))

    def if_stmt(self, meta: Any, ch: list[Any]) -> A.If:
        cond, then, *rest = ch
        return A.If(cond, then, rest[0] if rest else None, pos=_pos(meta))

    def if_such_that(self, meta: Any, ch: list[Any]) -> A.IfSuchThat:
        binders, cond, then, *rest = ch
        return A.IfSuchThat(binders, cond, then, rest[0] if rest else None, pos=_pos(meta))

    def if_star(self, meta: Any, ch: list[Any]) -> A.If:
        then, *rest = ch
        return A.If(None, then, rest[0] if rest else None, pos=_pos(meta))

    def if_alt(self, meta: Any, ch: list[Any]) -> A.If:
        """`if case g1 => S1 case g2 => S2`: Dafny's compiler tries the guards in order
        (the verifier proved one holds), so it is an if/else-if chain."""
        chain: A.If | None = None
        for guard, body in reversed([c for c in ch if isinstance(c, tuple)]):
            chain = A.If(guard, body, chain, pos=guard.pos if chain is not None else _pos(meta))
        assert chain is not None
        return dataclasses.replace(chain, pos=_pos(meta))

    def alt_case(self, meta: Any, ch: list[Any]) -> tuple[A.Expr, A.Block]:
        guard = _nodes(ch, A.Expr)[0]
        return (guard, A.Block(tuple(_nodes(ch, A.Stmt)), pos=_pos(meta)))

    def while_stmt(self, meta: Any, ch: list[Any]) -> A.While:
        cond, *rest = ch
        return A.While(
            cond, tuple(_nodes(rest, A.LoopSpec)), _nodes(rest, A.Block)[-1], pos=_pos(meta)
        )

    def bodyless_loop(self, meta: Any, ch: list[Any]) -> A.BodylessLoop:
        return A.BodylessLoop(pos=_pos(meta))

    def while_star(self, meta: Any, ch: list[Any]) -> A.While:
        return A.While(None, tuple(_nodes(ch, A.LoopSpec)), _nodes(ch, A.Block)[-1], pos=_pos(meta))

    def _loop_spec(self, kind: str, meta: Any, ch: list[Any]) -> A.LoopSpec:
        clause = self._clause(kind, meta, ch)
        return A.LoopSpec(kind, clause.exprs, attributes=clause.attributes, pos=_pos(meta))

    def invariant(self, meta: Any, ch: list[Any]) -> A.LoopSpec:
        return self._loop_spec("invariant", meta, ch)

    def loop_decreases(self, meta: Any, ch: list[Any]) -> A.LoopSpec:
        return self._loop_spec("decreases", meta, ch)

    def loop_modifies(self, meta: Any, ch: list[Any]) -> A.LoopSpec:
        return self._loop_spec("modifies", meta, ch)

    def return_stmt(self, meta: Any, ch: list[Any]) -> A.Return:
        return A.Return(tuple(_nodes(ch, A.Expr)), pos=_pos(meta))

    def break_stmt(self, meta: Any, ch: list[Any]) -> A.Break:
        label = _tokens(ch, "IDENT")
        return A.Break(str(label[0]) if label else "", pos=_pos(meta))

    def break_outer(self, meta: Any, ch: list[Any]) -> A.Break:
        levels = self.source[meta.start_pos : meta.end_pos].count("break")
        return A.Break(levels=levels, pos=_pos(meta))

    def continue_stmt(self, meta: Any, ch: list[Any]) -> A.Continue:
        label = _tokens(ch, "IDENT")
        return A.Continue(str(label[0]) if label else "", pos=_pos(meta))

    def labeled_stmt(self, meta: Any, ch: list[Any]) -> A.Labeled:
        return A.Labeled(str(_tokens(ch, "IDENT")[0]), _nodes(ch, A.Stmt)[0], pos=_pos(meta))

    def for_stmt(self, meta: Any, ch: list[Any]) -> A.For:
        name = _tokens(ch, "IDENT")[0]
        typ = next((c for c in ch if isinstance(c, A.Type)), None)
        start, end = _nodes(ch, A.Expr)[:2]
        down = str(_tokens(ch, "FOR_DIR")[0]) == "downto"
        return A.For(A.Binder(str(name), typ, pos=_tok_pos(name)), start, end, down,
                     tuple(_nodes(ch, A.LoopSpec)), _nodes(ch, A.Block)[-1], pos=_pos(meta))

    def assert_stmt(self, meta: Any, ch: list[Any]) -> A.Assert:
        return A.Assert(
            _nodes(ch, A.Expr)[0],
            next((c for c in ch if isinstance(c, A.Block)), None),
            attributes=tuple(_nodes(ch, A.Attribute)),
            pos=_pos(meta),
        )

    def assume_stmt(self, meta: Any, ch: list[Any]) -> A.Assume:
        return A.Assume(
            _nodes(ch, A.Expr)[0], attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta)
        )

    def stmt_expr(self, meta: Any, ch: list[Any]) -> A.StmtExpr:
        return A.StmtExpr(ch[0], ch[1], pos=_pos(meta))

    def expect_stmt(self, meta: Any, ch: list[Any]) -> A.Expect:
        return A.Expect(ch[0], ch[1] if len(ch) > 1 else None, pos=_pos(meta))

    def print_stmt(self, meta: Any, ch: list[Any]) -> A.Print:
        return A.Print(tuple(ch), pos=_pos(meta))

    def reveal_stmt(self, meta: Any, ch: list[Any]) -> A.Reveal:
        return A.Reveal(tuple(ch), pos=_pos(meta))

    def calc_stmt(self, meta: Any, ch: list[Any]) -> A.Calc:
        return A.Calc(self.calcs.get(meta.start_pos, "calc"), pos=_pos(meta))

    def forall_stmt(self, meta: Any, ch: list[Any]) -> A.ForallStmt:
        binders = next(c for c in ch if isinstance(c, tuple) and c and isinstance(c[0], A.Binder))
        rng = next((c[1] for c in ch if isinstance(c, tuple) and c and c[0] == "range"), None)
        ensures = tuple(c[1] for c in ch if isinstance(c, tuple) and c and c[0] == "ensures")
        body = next((c for c in ch if isinstance(c, A.Block)), None)
        return A.ForallStmt(binders, rng, ensures, body, pos=_pos(meta))

    def forall_ensures(self, meta: Any, ch: list[Any]) -> tuple[str, A.Expr]:
        return ("ensures", _nodes(ch, A.Expr)[0])

    def match_stmt(self, meta: Any, ch: list[Any]) -> A.MatchStmt:
        return A.MatchStmt(ch[0], tuple(_nodes(ch[1:], A.StmtCase)), pos=_pos(meta))

    def stmt_case(self, meta: Any, ch: list[Any]) -> A.StmtCase:
        return A.StmtCase(ch[0], tuple(_nodes(ch[1:], A.Stmt)), pos=_pos(meta))

    # -------------------------------------------------------------- expressions
    def _bin(self, op: str, meta: Any, ch: list[Any]) -> A.BinOp:
        left, right = _nodes(ch, A.Expr)
        return A.BinOp(op, left, right, pos=_pos(meta))

    def equiv_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("<==>", meta, ch)

    def implies_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("==>", meta, ch)

    def explies_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("<==", meta, ch)

    def _chain(self, op: str, meta: Any, ch: list[Any]) -> A.Expr:
        parts = _nodes(ch, A.Expr)
        acc = parts[0]
        for i, part in enumerate(parts[1:], start=2):
            whole = i == len(parts)  # the outermost node spans the whole chain text
            acc = A.BinOp(op, acc, part, pos=_pos(meta) if whole else _span(acc.pos, part.pos))
        return acc

    def and_chain(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._chain("&&", meta, ch)

    def or_chain(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._chain("||", meta, ch)

    def rel_chain(self, meta: Any, ch: list[Any]) -> A.Expr:
        operands = [c for c in ch if isinstance(c, A.Expr)]
        ops = [c for c in ch if isinstance(c, str) and not isinstance(c, A.Node)]
        if len(ops) == 1:
            return A.BinOp(ops[0], operands[0], operands[1], pos=_pos(meta))
        return A.Chain(tuple(operands), tuple(ops), pos=_pos(meta))

    def rel_op(self, meta: Any, ch: list[Any]) -> str:
        return str(ch[0])

    def add_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("+", meta, ch)

    def sub_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("-", meta, ch)

    def shl_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("<<", meta, ch)

    def shr_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin(">>", meta, ch)

    def band_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("&", meta, ch)

    def bxor_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("^", meta, ch)

    def mul_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("*", meta, ch)

    def div_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("/", meta, ch)

    def mod_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return self._bin("%", meta, ch)

    def as_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        operand = _nodes(ch, A.Expr)[0]
        tok = _tokens(ch, "IDENT")[-1]
        return A.AsExpr(operand, A.Type(str(tok), pos=_tok_pos(tok)), pos=_pos(meta))

    def neg(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.UnaryOp("-", _nodes(ch, A.Expr)[0], pos=_pos(meta))

    def not_op(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.UnaryOp("!", _nodes(ch, A.Expr)[0], pos=_pos(meta))

    def field(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.Field(ch[0], ch[1], pos=_pos(meta))

    def member(self, meta: Any, ch: list[Any]) -> str:
        return str(ch[0])

    def index(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.Index(ch[0], ch[1], pos=_pos(meta))

    def multi_index(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.MultiIndex(ch[0], tuple(ch[1:]), pos=_pos(meta))

    def slice(self, meta: Any, ch: list[Any]) -> A.Expr:
        seq = ch[0]
        lo = next((c[1] for c in ch[1:] if isinstance(c, tuple)), None)
        his = [c for c in ch[1:] if isinstance(c, A.Expr)]
        return A.Slice(seq, lo, his[0] if his else None, pos=_pos(meta))

    def slice_lo(self, meta: Any, ch: list[Any]) -> tuple[str, A.Expr]:
        return ("lo", ch[0])

    def update(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.Update(ch[0], ch[1], ch[2], pos=_pos(meta))

    def datatype_update(self, meta: Any, ch: list[Any]) -> A.Expr:
        obj, *rest = ch
        names = [str(t) for t in rest if isinstance(t, Token)]
        values = [e for e in rest if isinstance(e, A.Expr)]
        return A.DatatypeUpdate(obj, tuple(zip(names, values, strict=True)), pos=_pos(meta))

    def call(self, meta: Any, ch: list[Any]) -> A.Expr:
        args = next((c for c in ch[1:] if isinstance(c, tuple)), ())
        return A.Call(ch[0], args, pos=_pos(meta))

    def args(self, meta: Any, ch: list[Any]) -> tuple[A.Expr, ...]:
        return tuple(ch)

    def named_arg(self, meta: Any, ch: list[Any]) -> A.NamedArg:
        return A.NamedArg(str(ch[0]), ch[1], pos=_pos(meta))

    def int_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.IntLit(int(str(ch[0]).replace("_", "")), pos=_pos(meta))

    def hex_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.IntLit(int(str(ch[0]).replace("_", ""), 16), pos=_pos(meta))

    def real_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.RealLit(str(ch[0]), pos=_pos(meta))

    def true_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.BoolLit(True, pos=_pos(meta))

    def false_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.BoolLit(False, pos=_pos(meta))

    def null_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.NullLit(pos=_pos(meta))

    def this_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.ThisExpr(pos=_pos(meta))

    def char_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.CharLit(_unescape(str(ch[0])[1:-1]), pos=_pos(meta))

    def string_lit(self, meta: Any, ch: list[Any]) -> A.Expr:
        text = str(ch[0])
        verbatim = text.startswith("@")
        value = text[2:-1].replace('""', '"') if verbatim else _unescape(text[1:-1])
        return A.StringLit(value, pos=_pos(meta))

    def name(self, meta: Any, ch: list[Any]) -> A.Expr:
        if ch[0] == "this":  # `this.f := v`: a left-hand side starts with a name
            return A.ThisExpr(pos=_pos(meta))
        return A.Name(str(ch[0]), pos=_pos(meta))

    def tuple_display(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.TupleDisplay(tuple(ch), pos=_pos(meta))

    def card(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.Cardinality(ch[0], pos=_pos(meta))

    def seq_display(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.SeqDisplay(ch[0] if ch else (), pos=_pos(meta))

    def set_display(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.SetDisplay(ch[0] if ch else (), pos=_pos(meta))

    def multiset_display(self, meta: Any, ch: list[Any]) -> A.Expr:
        args = next((c for c in ch if isinstance(c, tuple)), ())
        return A.MultisetDisplay(args, pos=_pos(meta))

    def multiset_of(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.MultisetOf(_nodes(ch, A.Expr)[0], pos=_pos(meta))

    def map_display(self, meta: Any, ch: list[Any]) -> A.Expr:
        items = next((c for c in ch if isinstance(c, list)), [])
        return A.MapDisplay(tuple(items), pos=_pos(meta))

    def map_items(self, meta: Any, ch: list[Any]) -> list[tuple[A.Expr, A.Expr]]:
        return list(ch)

    def map_item(self, meta: Any, ch: list[Any]) -> tuple[A.Expr, A.Expr]:
        return (ch[0], ch[1])

    def old(self, meta: Any, ch: list[Any]) -> A.Expr:
        label = _tokens(ch, "IDENT")
        return A.Old(_nodes(ch, A.Expr)[0], str(label[0]) if label else "", pos=_pos(meta))

    def fresh(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.Fresh(ch[0], pos=_pos(meta))

    def seq_constructor(self, meta: Any, ch: list[Any]) -> A.Expr:
        length, init = _nodes(ch, A.Expr)
        return A.SeqConstructor(length, init, pos=_pos(meta))

    def lambda_expr(self, meta: Any, ch: list[Any]) -> A.Expr:
        body = ch[-1]
        if isinstance(ch[0], Token) and ch[0].type == "IDENT":
            return A.Lambda(str(ch[0]), body, pos=_pos(meta))
        binders = tuple(_nodes(ch[:-1], A.Binder))
        first = binders[0].name if len(binders) == 1 else ""
        return A.Lambda(first, body, binders=binders, pos=_pos(meta))

    def if_expr(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.IfExpr(ch[0], ch[1], ch[2], pos=_pos(meta))

    def quant(self, meta: Any, ch: list[Any]) -> str:
        return str(ch[0])

    def quant_range(self, meta: Any, ch: list[Any]) -> tuple[str, A.Expr]:
        return ("range", ch[0])

    def comp_body(self, meta: Any, ch: list[Any]) -> tuple[str, A.Expr]:
        return ("body", ch[0])

    def quantifier(self, meta: Any, ch: list[Any]) -> A.Expr:
        kind = ch[0]
        binders = ch[1]
        rng = next((c[1] for c in ch if isinstance(c, tuple) and c and c[0] == "range"), None)
        body = _nodes(ch, A.Expr)[-1]
        return A.Quantifier(
            kind, binders, rng, body, attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta)
        )

    def set_comp(self, meta: Any, ch: list[Any]) -> A.Expr:
        if str(ch[0]) == "iset":
            raise self._unsupported(meta, "infinite sets (iset)", "iset")
        binders = ch[1]
        exprs = _nodes(ch, A.Expr)
        body = next((c[1] for c in ch if isinstance(c, tuple) and c and c[0] == "body"), None)
        return A.SetComprehension(
            binders, exprs[0], body, attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta)
        )

    def map_comp(self, meta: Any, ch: list[Any]) -> A.Expr:
        binders = ch[1]
        exprs = _nodes(ch, A.Expr)
        if len(exprs) == 3:
            rng, key, value = exprs
        else:
            (rng, value), key = exprs, None
        return A.MapComprehension(
            binders, rng, key, value, attributes=tuple(_nodes(ch, A.Attribute)), pos=_pos(meta)
        )

    def binders(self, meta: Any, ch: list[Any]) -> tuple[A.Binder, ...]:
        return tuple(ch)

    def binder(self, meta: Any, ch: list[Any]) -> A.Binder:
        name = _tokens(ch, "IDENT")[0]
        typ = next((c for c in ch if isinstance(c, A.Type)), None)
        return A.Binder(str(name), typ, pos=_pos(meta))

    def let_expr(self, meta: Any, ch: list[Any]) -> A.Expr:
        binders = ch[0]
        exprs = _nodes(ch[1:], A.Expr)
        return A.LetExpr(binders, tuple(exprs[:-1]), exprs[-1], pos=_pos(meta))

    def let_tuple(self, meta: Any, ch: list[Any]) -> A.Expr:
        """`var (a, b) := e; body`: one tuple value taken apart (more binders than values)."""
        binders = ch[0]
        value, body = _nodes(ch[1:], A.Expr)
        return A.LetExpr(binders, (value,), body, pos=_pos(meta))

    def let_such_that(self, meta: Any, ch: list[Any]) -> A.Expr:
        cond, body = _nodes(ch[1:], A.Expr)
        return A.LetSuchThat(ch[0], cond, body, pos=_pos(meta))

    def let_pattern(self, meta: Any, ch: list[Any]) -> A.Expr:
        """`var C(x, y) := e; body` (a pattern the verifier proved to match) is
        `match e case C(x, y) => body`, as for the statement form in `block`."""
        name, *parts = ch
        value, body = _nodes(parts, A.Expr)[-2:]
        pattern = A.PatCtor(str(name), tuple(_nodes(parts, A.Pattern)), pos=_pos(meta))
        return A.MatchExpr(value, (A.ExprCase(pattern, body, pos=_pos(meta)),), pos=_pos(meta))

    def match_expr(self, meta: Any, ch: list[Any]) -> A.Expr:
        return A.MatchExpr(ch[0], tuple(_nodes(ch[1:], A.ExprCase)), pos=_pos(meta))

    def expr_case(self, meta: Any, ch: list[Any]) -> A.ExprCase:
        return A.ExprCase(ch[0], ch[1], pos=_pos(meta))

    # -------------------------------------------------------------- patterns
    def pat_name(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatName(str(ch[0]), pos=_pos(meta))

    def pat_ctor(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatCtor(str(ch[0]), tuple(_nodes(ch[1:], A.Pattern)), pos=_pos(meta))

    def pat_tuple(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatTuple(tuple(ch), pos=_pos(meta))

    def pat_int(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatLit(A.IntLit(int(str(ch[0]))), pos=_pos(meta))

    def pat_neg_int(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatLit(A.IntLit(-int(str(ch[0]))), pos=_pos(meta))

    def pat_char(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatLit(A.CharLit(_unescape(str(ch[0])[1:-1])), pos=_pos(meta))

    def pat_string(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatLit(A.StringLit(_unescape(str(ch[0])[1:-1])), pos=_pos(meta))

    def pat_true(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatLit(A.BoolLit(True), pos=_pos(meta))

    def pat_false(self, meta: Any, ch: list[Any]) -> A.Pattern:
        return A.PatLit(A.BoolLit(False), pos=_pos(meta))


def _span(a: A.Pos, b: A.Pos) -> A.Pos:
    return A.Pos(a.line, a.col, b.end_line, b.end_col, a.start, b.end)


def _count_targets(text: str) -> int:
    """How many comma-separated targets precede the top-level `:=` of an assignment."""
    depth = 0
    count = 1
    i = 0
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(":=", i):
            return count
        elif depth == 0 and c == ",":
            count += 1
        i += 1
    return count
