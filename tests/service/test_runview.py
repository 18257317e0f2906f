"""The run viewer's reading of a job's events: attempts, findings at their lines, diffs.

The events are built the way the loop records them (verifier/loop.py: `response`,
`guard`, `quicktest`, `check`, and the repair `prompt` from verifier/prompts/repair.j2);
the browser test (test_ui_browser.py) reads the same from a real Dafny run.
"""

from __future__ import annotations

import time

from verifier.service.records import GenerateRequest, Job, JobEvent, JobKind, JobResult, JobStatus
from verifier.service.runview import DiffOp, NoteKind, run_view, spec_field

FIRST = "method M(x: int) returns (y: int)\n  ensures y >= 0\n{\n  y := x;\n}\n"
SECOND = "method M(x: int) returns (y: int)\n  ensures y >= 0\n{\n  y := if x < 0 then -x else x;\n}\n"
REPAIR = ("Dafny found errors in your program:\n- line 5: A postcondition might not hold on this return path.\n"
          "    }\n    clause: ensures y >= 0\n    counterexample: x=-1\n\nFix it and answer with the whole program.")


def _job(spec: str, result: JobResult | None = None) -> Job:
    request = GenerateRequest(spec=spec, llm="replay", replies=[])
    return Job("j1", None, JobKind.GENERATE, JobStatus.VERIFIED if result else JobStatus.RUNNING, request,
               result, None, 0.0, 0.0)


def _events(*records: dict) -> list[JobEvent]:
    return [JobEvent("j1", seq, r["kind"], r, time.time()) for seq, r in enumerate(records, start=1)]


def _reply(program: str) -> str:
    return f"Here it is.\n\n```dafny\n{program}```\n"


RUN = _events(
    {"kind": "response", "attempt": 1, "round": 1, "content": _reply(FIRST)},
    {"kind": "guard", "attempt": 1, "ok": True, "problems": []},
    {"kind": "quicktest", "attempt": 1, "refuted": False, "failure": None},
    {"kind": "check", "attempt": 1, "label": "Dafny", "verdict": "refuted",
     "diagnostics": [{"kind": "postcondition", "line": 5, "col": 1, "message": "A postcondition might not hold"},
                     {"kind": "other", "line": None, "col": None, "message": "resource limit"}]},
    {"kind": "prompt", "round": 2, "messages": [{"role": "assistant", "content": _reply(FIRST)},
                                                {"role": "user", "content": REPAIR}]},
    {"kind": "response", "attempt": 2, "round": 2, "content": "no program this time"},
    {"kind": "guard", "attempt": 2, "ok": False, "problems": [{"kind": "reply", "message": "no program", "line": None}]},
    {"kind": "response", "attempt": 3, "round": 3, "content": _reply(SECOND)},
    {"kind": "guard", "attempt": 3, "ok": True, "problems": []},
    {"kind": "check", "attempt": 3, "label": "Dafny", "verdict": "verified", "diagnostics": []},
)


def test_each_attempt_has_its_program_its_outcome_and_its_findings_at_their_lines() -> None:
    first, empty, last = run_view(_job('name = "m"\n'), RUN).attempts
    assert (first.number, first.outcome, first.ok) == (1, "Dafny: refuted", False)
    assert [line.text for line in first.code] == FIRST.splitlines()
    line5 = first.code[4]
    assert [(n.kind, n.text) for n in line5.notes] == [
        (NoteKind.VERIFIER, "A postcondition might not hold"),
        (NoteKind.CLAUSE, "ensures y >= 0"),
        (NoteKind.COUNTEREXAMPLE, "x=-1"),
    ]
    assert [n.text for n in first.loose_notes] == ["resource limit"]  # no line: shown above the code
    assert first.feedback == REPAIR and first.diff is None
    assert (empty.outcome, empty.code, empty.diff) == ("no program in the reply", (), None)
    assert [n.kind for n in empty.loose_notes] == [NoteKind.GUARD]
    assert last.ok and last.outcome == "Dafny: verified"


def test_the_diff_goes_to_the_last_attempt_that_had_a_program() -> None:
    last = run_view(_job('name = "m"\n'), RUN).attempts[-1]
    assert last.previous == 1
    changed = [(d.op, d.text) for d in last.diff or () if d.op in (DiffOp.ADDED, DiffOp.REMOVED)]
    assert changed == [(DiffOp.REMOVED, "  y := x;"), (DiffOp.ADDED, "  y := if x < 0 then -x else x;")]


def test_a_verified_job_shows_its_proof_its_python_and_its_certificate() -> None:
    files = {"m.dfy": SECOND, "m.py": "def M(x): ...\n", "test_m.py": "", "spec.toml": ""}
    result = JobResult(verdict="verified", summary="m: verified",
                       detail={"files": files, "certificate": {"verdict": "verified", "name": "<m>"}})
    view = run_view(_job('name = "m"\n', result), RUN)
    assert (view.proof_file, view.python_file) == ("m.dfy", "m.py")
    assert view.certificate is not None and '"name": "<m>"' in view.certificate


def test_spec_fields_read_text_only_and_survive_a_broken_spec() -> None:
    job = _job('name = "m"\ndescription = "<b>x</b>"\nrequires = ["x > 0"]\n')
    assert (spec_field(job, "name"), spec_field(job, "description")) == ("m", "<b>x</b>")
    assert spec_field(job, "requires") is None
    assert spec_field(_job("name = "), "name") is None
