"""OS-level confinement of one untrusted child: what the kernel lets us do, and doing it.

The strongest guards are the ones the kernel enforces, so they come first:

- a **private unprivileged uid** (when we are root): a fresh random uid per child, so the
  child cannot read ``/root`` or write the project, and ``RLIMIT_NPROC`` (which root
  ignores, and which counts *all* processes of a uid) binds exactly this child's tree;
  when the child is done, every process of that uid is killed — nothing escapes by
  ``setsid`` or double fork;
- a **pids cgroup** when the cgroup tree is writable: a second, uid-independent cap on the
  process count (it counts threads too) and a list of every process to kill;
- a **network namespace** (``unshare(CLONE_NEWNET)``, or with ``CLONE_NEWUSER`` when not
  root): the child sees only a downed loopback, so no connection leaves, not even to
  127.0.0.1;
- rlimits, a fresh scratch directory as cwd and HOME, a scrubbed environment (limits.py).

What the OS refuses is probed once per parent process and reported in `SandboxReport`;
the Python audit hook (audit.py) runs in every Python child on top of this.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from verifier.sandbox.lend import Lend, MountPlan, plan_mounts, restrict
from verifier.sandbox.limits import Limits, apply_rlimits, scrubbed_env
from verifier.sandbox.report import SandboxReport

log = logging.getLogger(__name__)

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNS = 0x00020000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV = 1, 2, 4
_MS_REMOUNT, _MS_BIND, _MS_MOVE, _MS_REC, _MS_PRIVATE = 32, 4096, 8192, 16384, 1 << 18
_UID_RANGE = (1_900_000_000, 2_100_000_000)  # far above any real account
_PIDS_CGROUP_ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup/unified"))


@dataclass(frozen=True)
class HostSupport:
    """What this machine allowed when probed (once per parent process)."""

    is_root: bool
    netns: bool
    netns_flags: int
    mountns: bool  # a private mount namespace (as root): lent folders can be mounted
    pids_cgroup_root: Path | None
    notes: tuple[str, ...] = ()


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def unshare(flags: int) -> None:
    """`unshare(2)` for the calling process (a fork child, in `Jail.preexec`)."""
    if _libc().unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare({flags:#x}): {os.strerror(err)}")


@functools.cache
def _mount_fn() -> Callable[..., int]:
    """`mount(2)`, resolved in the parent (see `host_support` on why not in the child)."""
    fn = _libc().mount
    fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return fn  # type: ignore[no-any-return]


def _mount(source: bytes | None, target: bytes, fstype: bytes | None, flags: int,
           data: bytes | None = None) -> None:
    if _mount_fn()(source, target, fstype, flags, data) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target!r}: {os.strerror(err)}")


def lend_mounts(plan: MountPlan) -> None:
    """Runs in the fork child, as root, in a fresh mount namespace: lend each planned
    root read-only at its own path (lend.py explains the staging and the tmpfs covers).
    Syscalls only, on bytes computed in the parent."""
    unshare(_CLONE_NEWNS)
    _mount(None, b"/", None, _MS_REC | _MS_PRIVATE)  # nothing we mount leaks to the host
    for root, stage in plan.staged:
        _mount(root, stage, None, _MS_BIND | _MS_REC)
        _mount(None, stage, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | _MS_NODEV)
    for cover in plan.covers:
        _mount(b"tmpfs", cover, b"tmpfs", _MS_NOSUID | _MS_NODEV, b"mode=755,size=64k")
    for folder in plan.folders:
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o755)
    for root, stage in plan.staged:
        _mount(stage, root, None, _MS_MOVE)


@functools.cache
def host_support() -> HostSupport:
    """Probe with real throwaway children what the kernel permits; cached."""
    notes: list[str] = []
    is_root = os.geteuid() == 0
    flags = _CLONE_NEWNET if is_root else _CLONE_NEWUSER | _CLONE_NEWNET
    # Resolve `unshare` here, in the parent: resolving it in a fork child (dlsym) takes
    # the dynamic loader's lock, which another thread of ours (the pool's starter, an
    # import) may have held at the moment of the fork — the child would hang forever.
    _ = _libc().unshare
    netns = _probe(lambda: unshare(flags))
    _ = _mount_fn()
    mountns = is_root and _probe(lambda: unshare(_CLONE_NEWNS))
    if is_root and not mountns:
        notes.append("mount namespaces refused: folders closed to the private uid cannot be lent")
    if not netns:
        notes.append("network namespaces refused: sockets are refused by the audit hook only")
    cg_root = _writable_pids_cgroup() if is_root else None
    if cg_root is None:
        notes.append("no writable pids cgroup")
    if not is_root:
        notes.append("not root: no private uid; RLIMIT_NPROC counts all of this user's processes")
    return HostSupport(is_root, netns, flags, mountns, cg_root, tuple(notes))


def _probe(preexec: Callable[[], None]) -> bool:
    true = shutil.which("true") or "/bin/true"
    try:
        done = subprocess.run([true], preexec_fn=preexec, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _writable_pids_cgroup() -> Path | None:
    for root in _PIDS_CGROUP_ROOTS:
        if not (root / "cgroup.procs").exists():
            continue
        if root.name == "unified" and "pids" not in _read(root / "cgroup.controllers"):
            continue
        probe = root / f"proofroute-probe-{os.getpid()}"
        try:
            probe.mkdir()
            ok = (probe / "pids.max").exists()
            probe.rmdir()
        except OSError:
            continue
        if ok:
            return root
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


_PROBE_UID = 65534  # nobody: stands for any unprivileged uid (only "other" bits apply)


@functools.cache
def python_for_unprivileged() -> str | None:
    """A Python of our minor version that an unprivileged uid can run.

    The parent's own interpreter may live where such a uid cannot reach it (a pyenv under
    ``/root``); then a system Python of the same minor version stands in. None: nothing
    usable, and the caller keeps the parent's uid (reported)."""
    uid = _PROBE_UID
    want = f"{sys.version_info[0]}.{sys.version_info[1]}"
    seen: list[str] = []
    for cand in (sys.executable, shutil.which(f"python{want}"), f"/usr/bin/python{want}",
                 f"/usr/local/bin/python{want}"):
        if not cand or cand in seen or not os.path.exists(cand):
            continue
        seen.append(cand)
        try:
            out = subprocess.run(
                [cand, "-I", "-c", "import sys;print('%d.%d' % sys.version_info[:2])"],
                user=uid, group=uid, extra_groups=[], cwd="/", env={"PATH": "/usr/bin:/bin"},
                capture_output=True, timeout=20, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if out.returncode == 0 and out.stdout.decode().strip() == want:
            return cand
    return None


class Jail:
    """The OS side of one confined child: scratch dir, private uid, cgroup, netns.

    Create it, spawn the child with `preexec` (between fork and exec), and `close()` it
    (kills every process the child left, removes the scratch dir). A context manager.
    """

    def __init__(
        self,
        limits: Limits,
        *,
        isolate_network: bool = True,
        drop_privileges: bool = True,
        use_cgroup: bool = True,
        lend: Lend | None = None,
    ) -> None:
        self.limits = limits
        self.support = host_support()
        self.notes: list[str] = list(self.support.notes)
        self.uid: int | None = None
        if drop_privileges and self.support.is_root:
            self.uid = _claim_uid()
        self.netns = isolate_network and self.support.netns
        self.scratch = Path(tempfile.mkdtemp(prefix="proofroute-sbx-"))
        self.home = self.scratch  # HOME points into scratch
        if self.uid is not None:
            os.chown(self.scratch, self.uid, self.uid)
        self.lend, refused = restrict(lend or Lend(), self.scratch)
        self.notes.extend(refused)
        self.mounts: MountPlan | None = None
        if self.lend and self.uid is not None and self.support.mountns:
            self.mounts = plan_mounts(self.lend, self.scratch)
        self.cgroup: Path | None = None
        if use_cgroup and self.support.pids_cgroup_root is not None:
            self.cgroup = self._make_cgroup(self.support.pids_cgroup_root)
        self.process_limit = self._process_limit()
        # Computed here, not in `preexec`: the fork child may only make syscalls. Python
        # code that takes locks or allocates paths there can deadlock when the parent has
        # threads (the pool's background starter, the output readers).
        self._cgroup_procs = os.fsencode(self.cgroup / "cgroup.procs") if self.cgroup else None
        self._closed = False

    # -- setup -----------------------------------------------------------------------
    def _make_cgroup(self, root: Path) -> Path | None:
        path = root / f"proofroute-{os.getpid()}-{secrets.token_hex(6)}"
        try:
            path.mkdir()
            if self.limits.processes is not None:
                (path / "pids.max").write_text(str(self.limits.processes))
        except OSError as exc:
            self.notes.append(f"pids cgroup not usable: {exc}")
            with contextlib.suppress(OSError):
                path.rmdir()
            return None
        return path

    def _process_limit(self) -> int | None:
        want = self.limits.processes
        if want is None or self.uid is not None:
            return want
        if self.support.is_root:
            self.notes.append("RLIMIT_NPROC is not enforced for root")
            return want
        # Same uid as the parent: the count includes every process this user has.
        return want + len(pids_of_uid(os.getuid()))

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        base = {"HOME": str(self.home), "TMPDIR": str(self.scratch), "PYTHONNOUSERSITE": "1"}
        base.update(extra or {})
        return scrubbed_env(base)

    def preexec(self) -> None:
        """Runs in the child between fork and exec; order matters (root needed first)."""
        os.setsid()
        if self._cgroup_procs is not None:
            fd = os.open(self._cgroup_procs, os.O_WRONLY)
            try:
                os.write(fd, b"0")  # "0": the writing process itself
            finally:
                os.close(fd)
        apply_rlimits(self.limits, processes=self.process_limit)
        if self.netns:
            unshare(self.support.netns_flags)
        if self.mounts is not None:
            lend_mounts(self.mounts)
        os.umask(0o077)
        if self.uid is not None:
            os.setgroups([])
            os.setgid(self.uid)
            os.setuid(self.uid)

    def report(self, *, audit_hook: bool = False, interpreter: str | None = None) -> SandboxReport:
        lim = self.limits
        rl = {
            name: value
            for name, value in (
                ("cpu_seconds", lim.cpu_seconds),
                ("memory_bytes", lim.memory_bytes),
                ("file_size_bytes", lim.file_size_bytes),
                ("processes", self.process_limit),
                ("open_files", lim.open_files),
            )
            if value is not None
        }
        return SandboxReport(
            scratch=str(self.scratch),
            uid=self.uid,
            network_isolated=self.netns,
            pids_cgroup=self.cgroup is not None,
            process_limit=self.process_limit,
            audit_hook=audit_hook,
            interpreter=interpreter,
            rlimits=rl,
            notes=tuple(self.notes),
        )

    # -- teardown --------------------------------------------------------------------
    def kill_now(self) -> None:
        """One immediate SIGKILL pass over the cgroup (no helper process, no waiting).

        The cgroup holds every descendant, including those that left the process group,
        so a released child stops running at once; `close()` later repeats the full
        `kill_all` (uid sweep included) before anything is removed."""
        if self.cgroup is None:
            return
        for pid in _read(self.cgroup / "cgroup.procs").split():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)

    def kill_all(self) -> bool:
        """Kill every process the child left behind, by uid and by cgroup; False when some
        survived the sweep (reported)."""
        for _ in range(50):
            left = False
            if self.cgroup is not None:
                pids = [int(p) for p in _read(self.cgroup / "cgroup.procs").split()]
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                left = left or any(_alive(p) for p in pids)
            if self.uid is not None:
                _kill_uid(self.uid)
                left = left or bool(pids_of_uid(self.uid))
            if not left:
                return True
            time.sleep(0.02)
        pids = sorted({*(pids_of_uid(self.uid) if self.uid is not None else ()),
                       *(int(p) for p in _read(self.cgroup / "cgroup.procs").split()
                         if self.cgroup is not None)})
        def state(pid: int) -> str:
            return _read(Path(f"/proc/{pid}/stat")).rpartition(")")[2][:2].strip() or "gone"

        states = ", ".join(f"{pid} ({state(pid)})" for pid in pids)
        log.warning("sandbox processes survived kill_all (uid=%s): %s", self.uid,
                    states or "none left now")
        return False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        all_gone = self.kill_all()
        if self.cgroup is not None:
            for _ in range(50):
                try:
                    self.cgroup.rmdir()
                    break
                except OSError:
                    time.sleep(0.02)
        _remove_tree(self.scratch)
        if self.uid is not None:
            _remove_leftovers(self.uid)
            if all_gone:  # a survivor keeps its uid out of reuse
                _release_uid(self.uid)

    def __enter__(self) -> Jail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_UIDS_IN_USE: set[int] = set()
_UIDS_LOCK = threading.Lock()


def _claim_uid() -> int:
    """A uid no other jail of this process holds (other processes collide with odds of
    one in 2e8).

    Drawn from the OS's randomness, never the `random` module: Hypothesis seeds that
    one (to 0) while it draws inputs, on whatever thread, and two jails with one uid
    could signal each other and read each other's scratch dirs — and tearing one down
    killed the other."""
    with _UIDS_LOCK:
        while True:
            uid = _UID_RANGE[0] + secrets.randbelow(_UID_RANGE[1] - _UID_RANGE[0])
            if uid not in _UIDS_IN_USE:
                _UIDS_IN_USE.add(uid)
                return uid


def _release_uid(uid: int) -> None:
    with _UIDS_LOCK:
        _UIDS_IN_USE.discard(uid)


def _kill_uid(uid: int) -> None:
    """kill(-1) from a helper running as `uid` signals exactly that uid's processes."""
    if not pids_of_uid(uid):
        return
    kill = shutil.which("kill") or "/bin/kill"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [kill, "-9", "--", "-1"],  # the one spelling procps and util-linux both take
            user=uid, group=uid, extra_groups=[], cwd="/", env={"PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10, check=False,
        )


def pids_of_uid(uid: int) -> list[int]:
    """Live (non-zombie) processes owned by `uid`, from /proc (what a jail must kill)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            if _read(Path(f"/proc/{entry}/stat")).rpartition(")")[2].split()[:1] == ["Z"]:
                continue
        except OSError:
            continue
        found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    stat = _read(Path(f"/proc/{pid}/stat"))
    return bool(stat) and stat.rpartition(")")[2].split()[:1] != ["Z"]


_SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")


def _remove_leftovers(uid: int) -> None:
    """The private uid can still create files in world-writable dirs when the audit hook
    is absent or bypassed; the uid is unique, so whatever it owns there is its litter."""
    for shared in _SHARED_WRITABLE:
        try:
            entries = list(os.scandir(shared))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    _remove_tree(Path(entry.path))
                else:
                    os.unlink(entry.path)
            except OSError:
                continue


def _remove_tree(path: Path) -> None:
    root = os.path.abspath(path)

    def fix(func, p, _exc):  # type: ignore[no-untyped-def]
        # Untrusted code may chmod its own files to 000; make them removable again.
        # Only inside the tree: when the root itself fails (already removed, say), its
        # parent is a shared dir such as /tmp, and a chmod there breaks the machine.
        p_abs = os.path.abspath(p)
        if p_abs != root and not p_abs.startswith(root + os.sep):
            return
        with contextlib.suppress(OSError):
            if p_abs != root:
                os.chmod(os.path.dirname(p_abs), 0o700)
            os.chmod(p_abs, 0o700)
        with contextlib.suppress(OSError):
            func(p)

    shutil.rmtree(path, onerror=fix)
