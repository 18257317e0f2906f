"""From a description to a checked spec: the model drafts, `spec check` judges, the user decides.

The model answers with one ```toml block in the spec format. Every draft goes through
the same checks as `proofroute spec check` (parse, types, the real Dafny resolving the
contract, examples against the contract, z3 for satisfiable / realizable / determined /
not vacuous), and what they find goes back to the model as feedback — the repair loop
of `generate`, applied to the spec itself — until the draft is clean or the budget is
spent. The model is never the judge: a draft is clean only when the checks say so.

Under-specification is different from the other problems: two outputs allowed for one
input may be what the user wants, and only the user knows. The model hears about it
once (it may pin down what the description decides); what remains becomes a question
for the user, with the concrete input and the allowed outputs, and the answer becomes
an example (re-checked) that pins the contract down.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import re
import tempfile
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import z3

from verifier.errors import BudgetExhausted, LLMError, ProofrouteError, SpecError
from verifier.llm import LLM, Message
from verifier.prompting import MAX_FEEDBACK_ITEMS, FeedbackItem, render
from verifier.results import Severity
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, Finding, check_paths
from verifier.specs.loader import load_spec_text
from verifier.specs.readback import ExampleReading, Readback, read_back, render_text
from verifier.specs.sampling import sample_inputs, z3_witnesses
from verifier.specs.values import show, to_json
from verifier.transcript import RESPONSE, Transcript
from verifier.translators.spec_python import compile_predicates
from verifier.translators.spec_z3 import (
    Unsupported,
    encode_post,
    output_types,
    shapes_for,
    to_python,
)

log = logging.getLogger(__name__)

DRAFT_FILE = "draft.toml"
# warnings that are problems of the draft (the model can fix them); z3-unknown and
# not-checked are limits of the checks, not of the draft
_FED_BACK = {"vacuous", "not-executable", "example-not-checked", "no-samples"}
_TOML_BLOCK = re.compile(r"```[ \t]*toml[^\n]*\n(.*?)```", re.S)


class DraftInputError(ProofrouteError, ValueError):
    """A description, signature or example the user gave cannot be used as given."""


class Stage(enum.StrEnum):
    REPLY = "reply"  # no ```toml block, or TOML / spec syntax the loader refuses
    CHECK = "check"  # loaded, but spec check found problems
    CLEAN = "clean"


@dataclass(frozen=True)
class DraftRequest:
    description: str
    signature: str | None = None
    examples: tuple[UserExample, ...] = ()


@dataclass(frozen=True)
class UserExample:
    """`args -> result` as the user wrote it, each side the body of a TOML inline table."""

    text: str
    args: str
    result: str


@dataclass(frozen=True)
class Question:
    """Which of the outputs the contract allows for this input is intended?"""

    method: str
    args: dict[str, Any]
    outputs: tuple[dict[str, Any], ...]

    @property
    def text(self) -> str:
        call = f"{self.method}({_assign(self.args)})"
        choices = " or ".join(f"`{_assign(o)}`" for o in self.outputs)
        return f"For `{call}` the contract allows {choices}. Which result is intended?"

    def example(self, choice: int) -> UserExample:
        """The user's answer as an example (`args -> chosen output`) the draft must keep."""
        args = ", ".join(f"{k} = {toml_value(v)}" for k, v in self.args.items())
        result = ", ".join(f"{k} = {toml_value(v)}" for k, v in self.outputs[choice].items())
        return UserExample(f"{args} -> {result}", args, result)

    def record(self) -> dict[str, Any]:
        return {"question": self.text, "method": self.method, "args": to_json(self.args),
                "outputs": [to_json(o) for o in self.outputs],
                "answers": [self.example(i).text for i in range(len(self.outputs))]}


@dataclass(frozen=True)
class DraftAttempt:
    number: int
    reply: str
    stage: Stage
    toml: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Draft:
    """A draft that loads: its text, what the checks found, the read-back and the questions."""

    toml: str
    spec: m.Spec
    findings: tuple[Finding, ...]
    readback: Readback
    pairs: tuple[ExampleReading, ...]
    questions: tuple[Question, ...]
    attempts: tuple[DraftAttempt, ...] = ()

    @property
    def clean(self) -> bool:
        return not blocking(self.findings, ambiguity_is_problem=False)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.ERROR)

    def readback_text(self) -> str:
        return render_text(self.readback, self.pairs, "found by z3; not the only ones")

    def record(self) -> dict[str, Any]:
        return {
            "clean": self.clean, "spec": self.toml, "name": self.spec.name,
            "findings": [f.record() for f in self.findings],
            "readback": {**self.readback.record(),
                         "allowed": [{"call": p.call, "result": p.result} for p in self.pairs],
                         "text": self.readback_text()},
            "questions": [q.record() for q in self.questions],
            "attempts": len(self.attempts),
        }


class DraftFailed(BudgetExhausted):
    """No clean draft within the budget; `best` is the last draft that loaded (or None)."""


# ---------------------------------------------------------------------------- user input


def parse_example(text: str) -> UserExample:
    """`xs = [3, 1, 4] -> m = 4`: both sides must be TOML inline-table bodies."""
    head, sep, tail = text.partition("->")
    if not sep:
        raise DraftInputError(f"example {text!r} has no '->'",
                              hint="write it as 'args -> result', e.g. 'xs = [3, 1, 4] -> m = 4'")
    for side, what in ((head, "arguments"), (tail, "result")):
        try:
            tomllib.loads(f"v = {{ {side.strip()} }}")
        except tomllib.TOMLDecodeError as exc:
            raise DraftInputError(
                f"example {text!r}: the {what} {side.strip()!r} are not TOML key = value pairs ({exc})",
                hint="use TOML values: xs = [1, 2], s = \"text\", c = \"a\", b = true") from None
    return UserExample(text.strip(), head.strip(), tail.strip())


def extract_toml(reply: str) -> str | None:
    """The last ```toml block of a reply (a model that explains first puts the answer last)."""
    blocks = _TOML_BLOCK.findall(reply)
    return blocks[-1].strip() + "\n" if blocks else None


def with_user_examples(text: str, examples: Sequence[UserExample]) -> str:
    """The draft with every user example it lacks appended as an [[examples]] entry, so
    the checks hold the contract against what the user said (a contradiction is caught
    as `example-ensures` before any code exists)."""
    for ex in examples:
        candidate = f"{text.rstrip()}\n\n[[examples]]\nargs = {{ {ex.args} }}\nresult = {{ {ex.result} }}\n"
        try:
            spec = load_spec_text(candidate)
        except SpecError:
            text = candidate  # the checks report why it does not fit
            continue
        *before, new = spec.examples
        if not any(_same(e, new) for e in before):
            text = candidate
    return text


def _same(a: m.Example, b: m.Example) -> bool:
    return (json.dumps(to_json(dict(a.args)), sort_keys=True) == json.dumps(to_json(dict(b.args)), sort_keys=True)
            and json.dumps(to_json(dict(a.result)), sort_keys=True)
            == json.dumps(to_json(dict(b.result)), sort_keys=True))


# ---------------------------------------------------------------------------- checks


def check_text(text: str, options: CheckOptions) -> tuple[m.Spec | None, tuple[Finding, ...]]:
    """`spec check` on a draft's text (written to a scratch file, as the checks read files),
    findings named after `draft.toml`."""
    with tempfile.TemporaryDirectory(prefix="proofroute-draft-") as tmp:
        path = Path(tmp) / DRAFT_FILE
        path.write_text(text, encoding="utf-8")
        findings = check_paths([str(path)], options)[str(path)]
    findings = [dataclasses.replace(f, file=DRAFT_FILE) for f in findings]
    if any(f.severity == Severity.ERROR and f.code in ("toml", "io", "syntax", "type", "value", "spec")
           for f in findings):
        return None, tuple(findings)
    try:
        return load_spec_text(text, DRAFT_FILE), tuple(findings)
    except SpecError:
        return None, tuple(findings)


def blocking(findings: Sequence[Finding], *, ambiguity_is_problem: bool) -> list[Finding]:
    """The findings the model must fix before the draft is shown to the user."""
    return [f for f in findings
            if f.severity == Severity.ERROR or f.code in _FED_BACK
            or (ambiguity_is_problem and f.code == "underspecified")]


def questions_of(spec: m.Spec, findings: Sequence[Finding]) -> tuple[Question, ...]:
    return tuple(Question(spec.method, dict(f.ambiguity.args), tuple(dict(o) for o in f.ambiguity.outputs))
                 for f in findings if f.code == "underspecified" and f.ambiguity is not None)


def allowed_pairs(spec: m.Spec, count: int = 3, *, seed: int = 0, timeout_ms: int = 1000) -> tuple[ExampleReading, ...]:
    """A few inputs the contract accepts (not the spec's own examples) with one output
    z3 finds for each: what the contract means on data. Not every allowed output."""
    preds = compile_predicates(spec)
    known = {json.dumps(to_json(dict(ex.args)), sort_keys=True) for ex in spec.examples}
    try:
        # random inputs first (z3's witnesses are the smallest, often all zeros)
        inputs = sample_inputs(spec, preds.pre, (), count=count + len(spec.examples), seed=seed)
        if len(inputs) < count + len(spec.examples):
            search = z3_witnesses(spec, timeout_ms=timeout_ms)
            inputs += sample_inputs(spec, preds.pre, search.witnesses, count=count, seed=seed)
    except (Unsupported, z3.Z3Exception) as exc:
        log.debug("no sampled inputs for %s: %s", spec.name, exc)
        return ()
    out: list[ExampleReading] = []
    for args in inputs:
        if len(out) >= count or json.dumps(to_json(args), sort_keys=True) in known:
            continue
        result = _one_output(spec, args, timeout_ms)
        if result is not None:
            out.append(ExampleReading(f"{spec.method}({_assign(args)})", _assign(result) or "(no result)"))
    return tuple(out)


def _one_output(spec: m.Spec, args: dict[str, Any], timeout_ms: int) -> dict[str, Any] | None:
    types = output_types(spec)
    free = {k: t for k, t in types.items() if k not in spec.modified}
    size = max((len(v) for v in args.values() if isinstance(v, (str, list, tuple, set, frozenset, dict))), default=0)
    try:
        for shape in shapes_for(free, size + 1, limit=40):
            enc = encode_post(spec, args, shape)
            solver = z3.Solver()
            solver.set(timeout=timeout_ms)
            solver.add(*enc.constraints, enc.post())
            if solver.check() == z3.sat:
                model = solver.model()
                return {k: to_python(v, types[k], model) for k, v in enc.outputs.items()}
    except (Unsupported, z3.Z3Exception, TypeError) as exc:
        log.debug("no output found for %s: %s", args, exc)
    return None


def _assign(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {show(v)}" for k, v in values.items())


# ---------------------------------------------------------------------------- tightening


def toml_value(value: Any) -> str:
    """A runtime value (specs.values conventions) as a TOML value."""
    return _toml(to_json(value))


def _toml(v: Any) -> str:
    match v:
        case bool():
            return "true" if v else "false"
        case int():
            return str(v)
        case str():
            return json.dumps(v, ensure_ascii=False)
        case list():
            return "[" + ", ".join(_toml(x) for x in v) + "]"
        case dict():
            return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML form for {type(v).__name__}")


def tighten_prompt(question: Question, choice: int) -> str:
    return render("draft_answer.j2", question=question.text, call=f"{question.method}({_assign(question.args)})",
                  chosen=_assign(question.outputs[choice]))


# ---------------------------------------------------------------------------- the session


class Drafter:
    """One drafting conversation. `run()` returns the first clean draft or raises
    `DraftFailed`; `redo(reason)` asks for a new draft in the same conversation (the
    user's "regenerate"); `refine(draft, question, choice)` adds the user's answer as an
    example and asks the model to make the clauses decide it."""

    def __init__(self, llm: LLM, request: DraftRequest, *, attempts: int = 4,
                 options: CheckOptions | None = None, transcript: Transcript | None = None,
                 max_tokens: int = 4096, pairs: int = 3) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.llm = llm
        self.request = request
        self.budget = attempts
        self.options = options or CheckOptions()
        self.transcript = transcript if transcript is not None else Transcript()
        self.max_tokens = max_tokens
        self.pairs = pairs
        self.examples: list[UserExample] = list(request.examples)
        self.messages = [
            Message("system", render("draft_system.j2")),
            Message("user", render("draft_task.j2", description=request.description.strip(),
                                   signature=request.signature,
                                   examples=[ex.text for ex in request.examples])),
        ]
        self.attempts: list[DraftAttempt] = []
        self.asked_about_ambiguity = False
        self.accepted: list[Question] = []  # "either output is fine": not asked again
        self.transcript.add("session", purpose="draft", llm=llm.name, attempts=attempts,
                            description=request.description, signature=request.signature,
                            examples=[ex.text for ex in request.examples])

    def run(self) -> Draft:
        best: Draft | None = None
        for _ in range(self.budget):
            reply = self._ask()
            attempt, draft, feedback = self._judge(reply)
            self.attempts.append(attempt)
            if draft is not None:
                draft = dataclasses.replace(draft, attempts=tuple(self.attempts))
            best = draft or best
            if feedback is None:
                assert draft is not None
                self.transcript.add("outcome", purpose="draft", clean=True, attempts=len(self.attempts),
                                    questions=len(draft.questions))
                return draft
            self.messages += [Message("assistant", reply), Message("user", feedback)]
        reason = f"no clean spec after {self.budget} drafts"
        self.transcript.add("outcome", purpose="draft", clean=False, reason=reason, attempts=len(self.attempts))
        raise DraftFailed(reason, transcript=self.transcript, attempts=list(self.attempts), best=best)

    def redo(self, reason: str = "") -> Draft:
        self.messages.append(Message("user", render("draft_redo.j2", reason=reason.strip())))
        self.asked_about_ambiguity = False
        return self.run()

    def refine(self, question: Question, choice: int) -> Draft:
        self.examples.append(question.example(choice))
        self.messages.append(Message("user", tighten_prompt(question, choice)))
        self.transcript.add("answer", question=question.record(), choice=choice)
        return self.run()

    def accept_either(self, question: Question) -> None:
        self.accepted.append(question)
        self.transcript.add("answer", question=question.record(), choice=None)

    # ------------------------------------------------------------------ steps

    def _ask(self) -> str:
        turn = len(self.attempts) + 1
        self.transcript.add("prompt", purpose="draft", round=turn,
                            messages=[{"role": x.role, "content": x.content} for x in self.messages[-2:]])
        try:
            reply = self.llm.complete(self.messages, temperature=0.0, max_tokens=self.max_tokens)
        except LLMError as exc:
            self.transcript.add("llm-error", purpose="draft", message=str(exc))
            raise DraftFailed(f"the model provider failed: {exc.message}", transcript=self.transcript,
                              attempts=list(self.attempts)) from exc
        self.transcript.add(RESPONSE, content=reply.content, model=reply.model, attempt=turn,
                            input_tokens=reply.input_tokens, output_tokens=reply.output_tokens,
                            finish_reason=reply.finish_reason, purpose="draft")
        return reply.content

    def _judge(self, reply: str) -> tuple[DraftAttempt, Draft | None, str | None]:
        number = len(self.attempts) + 1
        toml = extract_toml(reply)
        if toml is None:
            item = FeedbackItem("your reply has no ```toml block; answer with the whole spec in one ```toml block")
            self.transcript.add("draft-check", attempt=number, stage=Stage.REPLY.value, findings=[])
            return (DraftAttempt(number, reply, Stage.REPLY, None, ()), None,
                    render("draft_repair.j2", stage="reply", items=[item], omitted=0, ambiguous=False))
        text = with_user_examples(toml, self.examples)
        t0 = time.monotonic()
        spec, findings = check_text(text, self.options)
        problems = blocking(findings, ambiguity_is_problem=not self.asked_about_ambiguity)
        stage = Stage.REPLY if spec is None else Stage.CHECK if problems else Stage.CLEAN
        self.transcript.add("draft-check", attempt=number, stage=stage.value,
                            findings=[f.record() for f in findings], seconds=round(time.monotonic() - t0, 3))
        attempt = DraftAttempt(number, reply, stage, text, findings)
        draft = self.make_draft(text, spec, findings) if spec is not None else None
        if not problems:
            return attempt, draft, None
        ambiguous = any(f.code == "underspecified" for f in problems)
        self.asked_about_ambiguity |= ambiguous
        return attempt, draft, feedback_text(stage, problems, ambiguous)

    def make_draft(self, text: str, spec: m.Spec, findings: Sequence[Finding]) -> Draft:
        asked = {json.dumps(to_json(q.args), sort_keys=True) for q in self.accepted}
        questions = tuple(q for q in questions_of(spec, findings)
                          if json.dumps(to_json(q.args), sort_keys=True) not in asked)
        return Draft(text, spec, tuple(findings), read_back(spec), allowed_pairs(spec, self.pairs),
                     questions, tuple(self.attempts))


def feedback_text(stage: Stage, problems: Sequence[Finding], ambiguous: bool) -> str:
    items = [FeedbackItem(f"{f.message} [{f.code}]", f"line {f.line}",
                          f.text.strip() if f.text else None, f.hint) for f in problems]
    shown = items[:MAX_FEEDBACK_ITEMS]
    return render("draft_repair.j2", stage=stage.value, items=shown,
                  omitted=max(0, len(items) - len(shown)), ambiguous=ambiguous)


def recheck(text: str, drafter: Drafter) -> Draft | None:
    """A draft the user edited: checked again; None when it does not load (the findings
    say why; `check_text` has them)."""
    spec, findings = check_text(text, drafter.options)
    if spec is None:
        return None
    return drafter.make_draft(text, spec, findings)


# ---------------------------------------------------------------------------- consistency


@dataclass(frozen=True)
class Consistency:
    """After verification: do the examples pass on the Python, and does a model's reading
    of the code match the description? The second is a warning only, never a verdict."""

    examples_run: int
    example_failures: tuple[str, ...]
    description_note: str | None  # the model's one-line comparison
    description_warning: str | None  # set when the model says they differ (or could not say)

    def record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def check_examples_on(spec: m.Spec, module: Path, function: str) -> tuple[int, tuple[str, ...]]:
    """Run the spec's examples (the user's among them) on the verified Python with the
    property harness (sandboxed); the failures as the harness words them."""
    from verifier.harness import run_properties

    report = run_properties(spec, f"{module}:{function}", max_examples=10, seed=0, shrink_seconds=5.0)
    return report.examples_run, tuple(f.render() for f in report.failures)


def compare_description(llm: LLM, description: str, program: str, language: str,
                        on_reply: Callable[[str], None] | None = None) -> tuple[str | None, str | None]:
    """The model describes the verified program; its last line says AGREES or DIFFERS.
    Returns (note, warning); any doubt is a warning, and nothing here changes a verdict."""
    prompt = render("draft_consistency.j2", description=description.strip(), program=program.strip(),
                    language=language)
    try:
        reply = llm.complete([Message("user", prompt)], temperature=0.0, max_tokens=1024).content
    except LLMError as exc:
        return None, f"the description was not compared with the code: {exc.message}"
    if on_reply is not None:
        on_reply(reply)
    lines = [ln.strip() for ln in reply.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else ""
    note = " ".join(lines[:-1]) or None
    if last.upper().startswith("AGREES"):
        return note, None
    if last.upper().startswith("DIFFERS"):
        return note, f"a model reading the verified code says it differs from the description: {last[8:].strip()}"
    return note, "the model's comparison of code and description ended without AGREES or DIFFERS"


def consistency(spec: m.Spec, directory: Path, llm: LLM | None, description: str) -> Consistency:
    """Clover's last check on a verified Dafny artifact in `directory`: the spec's examples
    (the user's among them) pass on its Python, and — when a model is given — the model's
    reading of the code agrees with the description (a warning at most)."""
    from verifier.translators.dafny_to_python import translate

    dafny = (directory / f"{spec.name}.dfy").read_text(encoding="utf-8")
    function = translate(dafny).function(spec.method).name
    run, failures = check_examples_on(spec, directory / f"{spec.name}.py", function)
    note = warning = None
    if llm is not None:
        note, warning = compare_description(llm, description, dafny, "dafny")
    return Consistency(run, failures, note, warning)
