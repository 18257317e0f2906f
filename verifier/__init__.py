"""proofroute: language models write proved-correct code and hand it over as plain Python.

The public surface is re-exported here; everything else is internal.
"""

from verifier.errors import (
    BudgetExhausted,
    LLMError,
    ProofrouteError,
    SandboxViolation,
    SpecError,
    ToolchainMissing,
    VerifierCrashed,
)
from verifier.results import (
    CheckResult,
    Counterexample,
    Diagnostic,
    Obligation,
    Severity,
    ToolchainInfo,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "BudgetExhausted",
    "CheckResult",
    "Counterexample",
    "Diagnostic",
    "LLMError",
    "Obligation",
    "ProofrouteError",
    "SandboxViolation",
    "Severity",
    "SpecError",
    "ToolchainInfo",
    "ToolchainMissing",
    "Verdict",
    "VerifierCrashed",
    "__version__",
]
