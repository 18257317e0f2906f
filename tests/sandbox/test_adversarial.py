"""Hostile Python payloads through `run_python_calls`: each contained, reported, host untouched.

Payloads aim only at scratch dirs the test owns and at loopback, and are bounded in time
and count. Tests that switch the audit hook off (to prove the OS layer on its own) run
only where the kernel layer is really there (root with a private uid, a netns).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from verifier import sandbox
from verifier.errors import SandboxViolation
from verifier.sandbox import (
    CallStatus,
    Limits,
    PythonWorker,
    SandboxPool,
    host_support,
    run_python_calls,
)
from verifier.sandbox.containment import python_for_unprivileged

LIMITS = Limits(wall_seconds=10, cpu_seconds=10, memory_bytes=512 << 20, processes=16,
                open_files=64, file_size_bytes=1 << 20, output_bytes=1 << 16)

os_layer = pytest.mark.skipif(
    not (host_support().is_root and python_for_unprivileged()),
    reason="the private-uid layer needs root and a Python an unprivileged uid can run",
)


@pytest.fixture(autouse=True, params=["cold", "warm-spare"])
def start(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Every payload runs twice: in a child started on demand, and in a warm spare of a
    `SandboxPool` (jailed and booted ahead, idle, then handed the module). Containment
    must be the same either way, so the whole suite is the pool's test too."""
    if request.param == "cold":
        yield
        return
    pools: dict[tuple[Limits, bool], SandboxPool] = {}

    def pool_for(limits: Limits, audit_hook: bool) -> SandboxPool:
        if (limits, audit_hook) not in pools:
            pools[(limits, audit_hook)] = SandboxPool(limits, audit_hook=audit_hook)
        return pools[(limits, audit_hook)]

    def pooled_worker(*, limits: Limits, audit_hook: bool = True, **kw):
        return sandbox.PythonWorker(limits=limits, audit_hook=audit_hook,
                                    pool=pool_for(limits, audit_hook), **kw)

    def pooled_run(source, path, function, calls, *, limits: Limits, **kw):
        pool = pool_for(limits, True)
        batch = sandbox.run_python_calls(source, path, function, calls, limits=limits,
                                         pool=pool, **kw)
        assert pool.flush(30)  # the tests inspect the host right after the run
        return batch

    module = request.module
    monkeypatch.setattr(module, "PythonWorker", pooled_worker)
    monkeypatch.setattr(module, "run_python_calls", pooled_run)
    yield
    for pool in pools.values():
        pool.close()
    assert sum(p.warm for p in pools.values()) >= 1 or not pools, "no child came from a pool"


def call(source: str, args: dict | None = None, **kw):
    batch = run_python_calls(source, None, "f", [args or {}], limits=LIMITS, **kw)
    assert batch.load_error is None, batch.load_error
    return batch, batch.calls[0]


def call_unhooked(source: str, args: dict | None = None):
    """The same call with the audit hook off: only the kernel's guards remain."""
    with PythonWorker(module_source=source, function="f", limits=LIMITS, audit_hook=False) as w:
        batch = w.run([args or {}])
    assert not batch.report.audit_hook
    return batch, batch.calls[0]


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of the parent's that untrusted code must not change."""
    path = tmp_path / "precious.txt"
    path.write_text("original")
    return path


# -- runaway computation ---------------------------------------------------------------
@pytest.mark.slow
def test_infinite_loop_is_timed_out_and_the_batch_goes_on() -> None:
    source = "def f(n):\n    while n:\n        pass\n    return 'done'\n"
    batch = run_python_calls(source, None, "f", [{"n": 1}, {"n": 0}], limits=LIMITS,
                             call_timeout=1.0)
    assert batch.calls[0].status == CallStatus.TIMEOUT
    assert batch.calls[1].result() == "done"


@pytest.mark.slow
def test_cpu_rlimit_kills_a_spinning_child_even_without_a_call_timeout() -> None:
    limits = Limits(wall_seconds=20, cpu_seconds=1, memory_bytes=512 << 20, processes=16)
    source = "def f():\n    while True:\n        pass\n"
    batch = run_python_calls(source, None, "f", [{}], limits=limits)
    crashed = batch.calls[0]
    assert crashed.status == CallStatus.CRASHED
    assert crashed.exit_signal is not None  # SIGXCPU or SIGKILL, not our wall clock


def test_memory_bomb_hits_the_address_space_limit() -> None:
    source = "def f():\n    hog = []\n    while True:\n        hog.append(bytearray(64 << 20))\n"
    batch, c = call(source)
    assert c.status in (CallStatus.RAISED, CallStatus.CRASHED)
    if c.status == CallStatus.RAISED:
        assert c.error is not None and c.error.type == "MemoryError" and c.error.line == 4
    assert batch.calls[0].seconds < 10


def test_deep_recursion_is_a_recursion_error_with_its_line() -> None:
    source = "def f(n):\n    return f(n + 1) + 1\n"
    _, c = call(source, {"n": 0})
    assert c.status == CallStatus.RAISED and c.error is not None
    assert (c.error.type, c.error.line) == ("RecursionError", 2)


def test_recursion_limit_raised_to_overflow_the_c_stack_crashes_only_the_child() -> None:
    # map() calls back into Python from C, so every level costs C stack: a real overflow.
    source = ("import sys\nsys.setrecursionlimit(10**6)\n"
              "def f(n):\n    return max(map(f, [n + 1]))\n")
    batch = run_python_calls(source, None, "f", [{"n": 0}, {"$args": [0]}], limits=LIMITS,
                             call_timeout=5)
    assert [c.status for c in batch.calls] == [CallStatus.CRASHED] * 2
    assert batch.calls[0].exit_signal == 11
    assert batch.calls[0].error is not None and "SIGSEGV" in batch.calls[0].error.message
    assert batch.children == 2  # the second call ran in a fresh child


# -- processes -------------------------------------------------------------------------
def test_fork_is_refused_and_named() -> None:
    source = "import os\ndef f():\n    while True:\n        os.fork()\n"
    batch, c = call(source)
    assert c.status == CallStatus.VIOLATION and c.violations == ("fork",)
    with pytest.raises(SandboxViolation) as info:
        batch.raise_for_violation()
    assert info.value.attempted == "fork"


@os_layer
@pytest.mark.slow
def test_fork_bomb_without_the_hook_is_capped_by_the_kernel() -> None:
    # Proven safe first by a bounded experiment: 16 processes at most, 2 s of wall clock.
    source = ("import os\ndef f():\n    n = 0\n    while True:\n        try:\n"
              "            os.fork()\n            n += 1\n        except OSError:\n"
              "            return n\n")
    limits = Limits(wall_seconds=2, cpu_seconds=5, memory_bytes=512 << 20, processes=16)
    with PythonWorker(module_source=source, function="f", limits=limits, audit_hook=False) as w:
        batch = w.run([{}])
    c = batch.calls[0]
    # Each child forks on until the cap too; the first reply wins, or the clock does.
    assert c.status in (CallStatus.RETURNED, CallStatus.TIMEOUT), c
    if c.status == CallStatus.RETURNED:
        assert c.result() < 16
    assert batch.report.process_limit == 16


def test_os_system_is_refused_and_named() -> None:
    _, c = call("import os\ndef f():\n    return os.system('ls')\n")
    assert c.violations == ("os.system('ls')",)
    assert c.error is not None and c.error.line == 3


def test_subprocess_import_is_refused() -> None:
    batch = run_python_calls("import subprocess\ndef f():\n    pass\n", None, "f", [{}],
                             limits=LIMITS)
    assert batch.load_error is not None
    assert batch.load_violations == ("import _posixsubprocess",)
    assert batch.calls[0].status == CallStatus.NOT_RUN
    assert "import _posixsubprocess" in str(batch.violation_error())


def test_killing_the_parent_is_refused() -> None:
    _, c = call("import os, signal\ndef f():\n    os.kill(os.getppid(), signal.SIGKILL)\n")
    assert c.status == CallStatus.VIOLATION and c.violations[0].startswith("os.kill(")


def test_native_code_through_ctypes_is_refused() -> None:
    batch = run_python_calls("def f():\n    import ctypes\n    return 1\n", None, "f", [{}],
                             limits=LIMITS)
    assert batch.calls[0].violations == ("import ctypes",)


# -- files -----------------------------------------------------------------------------
def test_writing_outside_scratch_is_refused_and_the_file_is_untouched(victim: Path) -> None:
    source = "def f(p):\n    with open(p, 'w') as fh:\n        fh.write('pwned')\n"
    _, c = call(source, {"p": str(victim)})
    assert c.violations == (f"open({str(victim)!r}, 'w')",)
    assert victim.read_text() == "original"


def test_changing_the_parents_files_in_every_way_is_refused(victim: Path) -> None:
    source = f'''
import os, shutil
P = {str(victim)!r}
def f(action):
    if action == "remove": os.remove(P)
    if action == "rename": os.rename(P, P + ".moved")
    if action == "chmod": os.chmod(P, 0o777)
    if action == "append": open(P, "a").write("x")
    if action == "rmtree": shutil.rmtree(os.path.dirname(P))
    if action == "raw": os.close(os.open(P, os.O_WRONLY | os.O_TRUNC))
'''
    actions = ["remove", "rename", "chmod", "append", "rmtree", "raw"]
    batch = run_python_calls(source, None, "f", [{"action": a} for a in actions], limits=LIMITS)
    assert [c.status for c in batch.calls] == [CallStatus.VIOLATION] * len(actions)
    assert victim.read_text() == "original"
    assert sorted(p.name for p in victim.parent.iterdir()) == ["precious.txt"]


def test_the_module_file_itself_cannot_be_rewritten(tmp_path: Path) -> None:
    module = tmp_path / "impl.py"
    module.write_text("def f():\n    open(__file__, 'w').write('def f(): return 42')\n")
    before = module.read_text()
    batch = run_python_calls(None, module, "f", [{}], limits=LIMITS)
    assert batch.calls[0].status == CallStatus.VIOLATION
    assert module.read_text() == before


def test_swallowing_the_refusal_does_not_hide_the_violation(victim: Path) -> None:
    source = ("def f(p):\n    try:\n        open(p, 'w')\n    except BaseException:\n"
              "        pass\n    return 'innocent'\n")
    _, c = call(source, {"p": str(victim)})
    assert c.status == CallStatus.VIOLATION and c.result() == "innocent"
    assert victim.read_text() == "original"


def test_scratch_is_writable_and_removed_afterwards() -> None:
    source = ("import os\ndef f():\n    open('out.txt', 'w').write('ok')\n"
              "    return os.getcwd(), os.environ['HOME'], open('out.txt').read()\n")
    batch, c = call(source)
    cwd, home, text = c.result()
    assert c.ok and text == "ok" and cwd == home == batch.report.scratch
    assert not Path(batch.report.scratch).exists()


def test_reading_the_parents_home_is_refused() -> None:
    home = str(Path.home())
    _, c = call("import os\ndef f(h):\n    return os.listdir(h)\n", {"h": home})
    assert c.status == CallStatus.VIOLATION
    assert c.violations == (f"os.listdir({os.path.realpath(home)!r})",)


def test_reading_a_secret_in_the_home_is_refused(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".netrc").write_text("password hunter2")
    monkeypatch.setenv("HOME", str(home))
    _, c = call("def f(p):\n    return open(p).read()\n", {"p": str(home / ".netrc")})
    assert c.status == CallStatus.VIOLATION
    assert "hunter2" not in repr(c)


def test_reading_the_project_directory_is_refused() -> None:
    project = Path(__file__).resolve().parents[2]
    _, c = call("def f(p):\n    return open(p).read()\n", {"p": str(project / "pyproject.toml")})
    assert c.status == CallStatus.VIOLATION
    assert c.value is None


@os_layer
def test_without_the_hook_the_private_uid_still_protects_files(victim: Path) -> None:
    source = "def f(p):\n    open(p, 'w').write('pwned')\n"
    batch, c = call_unhooked(source, {"p": str(victim)})
    assert batch.report.uid is not None
    assert c.status == CallStatus.RAISED and c.error is not None
    assert c.error.type == "PermissionError"
    assert victim.read_text() == "original"
    _, c = call_unhooked("import os\ndef f(h):\n    return os.listdir(h)\n",
                         {"h": str(Path.home())})
    if Path.home().stat().st_mode & 0o005 == 0:  # a private home, as /root is
        assert c.status == CallStatus.RAISED


# -- network ---------------------------------------------------------------------------
@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    yield server
    server.close()


def _nobody_connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return True
    conn.close()
    return False


def test_socket_connect_to_loopback_is_refused_and_named(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    source = ("import socket\ndef f(port):\n    s = socket.socket()\n"
              "    s.connect(('127.0.0.1', port))\n    return 'connected'\n")
    batch, c = call(source, {"port": port})
    assert c.violations == (f"socket.connect to 127.0.0.1:{port}",)
    assert _nobody_connected(listener)
    with pytest.raises(SandboxViolation, match=r"socket\.connect to 127\.0\.0\.1"):
        batch.raise_for_violation()


def test_dns_lookups_are_refused() -> None:
    _, c = call("import socket\ndef f():\n    return socket.getaddrinfo('example.com', 80)\n")
    assert c.violations == ("socket.getaddrinfo('example.com')",)


@pytest.mark.skipif(not host_support().netns, reason="network namespaces refused here")
def test_without_the_hook_the_network_namespace_still_isolates(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    source = ("import socket\ndef f(port):\n    s = socket.socket()\n    s.settimeout(3)\n"
              "    s.connect(('127.0.0.1', port))\n    return 'connected'\n")
    batch, c = call_unhooked(source, {"port": port})
    assert batch.report.network_isolated
    assert c.status == CallStatus.RAISED and c.error is not None
    assert c.error.type in ("OSError", "ConnectionRefusedError", "TimeoutError")
    assert _nobody_connected(listener)


# -- output ----------------------------------------------------------------------------
@pytest.mark.slow
def test_gigabytes_of_output_are_capped_and_cost_the_parent_nothing() -> None:
    source = '''
import os, sys
CHUNK = "x" * (1 << 20)
def f(how):
    for _ in range(1024):  # 1 GiB
        if how == "print":
            sys.stdout.write(CHUNK)
        else:
            os.write(1, CHUNK.encode())
    return "survived"
'''
    batch = run_python_calls(source, None, "f", [{"how": "print"}, {"how": "fd"}],
                             limits=LIMITS, call_timeout=60)
    printed, raw = batch.calls
    assert printed.result() == "survived" and printed.output_truncated
    assert len(printed.stdout) == LIMITS.output_bytes
    assert raw.result() == "survived"
    assert len(batch.raw_stdout) == LIMITS.output_bytes
    assert batch.seconds < 60


def test_writing_a_big_file_in_scratch_hits_the_file_size_limit() -> None:
    source = "def f():\n    open('big', 'wb').write(b'x' * (4 << 20))\n"
    _, c = call(source)
    assert c.status == CallStatus.RAISED and c.error is not None
    assert "File too large" in c.error.message


def test_a_forged_reply_on_the_protocol_pipe_is_detected() -> None:
    # The worker's reply pipe is an inherited fd; user code can find it and write on it.
    source = '''
import os
def f(x):
    for fd in range(3, 64):
        try:
            os.write(fd, b'{"ok": true, "status": "returned", "value": 42}\\n')
        except OSError:
            pass
    return x
'''
    batch = run_python_calls(source, None, "f", [{"x": 1}, {"x": 2}], limits=LIMITS)
    assert all(c.value != 42 for c in batch.calls)
    assert batch.calls[0].status == CallStatus.CRASHED
    assert batch.calls[0].error is not None and batch.calls[0].error.type == "ProtocolError"


FORGE = """
import os
def forge(*lines):
    for fd in range(3, 64):
        for line in lines:
            try:
                os.write(fd, line.encode() + b"\\n")
            except OSError:
                pass
"""
FORGED_CALLED = '{"reply": "called", "index": %d, "nonce": "0000000000000000", "status": "returned", "value": 42}'


def test_a_well_formed_forged_reply_without_the_nonce_is_detected() -> None:
    # A reply of the right shape, even for the right call, lacks the request's fresh nonce.
    source = FORGE + "def f(x):\n    forge(FORGED % 0, FORGED % 1)\n    return x\n"
    source = source.replace("FORGED", repr(FORGED_CALLED))
    batch = run_python_calls(source, None, "f", [{"x": 1}, {"x": 2}], limits=LIMITS)
    assert all(c.value != 42 for c in batch.calls)
    assert batch.calls[0].status == CallStatus.CRASHED
    assert batch.calls[0].error is not None and batch.calls[0].error.type == "ProtocolError"


def test_a_reply_forged_while_the_module_loads_wins_nothing() -> None:
    # The module's own import forges "loaded" and answers for the first call: the real
    # replies then arrive out of step, and no forged value reaches the caller.
    source = FORGE + "forge('{\"reply\": \"loaded\"}', FORGED % 0)\ndef f(x):\n    return x\n"
    source = source.replace("FORGED", repr(FORGED_CALLED))
    batch = run_python_calls(source, None, "f", [{"x": 1}, {"x": 2}], limits=LIMITS)
    assert all(c.value != 42 for c in batch.calls)
    assert batch.calls[0].status == CallStatus.CRASHED
    assert batch.calls[0].error is not None and batch.calls[0].error.type == "ProtocolError"


def test_a_directory_fd_outside_scratch_is_refused() -> None:
    # os.open(name, dir_fd=...) is audited without the fd, so the fd itself is refused.
    # The directory is world-readable so that the hook, not the uid, is what stops it.
    shared = Path(tempfile.mkdtemp(prefix="proofroute-test-"))
    try:
        shared.chmod(0o755)
        victim = shared / "precious.txt"
        victim.write_text("original")
        source = ("import os\ndef f(d):\n    fd = os.open(d, os.O_RDONLY)\n"
                  "    os.close(os.open('precious.txt', os.O_WRONLY | os.O_TRUNC, dir_fd=fd))\n")
        _, c = call(source, {"d": str(shared)})
        assert c.status == CallStatus.VIOLATION
        assert "a directory outside scratch" in c.violations[0]
        assert victim.read_text() == "original"
    finally:
        shutil.rmtree(shared)


def test_an_oversized_result_is_refused_not_shipped() -> None:
    source = "def f():\n    return 'x' * (40 << 20)\n"
    _, c = call(source)
    assert c.status == CallStatus.RAISED and c.error is not None
    assert c.error.type == "ResultTooLarge"


@pytest.mark.slow
def test_a_module_that_never_finishes_loading_is_timed_out() -> None:
    limits = Limits(wall_seconds=1.5, cpu_seconds=10, memory_bytes=512 << 20, processes=16)
    batch = run_python_calls("while True:\n    pass\n", None, "f", [{}], limits=limits)
    assert batch.load_error is not None and batch.load_error.type == "Timeout"
    assert batch.calls[0].status == CallStatus.NOT_RUN
