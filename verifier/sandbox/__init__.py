"""Everything that runs untrusted or heavy external code goes through here.

`limits` holds the process-level mechanism (rlimits, wall clock, scrubbed environment,
scratch directory); higher layers (running model-written Python, toolchain checks) build
on `run_limited`.
"""

from verifier.sandbox.limits import CompletedRun, Limits, run_limited, scrubbed_env

__all__ = ["CompletedRun", "Limits", "run_limited", "scrubbed_env"]
