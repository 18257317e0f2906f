"""Lending the user's project and environment read-only (lend.py): imports work, nothing
else opens up. Hostile payloads sit in a module the function imports — a sibling module
or a module of its package — and must fail exactly as when written in the function."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from verifier.sandbox import CallStatus, Lend, Limits, PythonWorker, environment_lend, host_support
from verifier.sandbox.containment import python_for_unprivileged

LIMITS = Limits(wall_seconds=20, cpu_seconds=20, memory_bytes=1 << 30, processes=16,
                open_files=256, file_size_bytes=1 << 20, output_bytes=1 << 16)
os_layer = pytest.mark.skipif(
    not (host_support().is_root and host_support().mountns and python_for_unprivileged()),
    reason="the read-only mounts need root, a mount namespace and a private uid",
)
IMPL_IN_PACKAGE = "from .payload import attack\n\ndef f(arg):\n    return attack(arg)\n"
IMPL_BESIDE = "from payload import attack\n\ndef f(arg):\n    return attack(arg)\n"


def project(root: Path, payload: str, layout: str) -> tuple[Path, str, Path]:
    """A project with `payload` (defining `attack(arg)`) imported by `f`; returns the
    module file, its dotted name and its import root."""
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    if layout == "package":
        pkg = root / "mypkg"
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        (pkg / "payload.py").write_text(payload)
        (pkg / "impl.py").write_text(IMPL_IN_PACKAGE)
        return pkg / "impl.py", "mypkg.impl", root
    (root / "payload.py").write_text(payload)
    (root / "impl.py").write_text(IMPL_BESIDE)
    return root / "impl.py", "impl", root


def run(module: Path, name: str, root: Path, arg: object, *, audit_hook: bool = True):
    lend = environment_lend((root,))
    with PythonWorker(module_path=module, module_name=name, function="f", limits=LIMITS,
                      lend=lend, audit_hook=audit_hook) as worker:
        batch = worker.run([{"arg": arg}])
    assert batch.load_error is None, batch.load_error
    return batch.calls[0]


LAYOUTS = pytest.mark.parametrize("layout", ["package", "sibling"])


@LAYOUTS
def test_siblings_packages_and_c_extensions_import(tmp_path: Path, layout: str) -> None:
    payload = ("import numpy as np\n\ndef attack(arg):\n"
               "    return int(np.array(arg, dtype=np.int64).sum()), np.__file__\n")
    module, name, root = project(tmp_path / "proj", payload, layout)
    c = run(module, name, root, [1, 2, 3])
    assert c.status == CallStatus.RETURNED, c.error
    total, numpy_file = c.result()
    assert total == 6 and numpy_file.endswith("numpy/__init__.py")


def test_editable_installs_resolve_through_their_finder(tmp_path: Path) -> None:
    """`verifier` is an editable install here: its finder maps it into the worktree."""
    payload = "import verifier\n\ndef attack(arg):\n    return verifier.__file__\n"
    module, name, root = project(tmp_path / "proj", payload, "package")
    c = run(module, name, root, 0)
    assert c.status == CallStatus.RETURNED, c.error
    assert c.result() == str(Path(__import__("verifier").__file__).resolve())


@LAYOUTS
def test_writing_into_the_lent_project_is_refused(tmp_path: Path, layout: str) -> None:
    payload = "def attack(arg):\n    open(__file__, 'w').write('pwned')\n"
    module, name, root = project(tmp_path / "proj", payload, layout)
    target = module.parent / "payload.py"
    before = target.read_text()
    c = run(module, name, root, 0)
    assert c.status == CallStatus.VIOLATION and c.violations[0].startswith("open(")
    assert target.read_text() == before


@os_layer
@LAYOUTS
def test_without_the_hook_the_lent_project_is_a_read_only_mount(tmp_path: Path, layout: str) -> None:
    payload = ("import os\n\ndef attack(arg):\n    out = []\n"
               "    for p in (__file__, os.path.join(os.path.dirname(__file__), 'new.py')):\n"
               "        try:\n            open(p, 'w').write('pwned')\n            out.append('wrote')\n"
               "        except OSError as exc:\n            out.append(exc.errno)\n    return out\n")
    module, name, root = project(tmp_path / "proj", payload, layout)
    os.chmod(module.parent, 0o777)  # even a world-writable folder: the mount is read-only
    before = (module.parent / "payload.py").read_text()
    c = run(module, name, root, 0, audit_hook=False)
    assert c.status == CallStatus.RETURNED, c.error
    assert c.result() == [30, 30]  # EROFS, twice
    assert (module.parent / "payload.py").read_text() == before
    assert not (module.parent / "new.py").exists()


@os_layer
def test_a_closed_folder_above_a_lent_one_shows_nothing_else(tmp_path: Path) -> None:
    """/root (mode 700) holds a lent site-packages: the child sees only the lent path."""
    payload = "import os\n\ndef attack(arg):\n    return sorted(os.listdir(arg))\n"
    module, name, root = project(tmp_path / "proj", payload, "package")
    home = str(Path.home())
    lent = [d for d in environment_lend(()).site_dirs if d.startswith(home + "/")]
    if not lent:
        pytest.skip("no site-packages under the home folder here")
    c = run(module, name, root, home, audit_hook=False)
    assert c.status == CallStatus.RETURNED, c.error
    assert c.result() == [lent[0][len(home) + 1:].split("/")[0]]


@LAYOUTS
def test_writing_outside_scratch_from_an_imported_module_is_refused(tmp_path: Path, layout: str) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("original")
    payload = "def attack(arg):\n    open(arg, 'w').write('pwned')\n"
    module, name, root = project(tmp_path / "proj", payload, layout)
    c = run(module, name, root, str(victim))
    assert c.violations == (f"open({str(victim)!r}, 'w')",)
    assert victim.read_text() == "original"


@LAYOUTS
def test_network_from_an_imported_module_is_refused(tmp_path: Path, layout: str) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        payload = ("import socket\n\ndef attack(arg):\n    s = socket.socket()\n"
                   "    s.connect(('127.0.0.1', arg))\n    return 'connected'\n")
        module, name, root = project(tmp_path / "proj", payload, layout)
        c = run(module, name, root, port)
        assert c.violations == (f"socket.connect to 127.0.0.1:{port}",)
        with pytest.raises(BlockingIOError):
            server.accept()


@LAYOUTS
@pytest.mark.parametrize(("payload", "refused"), [
    ("import os\n\ndef attack(arg):\n    os.system('true')\n", "os.system('true')"),
    ("def attack(arg):\n    import subprocess\n", "import _posixsubprocess"),
    ("def attack(arg):\n    import ctypes\n", "import ctypes"),
    ("import os\n\ndef attack(arg):\n    os.fork()\n", "fork"),
])
def test_processes_and_native_code_from_an_imported_module_are_refused(
        tmp_path: Path, layout: str, payload: str, refused: str) -> None:
    module, name, root = project(tmp_path / "proj", payload, layout)
    c = run(module, name, root, 0)
    assert c.status == CallStatus.VIOLATION and c.violations[0] == refused


def test_a_payload_at_import_time_fails_the_load(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("original")
    payload = f"open({str(victim)!r}, 'w').write('pwned')\n\ndef attack(arg):\n    return 1\n"
    module, name, root = project(tmp_path / "proj", payload, "package")
    with PythonWorker(module_path=module, module_name=name, function="f", limits=LIMITS,
                      lend=environment_lend((root,))) as worker:
        batch = worker.run([{"arg": 0}])
    assert batch.load_error is not None and batch.load_violations[0].startswith("open(")
    assert victim.read_text() == "original"


def test_lending_a_folder_that_holds_scratch_or_home_is_refused_and_noted(tmp_path: Path) -> None:
    module, name, root = project(tmp_path / "proj", "def attack(arg):\n    return arg\n", "package")
    lend = Lend(paths=(str(root), "/"))
    with PythonWorker(module_path=module, module_name=name, function="f", limits=LIMITS,
                      lend=lend) as worker:
        batch = worker.run([{"arg": 5}])
    assert batch.calls[0].result() == 5
    if host_support().is_root and host_support().mountns:
        assert any("not lent" in n and n.endswith(": /") for n in batch.report.notes)


@LAYOUTS
@pytest.mark.parametrize(("payload", "prefix"), [
    ("import os\n\ndef attack(arg):\n    return os.listdir(arg)\n", "os.listdir("),
    ("def attack(arg):\n    return open(arg + '/.bashrc').read()\n", "open("),
    ("import os, signal\n\ndef attack(arg):\n    os.kill(os.getppid(), signal.SIGKILL)\n", "os.kill("),
])
def test_reading_home_and_killing_the_parent_from_an_imported_module_are_refused(
        tmp_path: Path, layout: str, payload: str, prefix: str) -> None:
    """The home holds a lent site-packages here; the rest of it stays unreadable."""
    module, name, root = project(tmp_path / "proj", payload, layout)
    c = run(module, name, root, str(Path.home()))
    assert c.status == CallStatus.VIOLATION and c.violations[0].startswith(prefix), c
