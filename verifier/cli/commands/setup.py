"""`proofroute setup`: install the toolchain parts that come from package registries.

Each backend package has an `install` module with `install(dest, log)`; it is
idempotent and fails loudly (ToolchainMissing with a hint) when something cannot be had.
Dafny itself comes from the system package manager (`apt-get install dafny`).
"""

from __future__ import annotations

import importlib

import click

from verifier.backends import REGISTRY
from verifier.paths import tools_dir


@click.command("setup")
@click.option(
    "--only",
    type=click.Choice(sorted(REGISTRY)),
    multiple=True,
    help="Install only these backends' parts (default: all).",
)
def command(only: tuple[str, ...]) -> None:
    """Install z3 for Dafny, node modules for Dafny's JS build, and Lean 4 (WebAssembly)."""
    dest = tools_dir()
    for name in only or tuple(REGISTRY):
        module_name, _ = REGISTRY[name]
        click.echo(f"setup: {name} -> {dest}")
        importlib.import_module(f"{module_name}.install").install(dest, click.echo)
    click.echo("setup: done")
