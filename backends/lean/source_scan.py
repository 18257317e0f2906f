"""What a Lean source says before Lean runs: declarations, statements, and cheats (pure).

Several cheats leave Lean silent — exit 0, no warning: a declared `axiom`, `native_decide`,
`implemented_by`, a macro that turns a tactic into something else, `set_option
debug.skipKernelTC`. The axiom audit catches some after the fact; this scan refuses all
of them up front, so the verdict never depends on the audit alone. The scan is
deliberately conservative: a false alarm costs an UNKNOWN, a miss costs soundness.

Comments and string literals are blanked first (same length, newlines kept), so offsets
and line numbers stay valid and a `sorry` in a comment is not a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A forbidden construct; `kind` is a Diagnostic kind ("sorry", "axiom", "unsound")."""

    kind: str
    message: str
    line: int
    col: int


@dataclass(frozen=True)
class Declaration:
    """A named declaration. `statement` is the source between the name and `:=`
    (comments removed, strings kept); `full_name` includes the open namespaces."""

    keyword: str  # theorem | lemma | def | abbrev | instance | ...
    name: str
    full_name: str
    line: int
    col: int
    statement: str
    scope: tuple[str, ...] = ()  # open namespaces, innermost last
    prefix: str = ""  # a preceding `open … in` / `set_option … in`, normalized


@dataclass(frozen=True)
class MaskedSource:
    original: str
    no_comments: str  # comments blanked
    code: str  # comments and string/char literals blanked


def mask(source: str) -> MaskedSource:
    """Blank comments (nested `/- -/`, `--`) and literals, keeping length and newlines."""
    n = len(source)
    no_comments = list(source)
    code = list(source)
    i = 0
    depth = 0

    def blank(buf: list[str], start: int, end: int) -> None:
        for k in range(start, end):
            if buf[k] != "\n":
                buf[k] = " "

    while i < n:
        ch = source[i]
        two = source[i : i + 2]
        if two == "/-":
            start = i
            depth = 1
            i += 2
            while i < n and depth:
                if source.startswith("/-", i):
                    depth += 1
                    i += 2
                elif source.startswith("-/", i):
                    depth -= 1
                    i += 2
                else:
                    i += 1
            blank(no_comments, start, i)
            blank(code, start, i)
        elif two == "--":
            start = i
            while i < n and source[i] != "\n":
                i += 1
            blank(no_comments, start, i)
            blank(code, start, i)
        elif ch == '"':
            start = i
            i += 1
            while i < n and source[i] != '"':
                i += 2 if source[i] == "\\" else 1
            i += 1
            blank(code, start + 1, min(i - 1, n))
        elif ch == "'" and (i == 0 or not _is_ident_char(source[i - 1])):
            m = re.match(r"'(?:\\.|[^'\\\n])'", source[i:])
            if m:
                blank(code, i + 1, i + m.end() - 1)
                i += m.end()
            else:
                i += 1
        else:
            i += 1
    return MaskedSource(source, "".join(no_comments), "".join(code))


def _is_ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'!?." or ord(ch) > 127


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


# --- cheats -------------------------------------------------------------------------

_TOKEN_RULES: tuple[tuple[str, str, str], ...] = (
    # (regex on code, kind, message)
    (r"(?<![\w.'])sorry(?![\w'!?])", "sorry", "`sorry` leaves a proof unfinished; replace it with a proof"),
    (r"(?<![\w.'])admit(?![\w'!?])", "sorry", "`admit` leaves a proof unfinished; replace it with a proof"),
    (r"(?<![\w'])sorryAx(?![\w'])", "sorry", "`sorryAx` leaves a proof unfinished; replace it with a proof"),
    (r"(?<![\w.'])axiom(?![\w'])", "axiom", "declared `axiom`: it is assumed, not proved; state it as a `theorem` and prove it"),
    (r"(?<![\w.'])native_decide(?![\w'])", "unsound", "`native_decide` trusts the compiler (axiom Lean.ofReduceBool); use `decide`, `simp` or `omega`, which the kernel checks"),
    (r"(?<![\w'])(?:Lean\.)?(?:ofReduceBool|ofReduceNat|reduceBool|reduceNat|trustCompiler)(?![\w'])", "unsound", "uses the compiler-trusting axioms (Lean.ofReduceBool / Lean.trustCompiler); prove it with kernel-checked tactics such as `decide`"),
    (r"(?<![\w.'])implemented_by(?![\w'])", "unsound", "`implemented_by` makes compiled code differ from the definition the kernel checks; remove the attribute"),
    (r"(?<![\w.'])extern(?![\w'])", "unsound", "`extern` replaces a definition by foreign code; remove it"),
    (r"(?<![\w.'])csimp(?![\w'])", "unsound", "`@[csimp]` changes compiled code; remove it"),
    (r"(?<![\w.'])unsafe(?![\w'])", "unsound", "`unsafe` code bypasses the kernel; remove `unsafe`"),
    (r"(?<![\w.'])(?:opaque|partial)\b[^\n]*\bimplemented_by\b", "unsound", "`implemented_by` on an opaque constant; remove the attribute"),
    (r"(?<![\w.'])prelude(?![\w'])", "unsound", "`prelude` files replace Lean's core library; remove `prelude`"),
    (r"#eval!?(?![\w'])", "unsound", "`#eval` in the checked text runs code at check time; not allowed: remove it, or write it as a whole unit block `/-- info: <value> -/ #guard_msgs in #eval <expr>` (a task's blocks copied unchanged, or a file's own units under `proofroute verify`), which proofroute checks itself"),
    (r"#guard_msgs(?![\w'])", "unsound", "`#guard_msgs` outside a whole unit block `/-- info: <value> -/ #guard_msgs in #eval <expr>` can hide Lean's messages; remove it (unit blocks are checked by proofroute itself)"),
    (r"#exit(?![\w'])", "unsound", "`#exit` stops checking the rest of the file; remove it"),
    (r"(?<![\w.'])(?:run_cmd|run_tac|run_elab|run_meta|initialize|builtin_initialize)(?![\w'])", "unsound", "model-written code executed at check time is not allowed; remove it"),
    (r"(?<![\w.'])IO(?![\w'])", "unsound", "`IO` in model code is not allowed: definitions and proofs must be pure"),
    (r"(?<![\w.'])(?:macro|macro_rules|syntax|elab|elab_rules|notation|infix|infixl|infixr|prefix|postfix|declare_syntax_cat|binder_predicate)(?![\w'])", "unsound", "custom syntax (macro/elab/syntax/notation) can redefine tactics or notation; not allowed: write the term or tactic out instead"),
    (r"@\[[^\]]*(?<![\w.'])(?:tactic|macro|command_elab|term_elab|builtin_\w+|init|env_extension)(?![\w'])", "unsound", "attribute registering an elaborator, macro or initializer; not allowed: remove it"),
    (r"(?<![\w.'])(?:addDecl|addAndCompile|Environment\.addDecl|replay)(?![\w'])", "unsound", "adds declarations behind the kernel's back; remove it"),
)

_COMPILED_TOKEN_RULES = tuple((re.compile(p), k, m) for p, k, m in _TOKEN_RULES)

# Options a proof may set; anything else (debug.skipKernelTC, …) is refused.
SAFE_OPTION_PREFIXES = (
    "maxHeartbeats", "maxRecDepth", "synthInstance.", "autoImplicit", "relaxedAutoImplicit",
    "linter.", "pp.", "trace.", "profiler", "diagnostics", "exponentiation.threshold",
    "simprocs", "tactic.hygienic", "Elab.async", "push_neg.", "grind.",
)  # fmt: skip

_SET_OPTION = re.compile(r"(?<![\w.'])set_option\s+([\w.]+)")


def scan_cheats(source: str) -> tuple[Finding, ...]:
    """Every forbidden construct in the model's source, in file order."""
    code = mask(source).code
    found: list[tuple[int, Finding]] = []
    for pattern, kind, message in _COMPILED_TOKEN_RULES:
        for m in pattern.finditer(code):
            line, col = line_col(code, m.start())
            found.append((m.start(), Finding(kind, message, line, col)))
    for m in _SET_OPTION.finditer(code):
        option = m.group(1)
        if not option.startswith(SAFE_OPTION_PREFIXES):
            line, col = line_col(code, m.start())
            found.append(
                (
                    m.start(),
                    Finding(
                        "unsound",
                        f"`set_option {option}` is not allowed (it can weaken checking, "
                        "e.g. debug.skipKernelTC); remove it (allowed: maxHeartbeats, "
                        "maxRecDepth, pp.*, linter.*, trace.*, …)",
                        line,
                        col,
                    ),
                )
            )
    found.sort(key=lambda item: item[0])
    return tuple(f for _, f in found)


# --- declarations -------------------------------------------------------------------

_MODIFIERS = r"(?:(?:private|protected|noncomputable|nonrec|partial|unsafe|public|scoped|local)\s+)*"
_ATTRS = r"(?:@\[[^\]]*\]\s*)*"
_COMMAND = re.compile(
    r"^[ \t]*" + _ATTRS + _MODIFIERS
    + r"(theorem|lemma|def|abbrev|instance|example|structure|inductive|class|opaque"
    r"|namespace|section|end|mutual)\b[ \t]*([^\s(:{\[⦃]*)",
    re.MULTILINE,
)  # fmt: skip

_DECL_KEYWORDS = ("theorem", "lemma", "def", "abbrev", "instance", "opaque")
_BRACKETS = {"(": ")", "[": "]", "{": "}", "⦃": "⦄", "⟨": "⟩"}
_CLOSERS = set(_BRACKETS.values())


def declarations(source: str) -> tuple[Declaration, ...]:
    """Named declarations with full names (namespaces tracked through `end`)."""
    masked = mask(source)
    code = masked.code
    scopes: list[tuple[str, tuple[str, ...]]] = []  # (kind, name components)
    result: list[Declaration] = []
    for m in _COMMAND.finditer(code):
        keyword, name = m.group(1), m.group(2)
        if keyword == "namespace":
            scopes.append(("namespace", tuple(p for p in name.split(".") if p)))
        elif keyword == "section":
            scopes.append(("section", ()))
        elif keyword == "end":
            if scopes:
                scopes.pop()
        elif keyword in _DECL_KEYWORDS and name and name not in (":=", "where"):
            prefix = [part for _, parts in scopes for part in parts]
            full = name[len("_root_.") :] if name.startswith("_root_.") else ".".join([*prefix, name])
            start = m.end()
            end = _statement_end(code, start)
            statement = masked.no_comments[start:end]
            line, col = line_col(code, m.start(2))
            result.append(
                Declaration(
                    keyword, name, full, line, col, statement.strip(),
                    scope=tuple(prefix), prefix=_in_prefix(code, m.start()),
                )
            )  # fmt: skip
    return tuple(result)


_IN_PREFIX = re.compile(r"((?:open|set_option)\b[^\n]*?\bin)\s*$")


def _in_prefix(code: str, start: int) -> str:
    """`open Foo in` (or `set_option … in`) written just before a declaration: it changes
    how the statement's names resolve, so statements are compared together with it."""
    before = code[max(0, start - 300) : start]
    m = _IN_PREFIX.search(before)
    return " ".join(m.group(1).split()) if m else ""


_LET_HAVE = re.compile(r"(?:let|have)(?![\w'!?.])")


def _statement_end(code: str, start: int) -> int:
    """Offset of the `:=` (or `|` equations / `where`) ending a declaration's header.

    A `let x := e` or `have h : T := e` inside the statement has a `:=` of its own; ending
    the header there would compare only the part before it, so a changed conclusion
    after a `let` would go unnoticed."""
    depth = 0
    pending_binders = 0  # `let`/`have` seen at depth 0 whose `:=` has not come yet
    i = start
    n = len(code)
    while i < n:
        ch = code[i]
        if ch in _BRACKETS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0:
            word = _LET_HAVE.match(code, i)
            if word and (i == 0 or not _is_ident_char(code[i - 1])):
                pending_binders += 1
                i = word.end()
                continue
            if code.startswith(":=", i):
                if pending_binders:
                    pending_binders -= 1
                    i += 2
                    continue
                return i
            if ch == "|" and code[code.rfind("\n", 0, i) + 1 : i].strip() == "":
                return i
            if code.startswith("where", i) and (i == 0 or not _is_ident_char(code[i - 1])):
                after = code[i + 5 : i + 6]
                if not after or not _is_ident_char(after):
                    return i
            if ch == "\n" and _COMMAND.match(code, i + 1):
                return i
        i += 1
    return n


def theorems(source: str) -> tuple[Declaration, ...]:
    return tuple(d for d in declarations(source) if d.keyword in ("theorem", "lemma"))


_IMPORT = re.compile(r"(?<![\w.'])import\s+([\w.«»]+)")


def header_imports(source: str) -> tuple[tuple[str, int, int], ...]:
    """(module, start offset, end offset) of each `import` in the file header."""
    code = mask(source).code
    found = []
    pos = 0
    while True:
        m = re.compile(r"\s*").match(code, pos)
        pos = m.end() if m else pos
        im = _IMPORT.match(code, pos)
        if not im:
            break
        found.append((im.group(1), im.start(), im.end()))
        pos = im.end()
    return tuple(found)


_ANY_COMMAND = re.compile(
    r"^(?:@\[[^\]]*\]\s*)*" + _MODIFIERS
    + r"(theorem|lemma|def|abbrev|instance|example|structure|inductive|class|opaque|namespace"
    r"|section|end|mutual|open|set_option|variable|universe|attribute|#\w+|axiom|macro\w*"
    r"|syntax|elab\w*|notation|infix\w*|prefix|postfix|deriving|noncomputable|private"
    r"|protected)\b",
    re.MULTILINE,
)  # fmt: skip


def command_lines(source: str) -> tuple[int, ...]:
    """1-based lines where a top-level command starts (at column 1): the boundaries used
    to tell which theorem a Lean message belongs to."""
    code = mask(source).code
    return tuple(sorted({line_col(code, m.start())[0] for m in _ANY_COMMAND.finditer(code)}))
