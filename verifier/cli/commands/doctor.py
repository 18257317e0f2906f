"""`proofroute doctor`: which toolchains are usable here, and how to install what is not."""

from __future__ import annotations

import sys

import click

from verifier.backends import REGISTRY, get_backend
from verifier.cli.output import echo_json
from verifier.results import ToolchainInfo


def probe_all() -> list[ToolchainInfo]:
    infos = []
    for name in REGISTRY:
        try:
            infos.append(get_backend(name).available())
        except Exception as exc:  # a broken backend must not hide the others
            infos.append(ToolchainInfo(name=name, ok=False, hint=f"probe failed: {exc}"))
    return infos


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per toolchain.")
def command(as_json: bool) -> None:
    """Show each toolchain: found (path, version) or missing (with the install hint).

    Exit 0 when the Dafny route is usable, 1 otherwise.
    """
    infos = probe_all()
    dafny_ok = any(i.name == "dafny" and i.ok for i in infos)
    if as_json:
        echo_json({"ok": dafny_ok, "toolchains": infos})
    else:
        for info in infos:
            state = "ok     " if info.ok else "MISSING"
            line = f"{info.name:<6} {state} {info.version or '-'}  {info.path or ''}".rstrip()
            click.echo(line)
            for key, value in info.details.items():
                click.echo(f"         {key}: {value}")
            if info.hint:
                click.echo(f"         hint: {info.hint}")
    sys.exit(0 if dafny_ok else 1)
