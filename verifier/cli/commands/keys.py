"""`proofroute keys create|list|revoke`: API keys of the job service, in its store.

A token is shown once, at creation; the store keeps only its SHA-256. Once a key exists,
the server requires one on every request.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import platformdirs

from verifier.cli.output import echo_json
from verifier.service.store import Store, database_url

DB_HELP = "the job store: sqlite:///PATH or postgresql://… (default: jobs.sqlite3 in the user's data folder)"


def open_store(db: str | None) -> Store:
    return Store(database_url(db, Path(platformdirs.user_data_dir("proofroute"))))


@click.group("keys")
def command() -> None:
    """Create, list and revoke API keys of `proofroute serve`."""


@command.command("create")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def create(name: str, db: str | None, as_json: bool) -> None:
    """Create a key named NAME; prints its token once."""
    store = open_store(db)
    key, token = store.create_key(name)
    store.close()
    if as_json:
        echo_json({"id": key.id, "name": key.name, "token": token, "created_at": key.created_at})
    else:
        click.echo(token)
        click.echo(f"key {key.id} ({name}) created; the token above is shown only once", err=True)


@command.command("list")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def list_keys(db: str | None, as_json: bool) -> None:
    """List keys (never their tokens)."""
    store = open_store(db)
    found = store.keys()
    store.close()
    if as_json:
        echo_json({"keys": [{"id": k.id, "name": k.name, "created_at": k.created_at, "revoked_at": k.revoked_at}
                            for k in found]})
        return
    for k in found:
        click.echo(f"{k.id}  {k.name}  {'revoked' if k.revoked_at else 'active'}")


@command.command("revoke")
@click.argument("key_id")
@click.option("--db", default=None, help=DB_HELP)
def revoke(key_id: str, db: str | None) -> None:
    """Revoke the key KEY_ID (its jobs stay, no one can use the key any more)."""
    store = open_store(db)
    done = store.revoke(key_id)
    store.close()
    if not done:
        click.echo(f"proofroute: no active key {key_id!r}; see `proofroute keys list`", err=True)
        sys.exit(2)
    click.echo(f"key {key_id} revoked", err=True)
