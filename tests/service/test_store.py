"""The job store on both databases it supports, for real: SQLite (a file, WAL) and a
private PostgreSQL 15 cluster."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from verifier.service.records import JobResult, JobStatus, SpecCheckRequest, VerifyRequest
from verifier.service.store import Store, StoreError, database_url

SPEC = 'name = "abs"\nsignature = "method Abs(x: int) returns (y: int)"\nensures = ["y >= 0"]\n'


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = database_url(f"sqlite:///{tmp_path / 'jobs.sqlite3'}", tmp_path)
    else:
        url = database_url(request.getfixturevalue("postgres_url"), tmp_path)
        engine = sa.create_engine(url)
        with engine.begin() as db:  # a clean schema per test
            db.execute(sa.text("DROP TABLE IF EXISTS jobs, job_events, api_keys"))
        engine.dispose()
    s = Store(url)
    yield s
    s.close()


def test_a_job_goes_from_queued_to_finished_with_its_events(store: Store) -> None:
    job = store.submit(SpecCheckRequest(spec=SPEC), owner=None)
    assert job.status is JobStatus.QUEUED and job.request.spec == SPEC
    claimed = store.claim("server-a")
    assert claimed is not None and claimed.id == job.id and claimed.status is JobStatus.RUNNING
    assert store.claim("server-b") is None
    assert store.finish(job.id, JobStatus.VERIFIED, JobResult(verdict="clean", summary="no problems"))
    assert not store.finish(job.id, JobStatus.FAILED, error="late")  # the first outcome stays
    done = store.get(job.id)
    assert done is not None and done.status is JobStatus.VERIFIED and done.result.summary == "no problems"
    assert [e.kind for e in store.events(job.id)] == ["queued", "running", "done"]
    assert [e.seq for e in store.events(job.id, after=1)] == [2, 3]


def test_jobs_belong_to_their_key(store: Store) -> None:
    key_a, token_a = store.create_key("team a")
    key_b, _ = store.create_key("team b")
    job = store.submit(VerifyRequest(source="method M() {}"), owner=key_a.id)
    assert store.get(job.id, owner=key_a.id) is not None
    assert store.get(job.id, owner=key_b.id) is None
    assert store.get(job.id, owner=None) is None
    assert [j.id for j in store.list(key_b.id)] == []
    assert store.key_for(token_a) == key_a and store.key_for("pr_wrong") is None
    assert store.revoke(key_a.id) and store.key_for(token_a) is None


def test_each_queued_job_is_claimed_exactly_once_under_racing_servers(store: Store) -> None:
    submitted = {store.submit(SpecCheckRequest(spec=SPEC), owner=None).id for _ in range(20)}
    claimed: list[str] = []
    lock = threading.Lock()

    def server(name: str) -> None:
        while (job := store.claim(name)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=server, args=(f"s{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(submitted)


def test_a_job_whose_server_stopped_is_failed_with_the_reason_not_lost(store: Store) -> None:
    job = store.submit(SpecCheckRequest(spec=SPEC), owner=None)
    store.claim("crashed-server")
    assert store.recover(now=time.time()) == []  # still beating
    assert store.recover(now=time.time() + 60) == [job.id]
    lost = store.get(job.id)
    assert lost is not None and lost.status is JobStatus.FAILED and "stopped" in (lost.error or "")


def test_cancel_is_immediate_for_the_client_and_flags_the_worker(store: Store) -> None:
    job = store.submit(SpecCheckRequest(spec=SPEC), owner=None)
    store.claim("s")
    assert store.cancel(job.id) is JobStatus.CANCELLED
    assert store.cancel_requested(job.id)
    assert not store.finish(job.id, JobStatus.VERIFIED, JobResult(verdict="x", summary="too late"))


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="use sqlite:///PATH or postgresql://"):
        database_url("mysql://x", tmp_path)
