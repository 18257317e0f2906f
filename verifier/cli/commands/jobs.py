"""`proofroute jobs`: the jobs of your key on a job service, newest first.

`--cancel ID` cancels one instead (its verifier process and model call stop).
"""

from __future__ import annotations

import time

import click
from rich.table import Table

from verifier.cli.output import console, echo_json
from verifier.cli.remote import job_json, open_client, server_options
from verifier.service.records import JobStatus, JobView


def _table(jobs: list[JobView]) -> Table:
    table = Table(title="proofroute jobs")
    for column in ("id", "kind", "status", "age", "summary"):
        table.add_column(column)
    now = time.time()
    for job in jobs:
        said = job.result.summary if job.result else (job.error or "")
        table.add_row(job.id, job.kind.value, job.status.value, f"{now - job.created_at:.0f}s", said[:70])
    return table


@click.command("jobs")
@click.option("--status", type=click.Choice([s.value for s in JobStatus]), default=None, help="Only these.")
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@click.option("--cursor", default=None, help="The `next_cursor` of a previous page.")
@click.option("--cancel", "cancel_id", default=None, metavar="ID", help="Cancel job ID instead of listing.")
@server_options
def command(status: str | None, limit: int, cursor: str | None, cancel_id: str | None, server: str | None,
            key: str | None, as_json: bool) -> None:
    """List your jobs on the job service (or cancel one)."""
    with open_client(server, key) as client:
        if cancel_id is not None:
            job = client.cancel(cancel_id)
            if as_json:
                echo_json(job_json(job))
            else:
                click.echo(f"{job.id}: {job.status.value}")
            return
        page = client.list(status, limit=limit, cursor=cursor)
    if as_json:
        echo_json(page.model_dump(mode="json"))
    elif not page.jobs:
        click.echo("no jobs", err=True)
    else:
        console().print(_table(page.jobs))
        if page.next_cursor:
            click.echo(f"more: proofroute jobs --cursor {page.next_cursor}", err=True)
