"""`proofroute test SPEC MODULE:FUNCTION`: property-test a Python function against a spec.

Exit 0: no counterexample found; 1: counterexample(s) found; 2: bad input (spec, target,
requires that no input meets) or a sandbox violation by the function.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from verifier.cli.output import console, echo_json
from verifier.errors import ProofrouteError, SandboxViolation, SpecError
from verifier.harness import HarnessInputError, Progress, emit_pytest, run_properties
from verifier.harness.failure_db import DEFAULT_DIR as FAILURE_DB_DIR
from verifier.harness.failure_db import FailureDB
from verifier.results import SCHEMA_VERSION
from verifier.specs.loader import load_spec


@click.command("test")
@click.argument("spec_path", metavar="SPEC", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", metavar="MODULE:FUNCTION")
@click.option("--examples", "max_examples", type=click.IntRange(min=1), default=100, show_default=True,
              help="Generated inputs to try (the spec's own examples always run first).")
@click.option("--seed", type=int, default=None, help="Hypothesis seed, to reproduce a run (the report shows the one used).")
@click.option("--deadline", "deadline_ms", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Milliseconds one call may take; a slower call is a counterexample.")
@click.option("--shrink-seconds", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Time budget for shrinking a counterexample.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report (schema-versioned) instead of lines.")
@click.option("--db", "db_dir", type=click.Path(file_okay=False, path_type=Path), default=FAILURE_DB_DIR,
              show_default=True, help="Failure database: failures found once are replayed first next time.")
@click.option("--no-db", is_flag=True, help="Neither replay nor store failures.")
@click.option("--path", "paths", multiple=True,
              type=click.Path(exists=True, file_okay=False, resolve_path=True, path_type=Path),
              help="A folder to lend the function read-only and put first on its sys.path (repeatable).")
@click.option("--emit-pytest", "emit_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a standalone pytest module with the properties and an @example per failure.")
def command(spec_path: Path, target: str, max_examples: int, seed: int | None, deadline_ms: int,
            shrink_seconds: float, as_json: bool, db_dir: Path, no_db: bool, paths: tuple[Path, ...],
            emit_path: Path | None) -> None:
    """Test MODULE:FUNCTION (a dotted module below the current folder, or a path to a .py file) against SPEC.

    Inputs come from the spec's parameter types with requires built in; the function runs
    in the sandbox; each ensures clause is checked on its result, and counterexamples are
    shrunk and printed as `file:line: error: ...`.

    The sandbox lends the function, read-only: the folder its top-level package (or the
    module) sits in, its project (the nearest folder above the module with pyproject.toml,
    setup.cfg, setup.py or .git, else the current folder), each --path folder, and this Python's site-packages (C extensions included). A module
    inside a package is imported as part of it, so relative imports work. No network, no
    writes outside the sandbox's scratch folder.
    """
    show_progress = not as_json and sys.stderr.isatty()
    err = console(stderr=True)
    database = None if no_db else FailureDB(db_dir, project=Path.cwd())
    try:
        spec = load_spec(spec_path)
        if show_progress:
            with err.status("testing…") as status:
                report = run_properties(spec, target, max_examples=max_examples, seed=seed,
                                        deadline_per_call=deadline_ms / 1000, shrink_seconds=shrink_seconds,
                                        progress=lambda p: status.update(_progress_text(p)), database=database,
                                        paths=paths)
        else:
            report = run_properties(spec, target, max_examples=max_examples, seed=seed,
                                    deadline_per_call=deadline_ms / 1000, shrink_seconds=shrink_seconds,
                                    database=database, paths=paths)
        if emit_path is not None:
            emit_path.write_text(emit_pytest(spec, target, report.failures, max_examples=max_examples), "utf-8")
    except (HarnessInputError, SandboxViolation, SpecError) as exc:
        _fail(exc, 2, as_json)
    except ProofrouteError as exc:
        _fail(exc, exc.exit_code, as_json)
    except OSError as exc:
        _fail(HarnessInputError(f"cannot write {emit_path}: {exc.strerror}", hint="choose a writable path"), 2, as_json)
    if as_json:
        echo_json(report.record())
    else:
        for line in report.lines():
            click.echo(line)
        if sys.stdout.isatty():
            console().print(("[red]" if report.failures else "[green]") + report.summary())
        else:
            click.echo(report.summary(), err=True)
        if emit_path is not None:
            click.echo(f"wrote {emit_path}", err=True)
    sys.exit(1 if report.failures else 0)


def _progress_text(p: Progress) -> str:
    if p.phase == "examples":
        return "running the spec's examples…"
    if p.phase == "shrinking":
        return f"counterexample found after {p.generated_run} input(s); shrinking ({p.shrink_steps} tried)…"
    return f"generated inputs: {p.generated_run}/{p.max_examples}"


def _fail(exc: ProofrouteError, code: int, as_json: bool) -> None:
    if as_json:
        echo_json({"schema": SCHEMA_VERSION, "kind": "harness_error", "error": type(exc).__name__,
                   "message": exc.message, "hint": exc.hint, "exit_code": code,
                   "attempted": getattr(exc, "attempted", None)})
    click.echo(f"proofroute: {exc}", err=True)
    sys.exit(code)
