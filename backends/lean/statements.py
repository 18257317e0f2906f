"""Does the model's file state exactly the task's theorems? (pure)

A model may add lemmas and definitions, never weaken, rename or drop a statement. We
compare normalized source: comments removed, whitespace ignored, ASCII and Unicode
spellings of the same token identified. Anything else — other binder names, an extra
hypothesis, a changed type — is a mismatch. Definitions the task declares must keep
their signature too: changing `f : Nat → Nat` into `f : Nat → Int` changes what every
theorem about `f` means, even when the theorem's text stays the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.backends.lean.source_scan import Declaration, declarations

_TOKEN = re.compile(r"[A-Za-z_\u00C0-\U0010FFFF][\w'!?.\u00C0-\U0010FFFF]*|\d+(?:\.\d+)?|\"(?:\\.|[^\"\\])*\"|\S")
_ALIASES = {"->": "→", "<-": "←", "<->": "↔", ">=": "≥", "<=": "≤", "!=": "≠", "λ": "fun", "=>": "↦"}
_MULTI = re.compile(r"<->|->|<-|>=|<=|!=|=>")


def normalize(statement: str) -> str:
    """One canonical spelling of a statement's source text (comments already removed)."""
    text = _MULTI.sub(lambda m: f" {_ALIASES[m.group(0)]} ", statement)
    tokens = [_ALIASES.get(t, t) for t in _TOKEN.findall(text)]
    return " ".join(tokens)


@dataclass(frozen=True)
class Mismatch:
    name: str
    message: str
    line: int | None  # in the model's file, when the declaration is there
    col: int | None


_THEOREM_KEYWORDS = ("theorem", "lemma")


def compare(task: str, model: str) -> tuple[Mismatch, ...]:
    """Mismatches between the task's theorems/definitions and the model's."""
    wanted = declarations(task)
    have: dict[str, list[Declaration]] = {}
    for decl in declarations(model):
        have.setdefault(decl.full_name, []).append(decl)
    out: list[Mismatch] = []
    for decl in wanted:
        is_theorem = decl.keyword in _THEOREM_KEYWORDS
        if not is_theorem and decl.keyword not in ("def", "abbrev"):
            continue
        what = "theorem" if is_theorem else "definition"
        candidates = [
            d for d in have.get(decl.full_name, [])
            if (d.keyword in _THEOREM_KEYWORDS) == is_theorem
        ]  # fmt: skip
        if not candidates:
            out.append(
                Mismatch(
                    decl.full_name,
                    f"{what} `{decl.full_name}` of the task is missing (the task states it at "
                    f"line {decl.line}); keep every {what} of the task, with its statement unchanged",
                    None,
                    None,
                )
            )
            continue
        if len(candidates) > 1:
            d = candidates[1]
            out.append(Mismatch(decl.full_name, f"{what} `{decl.full_name}` is declared more than once", d.line, d.col))
            continue
        got = candidates[0]
        if got.scope != decl.scope or got.name != decl.name or got.prefix != decl.prefix:
            out.append(
                Mismatch(
                    decl.full_name,
                    f"{what} `{decl.full_name}` is declared in another context than in the task "
                    f"(task: {_context(decl)}; model: {_context(got)}), so its names may "
                    "resolve differently; declare it exactly as the task does",
                    got.line,
                    got.col,
                )
            )
            continue
        if normalize(got.statement) != normalize(decl.statement):
            out.append(
                Mismatch(
                    decl.full_name,
                    f"{what} `{decl.full_name}` does not have the task's statement:\n"
                    f"  task:  {' '.join(decl.statement.split())}\n"
                    f"  model: {' '.join(got.statement.split())}",
                    got.line,
                    got.col,
                )
            )
    return tuple(out)


def _context(decl: Declaration) -> str:
    parts = [f"namespace {'.'.join(decl.scope)}" if decl.scope else "top level", f"name `{decl.name}`"]
    if decl.prefix:
        parts.append(f"`{decl.prefix}`")
    return ", ".join(parts)
