"""The HTTP API over real HTTP on loopback: uvicorn in a thread, httpx as the client."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "loop"))

import loop_replies as R

uvicorn = pytest.importorskip("uvicorn")
from verifier.server import create_app, toml_text  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    from verifier.backends import get_backend

    backend = get_backend("dafny", cache=False)
    if not backend.available().ok:
        pytest.skip("Dafny is not installed here")
    config = uvicorn.Config(create_app(backend=backend), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    backend.close()


def post(base_url: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{base_url}/v1/generate", json=body, timeout=300)


def test_health(base_url: str) -> None:
    reply = httpx.get(f"{base_url}/v1/health", timeout=60)
    assert reply.status_code == 200
    body = reply.json()
    assert body["ok"] and body["dafny"]["version"].startswith("2.3")
    assert body["lean"]["ok"] and body["lean"]["version"].startswith("4.")


def test_generate_from_toml_text_with_a_repair(base_url: str) -> None:
    body = {"spec": R.COUNT_SPEC.read_text(), "llm": "replay",
            "replies": [R.fenced(R.COUNT_ODD), R.fenced(R.COUNT_OK)],
            "budgets": {"attempts": 3, "validate": 5}}
    reply = post(base_url, body)
    assert reply.status_code == 200, reply.text
    art = reply.json()
    assert art["verified"] and art["certificate"]["attempts"] == 2
    assert "def CountEvens(xs: list[int]) -> int:" in art["files"]["count_evens.py"]
    assert art["files"]["count_evens.dfy"] == R.COUNT_OK
    assert art["certificate"]["translation_validation"]["ok"]
    assert [r["kind"] for r in art["transcript"]].count("response") == 2


def test_generate_from_a_spec_object(base_url: str) -> None:
    spec = {
        "name": "max_of_list",
        "signature": "method MaxOfList(xs: seq<int>) returns (m: int)",
        "requires": ["|xs| > 0"],
        "ensures": ["forall i :: 0 <= i < |xs| ==> xs[i] <= m",
                    "exists i :: 0 <= i < |xs| && xs[i] == m"],
        "examples": [{"args": {"xs": [3, 1, 4]}, "result": {"m": 4}}],
    }
    assert "[[examples]]" in toml_text(spec)
    reply = post(base_url, {"spec": spec, "llm": "replay", "replies": [R.fenced(R.MAX_OK)],
                            "budgets": {"validate": 0}})
    assert reply.status_code == 200 and reply.json()["verified"]


def test_cheats_come_back_not_verified(base_url: str) -> None:
    replies = [R.fenced(R.CHEATS["assume"]), R.fenced(R.CHEATS["weakened_ensures"])]
    reply = post(base_url, {"spec": R.MAX_SPEC.read_text(), "llm": "replay", "replies": replies,
                            "budgets": {"attempts": 2}})
    assert reply.status_code == 200
    body = reply.json()
    assert body["verified"] is False and body["best_stage"] == "guard"
    assert not any(r["kind"] == "check" for r in body["transcript"])


def test_the_lean_route_is_chosen_per_request(base_url: str) -> None:
    # A proof with `sorry` is refused by the Lean route's guard: no Lean time is spent,
    # and the transcript shows which route judged it.
    proof = "```lean\ndef Abs (x : Int) : Int := x\n\ntheorem Abs_spec_0 (x : Int) : Abs x >= 0 := by sorry\n```"
    reply = post(base_url, {"spec": (R.TEST_SPECS / "abs.toml").read_text(), "llm": "replay",
                            "replies": [proof], "backend": "lean", "budgets": {"attempts": 1}})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["verified"] is False and body["best_stage"] == "guard"
    (session,) = [r for r in body["transcript"] if r["kind"] == "session"]
    assert session["backend"] == "lean"
    (guard,) = [r for r in body["transcript"] if r["kind"] == "guard"]
    assert any("sorry" in p["message"] for p in guard["problems"])
    unknown = post(base_url, {"spec": R.MAX_SPEC.read_text(), "llm": "replay", "replies": [],
                              "backend": "coq"})
    assert unknown.status_code == 422


def test_bad_input_is_400(base_url: str) -> None:
    bad_spec = post(base_url, {"spec": 'name = "x"\nsignature = "method X("\n', "llm": "replay",
                               "replies": []})
    assert bad_spec.status_code == 400 and bad_spec.json()["detail"]["error"] == "spec"
    files = post(base_url, {"spec": R.MAX_SPEC.read_text(), "llm": "replay:/etc/passwd"})
    assert files.status_code == 400 and "disabled" in files.json()["detail"]["message"]
    provider = post(base_url, {"spec": R.MAX_SPEC.read_text(), "llm": "nosuch:x"})
    assert provider.status_code == 400
    shape = httpx.post(f"{base_url}/v1/generate", json={"llm": "replay"}, timeout=30)
    assert shape.status_code == 422


def test_serve_command_listens_on_loopback(tmp_path: Path) -> None:
    import socket
    import subprocess

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "verifier", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=60)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "proofroute serve did not come up"
                time.sleep(0.2)
        assert reply.status_code == 200 and reply.json()["version"]
    finally:
        proc.terminate()
        proc.wait(20)
