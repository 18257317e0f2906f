"""verifier.client against a real `proofroute serve` process on loopback (SQLite store,
real Dafny, recorded model replies)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.client import AsyncClient, Client
from verifier.errors import ServiceError
from verifier.service.launch import Launched, launched
from verifier.service.records import JobKind, JobStatus
from verifier.service.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "verifier" / "demo"
SPEC = (DEMO / "specs" / "max_of_list.toml").read_text("utf-8")
REPLIES = [json.loads(line)["content"] for line in (DEMO / "sessions" / "max_of_list.jsonl").read_text("utf-8").splitlines()
           if json.loads(line).get("kind") == "response"]
CHECK_SPEC = 'name = "abs"\nsignature = "method Abs(x: int) returns (y: int)"\nensures = ["y >= 0", "y == x || y == -x"]\n'
# z3 cannot settle this within the time limit: a check that runs for the whole timeout
SLOW_DAFNY = """lemma Slow(a: int, b: int, c: int)
  requires a > 0 && b > 0 && c > 0
  ensures a * a * a + b * b * b != c * c * c
{
}
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    with launched(tmp_path_factory.mktemp("service"), workers=1) as server:
        yield server


def test_a_job_from_submit_to_its_events_and_the_listing(service: Launched) -> None:
    with Client(service.url) as client:
        job = client.submit("spec-check", spec=CHECK_SPEC)
        assert job.kind is JobKind.SPEC_CHECK and job.status is JobStatus.QUEUED
        events = list(client.events(job.id))
        assert [e.kind for e in events[:1]] == ["queued"] and events[-1].kind == "done"
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        # resuming after the first event gives exactly the rest
        assert [e.seq for e in client.events(job.id, after=1)] == [e.seq for e in events[1:]]
        done = client.wait(job.id, timeout=120)
        assert done.status is JobStatus.VERIFIED and done.result is not None and done.result.verdict == "clean"
        assert job.id in [j.id for j in client.list(limit=200).jobs]
        assert all(j.status is JobStatus.VERIFIED for j in client.list(JobStatus.VERIFIED).jobs)


def test_errors_carry_the_servers_body(service: Launched) -> None:
    with Client(service.url) as client:
        with pytest.raises(ServiceError) as missing:
            client.get("no-such-job")
        assert missing.value.status == 404 and missing.value.code == "not_found"
        assert missing.value.body == {"error": {"code": "not_found", "message": "no job 'no-such-job'",
                                                "hint": "list your jobs with GET /v1/jobs"}}
        with pytest.raises(ServiceError) as invalid:  # refused before sending: the server's own model
            client.submit("generate", spec=CHECK_SPEC)
        assert invalid.value.status is None and invalid.value.code == "invalid_request"
        assert "llm" in invalid.value.message
        with pytest.raises(ServiceError) as no_artifact:
            client.artifact(client.submit("spec-check", spec=CHECK_SPEC).id)
        assert no_artifact.value.status == 404
    with Client("http://127.0.0.1:9") as nowhere, pytest.raises(ServiceError) as unreachable:
        nowhere.list()
    assert unreachable.value.status is None and unreachable.value.code == "unreachable"
    assert "proofroute serve" in (unreachable.value.hint or "")


def test_a_key_is_sent_and_required_once_one_exists(service: Launched) -> None:
    store = Store(service.db)
    key, token = store.create_key("client-test")
    try:
        with Client(service.url, key=None) as anonymous, pytest.raises(ServiceError) as refused:
            anonymous.list()
        assert refused.value.status == 401 and refused.value.code == "unauthorized"
        with Client(service.url, key=token) as client:
            job = client.submit("spec-check", spec=CHECK_SPEC)
            assert client.get(job.id).id == job.id
    finally:
        store.revoke(key.id)
        store.close()


class _DroppingProxy:
    """A loopback TCP proxy that cuts the first event stream after `cut` bytes: a real
    dropped connection in the middle of a job's events."""

    def __init__(self, upstream: str, cut: int) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream, self.cut, self.streams = (host, int(port)), cut, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            downstream, _ = self.listener.accept()
            threading.Thread(target=self._pipe, args=(downstream,), daemon=True).start()

    def _pipe(self, downstream: socket.socket) -> None:
        upstream = socket.create_connection(self.upstream)
        request = downstream.recv(65536)
        is_stream = b"/events" in request.split(b"\r\n", 1)[0]
        self.streams += is_stream
        limit = self.cut if is_stream and self.streams == 1 else None
        upstream.sendall(request)
        threading.Thread(target=_copy, args=(downstream, upstream, None), daemon=True).start()
        _copy(upstream, downstream, limit)
        for end in (downstream, upstream):  # shutdown, not just close: the other copier still reads
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


def _copy(source: socket.socket, target: socket.socket, limit: int | None) -> None:
    sent = 0
    try:
        while chunk := source.recv(4096 if limit is None else max(1, min(4096, limit - sent))):
            target.sendall(chunk)
            sent += len(chunk)
            if limit is not None and sent >= limit:
                return
    except OSError:
        return


def test_a_dropped_event_stream_resumes_without_loss_or_repeat(service: Launched) -> None:
    with Client(service.url) as direct:
        job = direct.submit("spec-check", spec=CHECK_SPEC)
        direct.wait(job.id, timeout=120)
        expected = [(e.seq, e.kind) for e in direct.events(job.id)]
    proxy = _DroppingProxy(service.url, cut=300)  # past the headers, inside the events
    with Client(proxy.url) as client:
        got = [(e.seq, e.kind) for e in client.events(job.id)]
    assert proxy.streams >= 2, "the stream was not cut"
    assert got == expected


@pytest.mark.dafny
@pytest.mark.slow
def test_the_async_client_runs_a_recorded_session_to_a_verified_artifact(service: Launched) -> None:
    async def run() -> tuple[str, list[str], bytes]:
        async with AsyncClient(service.url) as client:
            job = await client.submit("generate", spec=SPEC, llm="replay", replies=REPLIES)
            kinds = [event.kind async for event in client.events(job.id)]
            done = await client.wait(job.id, timeout=300)
            return done.status.value, kinds, await client.artifact(job.id)

    status, kinds, archive = asyncio.run(run())
    assert status == "verified", kinds
    assert {"prompt", "response", "check", "done"} <= set(kinds)
    assert "max_of_list/max_of_list.py" in zipfile.ZipFile(io.BytesIO(archive)).namelist()


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@pytest.mark.dafny
@pytest.mark.slow
def test_cancel_kills_the_running_verifier_and_frees_the_worker(service: Launched) -> None:
    with Client(service.url) as client:
        slow = client.submit("verify", source=SLOW_DAFNY, timeout=120)
        deadline = time.monotonic() + 120
        while not _descendants(service.process.pid) or client.get(slow.id).status is not JobStatus.RUNNING:
            assert time.monotonic() < deadline, "the slow check never started"
            time.sleep(0.2)
        time.sleep(2)  # well inside the verifier's run
        verifiers = set(_descendants(service.process.pid))  # idle warm servers of earlier jobs too
        cancelled_at = time.monotonic()
        assert client.cancel(slow.id).status is JobStatus.CANCELLED
        while not verifiers - set(_descendants(service.process.pid)):
            assert time.monotonic() - cancelled_at < 5, "the busy verifier process outlived the cancel"
            time.sleep(0.1)
        # the only worker is free again long before the slow check's 120 s
        quick = client.wait(client.submit("spec-check", spec=CHECK_SPEC).id, timeout=60)
        assert quick.status is JobStatus.VERIFIED
        assert [e.kind for e in client.events(slow.id)][-1] == "done"
        assert client.get(slow.id).error_code == "cancelled"


@pytest.mark.slow
def test_cancel_ends_a_model_call_that_never_answers(tmp_path: Path) -> None:
    """The provider is a real socket that accepts and never replies: the job's only worker
    is stuck in the model call until the cancel frees it."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        silent.settimeout(120)
        env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": f"http://127.0.0.1:{silent.getsockname()[1]}/v1"}
        with launched(tmp_path, workers=1, env=env) as server, Client(server.url) as client:
            stuck = client.submit("generate", spec=SPEC, llm="openai:gpt-test")
            connection, _ = silent.accept()  # the model call has started
            with connection:
                time.sleep(1)
                cancelled_at = time.monotonic()
                assert client.cancel(stuck.id).status is JobStatus.CANCELLED
                quick = client.wait(client.submit("spec-check", spec=CHECK_SPEC).id, timeout=60)
                assert quick.status is JobStatus.VERIFIED
                assert time.monotonic() - cancelled_at < 30
            assert client.get(stuck.id).error_code == "cancelled"
