"""`proofroute spec draft`: a description becomes a checked, read-back, confirmed spec.

The conversation with the user lives here (prompts on stderr, the spec on stdout or in
`-o FILE`); the drafting itself is `verifier.draft`. `generate --describe` uses the same
steps, then hands the confirmed spec to generate with the same model session.

Exit codes: 0 a clean draft (questions the user did not answer are reported), 1 no
clean draft within the budget, or the user quit, 2 bad input (description, example,
provider).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from verifier.cli.output import console, echo_json
from verifier.draft import (
    Draft,
    Drafter,
    DraftFailed,
    DraftInputError,
    DraftRequest,
    Question,
    check_text,
    consistency,
    parse_example,
    recheck,
)
from verifier.errors import LLMError
from verifier.results import Severity
from verifier.specs.check import CheckOptions, Finding
from verifier.transcript import Transcript

MAX_QUESTION_ROUNDS = 3


@dataclass(frozen=True)
class Confirmed:
    """What the user ended with: the draft, whether they confirmed it, and why not."""

    draft: Draft | None
    confirmed: bool
    reason: str = ""


def read_description(value: str) -> str:
    """TEXT, or @FILE for a description kept in a file."""
    if not value.startswith("@"):
        return value
    path = Path(value[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DraftInputError(f"cannot read the description file {path}: {exc.strerror}",
                              hint="give the text itself, or @path to a readable file") from None


def make_request(describe: str, signature: str | None, examples: tuple[str, ...]) -> DraftRequest:
    text = read_description(describe).strip()
    if not text:
        raise DraftInputError("the description is empty", hint="say in a sentence what the function does")
    return DraftRequest(text, signature, tuple(parse_example(e) for e in examples))


def show_findings(findings: tuple[Finding, ...]) -> None:
    err = console(stderr=True)
    for f in findings:
        if f.severity != Severity.INFO:
            err.print(escape(f.render()), highlight=False)


def show_draft(draft: Draft) -> None:
    err = console(stderr=True)
    err.print(escape(draft.readback_text()), highlight=False)
    show_findings(draft.findings)


def ask_question(q: Question) -> int | None:
    """The chosen output's index, or None for "either is fine"."""
    err = console(stderr=True)
    err.print(escape(q.text), highlight=False)
    for i, out in enumerate(q.outputs, start=1):
        err.print(f"  {i}) " + escape(", ".join(f"{k} = {v!r}" for k, v in out.items())), highlight=False)
    err.print(f"  {len(q.outputs) + 1}) either is fine", highlight=False)
    choice = click.prompt("your answer", type=click.IntRange(1, len(q.outputs) + 1), err=True)
    return None if choice == len(q.outputs) + 1 else choice - 1


def confirm(drafter: Drafter, draft: Draft, *, interactive: bool) -> Confirmed:
    """Questions, then accept / edit / regenerate. Non-interactive: the draft as it is,
    accepted, with its open questions reported by the caller."""
    if not interactive:
        return Confirmed(draft, True)
    rounds = 0
    while True:
        show_draft(draft)
        if draft.questions and rounds < MAX_QUESTION_ROUNDS:
            rounds += 1
            q = draft.questions[0]
            choice = ask_question(q)
            if choice is None:
                drafter.accept_either(q)
                draft = _without_question(draft, q)
            else:
                draft = drafter.refine(q, choice)
            continue
        action = click.prompt("[a]ccept, [e]dit, [r]egenerate or [q]uit", err=True,
                              type=click.Choice(["a", "e", "r", "q"]), default="a")
        match action:
            case "a":
                return Confirmed(draft, True)
            case "q":
                return Confirmed(draft, False, "the user quit without accepting the draft")
            case "e":
                draft = _edit(drafter, draft)
            case "r":
                reason = click.prompt("what is wrong with it (optional)", default="", err=True)
                draft = drafter.redo(reason)


def _without_question(draft: Draft, q: Question) -> Draft:
    return replace(draft, questions=tuple(x for x in draft.questions if x is not q))


def _edit(drafter: Drafter, draft: Draft) -> Draft:
    text = draft.toml
    while True:
        edited = click.edit(text, extension=".toml", require_save=False)
        if edited is None:
            return draft
        new = recheck(edited, drafter)
        if new is not None:
            return new
        _, findings = check_text(edited, drafter.options)
        show_findings(findings)
        if not click.confirm("the edited spec does not load; edit again?", default=True, err=True):
            return draft
        text = edited


def run_draft(llm: Any, request: DraftRequest, *, attempts: int, yes: bool, as_json: bool,
              transcript: Transcript, dafny: bool = True) -> tuple[Drafter, Confirmed]:
    """Draft, then confirm (interactive only on a terminal without --yes / --json)."""
    drafter = Drafter(llm, request, attempts=attempts, options=CheckOptions(dafny=dafny), transcript=transcript)
    draft = drafter.run()
    interactive = not yes and not as_json and sys.stdin.isatty() and sys.stderr.isatty()
    return drafter, confirm(drafter, draft, interactive=interactive)


def report_open_questions(draft: Draft) -> None:
    err = console(stderr=True)
    for q in draft.questions:
        err.print(f"open question: {escape(q.text)} (add an example or a clause to decide it)", highlight=False)


def draft_failed(exc: DraftFailed, as_json: bool) -> None:
    best: Draft | None = exc.best
    if as_json:
        echo_json({"ok": False, "confirmed": False, "reason": exc.message,
                   **({"draft": best.record()} if best is not None else {})})
    else:
        click.echo(f"proofroute: {exc.message}", err=True)
        if best is not None:
            show_findings(best.findings)
    sys.exit(1)


@click.command("draft")
@click.option("--describe", required=True, help="What the function does, in words (or @FILE).")
@click.option("--signature", default=None, help="The signature to use, e.g. 'method F(xs: seq<int>) returns (r: int)'.")
@click.option("--example", "examples", multiple=True, help="An example as 'args -> result', e.g. 'xs = [3, 1] -> m = 3'.")
@click.option("--llm", "llm_spec", required=True, help="openai:<model>, anthropic:<model> or replay:<file.jsonl>.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the spec here (default: print it).")
@click.option("--yes", is_flag=True, help="Accept the draft without asking (open questions are reported).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: spec, read-back, findings, questions.")
@click.option("--attempts", type=click.IntRange(min=1), default=4, show_default=True, help="Drafts the model may make.")
@click.option("--transcript", "transcript_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the session as JSONL (replayable) [default: OUTPUT.transcript.jsonl with -o].")
@click.option("--no-dafny", is_flag=True, help="Skip resolving the drafted contract with the real Dafny.")
def command(describe: str, signature: str | None, examples: tuple[str, ...], llm_spec: str, output: Path | None,
            yes: bool, as_json: bool, attempts: int, transcript_path: Path | None, no_dafny: bool) -> None:
    """Draft a spec from a description with a model; check it like `spec check`, read it
    back in plain English, ask about what it leaves open, and write it once confirmed."""
    from verifier.llm import get_llm

    try:
        request = make_request(describe, signature, examples)
        llm = get_llm(llm_spec)
    except (DraftInputError, LLMError) as exc:
        click.echo(f"proofroute: {exc}", err=True)
        sys.exit(2)
    transcript = Transcript()
    if transcript_path is None and output is not None:
        transcript_path = output.with_name(output.name + ".transcript.jsonl")
    try:
        _, result = run_draft(llm, request, attempts=attempts, yes=yes, as_json=as_json,
                              transcript=transcript, dafny=not no_dafny)
    except DraftFailed as exc:
        draft_failed(exc, as_json)
        return
    finally:
        if transcript_path is not None:
            transcript.write(transcript_path)
    draft = result.draft
    assert draft is not None
    if result.confirmed and output is not None:
        output.write_text(draft.toml, encoding="utf-8")
    if as_json:
        echo_json({"ok": draft.clean and result.confirmed, "confirmed": result.confirmed,
                   "file": str(output) if output is not None and result.confirmed else None,
                   **draft.record()})
    else:
        if not sys.stdin.isatty() or yes:
            show_draft(draft)
        report_open_questions(draft)
        if output is None:
            click.echo(draft.toml, nl=False)
        elif result.confirmed:
            click.echo(f"wrote {output}", err=True)
    sys.exit(0 if result.confirmed else 1)


@dataclass(frozen=True)
class Drafted:
    """A confirmed draft on disk, for `generate --describe`; `after` runs the final
    consistency checks on what generate verified."""

    path: Path
    draft: Draft
    description: str
    llm: Any

    def after(self, directory: str | None) -> dict[str, Any]:
        """Consistency on the verified Python, when the route's artifact has Python."""
        record: dict[str, Any] = {"draft": {"file": str(self.path), "clean": self.draft.clean,
                                            "questions": [q.record() for q in self.draft.questions]}}
        if directory is None or not (Path(directory) / f"{self.draft.spec.name}.py").is_file():
            return {**record, "consistency": None}
        result = consistency(self.draft.spec, Path(directory), self.llm, self.description)
        err = console(stderr=True)
        for failure in result.example_failures:
            err.print(f"warning: an example fails on the verified code (the contract allows another "
                      f"output there; tighten the spec): {escape(failure)}", highlight=False)
        if result.description_warning:
            err.print(f"warning: {escape(result.description_warning)}", highlight=False)
        elif not result.example_failures:
            err.print(f"consistency: {result.examples_run} example(s) pass on the verified Python; "
                      "the model's reading of the code agrees with the description", highlight=False)
        return {**record, "consistency": result.record()}


def spec_from_description(llm: Any, describe: str, signature: str | None, *, yes: bool, as_json: bool,
                          out: Path) -> Drafted:
    """Draft and confirm a spec, and write it to OUT/drafts/<name>.toml (with the drafting
    transcript beside it); exits as `spec draft` does when there is no confirmed draft."""
    try:
        request = make_request(describe, signature, ())
    except DraftInputError as exc:
        click.echo(f"proofroute: {exc}", err=True)
        sys.exit(2)
    transcript = Transcript()
    try:
        _, result = run_draft(llm, request, attempts=4, yes=yes, as_json=as_json, transcript=transcript)
    except DraftFailed as exc:
        draft_failed(exc, as_json)
        raise  # draft_failed exits; this keeps the type checker informed
    draft = result.draft
    if draft is None or not result.confirmed:
        click.echo(f"proofroute: no confirmed spec: {result.reason}", err=True)
        sys.exit(1)
    folder = out / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{draft.spec.name}.toml"
    path.write_text(draft.toml, encoding="utf-8")
    transcript.write(folder / f"{draft.spec.name}.transcript.jsonl")
    if not as_json:
        if yes or not sys.stdin.isatty():
            show_draft(draft)
        report_open_questions(draft)
        click.echo(f"spec: {path}", err=True)
    return Drafted(path, draft, request.description, llm)
