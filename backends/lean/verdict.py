"""From everything we know about one check to a verdict (pure; the soundness rules live here).

VERIFIED only when Lean ran to the end and reported no error and no `sorry`, the source
scan found nothing forbidden, the statements match the task, every unit passed, and the
axiom audit ran for every theorem and found only `propext`, `Classical.choice`,
`Quot.sound`. A Lean error or a unit proved false is REFUTED. Everything else — a
timeout, a crash, a missing module, a cheat, an audit that did not answer — is UNKNOWN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from verifier.backends.lean.harness import AxiomLeaf, BuiltFile, Dialect, plain_name
from verifier.backends.lean.messages import LeanMessage
from verifier.backends.lean.source_scan import Declaration, Finding
from verifier.backends.lean.statements import Mismatch
from verifier.backends.lean.units import EvalOutcome, UnitEval, UnitTest

from verifier.results import Diagnostic, Obligation, Severity, Verdict

ALLOWED_AXIOMS = frozenset({"propext", "Classical.choice", "Quot.sound"})
SORRY_AXIOMS = frozenset({"sorryAx"})
COMPILER_AXIOMS = frozenset(
    {"Lean.ofReduceBool", "Lean.ofReduceNat", "Lean.reduceBool", "Lean.reduceNat", "Lean.trustCompiler"}
)

_UNIT_FALSE_MARKERS = ("is false", "does not match generated message")


class UnitCheck(StrEnum):
    """How one unit test was decided on the kernel route (reported as obligation `unit N`)."""

    KERNEL = "kernel"  # `f x = y` proved by `decide`, audit clean
    REFUTED = "refuted"  # `¬(f x = y)` proved by `decide`, audit clean
    UNCHECKED = "unchecked"  # neither: this toolchain cannot decide it
    DOUBTFUL = "doubtful"  # proved, but the audit found sorry or an axiom (or no answer)
    EVAL = "eval"  # neither side decided by the kernel; `#guard_msgs in #eval` passed (sandbox)
    EVAL_REFUTED = "eval-refuted"  # … and `#eval` printed another value than the task states


UNIT_UNCHECKED = "unit-unchecked"  # diagnostic kind of a unit this toolchain cannot decide
UNIT_OBLIGATION = "unit"  # per-unit obligations are named "unit 1", "unit 2", …


@dataclass(frozen=True)
class Record:
    """One report of the trusted driver: `tag` is its header (`decl theorem false 3 0`,
    `refused 2 4`, …), `text` its body."""

    tag: str
    text: str


@dataclass(frozen=True)
class RunOutcome:
    """How the Lean process ended; `messages` and the driver's `records` already parsed."""

    messages: tuple[LeanMessage, ...] = ()
    stray: tuple[str, ...] = ()
    returncode: int | None = None
    timed_out: bool = False
    timeout: float = 0.0
    stderr_tail: str = ""
    records: tuple[Record, ...] = ()
    # a warm session's check: whether the session still runs after it (a timeout the
    # driver answered itself keeps it); None when no session was involved
    session_survived: bool | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    diagnostics: tuple[Diagnostic, ...]
    obligations: tuple[Obligation, ...]


def _diag(kind: str, message: str, file: str | None, line: int | None = None,
          col: int | None = None, severity: Severity = Severity.ERROR) -> Diagnostic:  # fmt: skip
    return Diagnostic(kind=kind, message=message, severity=severity, file=file, line=line, col=col)


def _owner(
    decls: Sequence[Declaration], line: int | None, commands: Sequence[int] = ()
) -> Declaration | None:
    """The theorem whose text contains a model line: the last theorem starting at or before
    it, unless another top-level command (a def, an example, …) starts in between."""
    if line is None:
        return None
    best = None
    for d in decls:
        if d.line <= line:
            best = d
    if best is not None and any(best.line < c <= line for c in commands):
        return None
    return best


@dataclass
class _Tally:
    """What the stages of `judge` found so far (private to this module's judge)."""

    file: str | None
    theorems: Sequence[Declaration]
    commands: Sequence[int]
    diags: list[Diagnostic] = field(default_factory=list)
    refuted: dict[str, str] = field(default_factory=dict)  # per obligation: why
    doubtful: dict[str, str] = field(default_factory=dict)
    blockers: list[str] = field(default_factory=list)  # make every obligation UNKNOWN
    file_doubts: list[str] = field(default_factory=list)  # make the file UNKNOWN
    file_refuted: bool = False
    unit_state: str | None = None  # None ok, "refuted", "unknown"
    failed_units: set[str] = field(default_factory=set)  # unit theorems Lean reported failing
    unit_errors: dict[str, str] = field(default_factory=dict)  # kernel route: theorem -> error
    unit_how: dict[int, UnitCheck] = field(default_factory=dict)  # kernel route, per unit
    evals: Mapping[int, UnitEval] = field(default_factory=dict)  # `#eval` route, per unit

    def owner(self, line: int | None) -> Declaration | None:
        return _owner(self.theorems, line, self.commands)

    def add(self, kind: str, message: str, file: str | None, line: int | None = None,
            col: int | None = None, severity: Severity = Severity.ERROR) -> None:  # fmt: skip
        self.diags.append(_diag(kind, message, file, line, col, severity))

    def unit(self, state: str) -> None:
        """Units only get worse: refuted beats unknown beats ok."""
        if self.unit_state != "refuted":
            self.unit_state = state


def judge(
    *,
    file: str | None,
    theorems: Sequence[Declaration],
    findings: Sequence[Finding] = (),
    mismatches: Sequence[Mismatch] = (),
    missing_modules: Sequence[tuple[str, int | None]] = (),
    built: BuiltFile | None = None,
    run: RunOutcome | None = None,
    audit: dict[str, tuple[AxiomLeaf, ...]] | None = None,
    dialect: Dialect | None = None,
    has_units: bool = False,
    commands: Sequence[int] = (),
    evals: Mapping[int, UnitEval] | None = None,
) -> Judgement:
    """`commands`: lines where top-level commands start (see source_scan.command_lines);
    `evals`: the `#eval` route's results for units the kernel left undecided (eval_units)."""
    t = _Tally(file, theorems, commands, evals=evals or {})
    _before_lean(t, findings, mismatches, missing_modules, dialect)
    if built is not None and run is not None:
        _lean_run(t, built, run)
        _units_without_value(t, built)
        if not run.timed_out:
            _settle_kernel_units(t, built, audit or {})
        _audit(t, built, run, audit or {})
    obligations = _obligations(t, ran=built is not None and run is not None, has_units=has_units)
    if not theorems and not has_units and not t.blockers and not t.file_refuted:
        t.add("error", "no theorem to check: a file without theorems proves nothing", file,
              severity=Severity.WARNING)  # fmt: skip
    t.diags.sort(key=lambda d: (d.line is None, d.line or 0, d.col or 0))
    return Judgement(_file_verdict(t, obligations), tuple(t.diags), tuple(obligations))


def _before_lean(
    t: _Tally, findings: Sequence[Finding], mismatches: Sequence[Mismatch],
    missing_modules: Sequence[tuple[str, int | None]], dialect: Dialect | None,
) -> None:  # fmt: skip
    """Missing modules, refused constructs and statement mismatches."""
    for module, line in missing_modules:
        t.add(
            "toolchain-mismatch",
            f"module `{module}` is not available in this Lean toolchain"
            + (f" ({dialect.name} build: only {', '.join(dialect.import_roots or ())})" if dialect else "")
            + "; check this file with a Lean that has it, e.g. `--lean-project DIR` pointing at a "
            "Lake project with Mathlib",
            t.file, line, 1 if line is not None else None,
        )  # fmt: skip
        t.blockers.append("toolchain-mismatch")
    for f in findings:
        t.add(f.kind, f.message, t.file, f.line, f.col)
        owner = t.owner(f.line)
        if f.kind == "sorry" and owner is not None:
            t.doubtful.setdefault(owner.full_name, f.message)
        elif f.kind in ("sorry", "axiom"):
            t.file_doubts.append(f.kind)  # the audit shows which theorems depend on it
        else:
            t.blockers.append(f.kind)
    by_name = {d.full_name for d in t.theorems}
    for m in mismatches:
        t.add("statement-mismatch", m.message, t.file, m.line, m.col)
        if m.name in by_name:
            t.doubtful.setdefault(m.name, "statement differs from the task")
            t.file_doubts.append("statement-mismatch")
        else:  # a definition or a missing theorem changes what the file is about
            t.blockers.append("statement-mismatch")


def _lean_run(t: _Tally, built: BuiltFile, run: RunOutcome) -> None:
    """How Lean ended, and each of its messages where it belongs."""
    if run.timed_out:
        t.add("timeout", f"Lean did not finish within {run.timeout:g} s; nothing is known about "
              "the theorems not reported yet. Give more time (--timeout) or simplify the proofs",
              t.file)  # fmt: skip
        t.blockers.append("timeout")
    elif run.returncode not in (0, 1) or (not run.messages and run.returncode != 0):
        t.add("crash", f"Lean exited with code {run.returncode} without a usable report"
              + (f": {run.stderr_tail}" if run.stderr_tail else "")
              + "; rerun the check (`--cold` uses a fresh process per file) and report it if it "
              "persists", t.file)  # fmt: skip
        t.blockers.append("crash")
    errors_in_model = 0
    for msg in run.messages:
        if built.in_model(msg.line):
            errors_in_model += _model_message(t, msg, built.to_model_line(msg.line))
        elif msg.line is not None and msg.line <= built.line_offset:
            if msg.severity == Severity.ERROR:  # our header line: the model's imports live there
                kind = "toolchain-mismatch" if _is_missing_module(msg.text) else "crash"
                t.add(kind, msg.text, t.file, 1, None)
                t.blockers.append(kind)
        elif built.in_appendix(msg.line):
            _appendix_message(t, msg, built, errors_in_model)
    for stray in run.stray[:5]:
        t.add("crash", f"unexpected output from Lean: {stray[:300]}", t.file,
              severity=Severity.WARNING)  # fmt: skip
    if run.stray:
        t.blockers.append("stray output")


def _model_message(t: _Tally, msg: LeanMessage, line: int | None) -> int:
    """One message at a model line; 1 when it is an error of the model's code."""
    if msg.severity == Severity.ERROR:
        if _is_missing_module(msg.text):
            t.add("toolchain-mismatch", msg.text, t.file, line, msg.col)
            t.blockers.append("toolchain-mismatch")
            return 0
        t.add("error", msg.text, t.file, line, msg.col)
        owner = t.owner(line)
        if owner is not None:
            t.refuted.setdefault(owner.full_name, "Lean reported an error")
        t.file_refuted = True
        return 1
    if msg.is_sorry:
        t.add("sorry", msg.text, t.file, line, msg.col)
        owner = t.owner(line)
        if owner is not None:
            t.doubtful.setdefault(owner.full_name, "uses sorry")
        else:
            t.file_doubts.append("sorry")
    elif msg.severity == Severity.WARNING:
        t.add("warning", msg.text, t.file, line, msg.col, Severity.WARNING)
    return 0


def _appendix_message(t: _Tally, msg: LeanMessage, built: BuiltFile, errors_in_model: int) -> None:
    line = msg.line or 0
    kernel = next((s for s in built.units if s.name and line in (s.first_line, s.refutation_line)), None)
    if kernel is not None:  # decided per unit once the audit is in (_settle_kernel_units)
        name = kernel.name if line == kernel.first_line else kernel.refutation
        if msg.severity == Severity.ERROR or msg.is_sorry:
            t.unit_errors.setdefault(name, msg.text)
        return
    slot = next((s for s in built.units if s.first_line <= line <= s.last_line), None)
    if slot is not None and msg.severity == Severity.ERROR:
        definite = any(k in msg.text for k in _UNIT_FALSE_MARKERS)
        t.add("unit-failed", f"unit test {slot.test.index} failed: {slot.test.expr}"
              + (f" (expected {slot.test.expected})" if slot.test.expected else "")
              + f"\n{msg.text}"
              + ("" if definite else "\n(the check could not be evaluated, so this is not a refutation)"),
              t.file, slot.test.line)  # fmt: skip
        t.unit("refuted" if definite else "unknown")
        t.failed_units.add(slot.name)
    elif slot is not None and msg.is_sorry:
        t.unit_state = t.unit_state or "unknown"
    elif slot is None and msg.severity == Severity.ERROR and errors_in_model == 0:
        t.add("crash", f"our appendix failed: {msg.text}", t.file, severity=Severity.WARNING)


def _units_without_value(t: _Tally, built: BuiltFile) -> None:
    for slot in built.units:
        if slot.test.expected is None:
            t.add(UNIT_UNCHECKED, f"unit test {slot.test.index} ({slot.test.expr}) has no single "
                  "`info:` result to check by the kernel on this toolchain", t.file,
                  slot.test.line, severity=Severity.WARNING)  # fmt: skip
            t.unit_state = t.unit_state or "unknown"
            t.unit_how[slot.test.index] = UnitCheck.UNCHECKED


def _clean(leaves: tuple[AxiomLeaf, ...] | None) -> bool:
    return leaves is not None and all(axiom_kind(leaf) is None for leaf in leaves)


def _settle_kernel_units(t: _Tally, built: BuiltFile, audit: dict[str, tuple[AxiomLeaf, ...]]) -> None:
    """Per unit on the kernel route: proved (the audit then checks it like any theorem),
    proved false (its negation proved, audit clean), or unchecked (neither proved)."""
    for slot in built.units:
        if not slot.name:
            continue
        test = slot.test
        label = f"unit test {test.index}: {test.expr} (expected {test.expected})"
        proved = slot.name not in t.unit_errors
        disproved = slot.refutation not in t.unit_errors and _clean(audit.get(plain_name(slot.refutation)))
        if proved and disproved:  # both sides proved: never trusted either way
            t.add("crash", f"{label} and its negation were both proved; not trusted", t.file,
                  test.line, severity=Severity.WARNING)  # fmt: skip
            t.unit("unknown")
            t.failed_units.add(slot.name)
            t.unit_how[test.index] = UnitCheck.DOUBTFUL
        elif proved:
            ok = _clean(audit.get(plain_name(slot.name)))
            t.unit_how[test.index] = UnitCheck.KERNEL if ok else UnitCheck.DOUBTFUL
        elif disproved:
            t.add("unit-failed", f"unit test {test.index} failed: {test.expr} (expected "
                  f"{test.expected})\nthe kernel proved `¬(({test.expr}) = ({test.expected}))`",
                  t.file, test.line)  # fmt: skip
            t.unit("refuted")
            t.failed_units.add(slot.name)
            t.unit_how[test.index] = UnitCheck.REFUTED
        else:
            t.failed_units.add(slot.name)  # its kernel theorem failed: not audited
            _settle_by_eval(t, test, label, t.unit_errors[slot.name])


def _settle_by_eval(t: _Tally, test: UnitTest, label: str, kernel_error: str) -> None:
    """A unit the kernel decides neither way: the `#eval` route's result when it ran it
    (`#guard_msgs` passed, or only its mismatch error: the printed value differs), else
    unchecked — a toolchain limit, never passed and never the model's failure."""
    ev = t.evals.get(test.index)
    outcome = ev.outcome if ev is not None else None
    if outcome is EvalOutcome.PASS:
        t.unit_how[test.index] = UnitCheck.EVAL
    elif outcome is EvalOutcome.MISMATCH and ev is not None:
        t.add("unit-failed", f"unit test {test.index} failed: {test.expr} (expected "
              f"{test.expected})\n`#guard_msgs in #eval` (run in the sandbox) printed another value:"
              f"\n{ev.detail[:600]}", t.file, test.line)  # fmt: skip
        t.unit("refuted")
        t.unit_how[test.index] = UnitCheck.EVAL_REFUTED
    else:
        why = f"\n`#eval` could not decide it either: {ev.detail[:400]}" if ev is not None else ""
        t.add(UNIT_UNCHECKED, f"{label} could not be checked on this toolchain: `decide` "
              f"decides neither it nor its negation\n{kernel_error[:600]}{why}",
              t.file, test.line, severity=Severity.WARNING)  # fmt: skip
        t.unit("unknown")
        t.unit_how[test.index] = UnitCheck.UNCHECKED


def _audit(t: _Tally, built: BuiltFile, run: RunOutcome, audit: dict[str, tuple[AxiomLeaf, ...]]) -> None:
    """Every theorem (and every unit theorem) must have an audit answer with clean axioms;
    a unit's negation only ever serves to refute it (_settle_kernel_units)."""
    by_name = {d.full_name: d for d in t.theorems}
    refutations = {s.refutation for s in built.units if s.refutation}
    for name in built.audit_targets:
        if name in refutations:
            continue
        leaves = audit.get(plain_name(name))
        owner_name = name if name in by_name else None
        is_unit = name.startswith("proofroute_unit_")
        if leaves is None:
            if run.timed_out or (owner_name and owner_name in t.refuted):
                continue
            if is_unit:
                if name not in t.failed_units:  # else decided apart (refuted, eval, unchecked)
                    t.unit_state = t.unit_state or "unknown"
                continue
            if "unknown-construct" in t.blockers:  # the driver stopped there; already said
                t.doubtful.setdefault(name, "not checked: the file stops at a refused construct")
                continue
            t.doubtful.setdefault(name, "the axiom audit gave no answer")
            t.add("crash", f"the axiom audit gave no answer for `{name}`; this usually follows "
                  "another error in the file: fix that first", t.file, *_pos(by_name.get(name)),
                  severity=Severity.WARNING)  # fmt: skip
            continue
        if owner_name in t.refuted or name in t.failed_units:
            continue  # a failed proof is closed with sorryAx by Lean; already reported
        for leaf in leaves:
            kind = axiom_kind(leaf)
            if kind is None or (kind == "sorry" and owner_name in t.doubtful):
                continue  # allowed, or its sorry is already reported
            label = "unit tests" if is_unit else f"`{name}`"
            t.add(kind, f"{label} depends on `{leaf.name}`"
                  + ("" if kind != "axiom" else " (only propext, Classical.choice, Quot.sound are allowed)"),
                  t.file, *_pos(by_name.get(name)))  # fmt: skip
            if is_unit:
                t.unit("unknown")
            else:
                t.doubtful.setdefault(name, f"depends on {leaf.name}")


def _obligations(t: _Tally, *, ran: bool, has_units: bool) -> list[Obligation]:
    out: list[Obligation] = []
    for name in (d.full_name for d in t.theorems):
        if name in t.refuted:
            out.append(Obligation(name, Verdict.REFUTED, t.refuted[name]))
        elif name in t.doubtful:
            out.append(Obligation(name, Verdict.UNKNOWN, t.doubtful[name]))
        elif t.blockers or not ran:
            out.append(Obligation(name, Verdict.UNKNOWN,
                                  ", ".join(dict.fromkeys(t.blockers)) or "not checked"))  # fmt: skip
        else:
            out.append(Obligation(name, Verdict.VERIFIED))
    if has_units:
        if t.unit_state == "refuted":
            out.append(Obligation("units", Verdict.REFUTED, "a unit test failed"))
        elif t.unit_state == "unknown" or t.blockers or not ran:
            out.append(Obligation("units", Verdict.UNKNOWN, "unit tests not all confirmed"))
        else:
            out.append(Obligation("units", Verdict.VERIFIED))
    for index, how in sorted(t.unit_how.items()):
        verdict = {UnitCheck.KERNEL: Verdict.VERIFIED, UnitCheck.EVAL: Verdict.VERIFIED,
                   UnitCheck.REFUTED: Verdict.REFUTED, UnitCheck.EVAL_REFUTED: Verdict.REFUTED,
                   }.get(how, Verdict.UNKNOWN)  # fmt: skip
        if verdict is Verdict.VERIFIED and (t.blockers or not ran):
            verdict = Verdict.UNKNOWN
        out.append(Obligation(f"{UNIT_OBLIGATION} {index}", verdict, str(how)))
    return out


def _file_verdict(t: _Tally, obligations: list[Obligation]) -> Verdict:
    if any(b in ("timeout", "crash", "toolchain-mismatch") for b in t.blockers):
        return Verdict.UNKNOWN
    if t.file_refuted or t.unit_state == "refuted":
        return Verdict.REFUTED
    if (
        obligations
        and all(o.verdict == Verdict.VERIFIED for o in obligations)
        and not t.blockers
        and not t.file_doubts
    ):
        return Verdict.VERIFIED
    return Verdict.UNKNOWN


def _pos(decl: Declaration | None) -> tuple[int | None, int | None]:
    return (decl.line, decl.col) if decl else (None, None)


def axiom_kind(leaf: AxiomLeaf) -> str | None:
    """None when allowed; else the Diagnostic kind for depending on this leaf. Library
    theorems are leaves too on the WebAssembly build (its .olean files leave their proofs
    out); the library is trusted but for `sorryAx` and the compiler's axioms."""
    if leaf.name in ALLOWED_AXIOMS:
        return None
    if leaf.name in SORRY_AXIOMS:
        return "sorry"
    if leaf.name in COMPILER_AXIOMS:
        return "unsound"
    return "axiom" if leaf.local else None


_MISSING_MODULE_MARKERS = ("unknown module prefix", "unknown package", "object file", "does not exist", "not found in search path")


def _is_missing_module(text: str) -> bool:
    low = text.lower()
    return any(m in low for m in _MISSING_MODULE_MARKERS) and ("module" in low or "package" in low or ".olean" in low)
