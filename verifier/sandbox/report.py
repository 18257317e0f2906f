"""What containment was really in force for one run: the record every layer reports.

The bottom of the sandbox's layers (report → limits → containment → child → pool →
runner; untrusted beside runner): `limits.CompletedRun` carries one, `containment.Jail`
fills it in, so it lives below both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SandboxReport:
    """Which containment mechanisms were really active for a run (for logs and audits)."""

    scratch: str
    uid: int | None  # the private uid the child ran as; None: the parent's own uid
    network_isolated: bool  # a network namespace was entered
    pids_cgroup: bool  # a pids cgroup capped and tracked the child's processes
    process_limit: int | None  # RLIMIT_NPROC / pids.max actually applied
    audit_hook: bool  # the Python audit hook ran in the child (Python runs only)
    interpreter: str | None = None  # the Python that ran the child (Python runs only)
    rlimits: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def mechanisms(self) -> tuple[str, ...]:
        found = ["rlimits", "wall-clock", "scratch-dir", "scrubbed-env"]
        if self.uid is not None:
            found.append(f"private-uid:{self.uid}")
        if self.network_isolated:
            found.append("netns")
        if self.pids_cgroup:
            found.append("pids-cgroup")
        if self.audit_hook:
            found.append("audit-hook")
        return tuple(found)
