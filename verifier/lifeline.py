"""`python -m verifier.lifeline CMD…`: run CMD, and end it when whoever started us dies.

A toolchain process that must outlive a single call (a warm Lean session) runs in a
session of its own, so a Ctrl-C or a job's cancellation can kill its whole group. But
when the proofroute process that owns it dies without closing it — SIGKILL, a Ray worker
killed for memory, a crash — nothing would end it, and a Lean session holds gigabytes.
Linux's parent-death signal is tied to the *thread* that forked (sessions are started
from worker threads that come and go), so instead this small keeper watches its own
parent and kills CMD once the parent is gone; and CMD gets the parent-death signal of
this single-threaded keeper, so when the keeper itself is killed (Ray's raylet kills a
dead worker's children, not their children) CMD goes with it. It shares CMD's process
group: killing the group still ends both.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

POLL_SECONDS = 0.5
PR_SET_PDEATHSIG = 1


def _die_with_keeper() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGKILL the child when this process dies."""
    name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or name is None:
        return None
    prctl = ctypes.CDLL(name, use_errno=True).prctl  # loaded before the fork

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    return hook


def keep(argv: list[str]) -> int:
    parent = os.getppid()
    child = subprocess.Popen(argv, preexec_fn=_die_with_keeper())  # single-threaded: pre-exec is safe

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    while child.poll() is None:
        if os.getppid() != parent:  # re-parented: the owner is gone
            child.kill()
            child.wait()
            return 128 + signal.SIGKILL
        time.sleep(POLL_SECONDS)
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


def command(argv: list[str]) -> list[str]:
    """`argv` run under a lifeline by this interpreter."""
    return [sys.executable, "-m", "verifier.lifeline", *argv]


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m verifier.lifeline CMD [ARG…]")
    sys.exit(keep(sys.argv[1:]))
