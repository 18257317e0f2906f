"""The job API over real HTTP on loopback (uvicorn in a thread, httpx), with the real
Dafny behind it and recorded model replies, on the SQLite store."""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from verifier.service.app import Limits, create_app
from verifier.service.store import Store
from verifier.service.workers import WorkerPool

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "verifier" / "demo"
SPEC = (DEMO / "specs" / "max_of_list.toml").read_text("utf-8")
REPLIES = [json.loads(line)["content"] for line in (DEMO / "sessions" / "max_of_list.jsonl").read_text("utf-8").splitlines()
           if json.loads(line).get("kind") == "response"]
CHECK_SPEC = 'name = "abs"\nsignature = "method Abs(x: int) returns (y: int)"\nensures = ["y >= 0", "y == x || y == -x"]\n'


@dataclass
class Server:
    url: str
    store: Store
    pool: WorkerPool


def _serve(store: Store, pool: WorkerPool, limits: Limits) -> Iterator[str]:
    config = uvicorn.Config(create_app(store, pool, limits=limits), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    store = Store(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    pool = WorkerPool(store, server="test", workers=1, scratch=tmp_path / "scratch")
    pool.start()
    for url in _serve(store, pool, Limits(max_queued=3, per_key_active=2)):
        yield Server(url, store, pool)
    pool.stop(deadline=10)
    store.close()


def wait(client: httpx.Client, job_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


@pytest.mark.dafny
@pytest.mark.slow
def test_a_generate_job_runs_to_verified_with_events_and_an_artifact(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        answer = client.post("/v1/jobs", json={"kind": "generate", "spec": SPEC, "llm": "replay", "replies": REPLIES})
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        assert answer.json()["status"] == "queued" and answer.json()["links"]["events"] == f"/v1/jobs/{job_id}/events"
        job = wait(client, job_id)
        assert job["status"] == "verified", job
        assert "max_of_list.py" in job["result"]["detail"]["files"]
        stream = client.get(f"/v1/jobs/{job_id}/events").text
        kinds = [line.removeprefix("event: ") for line in stream.splitlines() if line.startswith("event: ")]
        assert kinds[0] == "queued" and kinds[-1] == "done"
        assert {"prompt", "response", "guard", "check"} <= set(kinds), kinds
        # resuming after event 3 gives exactly the rest
        ids = [int(line.removeprefix("id: ")) for line in stream.splitlines() if line.startswith("id: ")]
        rest = client.get(f"/v1/jobs/{job_id}/events", headers={"Last-Event-ID": "3"}).text
        assert [int(line[4:]) for line in rest.splitlines() if line.startswith("id: ")] == ids[3:]
        archive = zipfile.ZipFile(io.BytesIO(client.get(f"/v1/jobs/{job_id}/artifact").content))
        assert "max_of_list/max_of_list.py" in archive.namelist()


def test_spec_check_jobs_and_the_listing(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        good = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC}).json()
        bad = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC.replace("y >= 0", "y >= ")}).json()
        assert wait(client, good["id"])["status"] == "verified"
        failed = wait(client, bad["id"])
        assert failed["status"] == "not_verified" and failed["result"]["verdict"] == "errors"
        listed = client.get("/v1/jobs", params={"limit": 1}).json()
        assert [j["id"] for j in listed["jobs"]] == [bad["id"]] and listed["next_cursor"]
        older = client.get("/v1/jobs", params={"limit": 1, "cursor": listed["next_cursor"]}).json()
        assert [j["id"] for j in older["jobs"]] == [good["id"]]


def test_keys_once_created_are_required_and_jobs_stay_with_their_key(server: Server) -> None:
    _, token_a = server.store.create_key("a")
    _, token_b = server.store.create_key("b")
    with httpx.Client(base_url=server.url, timeout=60) as client:
        refused = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
        assert client.get("/v1/jobs", headers={"Authorization": "Bearer pr_nope"}).status_code == 401
        mine = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC},
                           headers={"Authorization": f"Bearer {token_a}"}).json()
        other = {"Authorization": f"Bearer {token_b}"}
        assert client.get(f"/v1/jobs/{mine['id']}", headers=other).status_code == 404
        assert client.delete(f"/v1/jobs/{mine['id']}", headers=other).status_code == 404
        assert client.get(f"/v1/jobs/{mine['id']}/events", headers=other).status_code == 404
        assert client.get("/v1/jobs", headers=other).json()["jobs"] == []


def test_one_error_shape_for_bad_bodies_and_sizes(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for answer, status in (
            (client.post("/v1/jobs", json={"kind": "nope"}), 422),
            (client.post("/v1/jobs", content=b"{not json"), 422),
            (client.post("/v1/jobs", json={"kind": "spec-check", "spec": "x" * 70_000}), 422),
            (client.post("/v1/jobs", content=b"{" + b" " * 1_100_000 + b"}"), 413),
            (client.get("/v1/jobs/does-not-exist"), 404),
        ):
            assert answer.status_code == status, answer.text
            assert set(answer.json()) == {"error"} and {"code", "message"} <= set(answer.json()["error"])


def test_a_full_queue_says_when_to_retry_and_cancel_frees_it(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    idle = WorkerPool(store, server="idle", workers=0, scratch=tmp_path / "scratch")  # nothing runs
    for url in _serve(store, idle, Limits(max_queued=2)):
        with httpx.Client(base_url=url, timeout=60) as client:
            first = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC}).json()
            client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC})
            full = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC})
            assert full.status_code == 429 and full.headers["retry-after"] == "5"
            assert full.json()["error"]["code"] == "queue_full"
            assert client.delete(f"/v1/jobs/{first['id']}").json()["status"] == "cancelled"
            assert client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC}).status_code == 202
    store.close()


@pytest.mark.dafny
@pytest.mark.slow
def test_the_blocking_generate_endpoint_is_a_job_too(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=300) as client:
        answer = client.post("/v1/generate", json={"spec": SPEC, "llm": "replay", "replies": REPLIES})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["verified"] is True and "max_of_list.py" in body["files"]
        assert client.get(f"/v1/jobs/{body['job']}").json()["status"] == "verified"
        wrong = client.post("/v1/generate", json={"spec": SPEC, "llm": "replay", "replies": ["no code here"],
                                                  "budgets": {"attempts": 1}})
        assert wrong.status_code == 200 and wrong.json()["verified"] is False, wrong.text
        bad = client.post("/v1/generate", json={"spec": "name = ", "llm": "replay", "replies": []})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "spec", bad.text


def test_replay_files_only_from_the_replay_folder_with_one_error_for_every_refusal(tmp_path: Path) -> None:
    replays = tmp_path / "replays"
    replays.mkdir()
    (tmp_path / "secret.jsonl").write_text('{"kind": "response", "content": "x"}\n', "utf-8")
    store = Store(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    pool = WorkerPool(store, server="replay", workers=1, scratch=tmp_path / "scratch", replay_dir=replays)
    pool.start()
    errors = {}
    for url in _serve(store, pool, Limits()):
        with httpx.Client(base_url=url, timeout=60) as client:
            for name in ("../secret.jsonl", "missing.jsonl", str(tmp_path / "secret.jsonl"), "x.txt"):
                job = client.post("/v1/jobs", json={"kind": "generate", "spec": SPEC, "llm": f"replay:{name}"}).json()
                done = wait(client, job["id"])
                assert done["status"] == "failed", done
                errors[name] = done["error"].replace(repr(name), "NAME")
    pool.stop(deadline=10)
    store.close()
    assert len(set(errors.values())) == 1, errors
    assert str(tmp_path) not in next(iter(errors.values()))


DRAFT_SESSION = ROOT / "tests" / "draft" / "sessions" / "vague_index_of_max.jsonl"
DRAFT_REPLIES = [json.loads(line)["content"] for line in DRAFT_SESSION.read_text("utf-8").splitlines()]
VAGUE = "Return the position of the largest element of a list."


@pytest.mark.dafny
@pytest.mark.slow
def test_a_draft_spec_job_asks_its_question_and_the_answer_makes_a_clean_draft(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        first = client.post("/v1/jobs", json={"kind": "draft-spec", "description": VAGUE, "llm": "replay",
                                              "replies": DRAFT_REPLIES[:2]})
        assert first.status_code == 202, first.text
        job = wait(client, first.json()["id"])
        assert job["status"] == "not_verified" and job["result"]["verdict"] == "questions", job
        detail = job["result"]["detail"]
        assert detail["clean"] and "every element of `xs` is at most `xs[k]`" in detail["readback"]["text"]
        (question,) = detail["questions"]
        xs, outputs = question["args"]["xs"], question["outputs"]
        assert xs.count(max(xs)) >= 2 and len(question["answers"]) == len(outputs) == 2
        assert job["links"]["answers"] == f"/v1/jobs/{job['id']}/answers"
        first_position = min(range(2), key=lambda i: outputs[i]["k"])

        # the read-back and the question are on the job's page too
        page = client.get(f"/ui/jobs/{job['id']}").text
        assert 'id="readback"' in page and "Which result is intended?" in page

        bad = [({"answers": [{"question": 1, "choice": 0}], "replies": DRAFT_REPLIES[2:]}, 422),
               ({"answers": [{"question": 0, "choice": 0}]}, 422),  # a replayed draft needs its replies
               ({"answers": []}, 422)]
        for body, status in bad:
            answer = client.post(f"/v1/jobs/{job['id']}/answers", json=body)
            assert answer.status_code == status and answer.json()["error"]["message"], (body, answer.text)

        answer = client.post(f"/v1/jobs/{job['id']}/answers",
                             json={"answers": [{"question": 0, "choice": first_position}],
                                   "replies": DRAFT_REPLIES[2:]})
        assert answer.status_code == 202, answer.text
        second = wait(client, answer.json()["id"])
        assert second["kind"] == "draft-spec" and second["status"] == "verified", second
        assert second["result"]["verdict"] == "clean" and second["result"]["detail"]["questions"] == []
        assert "answers" not in second["links"]
        spec = second["result"]["detail"]["spec"]
        args, result = question["answers"][first_position].split(" -> ")
        assert f"args = {{ {args} }}\nresult = {{ {result} }}" in spec  # the answer is an example of the draft

        check = client.post("/v1/jobs", json={"kind": "spec-check", "spec": CHECK_SPEC}).json()
        wait(client, check["id"])
        refused = client.post(f"/v1/jobs/{check['id']}/answers", json={"answers": [{"question": 0, "choice": 0}]})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_a_draft"
