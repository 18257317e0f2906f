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


def __getattr__(name: str) -> object:
    """`verifier.generate` is imported on first use: it pulls in the whole pipeline
    (parser, sandbox, Dafny backend), which `import verifier` alone should not pay for."""
    if name == "generate":
        from verifier.api import generate

        return generate
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")

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
    "generate",
]
