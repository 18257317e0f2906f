"""`proofroute submit SPEC`: send a job to a running job service (`proofroute serve`).

By default a `generate` job for the spec file; `--kind` picks `spec-check`, `test` (with
`--impl FILE:FUNCTION`) or `verify` (SPEC is then a .dfy or .lean source). Prints the
job's id (or with `--json` the job as one JSON object) and returns at once; `--wait`
follows its progress on stderr and exits with the job's outcome (README, "Exit codes").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from verifier.cli.output import echo_json, is_tty
from verifier.cli.remote import exit_code, follow, job_json, open_client, server_options, summary
from verifier.errors import InputError
from verifier.service.records import JobKind


def _replies(path: Path) -> list[str]:
    """The model replies of a recorded session (replay JSONL), sent inline."""
    replies = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc})", hint="a session recorded with replay") from None
        if isinstance(record, dict) and record.get("kind") == "response":
            replies.append(str(record.get("content", "")))
    if not replies:
        raise InputError(f"{path}: no `response` record", hint="give a session recorded by `generate`")
    return replies


def _fields(kind: JobKind, text: str, path: Path, llm: str | None, replay: Path | None,
            impl: str | None, budgets: dict[str, object]) -> dict[str, object]:
    match kind:
        case JobKind.GENERATE:
            if replay is not None:
                return {"spec": text, "llm": "replay", "replies": _replies(replay), "budgets": budgets}
            if llm is None:
                raise InputError("a generate job needs a model", hint="pass --llm openai:<model> (or --replay FILE)")
            return {"spec": text, "llm": llm, "budgets": budgets}
        case JobKind.VERIFY:
            return {"source": text, "language": "lean" if path.suffix == ".lean" else "dafny"}
        case JobKind.TEST:
            file, _, function = (impl or "").rpartition(":")
            if not file or not function or not Path(file).is_file():
                raise InputError(f"a test job needs the implementation, not {impl!r}",
                                 hint="pass --impl module.py:Function (an existing file)")
            return {"spec": text, "code": Path(file).read_text("utf-8"), "function": function}
    return {"spec": text}


@click.command("submit")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice([k.value for k in JobKind]), default=None,
              help="The job [default: generate; verify for a .dfy or .lean file].")
@click.option("--llm", default=None, help="generate: openai:<model>, anthropic:<model> (the server's keys).")
@click.option("--replay", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="generate: send the model replies of this recorded session instead of --llm.")
@click.option("--impl", default=None, help="test: the implementation, FILE.py:FUNCTION.")
@click.option("--attempts", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--max-seconds", type=click.FloatRange(0, 3600, min_open=True), default=900, show_default=True)
@click.option("--wait", is_flag=True, help="Follow the job's progress (stderr) and exit with its outcome.")
@server_options
def command(spec: Path, kind: str | None, llm: str | None, replay: Path | None, impl: str | None, attempts: int,
            max_seconds: float, wait: bool, server: str | None, key: str | None, as_json: bool) -> None:
    """Submit SPEC as a job to the job service; prints the job id (see `watch`, `jobs`)."""
    chosen = JobKind(kind) if kind else (JobKind.VERIFY if spec.suffix in (".dfy", ".lean") else JobKind.GENERATE)
    fields = _fields(chosen, spec.read_text("utf-8"), spec, llm, replay, impl,
                     {"attempts": attempts, "seconds": max_seconds})
    with open_client(server, key) as client:
        job = client.submit(chosen, **fields)
        if not as_json:
            click.echo(job.id)
        if wait:
            job = follow(client, job.id, live=is_tty() and not as_json)
    if as_json:
        echo_json(job_json(job))
    elif wait:
        click.echo(summary(job), err=True)
    sys.exit(exit_code(job) if wait else 0)
