"""Folders lent read-only to a sandboxed child: the user's project and environment.

Why: code under test imports its siblings, its own package and installed libraries, so
the child must read them — and nothing may change them. Where the child runs under a
private uid (root parent), it cannot even traverse a folder like ``/root`` (mode 700)
that holds a pyenv's site-packages; `plan_mounts` describes how the jail lends each
folder in a private mount namespace: bind-mounted read-only at its own path, and where
an ancestor is closed to the uid, that ancestor is covered by an empty tmpfs in which
only the path down to the lent folder exists. Absolute paths (``.pth`` files, editable
finders, ``__file__``) therefore keep working, and nothing else under the closed
ancestor becomes visible.

Without root the child runs as the user, who can read these folders already; the audit
hook then allows reading them (and still refuses writing them).
"""

from __future__ import annotations

import json
import os
import site
import stat
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse


@dataclass(frozen=True)
class Lend:
    """What a child may read besides the interpreter: all absolute, resolved paths.

    `paths` go first on the child's ``sys.path`` (project roots, the module's import
    root); `site_dirs` are added as site directories (their ``.pth`` files processed)
    and may load C extensions; `readable` are only readable (editable installs' source
    folders, reached through their finders)."""

    paths: tuple[str, ...] = ()
    site_dirs: tuple[str, ...] = ()
    readable: tuple[str, ...] = ()

    @property
    def roots(self) -> tuple[str, ...]:
        """Every lent folder, in order, without duplicates."""
        return tuple(dict.fromkeys((*self.paths, *self.site_dirs, *self.readable)))

    def __bool__(self) -> bool:
        return bool(self.roots)


def environment_lend(paths: tuple[Path, ...]) -> Lend:
    """`paths` plus the parent interpreter's site-packages (a venv's, and the base
    environment's when the venv includes it) and the source folders of editable
    installs there."""
    sites = [str(Path(p).resolve()) for p in
             (*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])
             if Path(p).is_dir()]
    site_dirs = tuple(dict.fromkeys(sites))
    return Lend(paths=tuple(dict.fromkeys(str(p.resolve()) for p in paths)), site_dirs=site_dirs,
                readable=editable_roots(site_dirs))


def editable_roots(site_dirs: tuple[str, ...]) -> tuple[str, ...]:
    """Project folders of editable installs, from each distribution's PEP 610
    ``direct_url.json`` (``dir_info.editable``): their finders import from there."""
    found: list[str] = []
    for folder in site_dirs:
        for info in sorted(Path(folder).glob("*.dist-info/direct_url.json")):
            try:
                record = json.loads(info.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            if not (isinstance(record, dict) and isinstance(record.get("dir_info"), dict)
                    and record["dir_info"].get("editable") and isinstance(record.get("url"), str)):
                continue
            url = urlparse(record["url"])
            if url.scheme == "file" and Path(unquote(url.path)).is_dir():
                found.append(str(Path(unquote(url.path)).resolve()))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class MountPlan:
    """The mounts that lend `Lend.roots` to a private uid; bytes, ready for the fork child.

    In order: bind each root (read-only) at its staging folder in scratch; cover each
    closed ancestor with a tmpfs; make the folders down to each root in it; move each
    staged mount onto its root's own path."""

    staged: tuple[tuple[bytes, bytes], ...] = ()  # (root, staging folder)
    covers: tuple[bytes, ...] = ()  # closed ancestors to cover with a tmpfs
    folders: tuple[bytes, ...] = ()  # to make inside those tmpfs, parents first


def restrict(lend: Lend, scratch: Path) -> tuple[Lend, tuple[str, ...]]:
    """`lend` without the folders that must never be lent, and a note for each: ``/``, a
    folder holding scratch (it would become read-only) or the parent's home (it would
    expose every secret in it)."""
    home = Path.home().resolve()
    notes: list[str] = []

    def ok(root: str) -> bool:
        path = Path(root)
        if path == Path("/") or scratch.resolve().is_relative_to(path) or home.is_relative_to(path):
            notes.append(f"not lent (it holds scratch, the home folder or everything): {root}")
            return False
        return True

    kept = Lend(tuple(filter(ok, lend.paths)), tuple(filter(ok, lend.site_dirs)),
                tuple(filter(ok, lend.readable)))
    return kept, tuple(dict.fromkeys(notes))


def plan_mounts(lend: Lend, scratch: Path) -> MountPlan:
    """Plan the mounts of a `restrict`ed `lend` for a child whose scratch is `scratch`;
    makes the staging folders. Folders inside another lent one need no mount."""
    roots: list[str] = []
    for root in lend.roots:
        path = Path(root)
        if not any(path.is_relative_to(r) for r in roots) and path.is_dir():
            roots = [r for r in roots if not Path(r).is_relative_to(path)] + [root]
    stage_dir = scratch / ".lent"
    stage_dir.mkdir(mode=0o755)
    staged, covers, folders = [], [], []
    for n, root in enumerate(roots):
        stage = stage_dir / str(n)
        stage.mkdir(mode=0o755)
        staged.append((os.fsencode(root), os.fsencode(stage)))
        closed = _closed_ancestor(Path(root))
        if closed is not None:
            covers.append(os.fsencode(closed))
            chain = [p for p in Path(root).parents if p.is_relative_to(closed) and p != closed]
            folders += [os.fsencode(p) for p in reversed(chain)] + [os.fsencode(root)]
    return MountPlan(tuple(staged), tuple(dict.fromkeys(covers)), tuple(dict.fromkeys(folders)))


def _closed_ancestor(root: Path) -> Path | None:
    """The topmost ancestor of `root` that an unrelated uid cannot traverse (no o+x)."""
    for folder in reversed(root.parents):
        if folder == Path("/"):
            continue
        try:
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return folder
        except OSError:
            return None
    return None
