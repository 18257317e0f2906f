"""Where proofroute keeps caches and the toolchains its setup installs.

`PROOFROUTE_CACHE_DIR` overrides the platform cache dir (tests point it at a tmp dir).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    env = os.environ.get("PROOFROUTE_CACHE_DIR")
    path = Path(env) if env else Path(platformdirs.user_cache_dir("proofroute"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def tools_dir() -> Path:
    """Toolchains installed by `proofroute setup` (z3 for Dafny, node modules, Lean wasm).

    `PROOFROUTE_TOOLS_DIR` overrides; kept apart from the cache so clearing caches does not
    uninstall toolchains.
    """
    env = os.environ.get("PROOFROUTE_TOOLS_DIR")
    path = Path(env) if env else Path(platformdirs.user_data_dir("proofroute")) / "tools"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `path` so that readers (other threads and processes) see the old file or the
    whole new one, never a part. Creates the folder; raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
