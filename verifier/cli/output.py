"""Small helpers the commands share for printing: JSON, TTY detection, rich console."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console

from verifier.errors import ProofrouteError, ServiceError, SpecError
from verifier.results import to_jsonable


def is_tty() -> bool:
    return sys.stdout.isatty()


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def echo_json(value: Any) -> None:
    """Print one JSON document (dataclasses and enums converted) to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, sort_keys=False) + "\n")


def wants_json(args: list[str]) -> bool:
    """Whether the command line asks for `--json` (before any `--`)."""
    head = args[: args.index("--")] if "--" in args else args
    return "--json" in head


def error_json(exc: ProofrouteError) -> dict[str, Any]:
    """An error as the one JSON object a `--json` command prints: what, where, how to fix."""
    error: dict[str, Any] = {"type": type(exc).__name__, "message": exc.message, "hint": exc.hint,
                             "exit_code": exc.exit_code}
    if isinstance(exc, SpecError):
        error["code"] = exc.code
        if exc.location is not None:
            error["location"] = {"file": exc.location.file, "line": exc.location.line, "col": exc.location.col}
    if isinstance(exc, ServiceError):
        error.update(code=exc.code, status=exc.status, body=exc.body or None)
    return {"ok": False, "error": error}


def usage_error_json(exc: click.ClickException) -> dict[str, Any]:
    return {"ok": False, "error": {"type": "UsageError", "message": exc.format_message(),
                                   "hint": "see --help", "exit_code": exc.exit_code}}
