"""Lean 4 backend: checks proofs with the real Lean (native, Lake/Mathlib, or WebAssembly).

`backend(**options)` is what the backend registry calls; `LeanBackend.check` verifies one
file, `check_task` checks a model's answer to an FVAPPS-style task (statements kept,
units passing). See docs/lean.md for toolchains and what the verdicts mean.
"""

from __future__ import annotations

from typing import Any

from verifier.backends.lean.checker import LeanBackend

__all__ = ["LeanBackend", "backend"]


def backend(
    *,
    cache: bool = True,
    cold: bool = False,
    jobs: int | None = None,
    lean_project: str | None = None,
    **_ignored: Any,
) -> LeanBackend:
    return LeanBackend(cache=cache, cold=cold, jobs=jobs, lean_project=lean_project)
