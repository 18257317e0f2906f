"""proofroute: language models write proved-correct code and hand it over as plain Python.

The public surface is re-exported here (`__all__`), for the three kinds of users:
verified code generation (`generate`, `Artifact`, `recheck`), checking programs
(`verify`), and specs with property tests (`load_spec`, `check_spec`,
`run_properties`); the result types and the errors. Everything else is internal.
"""

import importlib

from verifier.errors import (
    BudgetExhausted,
    LLMError,
    PathEscape,
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


# The pipeline's entry points are imported on first use: they pull in the parser, the
# sandbox and the backends, which `import verifier` alone should not pay for.
_LAZY = {
    "generate": "verifier.api",
    "verify": "verifier.api",
    "Artifact": "verifier.artifact",
    "Certificate": "verifier.artifact",
    "RecheckReport": "verifier.artifact",
    "recheck": "verifier.recheck",
    "load_spec": "verifier.specs.loader",
    "check_spec": "verifier.specs.check",
    "run_properties": "verifier.harness",
    "spec": "verifier.harness.contracts",  # @verifier.spec, @verifier.contract (pytest plugin)
    "contract": "verifier.harness.contracts",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'verifier' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Artifact",
    "BudgetExhausted",
    "Certificate",
    "CheckResult",
    "Counterexample",
    "Diagnostic",
    "LLMError",
    "Obligation",
    "PathEscape",
    "ProofrouteError",
    "RecheckReport",
    "SandboxViolation",
    "Severity",
    "SpecError",
    "ToolchainInfo",
    "ToolchainMissing",
    "Verdict",
    "VerifierCrashed",
    "__version__",
    "check_spec",
    "contract",
    "generate",
    "load_spec",
    "recheck",
    "run_properties",
    "spec",
    "verify",
]
