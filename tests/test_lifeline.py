"""The lifeline ends a long-lived toolchain process whose owner dies without closing it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from verifier import lifeline

OWNER = """
import subprocess, sys, time
proc = subprocess.Popen(sys.argv[1:], start_new_session=True)
print(proc.pid, flush=True)
time.sleep(600)
"""


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":  # exited, waiting for its (new) parent to reap it
            return True
        time.sleep(0.1)
    return False


def test_the_process_dies_with_its_owner() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER, *lifeline.command(["sleep", "600"])],
                             stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    keeper = int(owner.stdout.readline())
    deadline = time.monotonic() + 30
    while not (kept := _children(keeper)):
        assert time.monotonic() < deadline, "the lifeline did not start its command"
        time.sleep(0.05)
    owner.kill()  # SIGKILL: nothing of the owner's runs any more
    owner.wait()
    assert _gone(kept[0], within=10), "the command outlived its owner"
    assert _gone(keeper, within=10)


def test_exit_codes_and_signals_pass_through() -> None:
    assert subprocess.run(lifeline.command(["sh", "-c", "exit 3"])).returncode == 3
    keeper = subprocess.Popen(lifeline.command(["sleep", "600"]))
    time.sleep(1.0)
    os.kill(keeper.pid, signal.SIGTERM)  # forwarded: sleep ends by it
    assert keeper.wait(timeout=10) == 128 + signal.SIGTERM


def test_the_process_dies_with_its_keeper() -> None:
    """Ray's raylet SIGKILLs a dead worker's children (the keeper), not their children."""
    keeper = subprocess.Popen(lifeline.command(["sleep", "600"]))
    deadline = time.monotonic() + 30
    while not (kept := _children(keeper.pid)):
        assert time.monotonic() < deadline, "the lifeline did not start its command"
        time.sleep(0.05)
    keeper.kill()
    keeper.wait()
    assert _gone(kept[0], within=10), "the command outlived its keeper"
