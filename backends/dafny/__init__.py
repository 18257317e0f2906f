"""Dafny backend: sound, structured and fast verification with the real Dafny.

`backend(**options)` is what `verifier.backends.get_backend("dafny", ...)` calls. Options:
`cache` (on-disk result cache, default on), `cold` (always the CLI, no warm servers),
`jobs` (warm pool size, default the number of cores), `allow_includes` (follow
`include`s inside the main file's folder tree, audited and verified with it; default off:
a program that includes a file is UNKNOWN). Options meant for other backends
(e.g. `lean_project`) are accepted and ignored, so one option set serves every backend.
"""

from __future__ import annotations

from typing import Any

from verifier.backends.dafny.backend import DafnyBackend

__all__ = ["DafnyBackend", "backend"]


def backend(
    *,
    cache: bool = True,
    cold: bool = False,
    jobs: int | None = None,
    allow_includes: bool = False,
    **_ignored: Any,
) -> DafnyBackend:
    return DafnyBackend(cache=cache, cold=cold, jobs=jobs, allow_includes=allow_includes)
