"""`proofroute verify FILE...`: check programs with the real verifier of their language.

Each file goes to the backend its extension names (`.dfy` Dafny, `.lean` Lean). Exit
status, the worst over all files: 0 all verified, 1 some refuted, 2 some unknown, 3 bad
input (parse/type errors, unreadable or non-UTF-8 file, unknown extension), 4 a toolchain
is missing.
"""

from __future__ import annotations

import contextlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click

from verifier.backends import Backend, backend_name_for_path, get_backend
from verifier.cli.render import render_check, render_diagnostic
from verifier.errors import ProofrouteError, ToolchainMissing
from verifier.results import CheckResult, Diagnostic, Verdict, to_jsonable

EXIT_VERIFIED, EXIT_REFUTED, EXIT_UNKNOWN, EXIT_BAD_INPUT, EXIT_TOOLCHAIN = 0, 1, 2, 3, 4
BAD_INPUT_KINDS = frozenset({"parse", "resolution", "input"})


@dataclass(frozen=True)
class FileOutcome:
    path: str
    text: str
    result: CheckResult
    exit_code: int


def exit_code_for(result: CheckResult) -> int:
    if any(d.kind in BAD_INPUT_KINDS for d in result.errors):
        return EXIT_BAD_INPUT
    return {
        Verdict.VERIFIED: EXIT_VERIFIED,
        Verdict.REFUTED: EXIT_REFUTED,
    }.get(result.verdict, EXIT_UNKNOWN)


def _input_error(
    path: str, message: str, *, line: int | None = None, col: int | None = None, kind: str = "input"
) -> CheckResult:
    return CheckResult(
        verdict=Verdict.UNKNOWN,
        diagnostics=(Diagnostic(kind=kind, message=message, file=path, line=line, col=col),),
    )


def read_source(path: str) -> tuple[str, CheckResult | None]:
    """The file's text, or a bad-input result saying what is wrong, where, and the fix."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return "", _input_error(
            path, f"cannot read the file: {reason}; check the path and its permissions"
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        text = data.decode("utf-8", "replace")
        bad = data[exc.start : exc.start + 1].hex()
        return text, _input_error(
            path,
            f"the file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8",
            line=line,
            col=col,
            kind="parse",
        )


def _check_files(
    paths: tuple[str, ...],
    *,
    timeout: float | None,
    jobs: int | None,
    cold: bool,
    cache: bool,
    lean_project: str | None,
    allow_includes: bool = False,
) -> list[FileOutcome]:
    backends: dict[str, Backend] = {}
    missing: dict[str, ToolchainMissing] = {}
    prepared = [_prepare(path) for path in paths]

    def run(item: tuple[str, str, str | None, CheckResult | None]) -> FileOutcome:
        path, text, name, problem = item
        if problem is not None:
            return FileOutcome(path, text, problem, exit_code_for(problem))
        assert name is not None
        if name in missing:
            exc = missing[name]
        else:
            try:
                return FileOutcome(path, text, *_one(backends[name], text, path, timeout))
            except ToolchainMissing as err:
                missing[name] = exc = err
        return FileOutcome(path, text, _missing_toolchain(exc, path, name), EXIT_TOOLCHAIN)

    for _, _, name, problem in prepared:
        if problem is None and name is not None and name not in backends:
            backends[name] = get_backend(
                name,
                cache=cache,
                cold=cold,
                jobs=jobs,
                lean_project=lean_project,
                allow_includes=allow_includes,
            )
    try:
        workers = max(1, min(len(prepared), jobs or 2))
        with ThreadPoolExecutor(max_workers=workers) as ex:
            return list(ex.map(run, prepared))
    finally:
        for b in backends.values():
            with contextlib.suppress(Exception):
                b.close()


def _prepare(path: str) -> tuple[str, str, str | None, CheckResult | None]:
    """A file's path, text, backend name, and the problem that stops it from being checked."""
    text, problem = read_source(path)
    name = None
    if problem is None:
        try:
            name = backend_name_for_path(path)
        except ProofrouteError as exc:
            problem = _input_error(
                path, f"{exc.message}; {exc.hint}" if exc.hint else exc.message
            )
    return path, text, name, problem


def _missing_toolchain(exc: ToolchainMissing, path: str, name: str) -> CheckResult:
    return CheckResult(
        verdict=Verdict.UNKNOWN,
        diagnostics=(
            Diagnostic(
                kind="toolchain",
                message=f"{exc.message}; {exc.hint or ''}".strip("; "),
                file=path,
            ),
        ),
        toolchain=name,
    )


def _one(backend: Backend, text: str, path: str, timeout: float | None) -> tuple[CheckResult, int]:
    # each backend knows how long its toolchain needs (a cold Lean takes far longer)
    options = {} if timeout is None else {"timeout": timeout}
    result = backend.check(text, filename=path, **options)
    return result, exit_code_for(result)


@click.command("verify")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON array, one CheckResult per file."
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Seconds per check (default: the backend's, 60 for Dafny, 300 for Lean).",
)
@click.option(
    "--jobs", type=int, default=None, help="Parallel checks (warm servers); default: cores."
)
@click.option("--cold", is_flag=True, help="Run the verifier's CLI per file (no warm servers).")
@click.option(
    "--no-cache", "no_cache", is_flag=True, help="Ignore and do not fill the result cache."
)
@click.option(
    "--lean-project",
    type=click.Path(file_okay=False),
    default=None,
    help="Lake project to check .lean files in.",
)
@click.option(
    "--allow-includes",
    is_flag=True,
    help="Follow Dafny `include`s inside the main file's folder tree: each included file is "
    "audited and verified with the main file (default: a file with includes is UNKNOWN).",
)
def command(
    files: tuple[str, ...],
    as_json: bool,
    timeout: float | None,
    jobs: int | None,
    cold: bool,
    no_cache: bool,
    lean_project: str | None,
    allow_includes: bool,
) -> None:
    """Verify FILE... with the real toolchain of each (Dafny for .dfy, Lean for .lean).

    Exit status: 0 all verified, 1 some refuted, 2 some unknown (timeout, crash,
    cheating construct, nothing proved), 3 bad input (parse/type error, unreadable or
    non-UTF-8 file), 4 toolchain missing.
    """
    outcomes = _check_files(
        files,
        timeout=timeout,
        jobs=jobs,
        cold=cold,
        cache=not no_cache,
        lean_project=lean_project,
        allow_includes=allow_includes,
    )
    code = max((o.exit_code for o in outcomes), default=EXIT_VERIFIED)
    if as_json:  # one object, as every --json (README): the results in the order given
        results = [to_jsonable(o.result) for o in outcomes]
        sys.stdout.write(json.dumps({"ok": code == EXIT_VERIFIED, "exit_code": code, "results": results},
                                    indent=2) + "\n")
    else:
        color = sys.stdout.isatty()
        blocks = []
        for o in outcomes:
            if o.exit_code == EXIT_TOOLCHAIN:
                lines = [
                    line
                    for d in o.result.diagnostics
                    for line in render_diagnostic(d, o.text.splitlines(), o.path, color=color)
                ]
                blocks.append("\n".join(lines))
            else:
                blocks.append(render_check(o.result, o.text, o.path, color=color))
        click.echo("\n".join(blocks))
    sys.exit(code)
