"""Reading what Dafny prints, from the CLI (with `/trace`) or from DafnyServer.

Pure functions of the text, so every format quirk is pinned by unit tests on recorded
outputs. Nothing here decides a verdict (see `verdict.py`); this module only says what
was printed: diagnostics, per-procedure results, the summary line, and anything it did
not recognise (which the verdict treats as doubt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from verifier.backends.dafny.lexer import normalize_newlines

from verifier.results import Diagnostic, Severity

_POS = re.compile(r"^(?P<file>.*?)\((?P<line>\d+),(?P<col>\d+)\): (?P<rest>.*)$")
_ERROR = re.compile(r"^Error(?: (?P<code>BP\d+))?: ?(?P<msg>.*)$")
_TIMEOUT_PROC = re.compile(
    r"^Verification of '(?P<proc>[^']*)' timed out after (?P<secs>\d+) seconds"
)
_TIMEOUT_ON = re.compile(r"^Timed out on(?: (?P<code>BP\d+))?: ?(?P<msg>.*)$")
_RESOURCE_PROC = re.compile(r"^Verification out of resource \((?P<proc>[^)]*)\)")
_RESOURCE_ON = re.compile(r"^Out of resource on(?: (?P<code>BP\d+))?: ?(?P<msg>.*)$")
_VERIFYING = re.compile(r"^Verifying (?P<proc>\S+) \.\.\.$")
_PROC_RESULT = re.compile(
    r"^\s*\[(?:[\d.]+ s, )?(?P<n>\d+) proof obligations?\]\s+(?P<status>.+?)\s*$"
)
_SUMMARY = re.compile(r"^Dafny program verifier finished with (?P<rest>.*)$")
_COUNT = re.compile(
    r"(?P<n>\d+) (?P<what>verified|errors?|time outs?|out of resource|inconclusive)"
)
_DETECTED = re.compile(
    r"^(?P<n>\d+) (?P<what>parse errors|resolution/type errors) detected in (?P<file>.*)$"
)
_TRACE_LINE = re.compile(r"^\s+(?:.*?\(\d+,\d+\)|\(\d+,\d+\)): \S.*$")

_IGNORED = (
    re.compile(r"^\[TRACE\] "),
    re.compile(r"^Parsing \S.*$"),
    re.compile(r"^Coalescing blocks\.\.\.$"),
    re.compile(r"^Inlining\.\.\.$"),
    # a /trace phase timing Boogie prints under load (seen in a test run): no verdict in it
    re.compile(r"^Linearising(?:\.\.\.)?(?:\s+\[[\d.]+ s\])?$"),
    re.compile(r"^Running abstract interpretation\.\.\.$"),
    re.compile(r"^\s*\[[\d.]+ s\]$"),
    re.compile(r"^Retrieving cached verification result for implementation .*$"),
    re.compile(r"^Verification completed successfully!$"),
    re.compile(r"^\[SUCCESS\] \[\[DAFNY-SERVER: EOM\]\]$"),
    re.compile(r"^Dafny program verifier did not attempt verification$"),
)

# Messages of Coco (Dafny's parser generator); everything else without a BP code that is
# printed before verification starts is a resolution or type error.
_PARSE_MESSAGE = re.compile(
    r"(expected$|^invalid \w+|not expected in|^EOF|^this symbol|^unexpected|^bad |"
    r"^a \w+ must be|^unterminated|^illegal|^missing )"
)

_KIND_BY_CODE = {
    "BP5001": "assertion",
    "BP5002": "precondition",
    "BP5003": "postcondition",
    "BP5004": "invariant-entry",
    "BP5005": "invariant-maintained",
}


@dataclass(frozen=True)
class ProcedureResult:
    """One Boogie implementation as reported by `Verifying X ... [N proof obligations] S`."""

    boogie_name: str
    status: str  # "verified", "error", "timed out", "out of resource", ...
    obligations: int

    @property
    def display_name(self) -> str:
        return display_name(self.boogie_name)


@dataclass(frozen=True)
class Summary:
    verified: int
    errors: int
    timeouts: int = 0
    out_of_resource: int = 0
    inconclusive: int = 0


@dataclass(frozen=True)
class ParsedOutput:
    diagnostics: tuple[Diagnostic, ...] = ()
    procedures: tuple[ProcedureResult, ...] = ()
    summary: Summary | None = None
    parse_errors: int | None = None  # from "N parse errors detected" (CLI only)
    resolution_errors: int | None = None
    failures: tuple[str, ...] = ()  # `*** Error`, `[FAILURE]`, prover errors, exceptions
    unrecognized: tuple[str, ...] = ()
    z3_noise: bool = False  # Debian z3's model_compress block was seen
    lines: tuple[str, ...] = field(default=(), repr=False)

    @property
    def verification_ran(self) -> bool:
        return bool(self.procedures) or self.summary is not None


def display_name(boogie_name: str) -> str:
    """'Impl$$_module.__default.my__meth' -> 'my_meth'; 'CheckWellformed$$M.C.F' -> 'M.C.F
    (well-formedness)'."""
    prefix, _, rest = boogie_name.partition("$$")
    if not rest:
        rest, prefix = prefix, ""
    parts = [p for p in rest.split(".") if p not in ("_module", "__default")]
    parts = [re.sub(r"^_\d+_", "", p) for p in parts]  # module names: '_0_Q' -> 'Q'
    name = ".".join(p.replace("__", "_") for p in parts) or rest
    if prefix.startswith("CheckWellformed"):
        return f"{name} (well-formedness)"
    if prefix.startswith("OverrideCheck"):
        return f"{name} (override check)"
    return name


def kind_for_error(code: str | None, message: str) -> str:
    if code in _KIND_BY_CODE:
        return _KIND_BY_CODE[code]
    low = message.lower()
    if "postcondition" in low:
        return "postcondition"
    if "precondition" in low:
        return "precondition"
    if "loop invariant" in low and "entry" in low:
        return "invariant-entry"
    if "loop invariant" in low:
        return "invariant-maintained"
    if "assertion" in low:
        return "assertion"
    if "termination" in low or "decreases" in low:
        return "termination"
    if "index out of range" in low or "out of range" in low:
        return "index"
    if "division by zero" in low:
        return "division"
    return "other"


def _is_parse_message(message: str) -> bool:
    return bool(_PARSE_MESSAGE.search(message))


def parse_output(text: str, *, filename: str | None = None) -> ParsedOutput:
    """Read one run's output. `filename` replaces the file name Dafny printed for the
    checked file (it saw a temporary name); positions become 1-based columns."""
    reader = _OutputReader(filename)
    lines = text.splitlines()
    for raw in lines:
        reader.feed(raw.rstrip("\r"))
    return reader.result(tuple(lines))


def _summary(rest: str) -> Summary:
    """The counts of "Dafny program verifier finished with ..."."""
    counts = {"verified": 0, "errors": 0, "timeouts": 0, "oor": 0, "inconclusive": 0}
    for c in _COUNT.finditer(rest):
        what = c.group("what")
        key = (
            "verified" if what == "verified"
            else "errors" if what.startswith("error")
            else "timeouts" if what.startswith("time out")
            else "oor" if what == "out of resource"
            else "inconclusive"
        )  # fmt: skip
        counts[key] = int(c.group("n"))
    return Summary(
        verified=counts["verified"],
        errors=counts["errors"],
        timeouts=counts["timeouts"],
        out_of_resource=counts["oor"],
        inconclusive=counts["inconclusive"],
    )


class _OutputReader:
    """The state of `parse_output` between lines: what was read so far, and which block
    (an execution trace, a prover complaint, a tooltip) the next line may continue."""

    def __init__(self, filename: str | None) -> None:
        self.filename = filename
        self.diags: list[Diagnostic] = []
        self.procs: list[ProcedureResult] = []
        self.failures: list[str] = []
        self.unrecognized: list[str] = []
        self.summary: Summary | None = None
        self.parse_errors: int | None = None
        self.resolution_errors: int | None = None
        self.z3_noise = False
        self.pending_proc: str | None = None
        self.in_trace = False
        self.in_prover_block = False
        self.in_info = False

    def feed(self, line: str) -> None:
        """One line (without its line break)."""
        if not line.strip():
            self.in_trace = False
            return
        if self.in_prover_block:
            if line.startswith("  ") or line.startswith("Legal parameters are:"):
                return
            self.in_prover_block = False
        if line.startswith("Prover error:"):
            if "model_compress" in line:
                self.z3_noise = True
                self.in_prover_block = True
            else:
                self.failures.append(line)
            return
        if self._continues_block(line) or self._progress(line):
            return
        failure = line.startswith(("*** Error", "[FAILURE]", "  at ")) or "Exception" in line
        if failure:
            self.failures.append(line)
        elif not any(p.match(line) for p in _IGNORED):
            self.unrecognized.append(line)

    def _continues_block(self, line: str) -> bool:
        """Whether line continues a tooltip or an execution trace, or starts a trace (and was
        taken in); ends the block if not."""
        if self.in_info and line[:1].isspace() and not _PROC_RESULT.match(line):
            return True  # continuation of an "Info: Selected triggers:" tooltip
        self.in_info = False
        if self.in_trace and _TRACE_LINE.match(line) and self.diags:
            last = self.diags[-1]
            self.diags[-1] = replace(last, trace=(*last.trace, line.strip()))
            return True
        self.in_trace = False
        if line.strip() == "Execution trace:":
            self.in_trace = True
            return True
        return False

    def _progress(self, line: str) -> bool:
        """Procedures, the summary, error counts and positioned messages; whether line was one."""
        m = _VERIFYING.match(line)
        if m:
            self.pending_proc = m.group("proc")
            return True
        m = _PROC_RESULT.match(line)
        if m and self.pending_proc is not None:
            self.procs.append(ProcedureResult(self.pending_proc, m.group("status"), int(m.group("n"))))
            self.pending_proc = None
            return True
        m = _SUMMARY.match(line)
        if m:
            self.summary = _summary(m.group("rest"))
            return True
        m = _DETECTED.match(line)
        if m:
            if m.group("what").startswith("parse"):
                self.parse_errors = int(m.group("n"))
            else:
                self.resolution_errors = int(m.group("n"))
            return True
        m = _POS.match(line)
        if m:
            self._positioned_line(m, line)
            return True
        return False

    def _positioned_line(self, m: re.Match[str], line: str) -> None:
        file = m.group("file") if self.filename is None else self.filename
        ln, col = int(m.group("line")), int(m.group("col")) + 1
        if ln == 0:  # Dafny's "(0,0)" means no position
            ln, col = None, None  # type: ignore[assignment]
        diag = _positioned(m.group("rest"), file, ln, col)
        if diag is None:
            self.unrecognized.append(line)
        elif diag.kind == "info":
            # Tooltips (trigger selection) that only the server prints: not diagnostics.
            self.in_info = True
        elif diag.kind == "related":
            if self.diags:
                last = self.diags[-1]
                self.diags[-1] = replace(last, related=(*last.related, diag))
            else:
                self.unrecognized.append(line)
        else:
            self.diags.append(diag)

    def result(self, lines: tuple[str, ...]) -> ParsedOutput:
        diags = self.diags
        if not self.procs and self.summary is None:
            # Nothing was verified: errors without a BP code are parse or resolution errors
            # (Dafny stops before verification when it finds any).
            diags = [
                replace(d, kind="parse" if _is_parse_message(d.message) else "resolution")
                if d.severity == Severity.ERROR
                and d.code is None
                and d.kind not in ("timeout", "resource")
                else d
                for d in diags
            ]
        return ParsedOutput(
            diagnostics=tuple(diags),
            procedures=tuple(self.procs),
            summary=self.summary,
            parse_errors=self.parse_errors,
            resolution_errors=self.resolution_errors,
            failures=tuple(self.failures),
            unrecognized=tuple(self.unrecognized),
            z3_noise=self.z3_noise,
            lines=lines,
        )


def _positioned(
    rest: str, file: str | None, line: int | None, col: int | None
) -> Diagnostic | None:
    def diag(
        kind: str, message: str, severity: Severity = Severity.ERROR, code: str | None = None
    ) -> Diagnostic:
        return Diagnostic(
            kind=kind, message=message, severity=severity, file=file, line=line, col=col, code=code
        )

    if rest.startswith("Related location") or rest.startswith("Related message"):
        return diag("related", rest.partition(":")[2].strip() or "related location", Severity.INFO)
    m = _ERROR.match(rest)
    if m:
        code, message = m.group("code"), m.group("msg").strip()
        return diag(kind_for_error(code, message), message, code=code)
    m = _TIMEOUT_PROC.match(rest)
    if m:
        return diag(
            "timeout",
            f"verification of {display_name(m.group('proc'))} timed out after {m.group('secs')} s",
        )
    m = _TIMEOUT_ON.match(rest)
    if m:
        return diag("timeout", f"timed out on: {m.group('msg').strip()}", code=m.group("code"))
    m = _RESOURCE_PROC.match(rest)
    if m:
        return diag(
            "resource", f"verification of {display_name(m.group('proc'))} ran out of resource"
        )
    m = _RESOURCE_ON.match(rest)
    if m:
        return diag(
            "resource", f"out of resource on: {m.group('msg').strip()}", code=m.group("code")
        )
    if rest.startswith("Warning:"):
        return diag("warning", rest.partition(":")[2].strip(), Severity.WARNING)
    if rest.startswith("Info:"):
        return diag("info", rest.partition(":")[2].strip(), Severity.INFO)
    return None


# The first declaration of every Boogie program Dafny 2.x/3.x writes (its prelude).
BOOGIE_PROGRAM_START = "const $$Language$Dafny: bool;"


def split_server_answer(text: str) -> tuple[str, tuple[str, ...]]:
    """A DafnyServer answer asked with `/printInstrumented`, as (Dafny's output, the Boogie
    programs). Each program starts with the prelude's first line and runs up to the first
    `Verifying … ...` line (its module's verification) or the next program. A program line
    that looked like output would leave the rest of the program to the output reader,
    which does not recognise Boogie text: the answer is then garbage, never a success."""
    output: list[str] = []
    programs: list[list[str]] = []
    inside = False
    for line in text.splitlines():
        if line == BOOGIE_PROGRAM_START:
            programs.append([line])
            inside = True
        elif inside and _VERIFYING.match(line):
            inside = False
            output.append(line)
        elif inside:
            programs[-1].append(line)
        else:
            output.append(line)
    return "".join(f"{ln}\n" for ln in output), tuple("\n".join(p) + "\n" for p in programs)


def mark_bad_input(parsed: ParsedOutput) -> ParsedOutput:
    """Use the CLI's "N parse errors detected" line to settle parse vs resolution kinds
    (the server prints no such line, so there the message pattern decides)."""
    if parsed.parse_errors:
        kind = "parse"
    elif parsed.resolution_errors:
        kind = "resolution"
    else:
        return parsed
    fixed = tuple(
        replace(d, kind=kind) if d.kind in ("parse", "resolution") else d
        for d in parsed.diagnostics
    )
    return replace(parsed, diagnostics=fixed)


def char_column(line_text: str, byte_col: int) -> int:
    """1-based character column of the 1-based UTF-8 byte column `byte_col` in `line_text`."""
    prefix = line_text.encode("utf-8", "surrogatepass")[: byte_col - 1]
    return len(prefix.decode("utf-8", "ignore")) + 1


def to_char_columns(diags: tuple[Diagnostic, ...], source: str) -> tuple[Diagnostic, ...]:
    """Dafny 2.3 counts columns in UTF-8 bytes (its scanner reads bytes, with or without a
    BOM); editors, our lexer and the soundness scan count characters. Convert so that a
    line with `é` or an emoji before the error still gets the column a user sees. Lines
    are split like the lexer (and Dafny) split them; ASCII lines are left untouched."""
    # Dafny does not count a byte-order mark as a column, nor does an editor.
    lines = normalize_newlines(source.removeprefix("\ufeff")).split("\n")

    def fix(d: Diagnostic) -> Diagnostic:
        related = tuple(fix(r) for r in d.related)
        col = d.col
        if d.line is not None and col is not None and 1 <= d.line <= len(lines):
            text = lines[d.line - 1]
            if not text.isascii():
                col = char_column(text, col)
        if col == d.col and related == d.related:
            return d
        return replace(d, col=col, related=related)

    if source.isascii():
        return diags
    return tuple(fix(d) for d in diags)
