"""Finding Dafny and what goes with it on this machine.

Order: `PROOFROUTE_DAFNY` (a path), then `dafny` on PATH. The version decides the
dialect; the warm server is looked for beside the Dafny installation (Dafny 2.x/3.x);
z3 is the clean 4.8.5 that `proofroute setup` unpacks (`PROOFROUTE_Z3` overrides), else
Dafny's own choice (whose noise the output reader skips).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from verifier.backends.dafny.dialect import Dialect, dialect_for_version
from verifier.backends.dafny.install import node_dir, z3_path

from verifier.errors import ToolchainMissing
from verifier.paths import cache_dir, tools_dir

INSTALL_HINT = (
    "install Dafny (`apt-get install -y dafny` on Debian/Ubuntu, or a Dafny 4 release "
    "from github.com/dafny-lang/dafny), put `dafny` on PATH or set PROOFROUTE_DAFNY to its "
    "path, then run `proofroute setup`"
)
_VERSION = re.compile(r"Dafny (?:version )?(\d+\.\d+(?:\.\d+)*)")
_BARE_VERSION = re.compile(r"^(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Toolchain:
    dafny: tuple[str, ...]  # argv prefix that runs Dafny
    path: str
    version: str
    dialect: Dialect
    server: tuple[str, ...] | None  # argv that starts a DafnyServer, if there is one
    z3: str | None
    node: str | None
    node_modules: str | None  # a folder holding bignumber.js, for the JS build
    notes: tuple[str, ...] = field(default=())


def _dafny_path() -> str:
    env = os.environ.get("PROOFROUTE_DAFNY")
    if env:
        if not (Path(env).is_file() and os.access(env, os.X_OK)):
            raise ToolchainMissing(
                f"PROOFROUTE_DAFNY={env} is not an executable file", hint=INSTALL_HINT
            )
        return env
    found = shutil.which("dafny")
    if found is None:
        raise ToolchainMissing("dafny not found on PATH", hint=INSTALL_HINT)
    return found


def parse_version(text: str) -> str | None:
    """'Dafny 2.3.0.10506' -> '2.3.0.10506'; Dafny 4's bare '4.8.1+abc' -> '4.8.1'."""
    m = _VERSION.search(text) or _BARE_VERSION.search(text.strip())
    return m.group(1) if m else None


def detect_version(dafny: str) -> str:
    """'2.3.0.10506' from `dafny /version`; Dafny 4 also answers `--version` with '4.8.1+…'."""
    texts = []
    for flag in ("/version", "--version"):
        try:
            out = subprocess.run(
                [dafny, flag], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ToolchainMissing(f"{dafny} does not run: {exc}", hint=INSTALL_HINT) from exc
        text = out.stdout + out.stderr
        texts.append(text)
        version = parse_version(text)
        if version:
            return version
    snippet = " / ".join(t.strip().splitlines()[0] for t in texts if t.strip())[:200]
    raise ToolchainMissing(
        f"{dafny} did not report a version ({snippet or 'no output'})", hint=INSTALL_HINT
    )


def _find_server(dafny: str, dialect: Dialect) -> tuple[str, ...] | None:
    if not dialect.has_server:
        return None
    env = os.environ.get("PROOFROUTE_DAFNY_SERVER")
    if env:
        return (env,) if not env.endswith(".exe") else _mono(env)
    real = Path(dafny).resolve()
    candidates = [real.parent / "DafnyServer", real.parent / "DafnyServer.exe"]
    # Debian's /usr/bin/dafny is a shell script naming the .exe it runs.
    try:
        head = real.read_bytes()[:4096].decode("utf-8", "replace")
    except OSError:
        head = ""
    for exe in re.findall(r"(/\S+?)Dafny\.exe", head):
        candidates.append(Path(exe) / "DafnyServer.exe")
    candidates.append(Path("/usr/lib/dafny/DafnyServer.exe"))
    for cand in candidates:
        if cand.is_file():
            if cand.suffix == ".exe":
                return _mono(str(cand))
            if os.access(cand, os.X_OK):
                return (str(cand),)
    return None


def _mono(exe: str) -> tuple[str, ...] | None:
    mono = shutil.which("mono") or shutil.which("cli")
    return (mono, exe) if mono else None


def _find_z3(dialect: Dialect) -> str | None:
    env = os.environ.get("PROOFROUTE_Z3")
    if env:
        return env
    if dialect.major >= 4:
        return None  # Dafny 4 releases bundle the z3 they are tested with
    candidate = z3_path(tools_dir())
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None


def _cached_version(dafny: str) -> str:
    """`dafny /version` starts mono (~0.4 s): remember the answer per executable (path,
    size, mtime of the file and of what it resolves to) so a CLI cache hit stays fast."""
    try:
        facts = [
            (str(p), st.st_size, st.st_mtime_ns)
            for p in {Path(dafny), Path(dafny).resolve()}
            for st in [p.stat()]
        ]
    except OSError:
        return detect_version(dafny)
    key = hashlib.sha256(repr(sorted(facts)).encode()).hexdigest()[:24]
    memo = cache_dir() / "dafny" / f"version-{key}.txt"
    with contextlib.suppress(OSError):
        cached = memo.read_text("utf-8").strip()
        if cached:
            return cached
    version = detect_version(dafny)
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(version, "utf-8")
    return version


def discover() -> Toolchain:
    """Raises ToolchainMissing (with the install hint) when Dafny is absent or broken."""
    path = _dafny_path()
    version = _cached_version(path)
    dialect = dialect_for_version(version)
    notes = []
    z3 = _find_z3(dialect)
    if z3 is None and dialect.major < 4:
        notes.append(
            "clean z3 4.8.5 not installed (run `proofroute setup`): using Dafny's default z3, "
            "whose noise is skipped and whose models may be empty"
        )
    node = shutil.which("node")
    modules = node_dir(tools_dir()) / "node_modules"
    node_modules = str(modules) if (modules / "bignumber.js").is_dir() else None
    return Toolchain(
        dafny=(path,),
        path=path,
        version=version,
        dialect=dialect,
        server=_find_server(path, dialect),
        z3=z3,
        node=node,
        node_modules=node_modules,
        notes=tuple(notes),
    )
