"""The jail's own parts: private uids and the teardown sweeps, each on its own."""

from __future__ import annotations

import random
import subprocess
import time

import pytest

from verifier.sandbox import Limits, host_support
from verifier.sandbox.containment import Jail, pids_of_uid

LIMITS = Limits(wall_seconds=10, cpu_seconds=10, processes=8)

root_only = pytest.mark.skipif(not host_support().is_root,
                               reason="private uids need root")


@root_only
def test_uids_stay_private_when_the_random_module_is_seeded() -> None:
    # Hypothesis seeds `random` (to 0) while it draws inputs, on any thread; jails made
    # meanwhile once all got the same uid.
    jails = []
    try:
        for _ in range(3):
            random.seed(0)
            jails.append(Jail(LIMITS, isolate_network=False, use_cgroup=False))
        assert len({j.uid for j in jails}) == 3
    finally:
        for j in jails:
            j.close()


@root_only
def test_the_uid_sweep_alone_kills_what_the_child_left() -> None:
    # No cgroup: only the sweep by uid can find a process that left the process group.
    with Jail(LIMITS, isolate_network=False, use_cgroup=False) as jail:
        assert jail.uid is not None
        proc = subprocess.Popen(["sleep", "60"], user=jail.uid, group=jail.uid,
                                extra_groups=[], start_new_session=True, cwd="/")
        try:
            deadline = time.monotonic() + 5
            while not pids_of_uid(jail.uid) and time.monotonic() < deadline:
                time.sleep(0.01)
            started = time.monotonic()
            jail.kill_all()
            assert time.monotonic() - started < 0.9  # not the 1 s give-up path
            assert proc.wait(timeout=5) == -9
            assert pids_of_uid(jail.uid) == []
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
