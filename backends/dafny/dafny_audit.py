"""Dafny 4's `dafny audit` report, read as a third check beside the audit and the cross-check.

Why: Dafny 4 lists the assumptions of a program itself (`{:axiom}`, `{:verify false}`,
body-less declarations with `ensures`, `assume`, `{:extern}` contracts, `decreases *`,
`forall` or loops without a body, `{:concurrent}`, `{:only}`). It exits 0 whatever it
finds, so the report must be read. Without a report format it prints one warning per
finding, `FILE(L,C): Warning: NAME: ISSUE Possible mitigation: MITIGATION` (the
`[…]` of Dafny's issue texts shown as backticks), and ends with `Dafny auditor completed
with N findings`. Every finding keeps a verdict from VERIFIED; so does a report that is
incomplete or says something this reader does not understand. Pure.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from verifier.results import Diagnostic, Severity

_FINDING = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\):\s*(?:Warning:\s*)?"
    r"(?P<name>[^:]+): (?P<issue>.+?) Possible mitigation: (?P<mitigation>.*)$"
)
_SUMMARY = re.compile(r"^Dafny auditor completed with (?P<n>\d+) findings?\s*$")
_OTHER_WARNING = re.compile(r"^.+?\(\d+,\d+\):\s*Warning: ")
_ERROR = re.compile(r"^.+?\(\d+,\d+\):\s*Error\b|^Error\b", re.IGNORECASE)


class AuditCategory(enum.StrEnum):
    AXIOM = "axiom"
    VERIFY_FALSE = "verify-false"
    EXTERN = "extern"
    ASSUME = "assume"
    NO_BODY = "no-body"
    MAY_NOT_TERMINATE = "may-not-terminate"
    TERMINATION_FALSE = "termination-false"
    BODILESS_FORALL = "forall-without-body"
    BODILESS_LOOP = "loop-without-body"
    CONCURRENT = "concurrent"
    ONLY = "only"
    OTHER = "other"  # an issue text this reader does not know: still a finding


# Issue texts of Dafny 4's AssumptionDescription, by category (brackets as backticks).
_ISSUES = (
    ("explicit `{:axiom}` attribute", AuditCategory.AXIOM),
    ("`{:verify false}` attribute", AuditCategory.VERIFY_FALSE),
    ("`{:extern}`", AuditCategory.EXTERN),
    ("`assume` statement", AuditCategory.ASSUME),
    ("has no body and has an ensures clause", AuditCategory.NO_BODY),
    ("uses `decreases *`", AuditCategory.MAY_NOT_TERMINATE),
    ("`{:termination false}`", AuditCategory.TERMINATION_FALSE),
    ("`forall` statement with no body", AuditCategory.BODILESS_FORALL),
    ("loop with no body", AuditCategory.BODILESS_LOOP),
    ("`{:concurrent}` attribute", AuditCategory.CONCURRENT),
    ("`{:only}` attribute", AuditCategory.ONLY),
)


@dataclass(frozen=True)
class AuditFinding:
    file: str
    line: int
    col: int  # 1-based
    name: str
    issue: str
    mitigation: str
    category: AuditCategory


@dataclass(frozen=True)
class AuditReport:
    findings: tuple[AuditFinding, ...]
    announced: int | None  # N of "completed with N findings"; None: no summary line
    not_understood: tuple[str, ...]  # errors and lines of no known form


def category(issue: str) -> AuditCategory:
    for text, cat in _ISSUES:
        if text in issue:
            return cat
    return AuditCategory.OTHER


def parse_audit_report(text: str) -> AuditReport:
    findings: list[AuditFinding] = []
    announced: int | None = None
    odd: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := _FINDING.match(line):
            findings.append(
                AuditFinding(
                    file=m["file"],
                    line=int(m["line"]),
                    col=int(m["col"]) + 1,
                    name=m["name"].strip(),
                    issue=m["issue"].strip(),
                    mitigation=m["mitigation"].strip(),
                    category=category(m["issue"]),
                )
            )
        elif m := _SUMMARY.match(line):
            announced = int(m["n"])
        elif _ERROR.match(line) or not _OTHER_WARNING.match(line):
            odd.append(line)
    return AuditReport(tuple(findings), announced, tuple(odd))


def audit_diagnostics(report: AuditReport, filename: str | None) -> list[Diagnostic]:
    """What keeps the verdict from VERIFIED: every finding, and any doubt about the report."""
    out = [
        Diagnostic(
            kind="unsound",
            message=f"`dafny audit`: {f.name}: {f.issue} ({f.category}); {f.mitigation}",
            severity=Severity.ERROR,
            file=filename or f.file,
            line=f.line,
            col=f.col,
        )
        for f in report.findings
    ]
    if report.announced is None:
        out.append(
            _doubt("`dafny audit` printed no summary line: its report is incomplete", filename)
        )
    elif report.announced != len(report.findings):
        out.append(
            _doubt(
                f"`dafny audit` announced {report.announced} finding(s) but listed "
                f"{len(report.findings)} this reader understands",
                filename,
            )
        )
    if report.not_understood:
        shown = " | ".join(report.not_understood[:3])
        out.append(_doubt(f"`dafny audit` said something not understood: {shown}", filename))
    return out


def _doubt(message: str, filename: str | None) -> Diagnostic:
    return Diagnostic(kind="crosscheck", message=message, severity=Severity.ERROR, file=filename)
