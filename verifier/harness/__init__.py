"""Property-based testing of any Python function against a spec (`proofroute test`).

Strategies come from the spec's types with `requires` built in where its shape allows;
the function runs in the sandbox; failures are shrunk by Hypothesis and reported like
compiler errors; `emit_pytest` writes the same properties as a standalone test module.
See docs/harness.md.

The names below are imported on first use: a user's module decorated with
`@verifier.spec`/`@verifier.contract` imports `verifier.harness.contracts`, and runs in
the sandbox, which refuses what the runner needs (subprocess, for one); importing this
package must therefore cost nothing but the package itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what type checkers see; at run time `__getattr__` loads these
    from verifier.harness.emit import emit_pytest
    from verifier.harness.errors import HarnessInputError
    from verifier.harness.report import Failure, HarnessReport
    from verifier.harness.runner import DEFAULT_LIMITS, Progress, run_properties
    from verifier.harness.strategies import (
        FilterStats,
        InputPlan,
        StrategyOptions,
        input_plan,
        inputs_strategy,
    )

_EXPORTS = {
    "emit_pytest": "emit",
    "HarnessInputError": "errors",
    "Failure": "report",
    "HarnessReport": "report",
    "DEFAULT_LIMITS": "runner",
    "Progress": "runner",
    "run_properties": "runner",
    "FilterStats": "strategies",
    "InputPlan": "strategies",
    "StrategyOptions": "strategies",
    "input_plan": "strategies",
    "inputs_strategy": "strategies",
}


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"verifier.harness.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'verifier.harness' has no attribute {name!r}")


__all__ = [
    "DEFAULT_LIMITS",
    "Failure",
    "FilterStats",
    "HarnessInputError",
    "HarnessReport",
    "InputPlan",
    "Progress",
    "StrategyOptions",
    "emit_pytest",
    "input_plan",
    "inputs_strategy",
    "run_properties",
]
