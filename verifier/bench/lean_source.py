"""The Lean text the harness reads and writes: a spec split into its declarations, a
model reply reduced to its code, and the files sent to the checker.

Everything the benchmark builds in Lean is assembled here and nowhere else, from whole
top-level declarations: the model's text is never edited inside a declaration, only
whole declarations are kept or dropped, so what is checked is exactly what the model
wrote. Splitting is line-based on column-0 command keywords (Lean's own layout for
top-level commands), skipping comments, which is what FVAPPS specs and model replies use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from verifier.backends.lean.units import parse_units, take_task_blocks
from verifier.errors import ProofrouteError

THEOREM_KEYWORDS = frozenset({"theorem", "lemma"})
DEFINITION_KEYWORDS = frozenset(
    {
        "def",
        "abbrev",
        "instance",
        "structure",
        "inductive",
        "class",
        "opaque",
        "axiom",
        "example",
        "mutual",
        "macro",
        "macro_rules",
        "syntax",
        "elab",
        "elab_rules",
        "notation",
        "infix",
        "infixl",
        "infixr",
        "prefix",
        "postfix",
        "attribute",
        "deriving",
        "namespace",
        "section",
        "end",
        "variable",
        "universe",
        "#eval",
        "#check",
        "#print",
        "#reduce",
        "#guard_msgs",
        "#guard",
        "initialize",
        "declare_syntax_cat",
        "add_decl_doc",
    }
)
PREAMBLE_KEYWORDS = frozenset({"import", "open", "set_option"})
COMMAND_KEYWORDS = THEOREM_KEYWORDS | DEFINITION_KEYWORDS | PREAMBLE_KEYWORDS
_MODIFIERS = r"(?:(?:private|protected|noncomputable|partial|unsafe|nonrec|scoped|local)\s+)*"
_ATTRS = r"(?:@\[[^\]]*\]\s*)*"
_COMMAND_RE = re.compile(
    rf"^{_ATTRS}{_MODIFIERS}(?P<kw>#?[A-Za-z_]+)\b(?P<rest>.*)$"
)
_NAME_RE = re.compile(r"\s*(?P<name>[^\s(:{\[⦃]+)")
_FENCE_RE = re.compile(r"^```[ \t]*(?P<lang>[\w+-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.S | re.M)


class SpecSplitError(ProofrouteError, ValueError):
    """A spec has no theorem or a declaration we cannot name."""

    exit_code = 2


@dataclass(frozen=True)
class Decl:
    """One top-level command with the comments and attributes written just above it."""

    keyword: str
    name: str | None
    text: str

    @property
    def is_theorem(self) -> bool:
        return self.keyword in THEOREM_KEYWORDS

    @property
    def is_preamble(self) -> bool:
        return self.keyword in PREAMBLE_KEYWORDS


@dataclass(frozen=True)
class SpecParts:
    """A spec as the two stages use it: a preamble, definitions, then theorems."""

    preamble: tuple[Decl, ...]
    definitions: tuple[Decl, ...]
    theorems: tuple[Decl, ...]

    @property
    def theorem_names(self) -> tuple[str, ...]:
        return tuple(t.name or "" for t in self.theorems)

    @property
    def definition_names(self) -> tuple[str, ...]:
        names = []
        for decl in self.definitions:
            names.extend(n for n in sorted(declared_names([decl])) if n not in names)
        return tuple(names)

    def theorem(self, name: str) -> Decl:
        for decl in self.theorems:
            if decl.name == name:
                return decl
        raise KeyError(name)


def _line_starts_command(line: str) -> str | None:
    match = _COMMAND_RE.match(line)
    if match is None or line[:1].isspace():
        return None
    keyword = match.group("kw")
    return keyword if keyword in COMMAND_KEYWORDS else None


def _decl_name(keyword: str, line: str) -> str | None:
    """The declared name on a command's first line (None for anonymous commands)."""
    if keyword in {"mutual", "example", "end", "section", "namespace", "open", "import"}:
        return line.split(None, 1)[1].strip() if keyword in {"open", "import"} else None
    match = _COMMAND_RE.match(line)
    if match is None:
        return None
    name = _NAME_RE.match(match.group("rest"))
    if name is None or name.group("name").startswith(":"):
        return None
    return name.group("name")


def _mutual_names(text: str) -> tuple[str, ...]:
    names = []
    for line in text.splitlines()[1:]:
        match = _COMMAND_RE.match(line.strip())
        if match and match.group("kw") in THEOREM_KEYWORDS | {"def", "abbrev", "inductive"}:
            name = _NAME_RE.match(match.group("rest"))
            if name:
                names.append(name.group("name"))
    return tuple(names)


def parse_decls(text: str) -> tuple[Decl, ...]:
    """Split Lean text into top-level commands, each with its leading comments."""
    decls: list[Decl] = []
    pending: list[str] = []  # comments / attributes / blank lines before the next command
    current: list[str] | None = None
    keyword, name = "", None
    depth = 0  # nesting of /- -/ block comments at the start of the line
    in_mutual = False

    def flush() -> None:
        nonlocal current
        if current is not None:
            decls.append(Decl(keyword, name, "\n".join(current).rstrip()))
        current = None

    for line in text.splitlines():
        if depth > 0 or (in_mutual and not line.startswith("end")):
            (pending if current is None else current).append(line)
        elif in_mutual:  # the `end` of a mutual block
            assert current is not None
            current.append(line)
            in_mutual = False
            flush()
        elif (kw := _line_starts_command(line)) is not None:
            flush()
            current, pending = [*pending, line], []
            keyword, name = kw, _decl_name(kw, line)
            in_mutual = kw == "mutual"
        elif line.startswith(("--", "/-", "@[")):
            # Comments and attributes at column 0 belong to the command that follows.
            flush()
            pending.append(line)
        elif current is None:
            if line.strip() or pending:
                pending.append(line)
        else:
            current.append(line)
        depth = _comment_depth_after(line, depth)
    flush()
    if any(p.strip() for p in pending):
        decls.append(Decl("comment", None, "\n".join(pending).strip()))
    return tuple(decls)


def _comment_depth_after(line: str, depth: int) -> int:
    """Block-comment nesting after `line` (strings and `--` comments respected)."""
    i, n = 0, len(line)
    in_string = False
    while i < n:
        two = line[i : i + 2]
        if depth > 0:
            if two == "/-":
                depth, i = depth + 1, i + 2
                continue
            if two == "-/":
                depth, i = depth - 1, i + 2
                continue
            i += 1
            continue
        ch = line[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif two == "--":
            break
        elif two == "/-":
            depth, i = depth + 1, i + 2
            continue
        i += 1
    return depth


def declared_names(decls: Iterable[Decl]) -> set[str]:
    names: set[str] = set()
    for decl in decls:
        if decl.keyword == "mutual":
            names.update(_mutual_names(decl.text))
        elif decl.name and decl.keyword not in {"example", "end", "section", "namespace"}:
            names.add(decl.name)
    return names


def split_spec(spec: str) -> SpecParts:
    """Preamble (imports, opens, options), definitions, and theorems of an FVAPPS spec."""
    decls = [d for d in parse_decls(spec) if d.keyword != "comment"]
    preamble = tuple(d for d in decls if d.is_preamble)
    theorems = tuple(d for d in decls if d.is_theorem)
    definitions = tuple(d for d in decls if not d.is_preamble and not d.is_theorem)
    for theorem in theorems:
        if not theorem.name:
            raise SpecSplitError(f"cannot read the name of this theorem:\n{theorem.text}")
    names = [t.name for t in theorems]
    duplicates = sorted({n for n in names if names.count(n) > 1 and n})
    if duplicates:
        raise SpecSplitError(f"theorem(s) stated twice: {', '.join(duplicates)}")
    return SpecParts(preamble=preamble, definitions=definitions, theorems=theorems)


def extract_code(reply: str) -> str:
    """The Lean code of a model reply: the last ```lean block, else the last fenced block,
    else the whole reply (models asked for one block mostly end with the final one)."""
    blocks = [(m.group("lang").lower(), m.group("body")) for m in _FENCE_RE.finditer(reply)]
    lean_blocks = [body for lang, body in blocks if lang in ("lean", "lean4")]
    if lean_blocks:
        return lean_blocks[-1].strip("\n")
    if blocks:
        return blocks[-1][1].strip("\n")
    return reply.strip("\n")


def without_task_units(reply_code: str, units: str) -> str:
    """The reply with the task's own unit blocks taken out (blanked, lines kept).

    Models answering with the whole file repeat the task's unit tests; those are checked
    once, as the task states them, so the copies are dropped instead of being refused as
    model-written `#eval`s. A block that differs from the task's stays and is refused."""
    if not units.strip():
        return reply_code
    return take_task_blocks(reply_code, parse_units(units)).source


def without(decls: Sequence[Decl], names: Iterable[str]) -> tuple[Decl, ...]:
    """Drop the declarations that (re)declare any of `names` (whole declarations only)."""
    banned = set(names)
    kept = []
    for decl in decls:
        declared = _mutual_names(decl.text) if decl.keyword == "mutual" else (decl.name,)
        if decl.keyword not in {"example", "end", "section", "namespace"} and banned & {
            n for n in declared if n
        }:
            continue
        kept.append(decl)
    return tuple(kept)


def assemble(*parts: Sequence[Decl]) -> str:
    """One Lean file from groups of declarations: imports hoisted to the top (Lean requires
    it), each import once, then everything else in the order given."""
    imports: list[str] = []
    body: list[str] = []
    for group in parts:
        for decl in group:
            if decl.keyword == "import":
                for line in decl.text.splitlines():
                    if line.startswith("import") and line not in imports:
                        imports.append(line)
            elif decl.text.strip():
                body.append(decl.text)
    head = "\n".join(imports)
    text = "\n\n".join(body)
    return f"{head}\n\n{text}\n" if head else f"{text}\n"


def definitions_task(parts: SpecParts) -> str:
    """What stage 1 is judged against: the spec without its theorems."""
    return assemble(parts.preamble, parts.definitions)


def theorem_task(parts: SpecParts, name: str) -> str:
    """What one stage-2 check is judged against: the definitions and this one theorem."""
    return assemble(parts.preamble, parts.definitions, (parts.theorem(name),))


def definitions_source(parts: SpecParts, reply_code: str) -> tuple[str, str]:
    """(model definitions kept for stage 2, file checked in stage 1).

    The spec's theorems are removed from the reply if the model copied them: stage 1
    judges the definitions and units only, and the theorems get their own stage.
    """
    decls = without(parse_decls(reply_code), parts.theorem_names)
    kept = assemble(decls)
    return kept, assemble(parts.preamble, decls)


def theorem_source(parts: SpecParts, definitions_code: str, reply_code: str, name: str) -> str:
    """Stage-2 file: finished definitions, then the model's proof of `name`.

    Re-declarations of the definitions and of the spec's other theorems are dropped from
    the reply (models often repeat the whole file); the definitions checked are always the
    ones that passed stage 1, and another theorem can never be assumed with `sorry`.
    """
    definitions = parse_decls(definitions_code)
    others = [n for n in parts.theorem_names if n != name]
    proof = without(parse_decls(reply_code), [*declared_names(definitions), *others])
    return assemble(parts.preamble, definitions, proof)


def missing_definitions(parts: SpecParts, reply_code: str) -> tuple[str, ...]:
    """Spec definitions the reply does not declare (checked before spending Lean time)."""
    names = declared_names(parse_decls(reply_code))
    return tuple(n for n in parts.definition_names if n not in names)
