"""Run a non-Python untrusted program (node, a compiled binary) under the same jail.

There is no audit hook outside Python, so the guards here are the OS ones only: private
uid, network namespace, pids cgroup, rlimits, scratch cwd/HOME, scrubbed environment,
wall clock. `CompletedRun.report` says which of them this machine allowed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from verifier.sandbox.containment import Jail
from verifier.sandbox.errors import ScratchPathError
from verifier.sandbox.lend import Lend
from verifier.sandbox.limits import CompletedRun, Limits, run_limited


def run_untrusted(
    argv: Sequence[str],
    *,
    limits: Limits,
    files: Mapping[str, bytes] | None = None,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    drop_privileges: bool = True,
    collect: Sequence[str] = (),
    answered: str | None = None,
    lend: Lend | None = None,
) -> CompletedRun:
    """Run argv in a fresh scratch dir holding `files` (relative path -> content).

    The scratch dir, and every process the program left behind, are gone on return.
    The program must be runnable by an unprivileged uid when we are root (a binary under
    ``/root`` is not unless lent; ``/usr/bin/node`` is); `drop_privileges=False` keeps the
    parent's uid for such a program (the report then shows ``uid=None``). `env` adds variables to
    the scrubbed set. `collect` names files of the scratch dir to hand back (in
    `CompletedRun.files`, each capped at `limits.output_bytes`, missing ones left out)
    before the dir is removed: a program that answers in a file rather than on stdout.
    `answered` names the file whose appearance means the program has answered (it must
    write it whole, e.g. by rename): the program is stopped then, not waited for.
    `lend` makes folders readable to the private uid (a toolchain under ``/root``), as
    for Python children (lend.py).
    """
    with Jail(limits, drop_privileges=drop_privileges, lend=lend) as jail:
        for name, content in (files or {}).items():
            target = _inside(jail.scratch, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            if jail.uid is not None:
                os.chown(target, jail.uid, jail.uid)
                for parent in target.relative_to(jail.scratch).parents:
                    if str(parent) != ".":
                        os.chown(jail.scratch / parent, jail.uid, jail.uid)
        done = None if answered is None else _inside(jail.scratch, answered)
        run = run_limited(argv, limits=limits, cwd=jail.scratch, env=jail.env(env),
                          stdin=stdin, preexec=jail.preexec, after_exit=jail.kill_all,
                          answered=None if done is None else done.exists)
        collected = tuple((name, data) for name in collect
                          if (data := _read_capped(_inside(jail.scratch, name), limits.output_bytes)) is not None)  # fmt: skip
        return replace(run, report=jail.report(), files=collected)


def _read_capped(path: Path, cap: int) -> bytes | None:
    """A regular file's first `cap` bytes (never follows a link the program left there)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read(cap)


def _inside(root: Path, name: str) -> Path:
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ScratchPathError(name)
    return root.joinpath(*rel.parts)
