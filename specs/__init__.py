"""The spec language: one TOML spec drives the Dafny contract, the Lean statement, the
Python predicates and the z3 checks. See docs/spec-format.md for the format.

Names are re-exported lazily: translators import `verifier.specs.model`, and the checks
import the translators, so an eager import here would be circular.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CheckOptions": "verifier.specs.check",
    "Finding": "verifier.specs.check",
    "check_paths": "verifier.specs.check",
    "check_spec": "verifier.specs.check",
    "load_spec": "verifier.specs.loader",
    "load_spec_all": "verifier.specs.loader",
    "load_spec_text": "verifier.specs.loader",
    "Clause": "verifier.specs.model",
    "Example": "verifier.specs.model",
    "Helper": "verifier.specs.model",
    "Param": "verifier.specs.model",
    "Spec": "verifier.specs.model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'verifier.specs' has no attribute {name!r}")
