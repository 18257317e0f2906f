"""Where proofroute keeps caches and the toolchains its setup installs.

`PROOFROUTE_CACHE_DIR` overrides the platform cache dir (tests point it at a tmp dir).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import platformdirs

from verifier.errors import PathEscape


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


def confined(root: Path | str, *parts: str | Path) -> Path:
    """`root / parts...`, resolved, or `PathEscape` when it lands outside `root`.

    Every file the tool writes for a caller (artifacts, transcripts, emitted tests,
    compiled modules) goes through here, so that even a name nobody validated (a `Spec`
    built in code, a hostile request) cannot place a file elsewhere: `..`, absolute
    parts and symlinks (followed by `resolve`) are judged on where they really lead.
    """
    base = Path(root).resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and not target.is_relative_to(base):
        shown = "/".join(str(p) for p in parts)
        raise PathEscape(
            f"refusing to write {shown!r}: it resolves to {target}, outside {base}",
            root=str(base), path=str(target),
            hint="names of specs and files must be plain identifiers without '/', '..' "
                 "or symlinks leading out of the output folder")
    return target


def hypothesis_storage_in_cache() -> None:
    """Keep Hypothesis's working files (`.hypothesis/`) in our cache instead of the cwd.

    Hypothesis writes that folder into the current directory the first time it draws; a
    command that promises to write only under its output folder (`generate --out`) must
    not leave it beside the user's files. Called by the commands that draw inputs — never
    on import, so a user's own Hypothesis tests in the same process keep their setting.
    """
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(cache_dir() / "hypothesis")

