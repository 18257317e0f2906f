"""The audit hook installed in every sandboxed Python child before untrusted code runs.

Why a hook as well as the OS guards (containment.py): the OS guards are absent on some
machines (no root, no namespaces), and even where present they refuse silently — a
refused `connect` looks like a network fault. The hook names what was attempted, so the
caller gets a `SandboxViolation` saying "socket.connect to 127.0.0.1:80".

It is a second line, not the wall: CPython's audit hooks are documented as unsuitable
for sandboxing on their own (code can corrupt memory, or race a symlink between the
check and the open). That is why ctypes and other native-code loaders are refused here,
and why the uid/netns/rlimit guards stay on wherever the kernel allows them.

Standard library only: the child imports this as a top-level module.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

_PROCESS_EVENTS = {
    "os.system": "os.system",
    "subprocess.Popen": "subprocess",
    "os.exec": "os.exec",
    "os.posix_spawn": "os.posix_spawn",
    "os.spawn": "os.spawn",
    "os.fork": "fork",
    "os.forkpty": "forkpty",
    "os.kill": "os.kill",
    "os.killpg": "os.killpg",
    "os.startfile": "os.startfile",
}
_NETWORK_EVENTS = (
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyname_ex",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
)
# Events whose leading string arguments are paths the call modifies.
_PATH_WRITE_EVENTS = {
    "os.remove": 1,
    "os.rmdir": 1,
    "os.mkdir": 1,
    "os.rename": 2,
    "os.link": 2,
    "os.symlink": 2,
    "os.truncate": 1,
    "os.chmod": 1,
    "os.chown": 1,
    "os.utime": 1,
    "os.chflags": 1,
    "os.lchflags": 1,
    "os.setxattr": 1,
    "os.removexattr": 1,
    "shutil.rmtree": 1,
    "os.chroot": 1,
}
_PATH_READ_EVENTS = ("os.listdir", "os.scandir", "glob.glob", "os.listxattr", "os.getxattr")
_NATIVE_EVENTS = ("ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata",
                  "ctypes.call_function", "ctypes.seh_exception")
_BLOCKED_IMPORTS = frozenset({
    "ctypes", "_ctypes", "cffi", "_cffi_backend", "_posixsubprocess", "_xxsubinterpreters",
    "_testcapi", "_testinternalcapi", "_lsprof",
})
# Introspection that would let user code find and rewrite the worker's own objects.
_INTROSPECTION_EVENTS = ("gc.get_objects", "gc.get_referrers", "gc.get_referents",
                         "sys._current_frames", "sys.addaudithook")


class SandboxDenied(PermissionError):
    """Raised inside the child; a PermissionError so libraries treat it like EACCES."""

    def __init__(self, attempted: str) -> None:
        super().__init__(f"sandbox: {attempted} is not allowed")
        self.attempted = attempted


class SandboxImportDenied(ImportError):
    """A refused import: an ImportError, so a library that treats the module as optional
    (numpy and ``ctypes``) goes on as on a Python built without it; still recorded."""

    def __init__(self, attempted: str) -> None:
        super().__init__(f"sandbox: {attempted} is not allowed")
        self.attempted = attempted


def install(
    *,
    scratch: str,
    deny_read: Iterable[str],
    allow_read: Iterable[str] = (),
    native_allow: Iterable[str] = (),
    record: list[str],
) -> None:
    """Install the hook for the rest of this process's life (hooks cannot be removed).

    `record` receives every attempt refused, even when user code swallows the exception.
    Reads are allowed under `allow_read` (the interpreter's own files, scratch) and refused
    under `deny_read` (the user's home, the project); writes only under `scratch`. C
    extensions load only from the interpreter's prefixes and `native_allow` (the lent
    site-packages of the user's environment).
    """
    checks = _checks(scratch=scratch, deny_read=deny_read, allow_read=allow_read,
                     native_allow=native_allow, record=record)
    sys.addaudithook(_hook(checks, record))


class _Checks:
    """The path checks of one installed hook (closures over the roots, fixed at install).
    A plain class, not a NamedTuple: the child must not import `typing` (start-up time)."""

    __slots__ = ("as_path", "check_read", "check_write", "deny", "inside", "native_ok", "scratch")

    def __init__(
        self,
        scratch: str,  # real path
        native_ok: tuple[str, ...],
        inside: Callable[[str, tuple[str, ...]], bool],
        as_path: Callable[[object], str | None],
        deny: Callable[[str], None],
        check_write: Callable[[object, str], None],
        check_read: Callable[[object, str], None],
    ) -> None:
        self.scratch, self.native_ok, self.inside, self.as_path = scratch, native_ok, inside, as_path
        self.deny, self.check_write, self.check_read = deny, check_write, check_read


def _checks(
    *, scratch: str, deny_read: Iterable[str], allow_read: Iterable[str],
    native_allow: Iterable[str], record: list[str],
) -> _Checks:
    scratch_real = os.path.realpath(scratch)
    allowed = tuple(_norm(p) for p in (*allow_read, scratch_real))
    denied = tuple(_norm(p) for p in deny_read)
    native_ok = tuple(_norm(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, *native_allow})
    realpath = os.path.realpath
    fspath = os.fspath

    def inside(path: str, roots: tuple[str, ...]) -> bool:
        return any(path == r or path.startswith(r + os.sep) or r == os.sep for r in roots)

    def as_path(p: object) -> str | None:
        if isinstance(p, int) or p is None:
            return None  # file descriptors were checked when opened
        try:
            raw = fspath(p)  # type: ignore[call-overload]
        except TypeError:
            return None
        if isinstance(raw, bytes):
            raw = os.fsdecode(raw)
        return realpath(raw)

    def deny(attempted: str) -> None:
        record.append(attempted)
        raise SandboxDenied(attempted)

    def check_write(p: object, attempted: str) -> None:
        path = as_path(p)
        if path is not None and path != os.devnull and not inside(path, (scratch_real,)):
            deny(attempted)

    def check_read(p: object, attempted: str) -> None:
        path = as_path(p)
        if path is not None and inside(path, denied) and not inside(path, allowed):
            deny(attempted)

    return _Checks(scratch_real, native_ok, inside, as_path, deny, check_write, check_read)


def _hook(c: _Checks, record: list[str]) -> Callable[[str, tuple[object, ...]], None]:
    """The audit hook: one branch per kind of event."""
    realpath = os.path.realpath

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open":
            _on_open(c, args)
        elif event in _PROCESS_EVENTS:
            name = _PROCESS_EVENTS[event]
            if event == "os.fork" or not args:
                c.deny(name)
            shown = args[1] if event == "subprocess.Popen" and len(args) > 1 else args[0]
            if isinstance(shown, bytes):
                shown = os.fsdecode(shown)
            c.deny(f"{name}({_short(shown)})")
        elif event in _NETWORK_EVENTS:
            c.deny(_network(event, args))
        elif event in _PATH_WRITE_EVENTS:
            for p in args[: _PATH_WRITE_EVENTS[event]]:
                c.check_write(p, f"{event}({_short(p)})")
        elif event in _PATH_READ_EVENTS:
            if args:
                c.check_read(args[0] if args[0] is not None else ".", f"{event}({_short(args[0])})")
        elif event == "os.chdir":
            if args:
                c.check_write(args[0], f"os.chdir({_short(args[0])})")
        elif event == "import":
            module, filename = args[0], args[1]
            if module in _BLOCKED_IMPORTS or str(module).split(".")[0] in _BLOCKED_IMPORTS:
                record.append(f"import {module}")
                raise SandboxImportDenied(f"import {module}")
            if isinstance(filename, str) and filename.endswith((".so", ".pyd")):
                real = realpath(filename)
                if not c.inside(real, c.native_ok):
                    c.deny(f"loading native code {filename!r}")
        elif event in _NATIVE_EVENTS:
            c.deny(f"{event}({_short(args[0]) if args else ''})")
        elif event in _INTROSPECTION_EVENTS:
            c.deny(event)

    return hook


def _on_open(c: _Checks, args: tuple[object, ...]) -> None:
    path, mode, flags = args
    shown = f"open({path!r}, {mode!r})" if mode is not None else f"os.open({path!r}, {flags:#o})"
    writes = isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
    if writes or (isinstance(mode, str) and any(ch in mode for ch in "wax+")):
        c.check_write(path, shown)
    else:
        c.check_read(path, shown)
        if mode is None:
            # A directory fd outside scratch would let dir_fd= calls (whose audit
            # events omit the fd) reach paths the checks above never see.
            real = c.as_path(path)
            if real is not None and os.path.isdir(real) and not c.inside(real, (c.scratch,)):
                c.deny(f"{shown} (a directory outside scratch)")


def _norm(p: str) -> str:
    return os.path.realpath(os.fspath(p))


def _short(value: object, cap: int = 120) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= cap else text[:cap] + "..."


def _network(event: str, args: tuple[object, ...]) -> str:
    if event in ("socket.connect", "socket.bind", "socket.sendto") and len(args) >= 2:
        address = args[-1]
        if isinstance(address, tuple) and len(address) >= 2:
            return f"{event} to {address[0]}:{address[1]}"
        return f"{event} to {_short(address)}"
    if event.startswith("socket.get") and args:
        return f"{event}({_short(args[0])})"
    return event
