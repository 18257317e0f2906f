"""Shared pieces of the boundary tests: a small honest spec with a reply that verifies,
hostile names, a real `proofroute serve` on a free loopback port, and filesystem
snapshots of the areas a confined writer must leave alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = f"prtrust{uuid.uuid4().hex[:10]}"

ABS_SIGNATURE = "method Abs(x: int) returns (y: int)"
ABS_ENSURES = ["y >= 0", "y == x || y == -x"]
ABS_OK = """method Abs(x: int) returns (y: int)
  ensures y >= 0
  ensures y == x || y == -x
{
  if x < 0 { y := -x; } else { y := x; }
}
"""
ABS_REPLY = f"Here is the program:\n\n```dafny\n{ABS_OK.strip()}\n```\n"

# Names that are not identifiers: every one must be refused with a clear error (400 on
# the server), and none may make anything appear outside the output folder.
PATHLIKE_NAMES: dict[str, str] = {
    "absolute": f"/tmp/{TOKEN}/evil",
    "dotdot_escape": f"../{TOKEN}esc",
    "dotdot": "..",
    "dot": ".",
    "empty": "",
    "slash": f"a/{TOKEN}",
    "backslash": f"a\\..\\{TOKEN}",
    "nul": f"{TOKEN}\x00evil",
    "deep_dotdot": f"../../../../{TOKEN}deep",
    "home": f"~/{TOKEN}home",
    "shell_subst": f"$(touch /tmp/{TOKEN}shell)",
    "shell_semicolon": f"x; touch /tmp/{TOKEN}semi",
    "backticks": f"`touch /tmp/{TOKEN}tick`",
    "newline": f"{TOKEN}\nevil",
    "leading_dash": "-rf",
    "space": f"{TOKEN} evil",
    "very_long": "a" * 5000,
    "url_encoded": f"%2e%2e%2f{TOKEN}",
    "dotdot_slash_mix": f"....//....//{TOKEN}",
}
# Identifier-like but unusual: refused (400) or accepted, but always confined.
ODD_NAMES: dict[str, str] = {
    "unicode_letters": f"ünïcödé_{TOKEN}",
    "unicode_fullwidth_dots": f"\uff0e\uff0e\uff0f{TOKEN}",
    "unicode_division_slash": f"..\u2215{TOKEN}",
    "windows_device": "CON",
}


def spec_object(name: str) -> dict[str, object]:
    return {"name": name, "signature": ABS_SIGNATURE, "ensures": ABS_ENSURES}


def spec_toml(name: str) -> str:
    ensures = ", ".join(json.dumps(e) for e in ABS_ENSURES)
    return (f"name = {json.dumps(name)}\nsignature = {json.dumps(ABS_SIGNATURE)}\n"
            f"ensures = [{ensures}]\n")


def replies_jsonl(*replies: str) -> str:
    return "".join(json.dumps({"kind": "response", "content": r}) + "\n" for r in replies)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    out: Path | None
    cwd: Path


@contextmanager
def serve(args: list[str], *, cwd: Path, cache: Path) -> Iterator[str]:
    """`proofroute serve` as a user starts it (its own process, loopback only)."""
    port = free_port()
    env = {**os.environ, "PROOFROUTE_CACHE_DIR": str(cache), "XDG_DATA_HOME": str(cache / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "verifier", "serve", "--host", "127.0.0.1", "--port", str(port),
         *args],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{url}/v1/health", timeout=60)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise RuntimeError(f"proofroute serve exited: {proc.stderr.read()}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError("proofroute serve did not come up in 120 s") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def replay_folder_option() -> str | None:
    """The server option that names the one folder replay files may come from, if the
    installed `proofroute serve` has one (issue 10 asks for it)."""
    text = subprocess.run([sys.executable, "-m", "verifier", "serve", "--help"],
                          capture_output=True, text=True, timeout=120).stdout
    match = re.search(r"(--[\w-]*replay[\w-]*)\s+(DIRECTORY|DIR|PATH|FOLDER)", text)
    return match.group(1) if match else None


def snapshot(*roots: Path) -> set[str]:
    """Every path under `roots` (recursively)."""
    seen: set[str] = set()
    for root in roots:
        if not root.exists():
            continue
        seen.add(str(root))
        for dirpath, dirnames, filenames in os.walk(root):
            for n in dirnames + filenames:
                seen.add(os.path.join(dirpath, n))
    return seen


def token_paths() -> list[str]:
    """Anything named with this run's token directly in /tmp, / or the home folder, where
    an escaped or shell-interpreted name would land. Each is removed once seen (its name
    holds this run's random token, so it is ours), so one test's escape does not leak
    into the next test's verdict."""
    hits: list[str] = []
    for base in (Path("/tmp"), Path("/"), Path.home()):
        try:
            entries = list(base.iterdir())
        except OSError:
            continue
        for entry in entries:
            if TOKEN in entry.name:
                hits.append(str(entry))
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
    return hits


def outside(created: set[str], allowed: Path | None) -> list[str]:
    """Paths in `created` that are not inside `allowed`."""
    if allowed is None:
        return sorted(created)
    root = str(allowed.resolve())
    return sorted(p for p in created
                  if not (str(Path(p).resolve()) == root
                          or str(Path(p).resolve()).startswith(root + os.sep)))
