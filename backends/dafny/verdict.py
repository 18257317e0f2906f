"""The VERIFIED rule: from what one run printed, and the source, to a sound verdict.

This is the one place that may say VERIFIED, and it does so only when every sign is
clean: the run finished (no wall-clock kill, no crash, exit status 0 on the CLI), every
line of output was understood, at least one procedure was verified and none failed,
timed out or ran out of resource, the audit of a real parse of the program (`audit.py`)
found nothing, and the cross-check (`crosscheck.py`: what Dafny generated and verified
against the parsed callables, no user `assume` or `free` in the Boogie program; with
Dafny 4 also `dafny audit`) agrees. A verification
error makes the result REFUTED; everything else is UNKNOWN. Pure: unit-testable on
recorded outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from verifier.backends.dafny import dafny_audit
from verifier.backends.dafny.audit import Audit, FindingKind, audit, callable_at_line
from verifier.backends.dafny.crosscheck import ExpectedCallable, crosscheck, read_boogie
from verifier.backends.dafny.model import initial_values, parse_models
from verifier.backends.dafny.output import (
    ParsedOutput,
    mark_bad_input,
    parse_output,
    to_char_columns,
)

from verifier.results import Counterexample, Diagnostic, Obligation, Severity, Verdict

BAD_INPUT_KINDS = frozenset({"parse", "resolution"})
VERIFICATION_KINDS = frozenset(
    {
        "postcondition", "precondition", "invariant-entry", "invariant-maintained",
        "assertion", "termination", "index", "division", "other",
    }
)  # fmt: skip
_STATUS_VERDICT = {"verified": Verdict.VERIFIED, "error": Verdict.REFUTED}


@dataclass(frozen=True)
class RunOutcome:
    """What one cold or warm run produced, before any interpretation."""

    text: str
    mode: str  # "cold" or "warm"
    returncode: int | None = None  # CLI exit status; None for the server
    timed_out: bool = False
    wall_seconds: float | None = None  # the wall limit that was hit, for the message
    crash: str | None = None  # why the run is unusable (killed, garbage, ...)
    model_text: str | None = None
    # Dafny's Boogie program, one text per module, for the cross-check; None: not printed
    boogie: tuple[str, ...] | None = None
    audit_text: str | None = None  # `dafny audit`'s report (Dafny 4); None: not run


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    diagnostics: tuple[Diagnostic, ...]
    obligations: tuple[Obligation, ...]
    counterexample: Counterexample | None


def _diag(
    kind: str, message: str, filename: str | None, severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(kind=kind, message=message, severity=severity, file=filename)


def judge(
    outcome: RunOutcome,
    source: str,
    *,
    filename: str | None,
    audited: Audit | None = None,
    includes_checked: bool = False,
) -> Judgement:
    """`audited`: the audit of `source` when the caller has it already.
    `includes_checked`: the caller followed, audited and verified every `include` (else
    an `include` is a finding: Dafny 2.3 neither verifies nor reports included files)."""
    parsed = parse_output(outcome.text, filename=filename)
    audited = audited if audited is not None else audit(source)
    if outcome.mode == "cold":
        parsed = mark_bad_input(parsed)
    parsed = replace(parsed, diagnostics=to_char_columns(parsed.diagnostics, source))
    diagnostics = list(parsed.diagnostics)
    doubts = _run_doubts(outcome, parsed, filename)

    bad_input = any(d.kind in BAD_INPUT_KINDS and d.severity == Severity.ERROR for d in diagnostics)
    refuted = any(
        d.kind in VERIFICATION_KINDS and d.severity == Severity.ERROR for d in diagnostics
    ) or any(p.status == "error" for p in parsed.procedures)

    # A program Dafny cannot parse has no trustworthy declarations to scan.
    unsound = (
        ()
        if bad_input
        else audit_diagnostics(audited, filename, includes_checked=includes_checked)
        + _bodiless_warnings(diagnostics)
    )
    if not bad_input and not outcome.timed_out and not outcome.crash:
        doubts.extend(_completeness_doubts(parsed, outcome, filename, refuted=refuted))
        if not refuted:
            doubts.extend(_crosscheck_doubts(parsed, outcome, source, audited, filename))

    if outcome.model_text and refuted:
        diagnostics = _attach_counterexamples(diagnostics, outcome.model_text, audited)

    obligations = tuple(
        Obligation(
            name=p.display_name,
            verdict=_STATUS_VERDICT.get(p.status, Verdict.UNKNOWN),
            detail=f"{p.boogie_name}: {p.status} ({p.obligations} proof obligation{'s' if p.obligations != 1 else ''})",
        )
        for p in parsed.procedures
    )
    all_diags = tuple(diagnostics) + tuple(unsound) + tuple(doubts)

    verdict = _verdict(parsed, diagnostics, bad_input=bad_input, refuted=refuted, doubtful=bool(doubts or unsound))
    counterexample = next((d.counterexample for d in all_diags if d.counterexample), None)
    return Judgement(verdict, all_diags, obligations, counterexample)


def _run_doubts(outcome: RunOutcome, parsed: ParsedOutput, filename: str | None) -> list[Diagnostic]:
    """What casts doubt on the run itself: a timeout, a crash, failures, output not understood."""
    doubts: list[Diagnostic] = []
    if outcome.timed_out:
        doubts.append(
            _diag(
                "timeout",
                f"Dafny did not finish within {outcome.wall_seconds or 0:.0f} s and was stopped; "
                "nothing is proved. Raise --timeout or split the program",
                filename,
            )
        )
    if outcome.crash:
        doubts.append(_diag("crash", outcome.crash, filename))
    for line in parsed.failures:
        doubts.append(_diag("crash", f"Dafny reported a failure: {line.strip()}", filename))
    if parsed.unrecognized:
        shown = " | ".join(line.strip() for line in parsed.unrecognized[:3])
        doubts.append(
            _diag(
                "other",
                f"unrecognised Dafny output ({len(parsed.unrecognized)} line(s)): {shown}",
                filename,
            )
        )
    return doubts


def _verdict(parsed: ParsedOutput, diagnostics: list[Diagnostic], *, bad_input: bool, refuted: bool,
             doubtful: bool) -> Verdict:
    """Verified only when every procedure verified and nothing (an error, a doubt, an unsound
    construct) says otherwise."""
    if bad_input:
        return Verdict.UNKNOWN
    if refuted:
        return Verdict.REFUTED
    if (
        not doubtful
        and not any(d.severity == Severity.ERROR for d in diagnostics)
        and parsed.procedures
        and all(p.status == "verified" for p in parsed.procedures)
    ):
        return Verdict.VERIFIED
    return Verdict.UNKNOWN


INCLUDE_HINT = (
    "pass --allow-includes (`DafnyBackend(allow_includes=True)`) to audit and verify "
    "files included from inside this file's folder, or paste the included declarations "
    "into this file"
)


def audit_diagnostics(
    audited: Audit, filename: str | None, *, includes_checked: bool = False
) -> tuple[Diagnostic, ...]:
    """The audit's findings as error diagnostics: `unsound` for a construct that makes
    Dafny accept an unproved claim, `unknown-construct` for what the audit cannot read
    or does not know, `include` for an include nobody followed."""
    out = [
        Diagnostic(
            kind="unsound" if f.kind is FindingKind.UNSOUND else "unknown-construct",
            message=f.message,
            severity=Severity.ERROR,
            file=filename,
            line=f.line,
            col=f.col,
        )
        for f in audited.findings
    ]
    if not includes_checked:
        out.extend(
            Diagnostic(
                kind="include",
                message=f'`include "{inc.path}"`: includes are not followed (Dafny 2.3 '
                "neither verifies nor reports an included file, so an axiom there would "
                f"prove anything); {INCLUDE_HINT}",
                severity=Severity.ERROR,
                file=filename,
                line=inc.line,
                col=inc.col,
            )
            for inc in audited.includes
        )
    return tuple(sorted(out, key=lambda d: (d.line or 0, d.col or 0)))


def _bodiless_warnings(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Dafny only *warns* about a `forall` statement or a loop without a body, yet assumes
    what it ensures: that is an unproved claim like any other."""
    return tuple(
        replace(
            d,
            kind="unsound",
            severity=Severity.ERROR,
            message=f"{d.message.removeprefix('note, ')}: Dafny assumes what it ensures "
            "without proof; give it a body that proves it",
        )
        for d in diagnostics
        if d.severity == Severity.WARNING and "has no body" in d.message
    )


def _completeness_doubts(
    parsed: ParsedOutput, outcome: RunOutcome, filename: str | None, *, refuted: bool
) -> list[Diagnostic]:
    doubts: list[Diagnostic] = []
    if outcome.mode == "cold":
        rc = outcome.returncode
        limited = any(d.kind in ("timeout", "resource") for d in parsed.diagnostics)
        if rc not in (0, 4) or (rc == 4 and not refuted and not limited):
            doubts.append(_diag("crash", f"Dafny exited with status {rc}", filename))
        if parsed.summary is None:
            doubts.append(
                _diag("crash", "Dafny printed no summary line: the run did not complete", filename)
            )
        elif parsed.summary.verified != sum(1 for p in parsed.procedures if p.status == "verified"):
            doubts.append(
                _diag(
                    "other",
                    f"Dafny's summary ({parsed.summary.verified} verified) does not match its "
                    f"per-procedure lines ({len(parsed.procedures)})",
                    filename,
                )
            )
    for p in parsed.procedures:
        if p.status == "timed out" and not any(d.kind == "timeout" for d in parsed.diagnostics):
            doubts.append(_diag("timeout", f"verification of {p.display_name} timed out", filename))
        elif p.status == "out of resource" and not any(
            d.kind == "resource" for d in parsed.diagnostics
        ):
            doubts.append(
                _diag("resource", f"verification of {p.display_name} ran out of resource", filename)
            )
        elif p.status not in ("verified", "error", "timed out", "out of resource"):
            doubts.append(_diag("other", f"{p.display_name}: Dafny said '{p.status}'", filename))
    if not parsed.procedures and not refuted:
        doubts.append(
            _diag(
                "other",
                "Dafny verified nothing (0 verified): no proof obligation was checked, so "
                "nothing is proved; add the methods, lemmas or contracts to verify",
                filename,
            )
        )
    return doubts


def _crosscheck_doubts(
    parsed: ParsedOutput, outcome: RunOutcome, source: str, audited: Audit, filename: str | None
) -> tuple[Diagnostic, ...]:
    """The second line of defence (`crosscheck.py`), and with Dafny 4 the third (`dafny
    audit`): what Dafny says it generated and verified must match the parsed callables."""
    found: list[Diagnostic] = []
    if outcome.audit_text is not None:
        report = dafny_audit.parse_audit_report(outcome.audit_text)
        found += dafny_audit.audit_diagnostics(report, filename)
    if not parsed.procedures:
        return tuple(found)  # nothing verified: `_completeness_doubts` says so already
    if outcome.boogie is None:
        found.append(
            _diag(
                "crosscheck",
                "Dafny printed no Boogie program, so what it verified cannot be checked "
                "against the program; nothing is proved",
                filename,
            )
        )
        return tuple(found)
    found += crosscheck(
        expected_callables(audited),
        read_boogie(outcome.boogie, source),
        parsed.procedures,
        parsed.diagnostics,
        filename,
    )
    return tuple(found)


def expected_callables(audited: Audit) -> tuple[ExpectedCallable, ...]:
    """The audit's callables in the cross-check's terms: two independent readings of one
    program, the parse's and Dafny's, must agree."""
    return tuple(
        ExpectedCallable(
            kind=c.kind.value, name="" if c.name == "_ctor" else c.name, module_path=c.module_path,
            container=c.container,
            has_body=c.has_body, ghost=c.ghost, line=c.line, col=c.col,
        )
        for c in audited.callables
    )


def _attach_counterexamples(
    diagnostics: list[Diagnostic], model_text: str, audited: Audit
) -> list[Diagnostic]:
    """Boogie writes one model per verification error, in print order."""
    models = parse_models(model_text)
    if not models:
        return diagnostics
    out: list[Diagnostic] = []
    index = 0
    for d in diagnostics:
        if d.kind in VERIFICATION_KINDS and d.severity == Severity.ERROR and index < len(models):
            model = models[index]
            index += 1
            span = callable_at_line(audited.spans, d.line) if d.line else None
            if span is not None:
                values = initial_values(model, span.params)
                if values:
                    d = replace(
                        d,
                        counterexample=Counterexample(
                            inputs=values,
                            source="model",
                            note=f"solver model for {span.callable.name}: a hint, not yet executed",
                        ),
                    )
        out.append(d)
    return out
