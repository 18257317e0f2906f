"""Reading Dafny 4's `dafny audit` report (pure; Dafny 4 cannot be installed here, so the
report is built from the format of Dafny's Auditor: one warning per finding, then the
summary line)."""

from __future__ import annotations

from verifier.backends.dafny.dafny_audit import AuditCategory, audit_diagnostics, parse_audit_report
from verifier.backends.dafny.dialect import DAFNY2, DAFNY4

REPORT = """\
p.dfy(3,6): Warning: Ax: Declaration has explicit `{:axiom}` attribute. Possible mitigation: Provide a proof or test.
p.dfy(5,22): Warning: Skip: Declaration has `{:verify false}` attribute. Possible mitigation: Remove `{:verify false}` attribute and prove if possible.
p.dfy(9,7): Warning: M: Definition has `assume` statement in body. Possible mitigation: Replace with `assert` and prove or add `{:axiom}`.
p.dfy(12,6): Warning: NoBody: Ghost declaration has no body and has an ensures clause. Possible mitigation: Provide a body or add `{:axiom}`.
p.dfy(15,7): Warning: Loop: Method may not terminate (uses `decreases *`). Possible mitigation: Provide a valid `decreases` clause.
p.dfy(20,2): Warning: /!\\ No terms found to trigger on.
Dafny auditor completed with 5 findings
"""


def test_findings_are_read_with_place_and_category() -> None:
    report = parse_audit_report(REPORT)
    assert report.announced == 5 and not report.not_understood
    assert [(f.name, f.line, f.col, f.category) for f in report.findings] == [
        ("Ax", 3, 7, AuditCategory.AXIOM),
        ("Skip", 5, 23, AuditCategory.VERIFY_FALSE),
        ("M", 9, 8, AuditCategory.ASSUME),
        ("NoBody", 12, 7, AuditCategory.NO_BODY),
        ("Loop", 15, 8, AuditCategory.MAY_NOT_TERMINATE),
    ]
    diags = audit_diagnostics(report, "p.dfy")
    assert len(diags) == 5 and all(d.kind == "unsound" and d.file == "p.dfy" for d in diags)
    assert "Provide a proof or test." in diags[0].message


def test_a_clean_report_has_no_diagnostics() -> None:
    assert (
        audit_diagnostics(parse_audit_report("Dafny auditor completed with 0 findings\n"), "p.dfy")
        == []
    )


def test_an_incomplete_or_odd_report_is_a_doubt() -> None:
    cut = "\n".join(REPORT.splitlines()[:2])
    assert any("no summary" in d.message for d in audit_diagnostics(parse_audit_report(cut), None))
    short = REPORT.replace("completed with 5 findings", "completed with 6 findings")
    assert any(
        "announced 6" in d.message for d in audit_diagnostics(parse_audit_report(short), None)
    )
    odd = REPORT + "p.dfy(1,0): Error: something went wrong\n"
    assert any(
        "not understood" in d.message for d in audit_diagnostics(parse_audit_report(odd), None)
    )
    other = "p.dfy(2,0): Warning: X: Some future issue. Possible mitigation: Fix it.\nDafny auditor completed with 1 findings\n"
    (finding,) = parse_audit_report(other).findings
    assert finding.category is AuditCategory.OTHER


def test_the_dialect_runs_the_audit_only_on_dafny4() -> None:
    assert DAFNY4.has_audit and not DAFNY2.has_audit
    assert DAFNY4.audit_argv(["dafny"], "p.dfy") == ["dafny", "audit", "p.dfy"]
