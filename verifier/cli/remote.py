"""What the job-service verbs (`submit`, `jobs`, `watch`, `cancel`) share: the server
options, a job as JSON, the exit code a finished job gives, and the live progress.

Progress goes to stderr: one plain line per event when stderr is not a terminal (a CI log,
a pipe), a compact live panel when it is. The lines are the ones `generate` prints, drawn
from the same loop events, so a remote run reads like a local one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from pydantic import JsonValue
from rich.live import Live
from rich.markup import escape
from rich.text import Text

from verifier.cli.events import describe
from verifier.cli.output import console
from verifier.client import KEY_ENV, URL_ENV, Client, default_url
from verifier.service.records import EventView, JobStatus, JobView
from verifier.transcript import Event

F = TypeVar("F", bound=Callable[..., object])

# Exit codes of a finished job (README, "Exit codes"): as `generate` for the same outcome.
EXIT_VERIFIED, EXIT_NOT_VERIFIED, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_TOOLCHAIN = 0, 1, 2, 3, 4
EXIT_LLM_UNREACHABLE, EXIT_SERVICE = 5, 6
_FAILURE_EXIT = {"spec": EXIT_BAD_INPUT, "input": EXIT_BAD_INPUT, "llm": EXIT_BAD_INPUT,
                 "llm_unreachable": EXIT_LLM_UNREACHABLE, "toolchain": EXIT_TOOLCHAIN}


def server_options(fn: F) -> F:
    """--server, --key and --json, the same on every verb."""
    fn = click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object (errors too).")(fn)
    fn = click.option("--key", default=None, envvar=KEY_ENV, show_envvar=True,
                      help="API key (a token from `proofroute keys create`).")(fn)
    return click.option("--server", default=None, envvar=URL_ENV, show_envvar=True,
                        help=f"The job service's URL [default: {default_url()}].")(fn)


def open_client(server: str | None, key: str | None) -> Client:
    return Client(server, key=key)


def job_json(job: JobView) -> dict[str, JsonValue]:
    return job.model_dump(mode="json")


def exit_code(job: JobView) -> int:
    match job.status:
        case JobStatus.VERIFIED:
            return EXIT_VERIFIED
        case JobStatus.NOT_VERIFIED:
            return EXIT_NOT_VERIFIED
    return _FAILURE_EXIT.get(job.error_code or "", EXIT_FAILED)


def summary(job: JobView) -> str:
    if job.result is not None:
        return f"{job.id}: {job.status.value} — {job.result.summary}"
    return f"{job.id}: {job.status.value}" + (f" — {job.error}" if job.error else "")


def event_line(event: EventView) -> str | None:
    """One human line for an event (None for bookkeeping), as `generate` prints it."""
    data = event.data if isinstance(event.data, dict) else {}
    match event.kind:
        case "queued":
            return f"queued ({data.get('kind', 'job')})"
        case "running":
            return f"running on {data.get('server', '?')}"
        case "done":
            error = f": {data['error']}" if data.get("error") else ""
            return f"done: {data.get('status')}{error}"
    fields = {k: v for k, v in data.items() if k not in ("kind", "t")}
    at = data.get("t", 0.0)
    try:
        return describe(Event(event.kind, fields, float(at) if isinstance(at, int | float) else 0.0))
    except (KeyError, TypeError, ValueError):  # an event of a newer server: shown by name
        return f"{event.kind}"


def follow(client: Client, job_id: str, *, live: bool) -> JobView:
    """Show the job's events until it is done (stderr); the finished job."""
    with _display(job_id, live) as show:
        for event in client.events(job_id):
            show(event)
    return client.get(job_id)


@contextmanager
def _display(job_id: str, live: bool) -> Iterator[Callable[[EventView], None]]:
    err = console(stderr=True)
    if not live:
        def plain(event: EventView) -> None:
            if (line := event_line(event)) is not None:
                err.print(f"{job_id[:8]} {escape(line)}", highlight=False)
        yield plain
        return
    panel = _Panel(job_id)
    with Live(panel.render(), console=err, refresh_per_second=8, transient=False) as screen:
        def update(event: EventView) -> None:
            panel.add(event)
            screen.update(panel.render())
        yield update


class _Panel:
    """The live display on a terminal: status, attempts, elapsed time, the last lines."""

    def __init__(self, job_id: str) -> None:
        self.job_id, self.status, self.attempts = job_id, "waiting", 0
        self.started = time.monotonic()
        self.lines: list[str] = []

    def add(self, event: EventView) -> None:
        data = event.data if isinstance(event.data, dict) else {}
        if event.kind in ("queued", "running"):
            self.status = event.kind
        elif event.kind == "done":
            self.status = str(data.get("status"))
        attempt = data.get("attempt")
        if isinstance(attempt, int):
            self.attempts = max(self.attempts, attempt)
        if (line := event_line(event)) is not None:
            self.lines = [*self.lines, line][-6:]

    def render(self) -> Text:
        head = Text(f"job {self.job_id}  ", style="bold")
        head.append(self.status, style="green" if self.status == "verified" else "yellow")
        head.append(f"  attempts {self.attempts}  {time.monotonic() - self.started:5.1f}s\n")
        for line in self.lines:
            head.append(f"  {line}\n", style="dim")
        return head
