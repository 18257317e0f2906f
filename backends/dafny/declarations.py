"""Callable declarations (methods, lemmas, functions, ...) read from Dafny tokens.

Why a reader of our own: the soundness scan needs to know which callables have no body
(an unproved axiom), the counterexample reader needs the parameter types of the method an
error points into, and the JS build needs a method's signature to convert JSON inputs.
Dafny 2.3 offers none of this cheaply, so we read it from the tokens. The reader is
deliberately conservative: when unsure whether a `{` opens a body it says "no body",
which can only make a verdict UNKNOWN, never VERIFIED.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.backends.dafny.lexer import Token, TokenKind, tokenize

# `iterator` too: a body-less iterator's `ensures` and `yield ensures` are assumed by
# every `MoveNext()` caller, so it is an axiom like a body-less method.
CALLABLE_KEYWORDS = frozenset(
    {
        "method",
        "lemma",
        "function",
        "predicate",
        "constructor",
        "colemma",
        "copredicate",
        "iterator",
    }
)
_PREFIX_KEYWORDS = frozenset({"inductive", "least", "greatest", "twostate"})
MEMBER_START = frozenset(
    {
        "method", "function", "lemma", "predicate", "class", "datatype", "codatatype", "const",
        "type", "module", "import", "ghost", "static", "constructor", "trait", "iterator",
        "newtype", "twostate", "inductive", "least", "greatest", "colemma", "copredicate",
        "abstract", "protected", "include", "export",
    }
)  # fmt: skip
# Identifier-like tokens after which an expression is not finished, so a `{` that follows
# opens a set display, not a body.
_NOT_EXPR_END = frozenset(
    {
        "requires", "ensures", "reads", "modifies", "decreases", "invariant", "in", "returns",
        "then", "else", "if", "forall", "exists", "set", "iset", "map", "imap", "multiset",
        "var", "assert", "calc", "match", "case", "yields", "fresh", "old", "unchanged",
        "new", "free",
    }
)  # fmt: skip
_CLAUSE_KEYWORDS = frozenset({"requires", "ensures", "reads", "modifies", "decreases"})
_MODIFIERS = frozenset({"ghost", "static", "protected"})


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # type text as written, tokens joined without spaces around punctuation
    ghost: bool = False


@dataclass(frozen=True)
class Callable:
    kind: str  # "method", "lemma", "function", "predicate", "constructor", ...
    name: str
    line: int  # of the keyword (1-based)
    col: int
    name_line: int
    name_col: int
    params: tuple[Param, ...]
    returns: tuple[Param, ...]  # out-parameters of methods; () for functions
    result_type: str | None  # functions
    has_body: bool
    in_trait: bool
    end_line: int  # last line of the declaration (body included)
    compiled: bool  # a method, or `function method` / `predicate method`
    # `static` written before the keyword. A static trait member cannot be overridden, so
    # unlike an instance member no class ever has to supply its body: body-less, it is an
    # axiom like any top-level lemma.
    static: bool = False


def _is_expr_end(tokens: Sequence[Token], k: int) -> bool:
    """Whether the token at k ends an expression or a signature, so `{` after it is a body."""
    if k < 0:
        return False
    t = tokens[k]
    if t.kind in (TokenKind.NUMBER, TokenKind.STRING, TokenKind.CHAR):
        return True
    if t.kind is TokenKind.IDENT:
        return t.text not in _NOT_EXPR_END
    if t.text in (")", "]", "}", ">"):
        return True
    if t.text == "|":
        # `|s|` closes a cardinality when the bars since the clause keyword pair up.
        bars = 0
        j = k
        while j >= 0 and tokens[j].text not in _CLAUSE_KEYWORDS and tokens[j].text != ";":
            bars += tokens[j].text == "|"
            j -= 1
        return bars % 2 == 0
    if t.text == "*":  # `decreases *`, `reads *`, `modifies *`
        return k > 0 and (tokens[k - 1].text in _CLAUSE_KEYWORDS or tokens[k - 1].text == ",")
    return False


def _skip_group(tokens: Sequence[Token], i: int) -> int:
    """Index just past the bracket group opening at i (unbalanced: end of tokens)."""
    depth = 0
    n = len(tokens)
    while i < n:
        text = tokens[i].text
        if tokens[i].kind is TokenKind.PUNCT:
            if text in ("(", "[", "{"):
                depth += 1
            elif text in (")", "]", "}"):
                depth -= 1
                if depth == 0:
                    return i + 1
        i += 1
    return n


def _is_attribute(tokens: Sequence[Token], i: int) -> bool:
    """`{:name ...}` — Dafny also accepts blanks between `{` and `:`; no expression or body
    starts with `:`."""
    return tokens[i].text == "{" and i + 1 < len(tokens) and tokens[i + 1].text == ":"


def _parse_params(tokens: Sequence[Token], start: int, end: int) -> tuple[Param, ...]:
    """Parameters between the parentheses at tokens[start] and tokens[end - 1]."""
    params: list[Param] = []
    current: list[Token] = []
    depth = 0
    for t in tokens[start + 1 : end - 1]:
        if t.kind is TokenKind.PUNCT and t.text in ("(", "[", "<", "{"):
            depth += 1
        elif t.kind is TokenKind.PUNCT and t.text in (")", "]", ">", "}"):
            depth -= 1
        if t.text == "," and depth == 0:
            params.append(_one_param(current))
            current = []
        else:
            current.append(t)
    if current:
        params.append(_one_param(current))
    return tuple(p for p in params if p.name)


def _one_param(toks: list[Token]) -> Param:
    ghost = False
    while toks and toks[0].text in ("ghost", "new", "nameonly", "older"):
        ghost = ghost or toks[0].text == "ghost"
        toks = toks[1:]
    if len(toks) >= 3 and toks[1].text == ":":
        return Param(name=toks[0].text, type=_join(toks[2:]), ghost=ghost)
    if toks:
        return Param(name=toks[0].text, type="", ghost=ghost)
    return Param(name="", type="")


def _join(toks: Sequence[Token]) -> str:
    out = ""
    for t in toks:
        if out and t.kind is TokenKind.IDENT and out[-1].isalnum():
            out += " "
        out += t.text
    return out


def find_callables(source: str | Sequence[Token]) -> tuple[Callable, ...]:
    tokens = tokenize(source) if isinstance(source, str) else list(source)
    n = len(tokens)
    result: list[Callable] = []
    # Stack of brace depths at which a trait body was opened.
    depth = 0
    trait_depths: list[int] = []
    pending_trait = False
    i = 0
    while i < n:
        t = tokens[i]
        if t.kind is TokenKind.PUNCT and t.text == "{":
            if _is_attribute(tokens, i):
                i = _skip_group(tokens, i)
                continue
            depth += 1
            if pending_trait:
                trait_depths.append(depth)
                pending_trait = False
            i += 1
            continue
        if t.kind is TokenKind.PUNCT and t.text == "}":
            if trait_depths and trait_depths[-1] == depth:
                trait_depths.pop()
            depth = max(depth - 1, 0)
            i += 1
            continue
        if t.kind is TokenKind.IDENT and t.text == "trait":
            pending_trait = True
            i += 1
            continue
        if t.kind is TokenKind.IDENT and t.text in ("class", "module", "datatype", "codatatype"):
            pending_trait = False
        if t.kind is TokenKind.IDENT and (
            t.text in CALLABLE_KEYWORDS
            or (
                t.text in _PREFIX_KEYWORDS
                and i + 1 < n
                and tokens[i + 1].text in CALLABLE_KEYWORDS | {"function", "lemma"}
            )
        ):
            parsed = _parse_callable(
                tokens, i, in_trait=bool(trait_depths), static=_is_static(tokens, i)
            )
            if parsed is not None:
                decl, next_i = parsed
                result.append(decl)
                i = next_i
                continue
        i += 1
    return tuple(result)


def _is_static(tokens: Sequence[Token], i: int) -> bool:
    """Whether the modifiers just before tokens[i] (`ghost`, `static`, `protected`, in any
    order) include `static`."""
    j = i - 1
    while j >= 0 and tokens[j].kind is TokenKind.IDENT and tokens[j].text in _MODIFIERS:
        if tokens[j].text == "static":
            return True
        j -= 1
    return False


def _parse_callable(
    tokens: Sequence[Token], i: int, *, in_trait: bool, static: bool = False
) -> tuple[Callable, int] | None:
    n = len(tokens)
    first = tokens[i]
    while i < n and tokens[i].text in _PREFIX_KEYWORDS:
        i += 1
    if i >= n:
        return None
    kind = tokens[i].text
    i += 1
    compiled = kind in ("method", "constructor")
    if kind in ("function", "predicate") and i < n and tokens[i].text == "method":
        compiled = True
        i += 1
    while i < n and _is_attribute(tokens, i):
        i = _skip_group(tokens, i)
    name, name_tok = "", tokens[i - 1]
    if i < n and tokens[i].kind is TokenKind.IDENT:
        name, name_tok = tokens[i].text, tokens[i]
        i += 1
    elif kind != "constructor":
        return None
    i = _skip_type_params(tokens, i)
    params: tuple[Param, ...] = ()
    returns: tuple[Param, ...] = ()
    result_type: str | None = None
    if i < n and tokens[i].text == "(":
        end = _skip_group(tokens, i)
        params = _parse_params(tokens, i, end)
        i = end
    if (
        i < n
        and tokens[i].text in ("returns", "yields")
        and i + 1 < n
        and tokens[i + 1].text == "("
    ):
        end = _skip_group(tokens, i + 1)
        returns = _parse_params(tokens, i + 1, end)
        i = end
    elif i < n and tokens[i].text == ":" and kind in ("function", "predicate", "copredicate"):
        result_type, i = _result_type(tokens, i + 1)
    has_body, end_line, i = _clauses_and_body(tokens, i, first)
    decl = Callable(
        kind=kind,
        name=name,
        line=first.line,
        col=first.col,
        name_line=name_tok.line,
        name_col=name_tok.col,
        params=params,
        returns=returns,
        result_type=result_type,
        has_body=has_body,
        in_trait=in_trait,
        end_line=end_line,
        compiled=compiled,
        static=static,
    )
    return decl, i


def _skip_type_params(tokens: Sequence[Token], i: int) -> int:
    """The index after `<...>` type parameters at tokens[i], or i if there are none."""
    n = len(tokens)
    if i < n and tokens[i].text == "<":
        depth = 0
        while i < n:
            if tokens[i].text == "<":
                depth += 1
            elif tokens[i].text == ">":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
    return i


def _result_type(tokens: Sequence[Token], j: int) -> tuple[str, int]:
    """A function's result type written from tokens[j] on, and the index after it."""
    n = len(tokens)
    type_toks: list[Token] = []
    angle = 0
    while j < n:
        text = tokens[j].text
        if text == "<":
            angle += 1
        elif text == ">":
            angle -= 1
        elif angle == 0 and (
            text in _CLAUSE_KEYWORDS or text == "{" or text in MEMBER_START or text == "}"
        ):
            break
        type_toks.append(tokens[j])
        j += 1
    return _join(type_toks), j


def _clauses_and_body(tokens: Sequence[Token], i: int, first: Token) -> tuple[bool, int, int]:
    """Skip the specification clauses from tokens[i], then maybe a body: whether there is
    a body, the declaration's last line, and the index after it."""
    n = len(tokens)
    has_body = False
    end_line = tokens[i - 1].line if i > 0 else first.line
    prev = i - 1
    while i < n:
        t = tokens[i]
        if t.kind is TokenKind.PUNCT and t.text == "{":
            if _is_attribute(tokens, i):
                i = _skip_group(tokens, i)
                continue
            if _is_expr_end(tokens, prev):
                has_body = True
                j = _skip_group(tokens, i)
                end_line = tokens[j - 1].line
                i = j
                break
            j = _skip_group(tokens, i)
            prev = j - 1
            end_line = tokens[j - 1].line
            i = j
            continue
        if t.kind is TokenKind.PUNCT and t.text in ("(", "["):
            j = _skip_group(tokens, i)
            prev = j - 1
            end_line = tokens[j - 1].line
            i = j
            continue
        if t.kind is TokenKind.PUNCT and t.text == "}":
            break
        if t.kind is TokenKind.IDENT and (
            t.text in MEMBER_START or (t.text == "var" and _is_expr_end(tokens, prev))
        ):
            break
        prev = i
        end_line = t.line
        i += 1
    return has_body, end_line, i


def callable_at_line(callables: Sequence[Callable], line: int) -> Callable | None:
    """The innermost callable whose declaration spans `line`."""
    best: Callable | None = None
    for c in callables:
        if c.line <= line <= c.end_line and (best is None or c.line >= best.line):
            best = c
    return best
