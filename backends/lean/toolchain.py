"""Which Lean runs the checks: native first (what users have), then our WebAssembly build.

Order: `PROOFROUTE_LEAN` (a `lean` binary), a Lake project given with `lean_project`
(`lake env lean`, e.g. a Mathlib project), `lean` on PATH, and last the WebAssembly Lean
that `proofroute setup` installs under the tools dir. Detection never raises; it
returns a `Toolchain` or the reasons none was usable.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from verifier.backends.lean import install as wasm_install
from verifier.backends.lean.harness import NATIVE, WASM, Dialect

from verifier.paths import tools_dir
from verifier.sandbox import Limits, run_limited, scrubbed_env

SETUP_HINT = (
    "run `proofroute setup --only lean` (installs Lean 4 as WebAssembly from npm), or install "
    "native Lean with elan (https://lean-lang.org) and put `lean` on PATH or set PROOFROUTE_LEAN"
)


@dataclass(frozen=True)
class Toolchain:
    kind: str  # "native" | "lake" | "wasm"
    argv: tuple[str, ...]  # command prefix; the file path is appended
    env: tuple[tuple[str, str], ...]
    version: str | None
    dialect: Dialect
    path: str
    mathlib: bool
    cwd: str | None = None  # lake projects run inside the project

    def environ(self) -> dict[str, str]:
        return dict(self.env)


def _native_version(argv: list[str], cwd: str | None) -> str | None:
    run = run_limited([*argv, "--version"], limits=Limits(wall_seconds=60), cwd=cwd, env=_native_env())
    return wasm_install.parse_version(run.stdout.decode("utf-8", "replace"))


def _native_env() -> dict[str, str]:
    keep = {k: os.environ[k] for k in ("HOME", "ELAN_HOME", "LEAN_PATH", "LEAN_SYSROOT") if k in os.environ}
    return scrubbed_env(keep)


def _has_mathlib(project: str | None) -> bool:
    if not project:
        return False
    root = Path(project)
    return (root / ".lake" / "packages" / "mathlib").is_dir() or (root / "Mathlib").is_dir()


def _native(binary: str, via: str) -> Toolchain | str:
    version = _native_version([binary], None)
    if version is None:
        return f"{via}: `{binary} --version` did not print a Lean version"
    return Toolchain("native", (binary,), tuple(_native_env().items()), version, NATIVE, binary, False)


def _lake(project: str) -> Toolchain | str:
    lake = shutil.which("lake")
    root = Path(project)
    if not (root / "lakefile.lean").exists() and not (root / "lakefile.toml").exists():
        return f"--lean-project {project}: no lakefile.lean or lakefile.toml there"
    if lake is None:
        return f"--lean-project {project}: `lake` not found on PATH (install Lean with elan)"
    argv = [lake, "env", "lean"]
    version = _native_version(argv, str(root))
    if version is None:
        return f"--lean-project {project}: `lake env lean --version` failed (run `lake build` there first?)"
    return Toolchain(
        "lake", tuple(argv), tuple(_native_env().items()), version, NATIVE, str(root),
        _has_mathlib(project), cwd=str(root),
    )  # fmt: skip


def wasm_root() -> Path:
    return wasm_install.install_root(tools_dir())


def _wasm() -> Toolchain | str:
    root = wasm_root()
    manifest = wasm_install.read_manifest(root)
    if manifest is None:
        return f"Lean 4 (WebAssembly) is not installed in {root}"
    version = manifest.get("lean_version")
    return Toolchain(
        "wasm",
        (str(wasm_install.bun_path(root)), str(root / "lean.js")),
        tuple(wasm_install.wasm_env(root).items()),
        str(version) if version else None,
        WASM,
        str(root),
        False,
    )


def detect(lean_project: str | None = None) -> tuple[Toolchain | None, tuple[str, ...]]:
    """The toolchain to use and, in any case, why the ones before it were skipped."""
    notes: list[str] = []
    explicit = os.environ.get("PROOFROUTE_LEAN")
    candidates: list[tuple[str, str]] = []
    if explicit:
        candidates.append(("PROOFROUTE_LEAN", explicit))
    for via, binary in candidates:
        found = _native(binary, via)
        if isinstance(found, Toolchain):
            return found, tuple(notes)
        notes.append(found)
    if lean_project:
        found_lake = _lake(lean_project)
        if isinstance(found_lake, Toolchain):
            return found_lake, tuple(notes)
        notes.append(found_lake)
    on_path = shutil.which("lean")
    if on_path:
        found = _native(on_path, "lean on PATH")
        if isinstance(found, Toolchain):
            return found, tuple(notes)
        notes.append(found)
    else:
        notes.append("no native `lean` on PATH")
    found_wasm = _wasm()
    if isinstance(found_wasm, Toolchain):
        return found_wasm, tuple(notes)
    notes.append(found_wasm)
    return None, tuple(notes)
