"""The job store: jobs, their events, their artifacts and the API keys, in one database.

One code path for both databases (SQLAlchemy Core): SQLite for one server (one file, WAL)
and PostgreSQL for several servers sharing the work. Everything is written as it
happens, so a crash loses at most the event being written.

Claiming is an `UPDATE … WHERE status = 'queued'` on one row: two servers can race for a
job and exactly one update matches, on either database, without row locks. A running job
is owned by a server instance that refreshes its heartbeat; a job whose owner stopped
beating (crash, SIGKILL) is marked failed with the reason by whichever server looks next.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from pydantic import JsonValue, TypeAdapter

from verifier.errors import ProofrouteError
from verifier.service.records import REQUEST, ApiKey, Job, JobEvent, JobKind, JobResult, JobStatus

_JSON = TypeAdapter(JsonValue)
STALE_AFTER = 30.0  # seconds without a heartbeat before a running job is declared lost

metadata = sa.MetaData()
jobs = sa.Table(
    "jobs", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("owner", sa.String(32), nullable=True, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("request", sa.Text, nullable=False),
    sa.Column("result", sa.Text, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("error_code", sa.String(32), nullable=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("server", sa.String(64), nullable=True),
    sa.Column("heartbeat_at", sa.Float, nullable=True),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, default=False),
    sa.Column("artifact", sa.LargeBinary, nullable=True),
)
events = sa.Table(
    "job_events", metadata,
    sa.Column("job_id", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)
keys = sa.Table(
    "api_keys", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("revoked_at", sa.Float, nullable=True),
)


class StoreError(ProofrouteError):
    exit_code = 2


def database_url(text: str | None, data_dir: Path) -> str:
    """`sqlite:///PATH`, `postgresql://…` (driven by psycopg 3), or the default SQLite file."""
    if not text:
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{data_dir / 'jobs.sqlite3'}"
    if text.startswith("postgresql://") or text.startswith("postgres://"):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith(("sqlite:///", "postgresql+psycopg://")):
        return text
    raise StoreError(f"unsupported database URL {text!r}",
                     hint="use sqlite:///PATH or postgresql://USER@HOST/DB")


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ jobs
    def submit(self, request: object, owner: str | None) -> Job:
        now = time.time()
        row = {"id": uuid.uuid4().hex, "owner": owner, "kind": str(request.kind),  # type: ignore[attr-defined]
               "status": JobStatus.QUEUED.value, "request": REQUEST.dump_json(request).decode(),  # type: ignore[arg-type]
               "created_at": now, "updated_at": now, "cancel_requested": False}
        with self.engine.begin() as db:
            db.execute(jobs.insert().values(**row))
        self.add_event(row["id"], "queued", {"kind": row["kind"]})
        return self.get(row["id"], any_owner=True)  # type: ignore[return-value]

    def count(self, status: JobStatus, owner: str | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(jobs).where(jobs.c.status == status.value)
        if owner is not None:
            query = query.where(jobs.c.owner == owner)
        with self.engine.connect() as db:
            return int(db.execute(query).scalar_one())

    def get(self, job_id: str, owner: str | None = None, *, any_owner: bool = False) -> Job | None:
        query = sa.select(jobs).where(jobs.c.id == job_id)
        if not any_owner:
            query = query.where(jobs.c.owner.is_(None) if owner is None else jobs.c.owner == owner)
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return _job(row) if row else None

    def list(self, owner: str | None, *, status: JobStatus | None = None, limit: int = 50,
             before: float | None = None) -> list[Job]:
        """Newest first; `before` (a job's created_at) pages through older ones."""
        query = sa.select(jobs).where(jobs.c.owner.is_(None) if owner is None else jobs.c.owner == owner)
        if status is not None:
            query = query.where(jobs.c.status == status.value)
        if before is not None:
            query = query.where(jobs.c.created_at < before)
        query = query.order_by(jobs.c.created_at.desc()).limit(limit)
        with self.engine.connect() as db:
            return [_job(r) for r in db.execute(query).mappings()]

    def claim(self, server: str) -> Job | None:
        """The oldest queued job, now running on `server`; None when the queue is empty."""
        for _ in range(5):
            with self.engine.begin() as db:
                job_id = db.execute(sa.select(jobs.c.id).where(jobs.c.status == JobStatus.QUEUED.value)
                                    .order_by(jobs.c.created_at).limit(1)).scalar()
                if job_id is None:
                    return None
                now = time.time()
                won = db.execute(jobs.update().where(jobs.c.id == job_id, jobs.c.status == JobStatus.QUEUED.value)
                                 .values(status=JobStatus.RUNNING.value, server=server, heartbeat_at=now,
                                         updated_at=now)).rowcount
            if won:
                self.add_event(job_id, "running", {"server": server})
                return self.get(job_id, any_owner=True)
        return None

    def heartbeat(self, server: str) -> None:
        with self.engine.begin() as db:
            db.execute(jobs.update().where(jobs.c.server == server, jobs.c.status == JobStatus.RUNNING.value)
                       .values(heartbeat_at=time.time()))

    def finish(self, job_id: str, status: JobStatus, result: JobResult | None = None, error: str | None = None,
               artifact: bytes | None = None, error_code: str | None = None) -> bool:
        """Record the outcome once: a job already finished (cancelled meanwhile) keeps its first."""
        with self.engine.begin() as db:
            done = db.execute(jobs.update().where(jobs.c.id == job_id, jobs.c.status.in_(
                [JobStatus.QUEUED.value, JobStatus.RUNNING.value])).values(
                status=status.value, result=result.model_dump_json() if result else None, error=error,
                error_code=error_code, artifact=artifact, updated_at=time.time())).rowcount
        if done:
            self.add_event(job_id, "done", {"status": status.value, "error": error,
                                            "verdict": result.verdict if result else None})
        return bool(done)

    def cancel(self, job_id: str) -> JobStatus | None:
        """Cancelled at once for the client; the worker of a running job sees the flag at
        its next event (or its process watch) and stops the model call and the verifier."""
        with self.engine.begin() as db:
            db.execute(jobs.update().where(jobs.c.id == job_id).values(cancel_requested=True))
        self.finish(job_id, JobStatus.CANCELLED, error="cancelled by the client", error_code="cancelled")
        job = self.get(job_id, any_owner=True)
        return job.status if job else None

    def cancel_requested(self, job_id: str) -> bool:
        with self.engine.connect() as db:
            return bool(db.execute(sa.select(jobs.c.cancel_requested).where(jobs.c.id == job_id)).scalar())

    def artifact(self, job_id: str) -> bytes | None:
        with self.engine.connect() as db:
            return db.execute(sa.select(jobs.c.artifact).where(jobs.c.id == job_id)).scalar()

    def recover(self, *, now: float | None = None, stale_after: float = STALE_AFTER,
                restarted: str | None = None) -> list[str]:
        """Running jobs whose server stopped beating, and (`restarted`) every running job of
        a server that is starting again under the same name: failed, with the reason."""
        now = time.time() if now is None else now
        lost_rule = jobs.c.heartbeat_at < now - stale_after
        if restarted is not None:
            lost_rule = sa.or_(lost_rule, jobs.c.server == restarted)
        with self.engine.connect() as db:
            lost = list(db.execute(sa.select(jobs.c.id).where(
                jobs.c.status == JobStatus.RUNNING.value, lost_rule)).scalars())
        reason = ("the server running this job stopped (crash or kill) before it finished; "
                  "nothing was lost that had been recorded — resubmit the job to run it again")
        return [job_id for job_id in lost if self.finish(job_id, JobStatus.FAILED, error=reason, error_code="lost")]

    # ------------------------------------------------------------------ events
    def add_event(self, job_id: str, kind: str, data: JsonValue) -> JobEvent:
        payload = _JSON.dump_json(data).decode()
        for _ in range(20):  # concurrent writers of one job's events: retry on a taken seq
            try:
                with self.engine.begin() as db:
                    seq = int(db.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.seq), 0))
                                         .where(events.c.job_id == job_id)).scalar_one()) + 1
                    at = time.time()
                    db.execute(events.insert().values(job_id=job_id, seq=seq, kind=kind, data=payload, at=at))
                return JobEvent(job_id, seq, kind, data, at)
            except sa.exc.IntegrityError:
                continue
        raise StoreError(f"could not append an event to job {job_id}")

    def events(self, job_id: str, after: int = 0, limit: int = 500) -> list[JobEvent]:
        query = (sa.select(events).where(events.c.job_id == job_id, events.c.seq > after)
                 .order_by(events.c.seq).limit(limit))
        with self.engine.connect() as db:
            return [JobEvent(r["job_id"], r["seq"], r["kind"], _JSON.validate_json(r["data"]), r["at"])
                    for r in db.execute(query).mappings()]

    # ------------------------------------------------------------------ keys
    def create_key(self, name: str) -> tuple[ApiKey, str]:
        """A new key and its token (shown once; only its hash is stored)."""
        token = "pr_" + secrets.token_urlsafe(32)
        key = ApiKey(uuid.uuid4().hex, name, time.time(), None)
        with self.engine.begin() as db:
            db.execute(keys.insert().values(id=key.id, name=name, hash=hash_key(token), created_at=key.created_at))
        return key, token

    def keys(self) -> list[ApiKey]:
        with self.engine.connect() as db:
            return [ApiKey(r["id"], r["name"], r["created_at"], r["revoked_at"])
                    for r in db.execute(sa.select(keys).order_by(keys.c.created_at)).mappings()]

    def has_keys(self) -> bool:
        with self.engine.connect() as db:
            return db.execute(sa.select(keys.c.id).where(keys.c.revoked_at.is_(None)).limit(1)).first() is not None

    def key_for(self, token: str) -> ApiKey | None:
        with self.engine.connect() as db:
            r = db.execute(sa.select(keys).where(keys.c.hash == hash_key(token), keys.c.revoked_at.is_(None))
                           ).mappings().first()
        return ApiKey(r["id"], r["name"], r["created_at"], r["revoked_at"]) if r else None

    def revoke(self, key_id: str) -> bool:
        with self.engine.begin() as db:
            return bool(db.execute(keys.update().where(keys.c.id == key_id, keys.c.revoked_at.is_(None))
                                   .values(revoked_at=time.time())).rowcount)


def _job(row: sa.RowMapping) -> Job:
    return Job(
        id=row["id"], owner=row["owner"], kind=JobKind(row["kind"]), status=JobStatus(row["status"]),
        request=REQUEST.validate_json(row["request"]),
        result=JobResult.model_validate_json(row["result"]) if row["result"] else None,
        error=row["error"], error_code=row["error_code"], created_at=row["created_at"],
        updated_at=row["updated_at"],
        has_artifact=row["artifact"] is not None,
    )


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
