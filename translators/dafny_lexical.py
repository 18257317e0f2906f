"""What of a Dafny text is code: comments, strings and char literals, the way Dafny reads them.

Dafny's block comments nest (`/* a /* b */ c */` is one comment); a grammar's token
regex cannot nest, so every reader of Dafny text (the parser, the guard's lexical scans)
blanks them here first. Blanking keeps length and newlines, so offsets, lines and
columns stay those of the original text.
"""

from __future__ import annotations

import re


def code_only(source: str) -> str:
    """The source with comments, strings and char literals blanked (same length, same lines),
    so a lexical scan cannot be fooled by, or trip over, text inside them."""
    return _blank(source, literals=True)


def without_comments(source: str) -> str:
    """The source with only its comments blanked, the way Dafny reads them.

    Dafny's block comments nest; the parser's grammar does not nest them, so
    `/* /* */ function SumF… // */` showed the parser a declaration that Dafny never
    sees (the guard then compared the spec helper against the hidden copy while Dafny
    used another one). The parser is given this text instead, so it sees what Dafny sees.
    """
    return _blank(source, literals=False)


def nested_comments(source: str) -> list[int]:
    """Offsets of `/*` opened inside a block comment: Dafny nests block comments, the
    parser's grammar and the Python compiler do not, so such a program means different
    things to them (refused, so every reader sees the same declarations)."""
    found: list[int] = []
    _blank(source, literals=True, nested=found)
    return found


def _blank(source: str, *, literals: bool, nested: list[int] | None = None) -> str:
    out = list(source)
    i, n = 0, len(source)
    while i < n:
        if source.startswith("//", i):
            j = source.find("\n", i)
            j = n if j < 0 else j
        elif source.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if source.startswith("/*", j):
                    if nested is not None:
                        nested.append(j)
                    depth, j = depth + 1, j + 2
                elif source.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
        elif source.startswith('@"', i):  # verbatim string: no escapes, "" is a quote
            j = i + 2
            while j < n and not (source[j] == '"' and not source.startswith('""', j)):
                j += 2 if source.startswith('""', j) else 1
            j = min(j + 1, n)
        elif source[i] == '"':  # an ordinary string never spans lines: stop at one
            j = i + 1
            while j < n and source[j] not in '"\n':
                j += 2 if source[j] == "\\" and source[j + 1:j + 2] != "\n" else 1
            j = min(j + 1, n) if j < n and source[j] == '"' else j
        elif source[i] == "'" and (i == 0 or not (source[i - 1].isalnum() or source[i - 1] in "_'?")):
            found = re.match(r"'([^'\\\n]|\\.|\\u[0-9a-fA-F]{4})'", source[i:])
            if not found:
                i += 1
                continue
            j = i + len(found.group(0))
        else:
            i += 1
            continue
        if literals or source.startswith(("//", "/*"), i):
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
        i = j
    return "".join(out)
