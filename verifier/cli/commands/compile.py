"""`proofroute compile FILE.dfy`: verified Dafny to standalone Python, optionally validated.

Exit codes: 0 translated (and, with --validate, agreed with Dafny's JS build);
1 validation found a disagreement; 3 bad input or a construct outside the subset;
4 a toolchain (dafny, node, Dafny >= 4 for --via dafny) is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from verifier.backends.dafny.dialect import Dialect
from verifier.cli.output import echo_json
from verifier.errors import ProofrouteError, ToolchainMissing
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import DafnyFrontendError


def _dialect(value: str) -> Dialect | None:
    return None if value == "auto" else Dialect(major=int(value))


def _fail(message: str, code: int, as_json: bool, **extra: Any) -> None:
    if as_json:
        echo_json({"ok": False, "error": message, "exit_code": code, **extra})
    else:
        click.echo(message, err=True)
    sys.exit(code)


def _validation_targets(source: str, method: str | None) -> list[str]:
    """The named method, or every compiled method whose parameters can be generated."""
    from verifier.translators.dafny_parser import parse
    from verifier.translators.validate import can_generate

    if method:
        return [method]
    program = parse(source)
    return [
        d.name
        for d in program.methods
        if not d.is_ghost and d.body is not None and all(can_generate(p.type) for p in d.params)
    ]


@click.command("compile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--method", "method", help="Method to validate (default: every compiled method).")
@click.option("--spec", "spec", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Spec whose requires/ensures decide inputs and check our results.")  # fmt: skip
@click.option("--validate", "validate_n", type=int, default=0, show_default=True,
              help="Compare with Dafny's own JS build on N inputs per method.")  # fmt: skip
@click.option("--seed", type=int, default=None, help="Seed for the generated inputs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Python module here (default: stdout).")  # fmt: skip
@click.option("--dialect", type=click.Choice(["auto", "2", "3", "4"]), default="auto",
              show_default=True, help="Dafny syntax rules (function method vs function).")  # fmt: skip
@click.option("--via", type=click.Choice(["proofroute", "dafny"]), default="proofroute",
              show_default=True, help="'dafny': Dafny >= 4's own `translate py` plus an adapter.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of text.")
def command(
    file: Path,
    method: str | None,
    spec: Path | None,
    validate_n: int,
    seed: int | None,
    output: Path | None,
    dialect: str,
    via: str,
    as_json: bool,
) -> None:
    """Translate a verified Dafny FILE to idiomatic, typed, standalone Python."""
    source = file.read_text(encoding="utf-8")
    try:
        if via == "dafny":
            from verifier.translators.dafny_via_dafny import translate_via_dafny

            module = translate_via_dafny(source, filename=file.name)
        else:
            from verifier.translators.dafny_to_python import translate

            module = translate(source, dialect=_dialect(dialect))
    except DafnyFrontendError as exc:
        err = exc.with_file(str(file))
        _fail(str(err), 3, as_json, line=err.line, col=err.col, construct=err.construct)
        return
    except ToolchainMissing as exc:
        _fail(f"proofroute: {exc}", 4, as_json)
        return

    if output is not None:
        output.write_text(module.text, encoding="utf-8")
        for name, text in getattr(module, "extra_files", ()):
            (output.parent / name).write_text(text, encoding="utf-8")

    reports = []
    if validate_n > 0:
        from verifier.translators.validate import validate_translation

        try:
            for name in _validation_targets(source, method):
                reports.append(
                    validate_translation(
                        source, name, n=validate_n, spec=spec, seed=seed, dialect=_dialect(dialect)
                    )
                )
        except DafnyFrontendError as exc:
            _fail(str(exc.with_file(str(file))), 3, as_json)
            return
        except ToolchainMissing as exc:
            _fail(f"proofroute: {exc}", 4, as_json)
            return
        except ProofrouteError as exc:
            _fail(f"proofroute: {exc}", exc.exit_code, as_json)
            return

    ok = all(r.ok for r in reports)
    if as_json:
        echo_json(
            {
                "ok": ok,
                "file": str(file),
                "output": str(output) if output else None,
                "python": module.text if output is None else None,
                "functions": module.functions,
                "validation": reports,
            }
        )
    else:
        if output is None:
            sys.stdout.write(module.text)
        else:
            click.echo(f"{file}: wrote {output} ({len(module.functions)} functions)", err=True)
        for r in reports:
            line = r.summary()
            click.echo(line if r.ok else f"{file}:{_line_of(source, r.method)}: error: {line}", err=True)
            for note in r.notes:
                click.echo(f"  note: {note}", err=True)
    sys.exit(0 if ok else 1)


def _line_of(source: str, name: str) -> int:
    from verifier.translators.dafny_parser import parse

    decl = parse(source).find(name)
    return decl.pos.line if isinstance(decl, A.Decl) else 1
