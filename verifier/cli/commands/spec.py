"""`proofroute spec check FILE...` and `proofroute spec show FILE --to dafny|lean|python`."""

from __future__ import annotations

import sys

import click

from verifier.cli.output import echo_json
from verifier.errors import SpecError, ToolchainMissing
from verifier.results import Severity

_UNREADABLE = {"io", "toml"}


@click.group("spec")
def command() -> None:
    """Check a spec, or show what it turns into (Dafny contract, Lean statement, Python)."""


@command.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the counts and every finding's record.")
@click.option("--no-dafny", is_flag=True, help="Skip resolving the contract with the real Dafny.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampling inputs.")
@click.option("--samples", default=8, show_default=True, help="Inputs to check realizability on.")
def check(files: tuple[str, ...], as_json: bool, no_dafny: bool, seed: int, samples: int) -> None:
    """Parse, type-check, resolve in Dafny, run the examples, and check with z3 that the
    spec is satisfiable, realizable, determined and not vacuous.

    Exit 0 without errors (warnings allowed), 1 on errors, 2 when a file is unreadable.
    """
    from verifier.specs.check import CheckOptions, check_paths

    results = check_paths(list(files), CheckOptions(dafny=not no_dafny, seed=seed, samples=samples))
    errors = warnings = 0
    unreadable = False
    for findings in results.values():
        for f in findings:
            if not as_json:
                click.echo(f.render())
            errors += f.severity == Severity.ERROR
            warnings += f.severity == Severity.WARNING
            unreadable |= f.code in _UNREADABLE
    code = 2 if unreadable else 1 if errors else 0
    clean = sum(1 for fs in results.values() if not any(f.severity != Severity.INFO for f in fs))
    if as_json:  # one object, as every --json (README)
        echo_json({"ok": code == 0, "exit_code": code, "specs": len(results), "errors": errors,
                   "warnings": warnings, "clean": clean,
                   "findings": [f.record() for fs in results.values() for f in fs]})
    else:
        click.echo(
            f"{len(results)} spec(s) checked: {errors} error(s), {warnings} warning(s); {clean} clean",
            err=True,
        )
    sys.exit(code)


@command.command("show")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--to", "target", type=click.Choice(["dafny", "lean", "python"]), default="dafny", show_default=True)
@click.option(
    "--dafny-version",
    default=None,
    help="Render for this Dafny version (e.g. 2.3 or 4.8); default: the installed one, else 2.",
)
def show(file: str, target: str, dafny_version: str | None) -> None:
    """Print the spec translated to Dafny (contract skeleton), Lean 4 or Python predicates."""
    from verifier.specs.loader import load_spec

    try:
        spec = load_spec(file)
    except SpecError as err:
        click.echo(str(err), err=True)
        sys.exit(2 if err.code in _UNREADABLE else 1)
    if target == "dafny":
        from verifier.backends.dafny.dialect import DAFNY2, dialect_for_version
        from verifier.specs.dafny_check import find_dafny
        from verifier.translators.spec_dafny import render_dafny

        if dafny_version:
            dialect = dialect_for_version(dafny_version)
        else:
            try:
                dialect = find_dafny().dialect
            except ToolchainMissing:
                dialect = DAFNY2
        click.echo(render_dafny(spec, dialect), nl=False)
    elif target == "lean":
        from verifier.translators.spec_lean import render_lean

        click.echo(render_lean(spec), nl=False)
    else:
        from verifier.translators.spec_python import render_python_module

        click.echo(render_python_module(spec), nl=False)


from verifier.cli.drafting import command as draft_command  # noqa: E402  (`spec draft`)

command.add_command(draft_command)
