"""`proofroute compile FILE.dfy`: verified Dafny to standalone Python, optionally validated.

The file is translated, then verified by the real Dafny (result cache off): a program
Dafny does not verify is refused and nothing is written or printed. `--unverified`
translates it anyway, and the module's header then says "NOT verified".

Exit codes: 0 translated (and, with --validate, agreed with Dafny's JS build);
1 validation found a disagreement; 2 Dafny did not verify the program (refuted or
unknown; its diagnostics are printed); 3 bad input or a construct outside the subset;
4 a toolchain (dafny, node, Dafny >= 4 for --via dafny) is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from verifier.backends.dafny.dialect import Dialect
from verifier.cli.output import echo_json
from verifier.errors import ProofrouteError, ToolchainMissing
from verifier.paths import confined
from verifier.results import Verdict
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import DafnyFrontendError

EXIT_NOT_VERIFIED = 2
VERIFIED_HEADER = '"""Translated from verified Dafny by proofroute (standard library only)."""'
UNVERIFIED_HEADER = ('"""NOT verified: translated by proofroute from Dafny that Dafny did not verify '
                     '(--unverified); standard library only."""')


def _dialect(value: str) -> Dialect | None:
    return None if value == "auto" else Dialect(major=int(value))


def _fail(message: str, code: int, as_json: bool, **extra: Any) -> NoReturn:
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
@click.option("--unverified", is_flag=True,
              help="Translate even when Dafny does not verify the program; the header says so.")
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds for Dafny's verification of the file.")
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
    unverified: bool,
    timeout: float,
    as_json: bool,
) -> None:
    """Translate a verified Dafny FILE to idiomatic, typed, standalone Python."""
    source = file.read_text(encoding="utf-8")
    module = _translate(file, source, via, dialect, as_json)
    verified = _verified(file, source, timeout, as_json, unverified)
    text = module.text if verified else _mark_unverified(module.text)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        for name, extra in getattr(module, "extra_files", ()):
            confined(output.resolve().parent, name).write_text(extra, encoding="utf-8")
    reports = (_validate(file, source, method, spec, validate_n, seed, dialect, as_json)
               if validate_n > 0 else [])
    ok = all(r.ok for r in reports)
    if as_json:
        echo_json(
            {
                "ok": ok,
                "verified": verified,
                "file": str(file),
                "output": str(output) if output else None,
                "python": text if output is None else None,
                "functions": module.functions,
                "validation": reports,
            }
        )
    else:
        if output is None:
            sys.stdout.write(text)
        else:
            click.echo(f"{file}: wrote {output} ({len(module.functions)} functions)", err=True)
        for r in reports:
            line = r.summary()
            click.echo(line if r.ok else f"{file}:{_line_of(source, r.method)}: error: {line}", err=True)
            for note in r.notes:
                click.echo(f"  note: {note}", err=True)
    sys.exit(0 if ok else 1)


def _translate(file: Path, source: str, via: str, dialect: str, as_json: bool) -> Any:
    """The Python module (exits 3 on a construct outside the subset, 4 without a
    toolchain `--via dafny` needs)."""
    try:
        if via == "dafny":
            from verifier.translators.dafny_via_dafny import translate_via_dafny

            return translate_via_dafny(source, filename=file.name)
        from verifier.translators.dafny_to_python import translate

        return translate(source, dialect=_dialect(dialect))
    except DafnyFrontendError as exc:
        err = exc.with_file(str(file))
        _fail(str(err), 3, as_json, line=err.line, col=err.col, construct=err.construct)
    except ToolchainMissing as exc:
        _fail(f"proofroute: {exc}", 4, as_json)


def _validate(file: Path, source: str, method: str | None, spec: Path | None, n: int,
              seed: int | None, dialect: str, as_json: bool) -> list[Any]:
    """Each target method compared with Dafny's own JS build on `n` inputs."""
    from verifier.translators.validate import validate_translation

    try:
        return [validate_translation(source, name, n=n, spec=spec, seed=seed,
                                     dialect=_dialect(dialect))
                for name in _validation_targets(source, method)]
    except DafnyFrontendError as exc:
        _fail(str(exc.with_file(str(file))), 3, as_json)
    except ToolchainMissing as exc:
        _fail(f"proofroute: {exc}", 4, as_json)
    except ProofrouteError as exc:
        _fail(f"proofroute: {exc}", exc.exit_code, as_json)


def _line_of(source: str, name: str) -> int:
    from verifier.translators.dafny_parser import parse

    decl = parse(source).find(name)
    return decl.pos.line if isinstance(decl, A.Decl) else 1


def _verified(file: Path, source: str, timeout: float, as_json: bool, unverified: bool) -> bool:
    """Dafny's verdict on the file, from scratch (no result cache); exits 2 with Dafny's
    diagnostics when it is not VERIFIED, unless `unverified` allows going on."""
    from verifier.backends import get_backend

    backend = get_backend("dafny", cache=False, cold=True)
    try:
        info = backend.available()
        if not info.ok:
            _fail(f"proofroute: Dafny is needed to verify {file} before compiling it: "
                  f"{info.hint or 'not found'} (or pass --unverified)", 4, as_json)
        result = backend.check(source, timeout=timeout, filename=file.name)
    finally:
        backend.close()
    if result.verdict == Verdict.VERIFIED:
        return True
    head = (f"{file}: error: Dafny {result.toolchain_version} does not verify this program "
            f"(verdict: {result.verdict.value})")
    if unverified:
        click.echo(f"{head}; translating it anyway (--unverified)", err=True)
        return False
    lines = [f"{head}; nothing was compiled"]
    lines += [f"{file}:{d.line or 1}:{d.col or 1}: {d.kind}: {d.message}"
              for d in result.errors[:10]]
    lines.append("  hint: fix the proof (`proofroute verify` shows every error), or pass "
                 "--unverified to translate it anyway under a NOT verified header")
    _fail("\n".join(lines), EXIT_NOT_VERIFIED, as_json, verdict=result.verdict.value)


def _mark_unverified(text: str) -> str:
    """The module's first line names it as translated from verified Dafny; an unverified
    translation must not carry that claim."""
    first, sep, rest = text.partition("\n")
    if first == VERIFIED_HEADER:
        return UNVERIFIED_HEADER + sep + rest
    return f"# {UNVERIFIED_HEADER.strip(chr(34))}\n{text}"
