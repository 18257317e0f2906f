"""Property-based testing of any Python function against a spec (`proofroute test`).

Strategies come from the spec's types with `requires` built in where its shape allows;
the function runs in the sandbox; failures are shrunk by Hypothesis and reported like
compiler errors; `emit_pytest` writes the same properties as a standalone test module.
See docs/harness.md.
"""

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
