"""A `match` with a catch-all case for a Dafny that lacks one (Dafny 2.3 here).

Dafny 4 writes `case x => e` and `case _ => e` as the spec does. Dafny 2.3 reads a
pattern's name as a constructor ("member _ does not exist in datatype T"), so the
catch-all case becomes one case per constructor no earlier case names, each with `_`
for every field and the case's body in parentheses; a named catch-all binds its name to
the scrutinee first (`case Fork(_, _, _) => (var x := t; e)`), which is the same value.
Everything else of the clause is kept as written.
"""

from __future__ import annotations

from verifier.specs import model as m
from verifier.specs.parser import location_in
from verifier.specs.readback import code

from verifier.errors import SpecError


def matches(e: object) -> list[m.Match]:
    """The outermost `match` nodes of e, in text order."""
    return m.outermost(e, m.Match)


def has_catch_all(e: m.Expr) -> bool:
    return any(c.ctor is None for c in _cases(e))


def refuse_with_seq_init(expr: m.Expr) -> SpecError:
    """Both rewrites at once would misplace each other's text: refused, with the place."""
    span = next(c.span for c in _cases(expr) if c.ctor is None)
    return SpecError("a match with a catch-all case and a seq(n, i => ...) in one clause cannot be written "
                     "for Dafny 2.3 (proofroute rewrites both for it)",
                     location=location_in(span.file, "", span.line, span.col),
                     hint="name every remaining constructor instead of the catch-all, or move the seq(...) into a helper",
                     code="dafny-dialect")


def _cases(e: object) -> list[m.MatchCase]:
    """Every `case` in e, nested ones too."""
    own: list[m.MatchCase] = [e] if isinstance(e, m.MatchCase) else []
    return own + [c for sub in m.subexpressions(e) for c in _cases(sub)]


def lower_catch_alls(text: str, offset: int, expr: m.Expr) -> str:
    """`text` (which starts at `offset` of the parsed string, and reads as `expr`) with
    every catch-all case spelled out per constructor."""
    out, pos = [], 0
    for node in matches(expr):
        start, end = node.span.start - offset, node.span.end - offset
        out += [text[pos:start], _match_text(text, offset, node)]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _match_text(text: str, offset: int, node: m.Match) -> str:
    first = node.cases[0].span.start - offset
    parts = [lower_catch_alls(text[node.span.start - offset:first], node.span.start, node.scrutinee)]
    prev = first
    for c in node.cases:
        start, end = c.span.start - offset, c.span.end - offset
        case_text = lower_catch_alls(text[start:end], c.span.start, c.body)
        parts += [text[prev:start], _expanded(case_text, c, node) if c.ctor is None else case_text]
        prev = end
    parts.append(text[prev:node.span.end - offset])
    return "".join(parts)


def _expanded(case_text: str, case: m.MatchCase, node: m.Match) -> str:
    dt = node.datatype
    assert dt is not None, "a match reaches the renderers only type checked"
    body = case_text[case_text.index("=>") + 2:].strip()
    name = case.vars[0].name
    if name != m.WILDCARD:
        body = f"var {name} := {code(node.scrutinee)}; {body}"
    covered = {c.ctor for c in node.cases}
    arms = []
    for ctor in dt.ctors:
        if ctor.name not in covered:
            pattern = f"{ctor.name}({', '.join(m.WILDCARD for _ in ctor.fields)})" if ctor.fields else ctor.name
            arms.append(f"case {pattern} => ({body})")
    return " ".join(arms)
