"""FVAPPS unit tests (`/-- info: 8 -/` + `#guard_msgs in #eval f 3`) as data (pure).

Native Lean runs them as written. The WebAssembly build's compiled code is incomplete, so
each test first becomes two kernel checks, `f 3 = 8` and `¬(f 3 = 8)`, each tried by
`decide +kernel` (or `decide`): passed, failed, or left to the `#eval` route when neither
is proved — run as written in the sandbox (eval_units.py), else unchecked (harness.py,
verdict.py); parsing them into (expression, expected) pairs here keeps that adaptation a
pure, testable step. `EvalOutcome`/`UnitEval` are the `#eval` route's results as data.

Unit blocks may also stand in the checked file itself: a model answering with the whole
task file repeats the task's blocks, and a user's file for `proofroute verify` states its
own. Model text never runs `#eval` (the scan and the trusted driver refuse it), so such
blocks are *taken out* of the file here — blanked, newlines kept, so file line N stays
line N — and checked by proofroute's own unit route instead: `take_task_blocks` removes
only blocks identical to the task's (the task's units are checked once, as given);
`take_file_units` turns every block of a user's file into that file's units. Whatever
is not a whole, well-formed block stays in the text and is refused as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from verifier.backends.lean.source_scan import Finding, line_col, mask, scan_cheats

# A doc comment holding no other comment, then `#guard_msgs in #eval <expr>`. The expr runs
# to a blank line, the next doc comment or `#command`, or a line starting a declaration at
# column 0 (so a block in a whole file never swallows the `def`/`theorem` after it).
_DECL_START = (
    r"(?:@\[|(?:private|protected|noncomputable|theorem|lemma|def|abbrev|instance|example"
    r"|structure|inductive|class|opaque|axiom|namespace|section|end|mutual|open|set_option"
    r"|variable|universe|attribute|import|macro|syntax|elab|notation)\b)"
)
_BLOCK = re.compile(
    r"/--(?P<doc>(?:(?!-/|/-)[\s\S])*)-/\s*(?P<guard>#guard_msgs)\s+in\s+(?P<eval>#eval)\s+"
    r"(?P<expr>.*?)(?=\n\s*\n|\n\s*/--|\n\s*#|\n" + _DECL_START + r"|\Z)",
    re.DOTALL,
)
_EVAL = re.compile(r"#eval\s")


@dataclass(frozen=True)
class UnitTest:
    """`expected` is None when the docstring is not a single `info:` (e.g. an error).
    `line` is where the block stood in the checked file (None: given apart, as a task's)."""

    index: int
    expr: str
    expected: str | None
    text: str  # the block as written
    line: int | None = None


class EvalOutcome(StrEnum):
    """How one unit came out of the `#eval` route (eval_units.py, trusted_driver.lean)."""

    PASS = "pass"  # `#guard_msgs` logged nothing: the output is what the task states
    MISMATCH = "mismatch"  # only `#guard_msgs`' own mismatch error: the value printed differs
    NO_EVAL = "no-eval"  # `#eval` could not run it here (no executable code, an error, …)
    REFUSED = "refused"  # not run: not a plain unit command, or it could reach an effect


@dataclass(frozen=True)
class UnitEval:
    """One unit's `#eval` result as the trusted driver reported it; `detail` is the
    messages `#guard_msgs` produced (or why the unit was not run), for the diagnostics."""

    index: int
    outcome: EvalOutcome
    detail: str


@dataclass(frozen=True)
class UnitBlock:
    """A unit block found in a Lean file: its test and its span (offsets, 1-based line/col)."""

    test: UnitTest
    start: int
    end: int
    line: int
    col: int

    @property
    def key(self) -> str:
        return block_key(self.test.text)


@dataclass(frozen=True)
class TakenUnits:
    """A file with unit blocks blanked out (same length and lines) and what was taken."""

    source: str
    taken: tuple[UnitBlock, ...]
    left: tuple[UnitBlock, ...]  # well-formed blocks that stayed in (refused later)


def block_key(text: str) -> str:
    """Blocks are the same when their text is, whitespace aside (layout is not meaning)."""
    return " ".join(text.split())


def _test(m: re.Match[str], index: int, line: int | None) -> UnitTest:
    doc = m.group("doc").strip()
    expected = None
    if doc.startswith("info:"):
        value = doc[len("info:") :].strip()
        if value and "info:" not in value and "error:" not in value:
            expected = " ".join(value.split())
    expr = " ".join(m.group("expr").split())
    return UnitTest(index, expr, expected, m.group(0).strip(), line)


def parse_units(units: str) -> tuple[UnitTest, ...]:
    """A task's unit tests, given apart from the file (no lines: they are not in it)."""
    return tuple(_test(m, i, None) for i, m in enumerate(_BLOCK.finditer(units), start=1))


def count_unparsed(units: str) -> int:
    """`#eval`s outside `#guard_msgs` blocks: they test nothing and are reported."""
    return len(_EVAL.findall(units)) - len(_BLOCK.findall(units))


def find_blocks(source: str) -> tuple[UnitBlock, ...]:
    """Unit blocks standing as commands of a Lean file (starting at column 1). A block
    inside a comment or a string literal is not one (its `#guard_msgs` is not code), nor
    is a doc comment that is really text of a string: comment, then code, as Lean reads it."""
    masked = mask(source)
    blocks = []
    for m in _BLOCK.finditer(source):
        doc_is_comment = masked.no_comments[m.start() : m.start("guard")].strip() == ""
        in_code = (masked.code.startswith("#guard_msgs", m.start("guard"))
                   and masked.code.startswith("#eval", m.start("eval")))  # fmt: skip
        line, col = line_col(source, m.start())
        # at column 1, as a command: an indented block could sit inside a proof, where
        # blanking it would check a text Lean would not have accepted as written
        if not (doc_is_comment and in_code and col == 1):
            continue
        test = _test(m, len(blocks) + 1, line)
        blocks.append(UnitBlock(test, m.start(), m.start() + len(m.group(0).rstrip()), line, col))
    return tuple(blocks)


def _blank(source: str, blocks: Sequence[UnitBlock]) -> str:
    chars = list(source)
    for block in blocks:
        for k in range(block.start, block.end):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


def take_task_blocks(source: str, units: Sequence[UnitTest]) -> TakenUnits:
    """Blocks identical to one of the task's units are taken out: the task's units are
    checked anyway (once, as the task states them), so repeating them is no cheat. Any
    other block stays, and the scan and the driver refuse its `#eval` where it stands."""
    wanted = {block_key(u.text) for u in units}
    blocks = find_blocks(source)
    taken = tuple(b for b in blocks if b.key in wanted)
    left = tuple(b for b in blocks if b.key not in wanted)
    return TakenUnits(_blank(source, taken), taken, left)


def take_file_units(source: str) -> TakenUnits:
    """Every block of a user's file becomes one of its units (numbered in file order, with
    its line), checked by the unit route of the toolchain instead of by `#eval`."""
    blocks = find_blocks(source)
    return TakenUnits(_blank(source, blocks), blocks, ())


def units_text(tests: Sequence[UnitTest]) -> str:
    """The blocks as a units text (what the native route appends and runs as written)."""
    return "\n\n".join(t.text for t in tests) + ("\n" if tests else "")


@dataclass(frozen=True)
class PreparedUnits:
    """What a check elaborates and which units it checks, once blocks are taken out.

    `source` is the file as checked (taken blocks blanked, lines kept); `text` the units
    as a text (None: no units); `refusals` the blocks that stayed in, each refused where it
    stands with a message saying why and how to fix it."""

    source: str
    tests: tuple[UnitTest, ...]
    text: str | None
    from_file: bool
    refusals: tuple[Finding, ...]


def prepare(source: str, *, units: str | None, has_task: bool) -> PreparedUnits:
    """The one place that decides where a check's units come from: the task's units when
    given (identical blocks in the file are taken out); a file checked without a task
    (`proofroute verify`) has its own blocks as units; a task without units admits none."""
    if units is not None and units.strip():
        tests = parse_units(units)
        taken = take_task_blocks(source, tests)
        why = ("is not one of the task's unit tests (changed or added); copy the task's "
               "blocks exactly as given or leave them out — proofroute checks the task's units")  # fmt: skip
        return PreparedUnits(taken.source, tests, units, False, _refused(taken.left, why))
    if not has_task:
        taken = take_file_units(source)
        tests = tuple(b.test for b in taken.taken)
        refusals = tuple(f for b in taken.taken for f in _unit_text_problems(b))
        return PreparedUnits(taken.source, tests, units_text(tests) or None, True, refusals)
    why = "is not allowed: this task has no unit tests; remove the block"
    return PreparedUnits(source, (), units, False, _refused(find_blocks(source), why))


def _refused(blocks: Sequence[UnitBlock], why: str) -> tuple[Finding, ...]:
    return tuple(
        Finding("unsound", f"unit block `{b.test.text.splitlines()[0]} … #eval {b.test.expr}` "
                f"{why}; model text may not run `#eval`", b.line, b.col)
        for b in blocks
    )  # fmt: skip


_OPEN = {"(": ")", "[": "]", "{": "}", "⟨": "⟩"}


def closed_term(text: str) -> bool:
    """True when `text` cannot leave the parentheses it is put in: no comment, every
    string literal closed, brackets balanced. A file's unit is written into a theorem
    `(expr) = (expected)`; without this, `f 4) = (f 4) := rfl …` would state another
    theorem than the unit and prove it."""
    masked = mask(text)
    if masked.no_comments != text:
        return False
    in_string, k = False, 0
    while k < len(text):
        if in_string and text[k] == "\\":
            k += 2
            continue
        if text[k] == '"':
            in_string = not in_string
        k += 1
    if in_string:
        return False
    stack: list[str] = []
    for ch in masked.code:
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif ch in _OPEN.values() and (not stack or stack.pop() != ch):
            return False
    return not stack


def _unit_text_problems(block: UnitBlock) -> tuple[Finding, ...]:
    """A file's unit is model text too: its expression and value are scanned like the
    rest of the file, and must be closed terms (closed_term)."""
    test = block.test
    parts = [test.expr] + ([test.expected] if test.expected is not None else [])
    found = [Finding(f.kind, f"in unit block {test.index}: {f.message}", block.line, block.col)
             for part in parts for f in scan_cheats(part)]  # fmt: skip
    if not all(closed_term(part) for part in parts):
        found.append(Finding(
            "unsound", f"unit block {test.index}: the expression or its `info:` value is not "
            "one closed term (unbalanced brackets, an unclosed string, or a comment); write "
            "`/-- info: <value> -/ #guard_msgs in #eval <expr>` with a single expression",
            block.line, block.col))  # fmt: skip
    return tuple(found)
