"""`proofroute setup` for Dafny: a clean z3 and the npm module Dafny's JS output needs.

Why these two: Debian's z3 prints a 25-line "unknown parameter 'model_compress'" block
per session and empties counterexample models; the z3 binary inside the
`z3-solver==4.8.5.0` wheel does neither. The wheel is only downloaded and unpacked, never
installed, because the project uses a modern z3 Python API elsewhere. Dafny's JavaScript
runtime `require`s bignumber.js, so it goes into `dest/node/node_modules`.
Dafny itself comes from the system package manager (`apt-get install dafny`).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from verifier.errors import ToolchainMissing

Z3_WHEEL_VERSION = "4.8.5.0"
Z3_MEMBER = f"z3_solver-{Z3_WHEEL_VERSION}.data/data/bin/z3"
BIGNUMBER_VERSION = "9.1.2"


def z3_path(dest: Path) -> Path:
    return dest / "z3-4.8.5" / "z3"


def node_dir(dest: Path) -> Path:
    return dest / "node"


def install(dest: Path, log: Callable[[str], None]) -> None:
    """Idempotent: a part already in place (and working) is left alone."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    _install_z3(dest, log)
    _install_bignumber(dest, log)
    if shutil.which("dafny") is None and not os.environ.get("PROOFROUTE_DAFNY"):
        log("dafny: not found on PATH (install it with `apt-get install -y dafny`)")


def _z3_works(path: Path) -> bool:
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return False
    return out.returncode == 0 and "4.8.5" in out.stdout


def _install_z3(dest: Path, log: Callable[[str], None]) -> None:
    target = z3_path(dest)
    if target.exists() and _z3_works(target):
        log(f"z3 4.8.5 for dafny: already at {target}")
        return
    hint = (
        f"check that PyPI is reachable, or unpack bin/z3 of the z3-solver=={Z3_WHEEL_VERSION} "
        f"wheel to {target} yourself"
    )
    with tempfile.TemporaryDirectory(prefix="proofroute-z3-") as tmp:
        log(f"z3 4.8.5 for dafny: downloading the z3-solver=={Z3_WHEEL_VERSION} wheel")
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            f"z3-solver=={Z3_WHEEL_VERSION}", "-d", tmp,
        ]  # fmt: skip
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ToolchainMissing(f"could not download z3-solver: {exc}", hint=hint) from exc
        wheels = sorted(Path(tmp).glob("z3_solver-*.whl"))
        if run.returncode != 0 or not wheels:
            tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
            raise ToolchainMissing(
                f"pip download z3-solver=={Z3_WHEEL_VERSION} failed: {' / '.join(tail)}",
                hint=hint,
            )
        try:
            with zipfile.ZipFile(wheels[0]) as wheel:
                data = wheel.read(Z3_MEMBER)
        except (KeyError, zipfile.BadZipFile) as exc:
            raise ToolchainMissing(
                f"{wheels[0].name} has no {Z3_MEMBER}: {exc}", hint=hint
            ) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    partial.replace(target)
    if not _z3_works(target):
        raise ToolchainMissing(f"{target} does not run (`{target} --version` failed)", hint=hint)
    log(f"z3 4.8.5 for dafny: installed at {target}")


def _install_bignumber(dest: Path, log: Callable[[str], None]) -> None:
    folder = node_dir(dest)
    package = folder / "node_modules" / "bignumber.js" / "package.json"
    if package.exists() and f'"version": "{BIGNUMBER_VERSION}"' in package.read_text("utf-8"):
        log(f"bignumber.js {BIGNUMBER_VERSION}: already at {package.parent}")
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ToolchainMissing(
            "npm not found: Dafny's JavaScript build needs bignumber.js from npm",
            hint="install node and npm (`apt-get install -y nodejs npm`), then run `proofroute setup`",
        )
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "package.json"
    if not manifest.exists():
        manifest.write_text('{"name": "proofroute-dafny-js", "private": true}\n', "utf-8")
    log(f"bignumber.js {BIGNUMBER_VERSION}: npm install into {folder}")
    cmd = [
        npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder),
        f"bignumber.js@{BIGNUMBER_VERSION}",
    ]  # fmt: skip
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolchainMissing(f"npm install bignumber.js failed: {exc}") from exc
    if run.returncode != 0 or not package.exists():
        tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
        raise ToolchainMissing(
            f"npm install bignumber.js@{BIGNUMBER_VERSION} failed: {' / '.join(tail)}",
            hint="check that the npm registry is reachable, then run `proofroute setup` again",
        )
    log(f"bignumber.js {BIGNUMBER_VERSION}: installed")
