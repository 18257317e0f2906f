"""What a job's stored events say about its run, arranged for a reader: each attempt's
program with the findings at their lines, the diff to the attempt before it, and the
final files and certificate of a verified run.

The events are the loop's transcript records (verifier/transcript.py), so the viewer
shows what the loop saw: the program is extracted from the model's reply by the same
function the route's guard uses, hence a diagnostic's line number points into exactly
this text. Verifier counterexamples are not events of their own; they reach the model in
the repair prompt (verifier/prompts/repair.j2), which is stored, and are read back from
there to be placed at their lines. Pure functions: no HTTP, no HTML.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import JsonValue

from verifier.draft import extract_toml
from verifier.routes import extract
from verifier.service.records import DraftSpecRequest, GenerateRequest, Job, JobEvent


class NoteKind(StrEnum):
    VERIFIER = "verifier"  # a diagnostic of Dafny or Lean
    GUARD = "guard"  # the guard refused something before verification
    QUICKTEST = "quicktest"  # running the translated program broke the contract
    COUNTEREXAMPLE = "counterexample"  # inputs that show a failure
    CLAUSE = "clause"  # the contract clause a failure is about


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    text: str
    line: int | None = None


@dataclass(frozen=True)
class CodeLine:
    number: int
    text: str
    notes: tuple[Note, ...] = ()


class DiffOp(StrEnum):
    SAME = " "
    ADDED = "+"
    REMOVED = "-"
    HUNK = "@"


@dataclass(frozen=True)
class DiffLine:
    op: DiffOp
    text: str


@dataclass(frozen=True)
class AttemptView:
    number: int
    round: int
    outcome: str  # one phrase: "verified", "refused by the guard", ...
    ok: bool
    code: tuple[CodeLine, ...]  # empty when the reply held no program
    loose_notes: tuple[Note, ...]  # findings without a line in this program
    diff: tuple[DiffLine, ...] | None  # to the previous attempt that had a program
    previous: int | None  # that attempt's number
    feedback: str | None  # the repair prompt the model was sent about this attempt


@dataclass(frozen=True)
class RunView:
    attempts: tuple[AttemptView, ...]
    files: Mapping[str, str] = field(default_factory=dict)
    proof_file: str | None = None  # the verified Dafny or Lean file
    python_file: str | None = None  # its Python translation
    certificate: str | None = None  # pretty JSON
    detail: str | None = None  # pretty JSON of another kind of job's result
    readback: str | None = None  # a drafted spec in words, with the calls it allows
    questions: tuple[str, ...] = ()  # what the draft leaves for the user to decide


def spec_field(job: Job, name: str) -> str | None:
    """A text field (`name`, `description`) of the job's spec, or None: no spec, a spec
    that does not parse, or a field that is not text."""
    if isinstance(job.request, DraftSpecRequest):  # no spec yet: what the user described
        return job.request.description if name == "description" else None
    text = getattr(job.request, "spec", None)
    if not isinstance(text, str):
        return None
    try:
        value = tomllib.loads(text).get(name)
    except tomllib.TOMLDecodeError:
        return None
    return value if isinstance(value, str) else None


def run_view(job: Job, events: Sequence[JobEvent]) -> RunView:
    program_of = _program_of(job)
    records = [_record(e) for e in events]
    feedback = _feedback_by_reply(records)
    attempts: list[AttemptView] = []
    previous: tuple[int, str] | None = None
    for response in (r for r in records if r.get("kind") == "response" and isinstance(r.get("attempt"), int)):
        number = int(response["attempt"])
        content = str(response.get("content", ""))
        program = program_of(content)
        stages = {r.get("kind"): r for r in records if r.get("attempt") == number and r.get("kind") != "response"}
        told = feedback.get(content)
        attempts.append(_attempt(number, int(response.get("round") or 0), program, stages, told, previous))
        if program is not None:
            previous = (number, program)
    return _with_result(job, tuple(attempts))


def _program_of(job: Job) -> Callable[[str], str | None]:
    """What a reply's program is: the route's extractor, or a draft's ```toml block."""
    if isinstance(job.request, DraftSpecRequest):
        return extract_toml
    backend = job.request.backend if isinstance(job.request, GenerateRequest) else "dafny"
    return functools.partial(extract, backend)


def _record(event: JobEvent) -> dict[str, JsonValue]:
    return dict(event.data) if isinstance(event.data, dict) else {}


def _feedback_by_reply(records: Iterable[Mapping[str, JsonValue]]) -> dict[str, str]:
    """A repair prompt carries the reply it answers (assistant) and the feedback (user)."""
    found: dict[str, str] = {}
    for record in records:
        messages = record.get("messages") if record.get("kind") == "prompt" else None
        if isinstance(messages, list) and len(messages) == 2:
            said, told = messages
            if isinstance(said, dict) and isinstance(told, dict) and said.get("role") == "assistant":
                found[str(said.get("content"))] = str(told.get("content"))
    return found


def _attempt(number: int, round_no: int, program: str | None, stages: Mapping[str, Mapping[str, JsonValue]],
             feedback: str | None, previous: tuple[int, str] | None) -> AttemptView:
    notes = [*_stage_notes(stages), *_feedback_notes(feedback or "")]
    lines = program.splitlines() if program else []
    at_line = {n: tuple(x for x in notes if x.line == n) for n in range(1, len(lines) + 1)}
    loose = tuple(x for x in notes if x.line is None or not 1 <= x.line <= len(lines))
    code = tuple(CodeLine(n, text, at_line[n]) for n, text in enumerate(lines, start=1))
    diff = _diff(previous[1], program) if previous and program is not None else None
    outcome, ok = _outcome(program, stages)
    return AttemptView(number, round_no, outcome, ok, code, loose, diff,
                       previous[0] if previous and diff is not None else None, feedback)


def _outcome(program: str | None, stages: Mapping[str, Mapping[str, JsonValue]]) -> tuple[str, bool]:
    check, quick, guard = stages.get("check"), stages.get("quicktest"), stages.get("guard")
    if (draft := stages.get("draft-check")) is not None:
        stage = str(draft.get("stage"))
        return {"clean": "a clean draft", "check": "spec check found problems"}.get(stage, "no spec in the reply"), \
            stage == "clean"
    if check is not None:
        verdict = str(check.get("verdict"))
        return f"{check.get('label') or check.get('backend')}: {verdict}", verdict == "verified"
    if quick is not None and quick.get("refuted"):
        return "refuted by the quick test", False
    if guard is not None and not guard.get("ok"):
        return "refused by the guard" if program is not None else "no program in the reply", False
    return "being checked", False


def _stage_notes(stages: Mapping[str, Mapping[str, JsonValue]]) -> list[Note]:
    notes: list[Note] = []
    for problem in _dicts(stages.get("guard", {}).get("problems")):
        notes.append(Note(NoteKind.GUARD, f"{problem.get('kind')}: {problem.get('message')}", _line(problem)))
    failure = stages.get("quicktest", {}).get("failure")
    if failure:
        notes.append(Note(NoteKind.QUICKTEST, str(failure)))
    for finding in _dicts(stages.get("draft-check", {}).get("findings")):
        notes.append(Note(NoteKind.VERIFIER, f"{finding.get('code')}: {finding.get('message')}", _line(finding)))
    for diagnostic in _dicts(stages.get("check", {}).get("diagnostics")):
        notes.append(Note(NoteKind.VERIFIER, str(diagnostic.get("message")), _line(diagnostic)))
    return notes


_ITEM = re.compile(r"^- line (\d+)\b")
_DETAIL = re.compile(r"^ {4}(clause|counterexample): (.*)$")


def _feedback_notes(feedback: str) -> list[Note]:
    """Clauses and counterexamples of the repair prompt, each at its item's line."""
    notes: list[Note] = []
    line: int | None = None
    for text in feedback.splitlines():
        if text.startswith("- "):
            item = _ITEM.match(text)
            line = int(item.group(1)) if item else None
        elif detail := _DETAIL.match(text):
            notes.append(Note(NoteKind(detail.group(1)), detail.group(2), line))
    return notes


def _diff(before: str, after: str) -> tuple[DiffLine, ...]:
    ops = {" ": DiffOp.SAME, "+": DiffOp.ADDED, "-": DiffOp.REMOVED, "@": DiffOp.HUNK}
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=3)
    return tuple(DiffLine(ops[t[0]], t[1:] if t[0] != "@" else t)
                 for t in lines if t and not t.startswith(("---", "+++")))


def _with_result(job: Job, attempts: tuple[AttemptView, ...]) -> RunView:
    detail = job.result.detail if job.result else None
    if not isinstance(detail, dict) or not isinstance(detail.get("files"), dict):
        shown = json.dumps(detail, indent=2, ensure_ascii=False) if detail is not None else None
        readback = detail.get("readback") if isinstance(detail, dict) else None
        text = readback.get("text") if isinstance(readback, dict) else None
        questions = tuple(str(q.get("question")) for q in _dicts(detail.get("questions"))) \
            if isinstance(detail, dict) else ()
        return RunView(attempts, detail=shown, readback=str(text) if text else None, questions=questions)
    files = {str(k): str(v) for k, v in detail["files"].items()}
    proof = next((f for f in files if f.endswith((".dfy", ".lean"))), None)
    python = next((f for f in files if f.endswith(".py") and not f.startswith("test_")), None)
    certificate = detail.get("certificate")
    return RunView(attempts, files, proof, python,
                   json.dumps(certificate, indent=2, ensure_ascii=False) if certificate is not None else None)


def _dicts(value: JsonValue) -> list[dict[str, JsonValue]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _line(record: Mapping[str, JsonValue]) -> int | None:
    line = record.get("line")
    return line if isinstance(line, int) and line > 0 else None
