"""Everything that runs untrusted or heavy external code goes through here.

Layers, each using only the public names of those below it (docs/sandbox.md):

- `report` — `SandboxReport`, what containment was really in force;
- `limits` — the process-level mechanism (rlimits, wall clock, scrubbed environment,
  capped output);
- `lend` — the user's project and environment, lent read-only to a child;
- `containment` — the OS jail around one child (scratch dir, private uid, network
  namespace, pids cgroup);
- `child` — one jailed Python child and the typed messages to it (`protocol`, spoken by
  `worker` inside the child, which also installs the audit hook of `audit`);
- `pool` — children jailed and booted ahead (warm spares), lent one per worker;
- `runner` — calls untrusted Python functions in a child, from a pool or its own;
- `untrusted` — any other program, in the same jail (beside `runner`, on `containment`).

`values` is the tagged JSON of arguments and results; `errors` what the sandbox raises.
"""

from verifier.sandbox.containment import host_support
from verifier.sandbox.errors import ChildStartFailed, ScratchPathError
from verifier.sandbox.lend import Lend, environment_lend
from verifier.sandbox.limits import (
    UNTRUSTED_DEFAULTS,
    CompletedRun,
    Limits,
    run_limited,
    scrubbed_env,
)
from verifier.sandbox.pool import SandboxPool, shared_pool
from verifier.sandbox.report import SandboxReport
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
    "ChildStartFailed",
    "CompletedRun",
    "Lend",
    "Limits",
    "PythonWorker",
    "SandboxPool",
    "SandboxReport",
    "ScratchPathError",
    "decode",
    "encode",
    "environment_lend",
    "host_support",
    "run_limited",
    "run_python_calls",
    "run_untrusted",
    "scrubbed_env",
    "shared_pool",
]
