"""The second line of defence: does what Dafny verified match what the parse found?

Why: the audit decides on a parse of the source. Should that parse ever misread a program
(a body it did not see, a callable Dafny skips), nothing else would notice. This check
asks Dafny itself, independently of the audit's reasoning, from two things Dafny prints:

- its Boogie program (`/print:FILE.bpl`): which callables Dafny gave a body (a `procedure
  Impl$$…` for methods and lemmas, a `// definition axiom for …` for functions), which
  implementations it generated (each one is a set of proof obligations), which of them carry
  `{:verify false}`, and every `assume` statement of the user's text — Dafny heads the
  commands of each source statement with `// ----- assume statement ----- FILE(l,c)`, so
  an assume is attributed to the user's text by Dafny's own source position, while the
  assumes Dafny adds by itself carry no such heading;
- its per-procedure report (`/trace` on the CLI; DafnyServer prints it unasked):
  `Verifying Impl$$… ...` then `[N proof obligations]  verified`.

Every implementation Dafny generated must have been reported verified (none skipped),
every callable the parse says has a body must be one Dafny gave a body (and vice versa),
and every implementation must belong to a callable the parse found. A `free` clause is
attributed by Dafny's parser, which warns at the position of every `free` keyword; the
printed Boogie gives `free` requires/ensures/invariants no source position, so that is
the attribution used for them. Any disagreement is a Diagnostic that keeps the verdict
from VERIFIED. Pure: the runs live in `cold.py` and `pool.py`.

Boogie names in Dafny 2.3: `<Prefix>$$<module>.<class>.<member>` with `_module` for the
top level, `_<n>_<Name>` for a nested module (its innermost name, `n` a counter),
`__default` for members outside a class (a `Main` there is `_default_Main` inside a named
module), `__ctor` for an anonymous constructor, and in
every name `_` doubled, `'` as `_k`, `?` as `_q`, `#` as `_h` (the prefix lemma of an
inductive or co-lemma `L` is `L#`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from verifier.backends.dafny.lexer import normalize_newlines
from verifier.backends.dafny.output import ProcedureResult, char_column

from verifier.results import Diagnostic, Severity

CROSSCHECK_KIND = "crosscheck"

_IMPLEMENTATION = re.compile(r"^implementation\s+(?P<attrs>(?:\{[^}]*\}\s*)*)(?P<name>[^\s(]+)\(")
_PROCEDURE = re.compile(r"^procedure\s+(?P<attrs>(?:\{[^}]*\}\s*)*)(?P<name>[^\s(]+)\(")
_DEFINITION = re.compile(
    r"^// definition axiom for (?P<name>\S+?)(?: for all literals)?(?:\(\w+\))?\s*$"
)
_STATEMENT = re.compile(
    r"^\s*// ----- (?P<what>.+?) ----- (?P<file>.+)\((?P<line>\d+),(?P<col>\d+)\)\s*$"
)
_FREE_WARNING = "the 'free' keyword is soon to be deprecated"
_ESCAPES = {"_": "__", "'": "_k", "?": "_q", "#": "_h"}


class Shape(enum.StrEnum):
    """What Dafny makes of a callable with a body: a method-like one gets an `Impl$$`
    procedure, a function-like one a definition axiom (and a well-formedness check)."""

    METHOD = "method"
    FUNCTION = "function"


@dataclass(frozen=True)
class ExpectedCallable:
    """A callable as the parse found it (the audit's record, or `expected.py` before it)."""

    kind: str  # "method", "lemma", "constructor", "function", "predicate", "iterator", ...
    name: str  # "" for an anonymous constructor
    module_path: tuple[str, ...]  # () at the top level
    container: str | None  # class, trait or iterator; None for module-level members
    has_body: bool
    ghost: bool
    line: int
    col: int


@dataclass(frozen=True)
class Implementation:
    name: str
    attributes: str  # the `{:…}` text before the name, "" when none

    @property
    def skipped(self) -> bool:
        return re.search(r"\{:verify\s+false\s*\}", self.attributes) is not None


@dataclass(frozen=True)
class UserAssume:
    file: str
    line: int
    col: int  # 1-based, as Dafny writes it in these headings


@dataclass(frozen=True)
class BoogieProgram:
    """What the checks need from Dafny's Boogie program(s)."""

    procedures: frozenset[str]
    implementations: tuple[Implementation, ...]
    definitions: frozenset[str]  # functions Dafny gave a body (definition axioms)
    assumes: tuple[UserAssume, ...]


def read_boogie(texts: Iterable[str], source: str | None = None) -> BoogieProgram:
    """Read the printed Boogie programs (Dafny 2.3 prints one per module). Dafny counts
    columns in UTF-8 bytes; given the `source`, they become character columns."""
    lines = normalize_newlines(source.removeprefix("\ufeff")).split("\n") if source else []
    procedures: set[str] = set()
    implementations: list[Implementation] = []
    definitions: set[str] = set()
    assumes: list[UserAssume] = []
    for text in texts:
        for line in text.splitlines():
            if m := _IMPLEMENTATION.match(line):
                implementations.append(Implementation(m["name"], m["attrs"].strip()))
            elif m := _PROCEDURE.match(line):
                procedures.add(m["name"])
            elif m := _DEFINITION.match(line):
                definitions.add(m["name"])
            elif (m := _STATEMENT.match(line)) and m["what"] == "assume statement":
                line_no, col = int(m["line"]), int(m["col"])
                if 1 <= line_no <= len(lines):
                    col = char_column(lines[line_no - 1], col)
                assumes.append(UserAssume(m["file"], line_no, col))
    return BoogieProgram(
        frozenset(procedures), tuple(implementations), frozenset(definitions), tuple(assumes)
    )


def escape(name: str) -> str:
    """A Dafny identifier as Dafny 2.3 writes it inside Boogie names."""
    return "".join(_ESCAPES.get(ch, ch) for ch in name)


def shape(kind: str) -> Shape | None:
    """None: a kind this check does not know, which is a doubt in itself."""
    words = kind.split()
    if {"lemma", "method", "constructor", "colemma", "iterator"} & set(words):
        return Shape.METHOD
    if {"function", "predicate", "copredicate"} & set(words):
        return Shape.FUNCTION
    return None


def _module_matches(part: str, module_path: tuple[str, ...]) -> bool:
    if not module_path:
        return part == "_module"
    return re.fullmatch(r"_\d+_" + re.escape(escape(module_path[-1])), part) is not None


def _member(c: ExpectedCallable) -> str:
    if c.kind == "constructor" and not c.name:
        return "__ctor"
    return escape(c.name)


def _split(boogie_name: str) -> tuple[str, list[str]]:
    prefix, _, rest = boogie_name.partition("$$")
    return prefix, rest.split(".")


def owner(boogie_name: str, expected: Sequence[ExpectedCallable]) -> ExpectedCallable | None:
    """The callable a Boogie procedure belongs to: `Impl$$M.C.m`, `CheckWellformed$$M.C.m`,
    `OverrideCheck$$M.C.m`, the prefix lemma `m_h` of an extreme lemma, an iterator's own
    `Impl$$M.It` and its generated `Valid`/`MoveNext`/`__ctor`."""
    _, parts = _split(boogie_name)
    if len(parts) not in (2, 3):
        return None
    for c in expected:
        if not _module_matches(parts[0], c.module_path):
            continue
        if len(parts) == 2:
            if c.kind == "iterator" and parts[1] == escape(c.name):
                return c
            continue
        container = "__default" if c.container is None else escape(c.container)
        member = _member(c)
        names = (member, member + "_h")
        if c.container is None and c.name == "Main":
            names += ("_default_Main",)  # inside a named module, Dafny renames `Main`
        if parts[1] == container and parts[2] in names:
            return c
        if c.kind == "iterator" and parts[1] == escape(c.name):
            return c  # Valid, MoveNext, __ctor of the iterator's class
    return None


def _inherited(boogie_name: str, expected: Sequence[ExpectedCallable]) -> bool:
    """Whether a callable of the same class and name, with a body, was parsed in some
    module: a refining module (`module B refines A`) gets its own copy of A's members."""
    prefix, parts = _split(boogie_name)
    if len(parts) != 3:
        return False
    renamed = f"{prefix}$$%s.{parts[1]}.{parts[2]}"
    return any(
        c.has_body and c.module_path and owner(renamed % _module_name(c), [c]) is c
        for c in expected
    )


def _module_name(c: ExpectedCallable) -> str:
    return f"_0_{escape(c.module_path[-1])}" if c.module_path else "_module"


def _diag(message: str, c: ExpectedCallable | None, filename: str | None) -> Diagnostic:
    return Diagnostic(
        kind=CROSSCHECK_KIND,
        message=message,
        severity=Severity.ERROR,
        file=filename,
        line=c.line if c else None,
        col=c.col if c else None,
    )


def _label(c: ExpectedCallable) -> str:
    where = ".".join((*c.module_path, *([c.container] if c.container else [])))
    name = c.name or "constructor"
    return f"{c.kind} '{f'{where}.{name}' if where else name}'"


def _has_dafny_body(c: ExpectedCallable, boogie: BoogieProgram) -> bool | None:
    """Whether Dafny gave `c` a body; None when its Boogie names cannot be told."""
    kind = shape(c.kind)
    if kind is None:
        return None
    if c.kind == "iterator":
        names = boogie.procedures
        return any(
            owner(n, [c]) is c and n.startswith("Impl$$") and n.count(".") == 1 for n in names
        )
    if kind is Shape.METHOD:
        return any(n.startswith("Impl$$") and owner(n, [c]) is c for n in boogie.procedures)
    return any(owner(f"X$${n}", [c]) is c for n in boogie.definitions)


def check_bodies(
    expected: Sequence[ExpectedCallable], boogie: BoogieProgram, filename: str | None
) -> list[Diagnostic]:
    """The parse and Dafny must agree on which callables have bodies."""
    out: list[Diagnostic] = []
    for c in expected:
        dafny_body = _has_dafny_body(c, boogie)
        if dafny_body is None:
            out.append(
                _diag(
                    f"{_label(c)}: a kind of callable the cross-check does not know; "
                    "nothing is proved until it does",
                    c,
                    filename,
                )
            )
        elif c.has_body and not dafny_body:
            out.append(
                _diag(
                    f"{_label(c)}: the parse found a body but Dafny's Boogie program "
                    "has none for it, so its obligations may never have been checked",
                    c,
                    filename,
                )
            )
        elif dafny_body and not c.has_body:
            out.append(
                _diag(
                    f"{_label(c)}: Dafny's Boogie program gives it a body the parse "
                    "did not see; the audit may have misread the program",
                    c,
                    filename,
                )
            )
    return out


def check_reported(
    expected: Sequence[ExpectedCallable],
    boogie: BoogieProgram,
    procedures: Sequence[ProcedureResult],
    filename: str | None,
) -> list[Diagnostic]:
    """Every implementation Dafny generated must be reported verified, and belong to a
    callable the parse found (well-formedness checks of types and constants excepted)."""
    out: list[Diagnostic] = []
    reported = {p.boogie_name: p for p in procedures}
    generated = {i.name for i in boogie.implementations}
    for impl in boogie.implementations:
        c = owner(impl.name, expected)
        prefix, _ = _split(impl.name)
        # A well-formedness check of no callable is one of a type or a constant, and a
        # member found under another module's name was inherited by refinement: extra
        # checking, never a missing one.
        if c is None and prefix != "CheckWellformed" and not _inherited(impl.name, expected):
            out.append(
                _diag(
                    f"Dafny generated proof obligations for {impl.name}, which "
                    "belongs to no callable the parse found; the audit may have "
                    "misread the program",
                    None,
                    filename,
                )
            )
        # (A procedure reported with another status than verified already keeps the
        # verdict from VERIFIED: `verdict.py` requires every reported one verified.)
        if impl.name not in reported:
            why = " ({:verify false})" if impl.skipped else ""
            out.append(
                _diag(
                    f"Dafny generated proof obligations for {impl.name} but did not "
                    f"verify them{why}; remove the attribute or whatever keeps it "
                    "from being verified",
                    c,
                    filename,
                )
            )
    for name in reported:
        if name not in generated:
            out.append(
                _diag(
                    f"Dafny reported {name} verified, but its Boogie program has no "
                    "such implementation: the report and the program disagree",
                    owner(name, expected),
                    filename,
                )
            )
    return out


def check_user_assumptions(
    boogie: BoogieProgram, diagnostics: Sequence[Diagnostic], filename: str | None
) -> list[Diagnostic]:
    """No `assume` and no `free` clause of the user's text may reach the Boogie program."""
    out = [
        Diagnostic(
            kind="unsound",
            message="an `assume` statement reaches Dafny's Boogie program: Dafny takes it "
            "without proof; replace it with an `assert` and prove it",
            file=filename or a.file,
            line=a.line,
            col=a.col,
        )
        for a in boogie.assumes
    ]
    out += [
        Diagnostic(
            kind="unsound",
            message="a `free` clause is assumed and never checked; drop the word `free` "
            "and prove the clause",
            file=d.file,
            line=d.line,
            col=d.col,
        )
        for d in diagnostics
        if d.severity == Severity.WARNING and d.message.strip() == _FREE_WARNING
    ]
    return out


def crosscheck(
    expected: Sequence[ExpectedCallable],
    boogie: BoogieProgram,
    procedures: Sequence[ProcedureResult],
    diagnostics: Sequence[Diagnostic],
    filename: str | None,
) -> list[Diagnostic]:
    """All findings; an empty list means Dafny's report and the parse agree."""
    return (
        check_bodies(expected, boogie, filename)
        + check_reported(expected, boogie, procedures, filename)
        + check_user_assumptions(boogie, diagnostics, filename)
    )
