"""A small Dafny tokenizer: just enough to see code as Dafny sees it.

The soundness scan and the signature reader must not be fooled by `assume` inside a
comment or a string, so they work on tokens, never on raw text. Comments (including
Dafny's nested block comments), strings, verbatim strings and char literals are
recognised; everything else is identifiers, numbers and punctuation. Positions are
1-based line and column, like `verifier.results`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

_LONE_CR = re.compile(r"\r(?!\n)")


class TokenKind(enum.Enum):
    IDENT = "ident"
    NUMBER = "number"
    STRING = "string"
    CHAR = "char"
    PUNCT = "punct"


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    line: int
    col: int
    offset: int


# Longest first, so `==>` wins over `==` and `:=` over `:`.
_PUNCTS = (
    "<==>", "==>", "<==", ":=", "::", ":|", "==", "!=", "<=", ">=", "&&", "||", "=>", "..",
    "{", "}", "(", ")", "[", "]", "<", ">", ",", ";", ":", ".", "+", "-", "*", "/", "%",
    "!", "=", "|", "?", "#", "&", "^", "@", "~", "'", "`", "$", "\\",
)  # fmt: skip

_IDENT_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_PART = _IDENT_START | set("0123456789?'")


def _scan_char_literal(src: str, i: int) -> int:
    """Index just past a char literal starting at `src[i] == "'"`, or -1 if none is there."""
    n = len(src)
    j = i + 1
    if j >= n or src[j] == "\n":
        return -1
    if src[j] == "\\":
        j += 1
        if j < n and src[j] == "u":
            j += 5
        else:
            j += 1
    else:
        j += 1
    return j + 1 if j < n and src[j] == "'" else -1


def normalize_newlines(source: str) -> str:
    """`source` with every lone `\r` (not followed by `\n`) turned into `\n`, as Dafny's
    scanner reads it. Same length as `source`."""
    return _LONE_CR.sub("\n", source) if "\r" in source else source


def tokenize(source: str) -> list[Token]:
    """Tokens of `source` with comments dropped. Never raises: unknown characters become
    one-character punctuation, an unterminated string or comment runs to the end."""
    tokens: list[Token] = []
    # Dafny ends a line (and so a `//` comment) at a lone `\r` too: read it as `\n` (same
    # length, so offsets still index the caller's text), or `// c\rassume false;` would
    # hide an `assume` that Dafny sees.
    source = normalize_newlines(source)
    n = len(source)
    # A byte-order mark is not a column (Dafny and editors skip it).
    i = 1 if source.startswith("\ufeff") else 0
    line, line_start = 1, i

    def advance_lines(start: int, end: int) -> None:
        nonlocal line, line_start
        k = source.find("\n", start, end)
        while k != -1:
            line += 1
            line_start = k + 1
            k = source.find("\n", k + 1, end)

    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
            line_start = i + 1
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if source.startswith("//", i):
            k = source.find("\n", i)
            i = n if k == -1 else k
            continue
        if source.startswith("/*", i):
            j = _block_comment_end(source, i)
            advance_lines(i, j)
            i = j
            continue
        kind, j = _token_at(source, i)
        tokens.append(Token(kind, source[i:j], line, i - line_start + 1, i))
        if kind is TokenKind.STRING:
            advance_lines(i, j)
        i = j
    return tokens


def _block_comment_end(src: str, i: int) -> int:
    """Index just past the (maybe nested) block comment starting at `src[i:i+2] == "/*"`."""
    n = len(src)
    depth, j = 1, i + 2
    while j < n and depth:
        if src.startswith("/*", j):
            depth, j = depth + 1, j + 2
        elif src.startswith("*/", j):
            depth, j = depth - 1, j + 2
        else:
            j += 1
    return j


def _token_at(src: str, i: int) -> tuple[TokenKind, int]:
    """The kind of the token starting at src[i] (not a blank, not a comment) and the index
    just past it."""
    c = src[i]
    if c == '"' or (c == "@" and src.startswith('@"', i)):
        return TokenKind.STRING, _string_end(src, i)
    if c == "'":
        j = _scan_char_literal(src, i)
        if j != -1:
            return TokenKind.CHAR, j
    n = len(src)
    if c in _IDENT_START:
        j = i + 1
        while j < n and src[j] in _IDENT_PART:
            j += 1
        return TokenKind.IDENT, j
    if c.isdigit():
        j = i + 1
        while j < n and (src[j].isalnum() or src[j] == "_"):
            j += 1
        if j + 1 < n and src[j] == "." and src[j + 1].isdigit():
            j += 1
            while j < n and src[j].isdigit():
                j += 1
        return TokenKind.NUMBER, j
    for p in _PUNCTS:
        if src.startswith(p, i):
            return TokenKind.PUNCT, i + len(p)
    return TokenKind.PUNCT, i + 1


def _string_end(src: str, i: int) -> int:
    """Index just past the string starting at src[i] (`"..."` or verbatim `@"..."`); an
    unterminated one ends at the line break (verbatim: at the end of the text)."""
    n = len(src)
    verbatim = src[i] == "@"
    j = i + (2 if verbatim else 1)
    while j < n:
        if verbatim:
            if src[j] == '"':
                if src.startswith('""', j):
                    j += 2
                    continue
                return j + 1
        else:
            if src[j] == "\\":
                j += 2
                continue
            if src[j] == '"':
                return j + 1
            if src[j] == "\n":
                return j
        j += 1
    return j
