"""The `proofroute` command line.

Each subcommand lives in its own module under `verifier.cli.commands` and exposes a
click command named `command`; they are found by listing that package, so adding a
command never means editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from verifier import __version__
from verifier.errors import ProofrouteError


class _Group(click.Group):
    """Turns a `ProofrouteError` escaping a command into its message and exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ProofrouteError as exc:
            click.echo(f"proofroute: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proofroute")
def main() -> None:
    """Language models write proved-correct code; proofroute checks it and hands over Python."""


def _register() -> None:
    from verifier.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        main.add_command(module.command)


_register()
