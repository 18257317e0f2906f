"""`proofroute watch ID`: follow a job of the job service live, until it is done.

Each event is a line on stderr (as `generate` prints them) when stderr is not a terminal,
and a compact live panel when it is; the stream resumes by itself after a dropped
connection. Exits with the job's outcome (README, "Exit codes"); `--json` prints the
finished job as one JSON object.
"""

from __future__ import annotations

import sys

import click

from verifier.cli.output import console, echo_json
from verifier.cli.remote import exit_code, follow, job_json, open_client, server_options, summary


@click.command("watch")
@click.argument("job_id")
@server_options
def command(job_id: str, server: str | None, key: str | None, as_json: bool) -> None:
    """Show job JOB_ID's progress live; exit with its outcome."""
    with open_client(server, key) as client:
        client.get(job_id)  # a wrong id or key: its error now, not a dead stream
        job = follow(client, job_id, live=console(stderr=True).is_terminal)
    if as_json:
        echo_json(job_json(job))
    else:
        click.echo(summary(job))
    sys.exit(exit_code(job))
