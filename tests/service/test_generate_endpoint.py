"""`POST /v1/generate` (a generate job answered when it ends) over real HTTP on loopback,
with the real Dafny: repairs, spec objects, cheats, the Lean route, bad input, hostile
spec names and replay names. Ported from the standalone server this service replaced."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from verifier.service.app import create_app
from verifier.service.records import spec_toml
from verifier.service.store import Store
from verifier.service.workers import WorkerPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "loop"))

import loop_replies as R

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("served")
    replays, outside = root / "replays", root / "outside"
    replays.mkdir()
    outside.mkdir()
    R.write_replay(replays / "max.jsonl", [R.fenced(R.MAX_OK)])
    R.write_replay(outside / "secret.jsonl", [R.fenced(R.MAX_OK)])
    (replays / "link.jsonl").symlink_to(outside / "secret.jsonl")
    (replays / "notes.txt").write_text("not a recording")
    (replays / "broken.jsonl").write_text("{not json\n")
    store = Store(f"sqlite:///{root / 'jobs.sqlite3'}")
    pool = WorkerPool(store, server="endpoint", workers=1, scratch=root / "scratch", replay_dir=replays)
    pool.start()
    server = uvicorn.Server(uvicorn.Config(create_app(store, pool), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}", root
    server.should_exit = True
    thread.join(10)
    pool.stop(deadline=10)
    store.close()


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{url}/v1/generate", json=body, timeout=600)


def test_health_reports_each_route(served: tuple[str, Path]) -> None:
    body = httpx.get(f"{served[0]}/v1/health", timeout=120).json()
    assert body["ok"] and body["dafny"]["version"].startswith("2.3")
    assert body["lean"]["ok"] and body["lean"]["version"].startswith("4.")


def test_generate_from_toml_text_with_a_repair(served: tuple[str, Path]) -> None:
    reply = post(served[0], {"spec": R.COUNT_SPEC.read_text(), "llm": "replay",
                             "replies": [R.fenced(R.COUNT_ODD), R.fenced(R.COUNT_OK)],
                             "budgets": {"attempts": 3, "validate": 5}})
    assert reply.status_code == 200, reply.text
    art = reply.json()
    assert art["verified"] and art["certificate"]["attempts"] == 2
    assert "def CountEvens(xs: list[int]) -> int:" in art["files"]["count_evens.py"]
    assert art["files"]["count_evens.dfy"] == R.COUNT_OK
    assert art["certificate"]["translation_validation"]["ok"]
    assert [r["kind"] for r in art["transcript"]].count("response") == 2


def test_generate_from_a_spec_object(served: tuple[str, Path]) -> None:
    spec = {
        "name": "max_of_list",
        "signature": "method MaxOfList(xs: seq<int>) returns (m: int)",
        "requires": ["|xs| > 0"],
        "ensures": ["forall i :: 0 <= i < |xs| ==> xs[i] <= m", "exists i :: 0 <= i < |xs| && xs[i] == m"],
        "examples": [{"args": {"xs": [3, 1, 4]}, "result": {"m": 4}}],
    }
    assert "[[examples]]" in spec_toml(spec)
    reply = post(served[0], {"spec": spec, "llm": "replay", "replies": [R.fenced(R.MAX_OK)],
                             "budgets": {"validate": 0}})
    assert reply.status_code == 200 and reply.json()["verified"], reply.text


def test_cheats_come_back_not_verified(served: tuple[str, Path]) -> None:
    replies = [R.fenced(R.CHEATS["assume"]), R.fenced(R.CHEATS["weakened_ensures"])]
    body = post(served[0], {"spec": R.MAX_SPEC.read_text(), "llm": "replay", "replies": replies,
                            "budgets": {"attempts": 2}}).json()
    assert body["verified"] is False and body["best_stage"] == "guard"
    assert not any(r["kind"] == "check" for r in body["transcript"])


def test_the_lean_route_is_chosen_per_request(served: tuple[str, Path]) -> None:
    proof = "```lean\ndef Abs (x : Int) : Int := x\n\ntheorem Abs_spec_0 (x : Int) : Abs x >= 0 := by sorry\n```"
    reply = post(served[0], {"spec": (R.TEST_SPECS / "abs.toml").read_text(), "llm": "replay",
                             "replies": [proof], "backend": "lean", "budgets": {"attempts": 1}})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["verified"] is False and body["best_stage"] == "guard"
    (session,) = [r for r in body["transcript"] if r["kind"] == "session"]
    assert session["backend"] == "lean"
    (guard,) = [r for r in body["transcript"] if r["kind"] == "guard"]
    assert any("sorry" in p["message"] for p in guard["problems"])
    unknown = post(served[0], {"spec": R.MAX_SPEC.read_text(), "llm": "replay", "replies": [], "backend": "coq"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_request"


def test_bad_input_gets_the_one_error_shape(served: tuple[str, Path]) -> None:
    bad_spec = post(served[0], {"spec": 'name = "x"\nsignature = "method X("\n', "llm": "replay", "replies": []})
    assert bad_spec.status_code == 400 and bad_spec.json()["error"]["code"] == "spec"
    provider = post(served[0], {"spec": R.MAX_SPEC.read_text(), "llm": "nosuch:x"})
    assert provider.status_code == 400 and provider.json()["error"]["code"] == "llm"
    shape = httpx.post(f"{served[0]}/v1/generate", json={"llm": "replay"}, timeout=30)
    assert shape.status_code == 422 and set(shape.json()) == {"error"}


HOSTILE_NAMES = ("{tmp}/evil", "../esc", "a/b", "..", "x.py", "", "with space", "class",
                 "n" * 65, "\u00e9t\u00e9", "x\u0000y")


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("template", HOSTILE_NAMES)
def test_hostile_spec_names_are_spec_errors_and_write_nothing(served: tuple[str, Path], tmp_path: Path,
                                                             template: str) -> None:
    name = template.format(tmp=tmp_path)
    spec = R.MAX_SPEC.read_text().replace('name = "max_of_list"', f"name = {json.dumps(name)}")
    before = _files_under(tmp_path), _files_under(served[1] / "replays")
    reply = post(served[0], {"spec": spec, "llm": "replay", "replies": [R.fenced(R.MAX_OK)],
                             "budgets": {"validate": 0}})
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert error["code"] == "spec" and "spec name" in error["message"]
    assert ":1:8: error:" in error["message"] and "hint:" in error["message"]
    assert (_files_under(tmp_path), _files_under(served[1] / "replays")) == before
    assert not Path(f"{tmp_path}/evil.py").exists()


def test_a_replay_file_from_the_replay_folder_is_served(served: tuple[str, Path]) -> None:
    reply = post(served[0], {"spec": R.MAX_SPEC.read_text(), "llm": "replay:max.jsonl", "budgets": {"validate": 0}})
    assert reply.status_code == 200 and reply.json()["verified"], reply.text
    assert str(served[1]) not in reply.text  # the answer does not show the server's folders


@pytest.mark.parametrize("name", [
    "missing.jsonl", "../outside/secret.jsonl", "link.jsonl", "/etc/passwd", "notes.txt",
    "broken.jsonl", "", "sub/../../outside/secret.jsonl", "/dev/null.jsonl",
])
def test_replay_files_missing_or_not_allowed_get_the_same_answer(served: tuple[str, Path], name: str) -> None:
    reply = post(served[0], {"spec": R.MAX_SPEC.read_text(), "llm": f"replay:{name}"})
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["code"] == "llm" and error["message"] == (
        f"replay file {name!r} is not available on this server\n  hint: the server reads "
        "replay files only from the folder it was configured with, by a name ending in "
        ".jsonl; or send the replies inline with llm 'replay'")
    assert str(served[1]) not in reply.text
