"""`proofroute serve`: the HTTP API (`POST /v1/generate`, `GET /v1/health`) under uvicorn."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep loopback unless you front it with auth).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write each artifact under this folder.")
@click.option("--allow-replay-files", is_flag=True,
              help="Accept llm 'replay:<path>' (reads files on this machine).")
def command(host: str, port: int, out: Path | None, allow_replay_files: bool) -> None:
    """Serve verified code generation over HTTP (needs the `server` extra)."""
    try:
        import uvicorn

        from verifier.server import create_app
    except ImportError as exc:
        raise click.ClickException(
            f"the HTTP server needs FastAPI and uvicorn ({exc.name} is missing): "
            "pip install 'proofroute[server]'") from None
    uvicorn.run(create_app(out=out, allow_replay_files=allow_replay_files), host=host, port=port,
                log_level="info")
