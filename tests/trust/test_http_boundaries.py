"""The HTTP server's trust boundaries, attacked over real HTTP (`proofroute serve` in its
own process on a free 127.0.0.1 port).

- A spec `name` is a validated identifier: path-like or shell-like names get a 400 with a
  clear message, and no request makes a file appear outside the output folder (checked by
  snapshots of the server's cwd, the out folder's parent and this run's token in /tmp).
- Replay files come only from one configured folder; a missing file and a file outside
  the folder give the SAME error, so a caller learns nothing about the server's disk and
  reads nothing back.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "http"))

import hostile as H

pytestmark = [pytest.mark.slow, pytest.mark.dafny]

# A one-method spec with its reply inline verifies in seconds; a request that takes longer
# than this is itself a failure (a hostile name must not wedge the server).
REQUEST_TIMEOUT = 240


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private area: <area>/cwd is the server's cwd, <area>/parent/out its out folder."""
    root = tmp_path_factory.mktemp("http-area")
    for sub in ("cwd", "parent/out", "replay_dir", "outside", "cache", "db"):
        (root / sub).mkdir(parents=True)
    (root / "outside" / "replies.jsonl").write_text(H.replies_jsonl(H.ABS_REPLY))
    (root / "replay_dir" / "replies.jsonl").write_text(H.replies_jsonl(H.ABS_REPLY))
    return root


@pytest.fixture(scope="module")
def out_server(area: Path) -> Iterator[H.Server]:
    # The job service keeps artifacts in its store, not in files: its database file
    # lives in the out folder, the one place anything may appear.
    with H.serve(["--db", f"sqlite:///{area / 'parent' / 'out' / 'jobs.sqlite3'}"], cwd=area / "cwd",
                 cache=area / "cache") as url:
        yield H.Server(url, area / "parent" / "out", area / "cwd")


@pytest.fixture(scope="module")
def default_server(area: Path) -> Iterator[H.Server]:
    with H.serve(["--db", f"sqlite:///{area / 'db' / 'default.sqlite3'}"], cwd=area / "cwd",
                 cache=area / "cache") as url:
        yield H.Server(url, None, area / "cwd")


@pytest.fixture(scope="module")
def replay_server(area: Path) -> Iterator[tuple[H.Server, bool]]:
    """A server that accepts replay files: from `replay_dir` when the server has an option
    to name that folder, else with today's `--allow-replay-files`."""
    option = H.replay_folder_option()
    args = [option, str(area / "replay_dir")] if option else ["--allow-replay-files"]
    args += ["--db", f"sqlite:///{area / 'db' / 'replay.sqlite3'}"]
    with H.serve(args, cwd=area / "cwd", cache=area / "cache") as url:
        yield H.Server(url, None, area / "cwd"), option is not None


def generate(server: H.Server, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/generate", json=body, timeout=REQUEST_TIMEOUT)


def hostile_request(server: H.Server, name: str) -> httpx.Response:
    return generate(server, {"spec": H.spec_object(name), "llm": "replay",
                             "replies": [H.ABS_REPLY], "budgets": {"attempts": 1, "validate": 0}})


def _confined(server: H.Server, area: Path, name: str) -> tuple[httpx.Response, list[str]]:
    watched = (area / "cwd", area / "parent", area / "outside", area / "replay_dir")
    before = H.snapshot(*watched)
    reply = hostile_request(server, name)
    # The property-test database Hypothesis keeps in the cwd is a separate finding
    # (test_cli_boundaries.py::test_generate_writes_only_inside_out): not a name escape.
    created = {c for c in H.snapshot(*watched) - before
               if not c.startswith(str(area / "cwd" / ".hypothesis"))}
    escaped = H.outside(created, server.out) + H.token_paths()
    return reply, escaped


def test_control_an_honest_name_verifies_and_writes_inside_out(out_server: H.Server,
                                                              area: Path) -> None:
    reply, escaped = _confined(out_server, area, f"abs_{H.TOKEN}")
    assert reply.status_code == 200, reply.text
    assert reply.json()["verified"] is True
    assert escaped == []
    # the artifact is kept by the job service: a zip named after the spec
    job = reply.json()["job"]
    archive = httpx.get(f"{out_server.url}/v1/jobs/{job}/artifact", timeout=60)
    assert archive.status_code == 200 and H.TOKEN.encode() in archive.content


@pytest.mark.parametrize("case", sorted(H.PATHLIKE_NAMES))
@pytest.mark.parametrize("which", ["out", "default"])
def test_pathlike_spec_name_is_refused_and_confined(
    which: str, case: str, out_server: H.Server, default_server: H.Server, area: Path,
) -> None:
    server = out_server if which == "out" else default_server
    reply, escaped = _confined(server, area, H.PATHLIKE_NAMES[case])
    assert escaped == [], f"{case}: files appeared outside the output folder: {escaped}"
    assert reply.status_code == 400, f"{case}: expected a 400, got {reply.status_code}: {reply.text[:300]}"
    assert "name" in reply.text.lower(), f"{case}: the error does not say the name is wrong: {reply.text[:300]}"


@pytest.mark.parametrize("case", sorted(H.ODD_NAMES))
def test_odd_spec_name_is_refused_or_confined(case: str, out_server: H.Server, area: Path) -> None:
    reply, escaped = _confined(out_server, area, H.ODD_NAMES[case])
    assert escaped == [], f"{case}: files appeared outside the output folder: {escaped}"
    assert reply.status_code in (200, 400), f"{case}: {reply.status_code}: {reply.text[:300]}"


def _replay(server: H.Server, path: str) -> httpx.Response:
    return generate(server, {"spec": H.spec_object(f"abs_{H.TOKEN}"), "llm": f"replay:{path}",
                             "budgets": {"attempts": 1, "validate": 0}})


def _shape(reply: httpx.Response, path: str) -> tuple[int, str]:
    return reply.status_code, reply.text.replace(path, "<PATH>")


def test_replay_missing_and_outside_give_the_same_error(
    replay_server: tuple[H.Server, bool], area: Path,
) -> None:
    server, _ = replay_server
    missing = str(area / "outside" / f"{H.TOKEN}-missing.jsonl")
    existing = str(area / "outside" / "replies.jsonl")
    a, b = _replay(server, missing), _replay(server, existing)
    assert a.status_code == 400, a.text[:300]
    assert _shape(a, missing) == _shape(b, existing), (
        f"a missing file and an existing file outside the replay folder answer differently: "
        f"{a.status_code} {a.text[:200]!r} vs {b.status_code} {b.text[:200]!r}")


@pytest.mark.parametrize("path", [
    "/etc/passwd", "/etc/hostname", "/proc/self/environ", "/dev/zero",
    "../outside/replies.jsonl", "../../etc/passwd", "replay_dir/../outside/replies.jsonl",
    "/tmp", "~/.bashrc",
])
def test_replay_paths_outside_the_folder_are_refused_like_missing_ones(
    path: str, replay_server: tuple[H.Server, bool], area: Path,
) -> None:
    server, _ = replay_server
    missing = f"/nonexistent-{H.TOKEN}/none.jsonl"
    reply, baseline = _replay(server, path), _replay(server, missing)
    assert reply.status_code == 400, f"{path}: {reply.status_code} {reply.text[:300]}"
    assert _shape(reply, path) == _shape(baseline, missing), (
        f"{path}: answered differently from a missing file: {reply.text[:300]}")
    assert "root:" not in reply.text and "verified\":true" not in reply.text.replace(" ", "")


def test_replay_file_outside_the_folder_is_not_read(replay_server: tuple[H.Server, bool],
                                                    area: Path) -> None:
    server, _ = replay_server
    reply = _replay(server, str(area / "outside" / "replies.jsonl"))
    assert not (reply.status_code == 200 and reply.json().get("verified")), (
        "the server read a replay file outside its configured folder and used it")
    assert "Here is the program" not in reply.text


def test_replay_file_inside_the_configured_folder_is_used(
    replay_server: tuple[H.Server, bool], area: Path,
) -> None:
    server, has_folder_option = replay_server
    assert has_folder_option, ("`proofroute serve` has no option naming the one folder replay "
                               "files may come from (issue 10, deliverable 7)")
    reply = _replay(server, "replies.jsonl")
    assert reply.status_code == 200 and reply.json()["verified"] is True, reply.text[:300]
