"""Small helpers the commands share for printing: JSON, TTY detection, rich console."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from verifier.results import to_jsonable


def is_tty() -> bool:
    return sys.stdout.isatty()


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def echo_json(value: Any) -> None:
    """Print one JSON document (dataclasses and enums converted) to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, sort_keys=False) + "\n")
