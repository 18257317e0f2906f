"""`run_untrusted`: any program in the jail, with only the kernel's guards (no audit hook)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from verifier.errors import ProofrouteError
from verifier.sandbox import Limits, ScratchPathError, host_support, run_untrusted
from verifier.sandbox.containment import python_for_unprivileged

PY = python_for_unprivileged() or sys.executable
LIMITS = Limits(wall_seconds=10, cpu_seconds=10, memory_bytes=512 << 20, processes=16,
                open_files=64, file_size_bytes=1 << 20, output_bytes=1 << 16)
root_only = pytest.mark.skipif(
    not (host_support().is_root and python_for_unprivileged()),
    reason="the private uid needs root and a Python an unprivileged uid can run",
)


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    if stat.rpartition(")")[2].split()[0] != "Z":
                        found.append(int(entry))
            except OSError:
                continue
    return found


def test_files_are_placed_in_a_scratch_dir_that_is_removed_afterwards() -> None:
    files = {"main.py": b"import os\nprint(open('data/in.txt').read(), os.getcwd())\n",
             "data/in.txt": b"hello"}
    run = run_untrusted([PY, "main.py"], limits=LIMITS, files=files)
    assert run.returncode == 0, run.stderr
    text, cwd = run.stdout.decode().split()
    assert text == "hello" and run.report is not None and cwd == run.report.scratch
    assert not Path(cwd).exists()


def test_collected_files_come_back_capped_links_and_missing_ones_left_out() -> None:
    code = ("import os\nopen('answer', 'w').write('x' * 100)\nos.symlink('/etc/hostname', 'link')\n"
            "os.mkdir('dir')\n")
    limits = Limits(wall_seconds=10.0, output_bytes=40)
    run = run_untrusted([PY, "-c", code], limits=limits, collect=("answer", "link", "dir", "missing"))
    assert run.returncode == 0, run.stderr
    assert run.files == (("answer", b"x" * 40),)
    with pytest.raises(ValueError):
        run_untrusted([PY, "-c", "pass"], limits=limits, collect=("../x",))


def test_a_program_that_answered_is_stopped_rather_than_waited_for() -> None:
    """A runtime that hangs at exit (the WebAssembly Lean's bun did, with its threads
    parked) must not cost the wall clock once its answer file is there."""
    code = ("import os, time\nopen('resp.tmp', 'w').write('done')\nos.rename('resp.tmp', 'resp')\n"
            "time.sleep(60)\n")
    run = run_untrusted([PY, "-c", code], limits=Limits(wall_seconds=30.0), collect=("resp",),
                        answered="resp")  # fmt: skip
    assert not run.timed_out and run.seconds < 10 and run.files == (("resp", b"done"),)
    silent = run_untrusted([PY, "-c", "import time; time.sleep(60)"], limits=Limits(wall_seconds=1.0),
                           answered="resp")  # fmt: skip
    assert silent.timed_out and silent.files == ()


def test_file_names_may_not_escape_scratch() -> None:
    for bad in ("../x", "/etc/x", ""):
        with pytest.raises(ValueError) as info:
            run_untrusted([PY, "-c", "pass"], limits=LIMITS, files={bad: b""})
        # One root for the project's errors, and the builtin that fits for other callers.
        assert isinstance(info.value, ScratchPathError) and isinstance(info.value, ProofrouteError)
        assert info.value.name == bad and repr(bad) in str(info.value)


def test_environment_is_scrubbed_and_home_is_scratch(monkeypatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-secret")
    code = "import os, json; print(json.dumps(dict(os.environ)))"
    run = run_untrusted([PY, "-c", code], limits=LIMITS)
    env = json.loads(run.stdout)
    assert "ANTHROPIC_API_KEY" not in env
    assert run.report is not None and env["HOME"] == run.report.scratch


@root_only
def test_writing_the_parents_file_is_refused_by_the_kernel(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("original")
    run = run_untrusted([PY, "-c", f"open({str(victim)!r}, 'w').write('pwned')"], limits=LIMITS)
    assert run.returncode != 0 and b"PermissionError" in run.stderr
    assert victim.read_text() == "original"
    assert run.report is not None and run.report.uid is not None


@pytest.mark.skipif(not host_support().netns, reason="network namespaces refused here")
def test_loopback_is_unreachable_from_the_network_namespace() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.setblocking(False)
        port = server.getsockname()[1]
        code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3)"
        run = run_untrusted([PY, "-c", code], limits=LIMITS)
        assert run.returncode != 0 and b"Network is unreachable" in run.stderr
        with pytest.raises(BlockingIOError):
            server.accept()
    assert run.report is not None and run.report.network_isolated


@root_only
@pytest.mark.slow
def test_fork_bomb_is_capped_and_every_process_is_gone_afterwards() -> None:
    # Proven first by a bounded experiment: the cap holds at 16, the wall clock at 2 s.
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    limits = Limits(wall_seconds=2, cpu_seconds=5, memory_bytes=512 << 20, processes=16)
    run = run_untrusted([PY, "-c", code], limits=limits)
    assert run.timed_out
    assert run.report is not None and run.report.process_limit == 16
    assert run.report.uid is not None and _processes_of(run.report.uid) == []


@root_only
def test_a_daemon_escaping_the_process_group_is_killed_too() -> None:
    code = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\n"
            "print(os.getpid())\n")
    run = run_untrusted([PY, "-c", code], limits=LIMITS)
    assert run.returncode == 0
    assert run.report is not None and run.report.uid is not None
    assert _processes_of(run.report.uid) == []


@pytest.mark.slow
def test_gigabytes_on_stdout_are_dropped_as_they_arrive() -> None:
    code = "import os\nb = b'x' * (1 << 20)\nfor _ in range(2048):\n    os.write(1, b)\n"
    run = run_untrusted([PY, "-c", code], limits=Limits(wall_seconds=30, processes=16,
                                                          output_bytes=1 << 16))
    assert run.returncode == 0 and run.truncated
    assert len(run.stdout) == 1 << 16


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_payload_is_contained(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("original")
    script = f"""
const fs = require('fs'); const net = require('net');
const out = {{}};
fs.writeFileSync('ok.txt', 'fine'); out.scratch = fs.readFileSync('ok.txt', 'utf8');
try {{ fs.writeFileSync({json.dumps(str(victim))}, 'pwned'); out.victim = 'written'; }}
catch (e) {{ out.victim = e.code; }}
const s = net.connect(80, '127.0.0.1');
s.on('error', e => {{ out.net = e.code; console.log(JSON.stringify(out)); }});
s.on('connect', () => {{ out.net = 'connected'; console.log(JSON.stringify(out)); s.destroy(); }});
"""
    limits = Limits(wall_seconds=20, processes=64, output_bytes=1 << 16)
    run = run_untrusted([shutil.which("node") or "node", "main.js"], limits=limits,
                        files={"main.js": script.encode()})
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["scratch"] == "fine"
    assert victim.read_text() == "original"
    if run.report is not None and run.report.uid is not None:
        assert out["victim"] == "EACCES"
    if run.report is not None and run.report.network_isolated:
        assert out["net"] in ("ENETUNREACH", "ECONNREFUSED")


@root_only
def test_litter_in_shared_tmp_dirs_is_removed_with_the_private_uid() -> None:
    code = ("import os\nfor d in ('/tmp', '/dev/shm'):\n"
            "    p = os.path.join(d, 'proofroute-litter-%d' % os.getpid())\n"
            "    open(p, 'w').write('junk')\n    print(p)\n")
    run = run_untrusted([PY, "-c", code], limits=LIMITS)
    assert run.returncode == 0, run.stderr
    paths = run.stdout.decode().split()
    assert len(paths) == 2
    assert not any(os.path.exists(p) for p in paths)


def test_a_program_under_the_parents_home_can_keep_the_parents_uid() -> None:
    run = run_untrusted([sys.executable, "-c", "import os; print(os.getuid())"],
                        limits=LIMITS, drop_privileges=False)
    assert run.returncode == 0, run.stderr
    assert run.report is not None and run.report.uid is None
    assert int(run.stdout) == os.getuid()
