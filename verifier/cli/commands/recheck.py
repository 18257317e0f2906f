"""`proofroute recheck DIR...`: re-establish an artifact's certificate with today's tools.

Exit 0 only when, for every folder, the hashes match, the guard accepts the `.dfy`
against the recorded spec, the current Dafny verifies it and the property tests pass.
A Lean artifact is re-checked with the Lean route's guard and the current Lean; its
property tests run when a `<name>.py` implementation sits beside them. The verifier
runs with its result cache off unless `--cached` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from verifier.cli.output import console, echo_json
from verifier.recheck import recheck


@click.command("recheck")
@click.argument("dirs", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--timeout", type=float, default=None,
              help="Seconds for the verifier check and for the property tests "
                   "[default: 120 for Dafny, 300 for Lean].")
@click.option("--no-tests", is_flag=True, help="Skip the property tests.")
@click.option("--cached", is_flag=True,
              help="Let the verifier's result cache answer (faster; by default every "
                   "check runs from scratch, so a stale or tampered cache cannot pass).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def command(dirs: tuple[Path, ...], timeout: float | None, no_tests: bool, cached: bool,
            as_json: bool) -> None:
    """Re-verify artifact folders written by `proofroute generate`, from scratch."""
    reports = [recheck(d, timeout=timeout, tests=not no_tests, cached=cached) for d in dirs]
    if as_json:
        echo_json({"ok": all(r.ok for r in reports),
                   "reports": [{"directory": r.directory, "ok": r.ok, "steps": r.steps}
                               for r in reports]})
    else:
        out = console()
        for r in reports:
            out.print(f"{r.directory}: {'[green]ok[/green]' if r.ok else '[red]FAILED[/red]'}")
            for s in r.steps:
                mark = "ok  " if s.ok else "FAIL"
                out.print(f"  {mark} {s.name:<7} {s.detail}", highlight=False, markup=False)
    sys.exit(0 if all(r.ok for r in reports) else 1)
