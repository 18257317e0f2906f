"""Everything that runs untrusted or heavy external code goes through here.

`limits` holds the process-level mechanism (rlimits, wall clock, scrubbed environment,
capped output); `containment` the OS jail around one child (scratch dir, private uid,
network namespace, pids cgroup); `runner` calls untrusted Python functions in a jailed
child that also carries an audit hook (`audit`, `worker`); `pool` keeps jailed children booted ahead
(warm spares) so a new worker need not wait for one; `untrusted` runs any other
program in the same jail; `values` is the tagged JSON both sides speak. See
docs/sandbox.md.
"""

from verifier.sandbox.containment import SandboxReport, host_support
from verifier.sandbox.limits import (
    UNTRUSTED_DEFAULTS,
    CompletedRun,
    Limits,
    run_limited,
    scrubbed_env,
)
from verifier.sandbox.pool import SandboxPool, shared_pool
from verifier.sandbox.runner import (
    CallBatch,
    CallError,
    CallOutcome,
    CallStatus,
    PythonWorker,
    run_python_calls,
)
from verifier.sandbox.untrusted import run_untrusted
from verifier.sandbox.values import decode, encode

__all__ = [
    "UNTRUSTED_DEFAULTS",
    "CallBatch",
    "CallError",
    "CallOutcome",
    "CallStatus",
    "CompletedRun",
    "Limits",
    "PythonWorker",
    "SandboxPool",
    "SandboxReport",
    "decode",
    "encode",
    "host_support",
    "run_limited",
    "run_python_calls",
    "run_untrusted",
    "scrubbed_env",
    "shared_pool",
]
