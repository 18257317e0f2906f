"""Where proofroute keeps caches and the toolchains its setup installs.

`PROOFROUTE_CACHE_DIR` overrides the platform cache dir (tests point it at a tmp dir).
"""

from __future__ import annotations

import os
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
