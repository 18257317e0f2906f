"""The `proofroute` command line.

Each subcommand lives in its own module under `verifier.cli.commands`, named after the
command, and exposes a click command named `command`; they are found by listing that
package, so adding a command never means editing this file. A command's module is
imported only when that command runs (or help lists them): importing every command
pulled in Hypothesis, the benchmark runner and the server stack, ~0.6 s of start-up for
each `proofroute test` or `proofroute verify`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from verifier import __version__
from verifier.cli.output import echo_json, error_json, usage_error_json, wants_json
from verifier.errors import ProofrouteError
from verifier.paths import hypothesis_storage_in_cache

# Commands that run Hypothesis (quick tests, translation checks, the harness, drafts): its
# working folder goes to our cache, not the user's cwd (see `paths.hypothesis_storage_in_cache`).
DRAWS_INPUTS = frozenset({"generate", "test", "compile", "demo", "recheck", "serve", "spec", "bench"})


class _Group(click.Group):
    """Turns a `ProofrouteError` escaping a command into its message and exit code, and
    loads each command's module on first use. Under `--json` every error — ours, or a
    usage error found by click — is printed as one JSON object on stdout instead (the
    contract: `--json` always prints exactly one object), with the same exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["proofroute.json"] = wants_json(args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        from verifier.cli import commands

        return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        command = importlib.import_module(f"verifier.cli.commands.{cmd_name}").command
        return command if isinstance(command, click.Command) else None

    def invoke(self, ctx: click.Context) -> object:
        if ctx.protected_args and ctx.protected_args[0] in DRAWS_INPUTS:
            hypothesis_storage_in_cache()
        as_json = bool(ctx.meta.get("proofroute.json"))
        try:
            return super().invoke(ctx)
        except ProofrouteError as exc:
            if as_json:
                echo_json(error_json(exc))
            click.echo(f"proofroute: {exc}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            if not as_json:
                raise
            echo_json(usage_error_json(exc))
            exc.show()
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proofroute")
def main() -> None:
    """Language models write proved-correct code; proofroute checks it and hands over Python."""
