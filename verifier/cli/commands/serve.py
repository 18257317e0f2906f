"""`proofroute serve`: the job service over HTTP (uvicorn), its store and its workers.

Without any API key in the store the server answers everyone, so it binds to loopback
only; create a key (`proofroute keys create NAME`) before listening on another address.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click
import platformdirs

from verifier.cli.commands.keys import DB_HELP


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (any address other than loopback needs an API key in the store).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--db", default=None, help=DB_HELP)
@click.option("--workers", type=click.IntRange(0, 64), default=2, show_default=True,
              help="Jobs run at once (they share one warm backend per route).")
@click.option("--replay-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Serve llm 'replay:<name>.jsonl' recordings from this folder only (none by default).")
@click.option("--shutdown-seconds", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="On SIGTERM/Ctrl-C, how long running jobs may finish before they are failed.")
def command(host: str, port: int, db: str | None, workers: int, replay_dir: Path | None,
            shutdown_seconds: float) -> None:
    """Serve verified code generation as durable jobs over HTTP (needs the `server` extra)."""
    try:
        import uvicorn

        from verifier.service.app import create_app
        from verifier.service.store import Store, database_url
        from verifier.service.workers import WorkerPool
    except ImportError as exc:
        raise click.ClickException(
            f"the HTTP server needs FastAPI, uvicorn and SQLAlchemy ({exc.name} is missing): "
            "pip install 'proofroute[server]'") from None
    data = Path(platformdirs.user_data_dir("proofroute"))
    store = Store(database_url(db, data))
    if not _loopback(host) and not store.has_keys():
        raise click.UsageError(f"--host {host} would serve everyone: there is no API key in the store; "
                               "create one with `proofroute keys create NAME` (same --db), or keep 127.0.0.1")
    if not store.has_keys():
        click.echo("proofroute serve: no API key in the store, so no authentication: listening on loopback only",
                   err=True)
    server_id = f"{socket.gethostname()}:{port}"
    pool = WorkerPool(store, server=server_id, workers=workers, scratch=data / "scratch" / str(port),
                      replay_dir=replay_dir)
    pool.start()
    try:
        uvicorn.run(create_app(store, pool), host=host, port=port, log_level="info")
    finally:
        pool.stop(deadline=shutdown_seconds)
        store.close()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
