"""From everything we know about one check to a verdict (pure; the soundness rules live here).

VERIFIED only when Lean ran to the end and reported no error and no `sorry`, the source
scan found nothing forbidden, the statements match the task, every unit passed, and the
axiom audit ran for every theorem and found only `propext`, `Classical.choice`,
`Quot.sound`. A Lean error or a unit proved false is REFUTED. Everything else — a
timeout, a crash, a missing module, a cheat, an audit that did not answer — is UNKNOWN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.backends.lean.harness import AxiomLeaf, BuiltFile, Dialect, plain_name
from verifier.backends.lean.messages import LeanMessage
from verifier.backends.lean.source_scan import Declaration, Finding
from verifier.backends.lean.statements import Mismatch

from verifier.results import Diagnostic, Obligation, Severity, Verdict

ALLOWED_AXIOMS = frozenset({"propext", "Classical.choice", "Quot.sound"})
SORRY_AXIOMS = frozenset({"sorryAx"})
COMPILER_AXIOMS = frozenset(
    {"Lean.ofReduceBool", "Lean.ofReduceNat", "Lean.reduceBool", "Lean.reduceNat", "Lean.trustCompiler"}
)

_UNIT_FALSE_MARKERS = ("is false", "does not match generated message")


@dataclass(frozen=True)
class RunOutcome:
    """How the Lean process ended; `messages` already parsed."""

    messages: tuple[LeanMessage, ...] = ()
    stray: tuple[str, ...] = ()
    returncode: int | None = None
    timed_out: bool = False
    timeout: float = 0.0
    stderr_tail: str = ""


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
) -> Judgement:
    """`commands`: lines where top-level commands start (see source_scan.command_lines)."""
    diags: list[Diagnostic] = []
    # Per-obligation state: None = no objection yet.
    refuted: dict[str, str] = {}
    doubtful: dict[str, str] = {}
    blockers: list[str] = []  # reasons that make every obligation UNKNOWN
    file_doubts: list[str] = []  # reasons that make the file UNKNOWN (audit covers theorems)
    file_refuted = False
    names = [t.full_name for t in theorems]
    by_name = {t.full_name: t for t in theorems}

    for module, line in missing_modules:
        diags.append(_diag(
            "toolchain-mismatch",
            f"module `{module}` is not available in this Lean toolchain"
            + (f" ({dialect.name} build: only {', '.join(dialect.import_roots or ())})" if dialect else "")
            + "; check this file with a Lean that has it, e.g. `--lean-project DIR` pointing at a "
            "Lake project with Mathlib",
            file, line, 1 if line is not None else None,
        ))  # fmt: skip
        blockers.append("toolchain-mismatch")

    for f in findings:
        diags.append(_diag(f.kind, f.message, file, f.line, f.col))
        owner = _owner(theorems, f.line, commands)
        if f.kind == "sorry" and owner is not None:
            doubtful.setdefault(owner.full_name, f.message)
        elif f.kind in ("sorry", "axiom"):
            # The audit shows which theorems really depend on it.
            file_doubts.append(f.kind)
        else:
            blockers.append(f.kind)

    for m in mismatches:
        diags.append(_diag("statement-mismatch", m.message, file, m.line, m.col))
        if m.name in by_name:
            doubtful.setdefault(m.name, "statement differs from the task")
            file_doubts.append("statement-mismatch")
        else:  # a definition or a missing theorem changes what the file is about
            blockers.append("statement-mismatch")

    unit_state: str | None = None  # None ok, "refuted", "unknown"
    failed_units: set[str] = set()  # unit theorems Lean already reported failing
    if built is not None and run is not None:
        if run.timed_out:
            diags.append(_diag(
                "timeout",
                f"Lean did not finish within {run.timeout:g} s; nothing is known about the "
                "theorems not reported yet. Give more time (--timeout) or simplify the proofs",
                file,
            ))  # fmt: skip
            blockers.append("timeout")
        elif run.returncode not in (0, 1) or (not run.messages and run.returncode != 0):
            diags.append(_diag(
                "crash",
                f"Lean exited with code {run.returncode} without a usable report"
                + (f": {run.stderr_tail}" if run.stderr_tail else "")
                + "; rerun the check (`--cold` uses a fresh process per file) and report it if it persists",
                file,
            ))  # fmt: skip
            blockers.append("crash")
        errors_in_model = 0
        for msg in run.messages:
            line = built.to_model_line(msg.line)
            if built.in_model(msg.line):
                if msg.severity == Severity.ERROR:
                    if _is_missing_module(msg.text):
                        diags.append(_diag("toolchain-mismatch", msg.text, file, line, msg.col))
                        blockers.append("toolchain-mismatch")
                        continue
                    errors_in_model += 1
                    diags.append(_diag("error", msg.text, file, line, msg.col))
                    owner = _owner(theorems, line, commands)
                    if owner is not None:
                        refuted.setdefault(owner.full_name, "Lean reported an error")
                    file_refuted = True
                elif msg.is_sorry:
                    diags.append(_diag("sorry", msg.text, file, line, msg.col))
                    owner = _owner(theorems, line, commands)
                    if owner is not None:
                        doubtful.setdefault(owner.full_name, "uses sorry")
                    else:
                        file_doubts.append("sorry")
                elif msg.severity == Severity.WARNING:
                    diags.append(_diag("warning", msg.text, file, line, msg.col, Severity.WARNING))
            elif msg.line is not None and msg.line <= built.line_offset:
                # Our header line: the model's imports live there too.
                if msg.severity == Severity.ERROR:
                    kind = "toolchain-mismatch" if _is_missing_module(msg.text) else "crash"
                    diags.append(_diag(kind, msg.text, file, 1, None))
                    blockers.append(kind)
            elif built.in_appendix(msg.line):
                slot = next((s for s in built.units if s.first_line <= (msg.line or 0) <= s.last_line), None)
                if slot is not None and msg.severity == Severity.ERROR:
                    definite = any(k in msg.text for k in _UNIT_FALSE_MARKERS)
                    diags.append(_diag(
                        "unit-failed",
                        f"unit test {slot.test.index} failed: {slot.test.expr}"
                        + (f" (expected {slot.test.expected})" if slot.test.expected else "")
                        + f"\n{msg.text}"
                        + ("" if definite else "\n(the check could not be evaluated, so this is not a refutation)"),
                        file,
                    ))  # fmt: skip
                    unit_state = "refuted" if definite or unit_state == "refuted" else "unknown"
                    failed_units.add(slot.name)
                elif slot is not None and msg.is_sorry:
                    unit_state = unit_state or "unknown"
                elif slot is None and msg.severity == Severity.ERROR and errors_in_model == 0:
                    diags.append(_diag(
                        "crash", f"the axiom audit failed: {msg.text}", file, severity=Severity.WARNING,
                    ))  # fmt: skip
        for stray in run.stray[:5]:
            diags.append(_diag("crash", f"unexpected output from Lean: {stray[:300]}", file,
                               severity=Severity.WARNING))  # fmt: skip
        if run.stray:
            blockers.append("stray output")

        for slot in built.units:
            if slot.test.expected is None:
                diags.append(_diag(
                    "unit-failed",
                    f"unit test {slot.test.index} ({slot.test.expr}) has no single `info:` "
                    "result to check by the kernel on this toolchain",
                    file, severity=Severity.WARNING,
                ))  # fmt: skip
                unit_state = unit_state or "unknown"

        # Axiom audit: every theorem (and every unit theorem) must have answered.
        audit = audit or {}
        targets = list(built.audit_targets)
        for name in targets:
            leaves = audit.get(plain_name(name))
            owner_name = name if name in by_name else None
            is_unit = name.startswith("proofroute_unit_")
            if leaves is None:
                if run.timed_out or (owner_name and owner_name in refuted):
                    continue
                if is_unit:
                    if unit_state is None:
                        unit_state = "unknown"
                    continue
                doubtful.setdefault(name, "the axiom audit gave no answer")
                diags.append(_diag("crash", f"the axiom audit gave no answer for `{name}`; this "
                                   "usually follows another error in the file: fix that first", file,
                                   *(_pos(by_name.get(name))), severity=Severity.WARNING))  # fmt: skip
                continue
            if owner_name in refuted or name in failed_units:
                continue  # a failed proof is closed with sorryAx by Lean; already reported
            for leaf in leaves:
                kind = _axiom_kind(leaf, dialect)
                if kind is None:
                    continue
                if kind == "sorry" and owner_name in doubtful:
                    continue  # its sorry is already reported
                where = _pos(by_name.get(name))
                label = "unit tests" if is_unit else f"`{name}`"
                diags.append(_diag(kind, f"{label} depends on `{leaf.name}`"
                                   + ("" if kind != "axiom" else " (only propext, Classical.choice, Quot.sound are allowed)"),
                                   file, *where))  # fmt: skip
                if is_unit:
                    unit_state = "unknown" if unit_state != "refuted" else unit_state
                else:
                    doubtful.setdefault(name, f"depends on {leaf.name}")

    obligations: list[Obligation] = []
    ran = built is not None and run is not None
    for name in names:
        if name in refuted:
            obligations.append(Obligation(name, Verdict.REFUTED, refuted[name]))
        elif name in doubtful:
            obligations.append(Obligation(name, Verdict.UNKNOWN, doubtful[name]))
        elif blockers or not ran:
            obligations.append(Obligation(name, Verdict.UNKNOWN, ", ".join(dict.fromkeys(blockers)) or "not checked"))
        else:
            obligations.append(Obligation(name, Verdict.VERIFIED))
    if has_units:
        if unit_state == "refuted":
            obligations.append(Obligation("units", Verdict.REFUTED, "a unit test failed"))
        elif unit_state == "unknown" or blockers or not ran:
            obligations.append(Obligation("units", Verdict.UNKNOWN, "unit tests not all confirmed"))
        else:
            obligations.append(Obligation("units", Verdict.VERIFIED))

    if not names and not has_units and not blockers and not file_refuted:
        diags.append(_diag("error", "no theorem to check: a file without theorems proves nothing",
                           file, severity=Severity.WARNING))  # fmt: skip

    hard_blockers = {"timeout", "crash", "toolchain-mismatch"}
    if any(b in hard_blockers for b in blockers):
        verdict = Verdict.UNKNOWN
    elif file_refuted or unit_state == "refuted":
        verdict = Verdict.REFUTED
    elif (
        obligations
        and all(o.verdict == Verdict.VERIFIED for o in obligations)
        and not blockers
        and not file_doubts
    ):
        verdict = Verdict.VERIFIED
    else:
        verdict = Verdict.UNKNOWN
    diags.sort(key=lambda d: (d.line is None, d.line or 0, d.col or 0))
    return Judgement(verdict, tuple(diags), tuple(obligations))


def _pos(decl: Declaration | None) -> tuple[int | None, int | None]:
    return (decl.line, decl.col) if decl else (None, None)


def _axiom_kind(leaf: AxiomLeaf, dialect: Dialect | None) -> str | None:
    """None when allowed; else the Diagnostic kind for depending on this leaf."""
    if leaf.name in ALLOWED_AXIOMS:
        return None
    if leaf.name in SORRY_AXIOMS:
        return "sorry"
    if leaf.name in COMPILER_AXIOMS:
        return "unsound"
    if dialect is not None and dialect.audit == "collect" and not leaf.local:
        # WebAssembly build: imported library theorems appear as leaves (their proofs are
        # not in the exported .olean files); the library itself is trusted.
        return None
    return "axiom"


_MISSING_MODULE_MARKERS = ("unknown module prefix", "unknown package", "object file", "does not exist", "not found in search path")


def _is_missing_module(text: str) -> bool:
    low = text.lower()
    return any(m in low for m in _MISSING_MODULE_MARKERS) and ("module" in low or "package" in low or ".olean" in low)
