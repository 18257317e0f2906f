"""The HTTP API of the job service (FastAPI).

`POST /v1/jobs` answers 202 at once; the work runs on the server's worker pool and every
step is stored, so `GET /v1/jobs/{id}/events` (server-sent events, resumable with
`Last-Event-ID`) and `GET /v1/jobs/{id}` see it as it happens and after any restart.

Every 4xx/5xx has one shape, `{"error": {"code", "message", "hint"}}` (`ErrorBody`).
Once any API key exists, every request needs `Authorization: Bearer <token>`; a job is
visible to its own key only (another key gets 404, as for a job that does not exist).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import JsonValue, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from verifier import __version__
from verifier.routes import DEFAULT_ROUTE, ROUTES
from verifier.service import sse
from verifier.service.records import (
    REQUEST,
    AnswersRequest,
    ApiKey,
    DraftSpecRequest,
    ErrorBody,
    ErrorDetail,
    GenerateRequest,
    Job,
    JobList,
    JobStatus,
    JobView,
)
from verifier.service.store import Store
from verifier.service.ui import router as ui_router
from verifier.service.workers import WorkerPool

MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = MAX_BODY_BYTES
    max_queued: int = 100  # jobs waiting, whole server
    per_key_active: int = 8  # queued + running, per key
    retry_after_seconds: int = 5


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, hint: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.hint, self.headers = status, code, message, hint, headers


ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 404, 413, 422, 429, 503)}


def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> ApiKey | None:
    """The key of the request; None on a server without keys (which binds to loopback)."""
    store: Store = request.app.state.store
    if not store.has_keys():
        return None
    scheme, _, token = (authorization or "").partition(" ")
    key = store.key_for(token.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        raise ApiError(401, "unauthorized", "a valid API key is required",
                       "send `Authorization: Bearer <token>` with a key from `proofroute keys create`")
    return key


Caller = Annotated[ApiKey | None, Depends(caller)]


def view(job: Job) -> JobView:
    base = f"/v1/jobs/{job.id}"
    links = {"self": base, "events": f"{base}/events"}
    if job.has_artifact:
        links["artifact"] = f"{base}/artifact"
    if _questions(job):
        links["answers"] = f"{base}/answers"
    return JobView(id=job.id, kind=job.kind, status=job.status, created_at=job.created_at,
                   updated_at=job.updated_at, error=job.error, error_code=job.error_code,
                   result=job.result, links=links)


def create_app(store: Store, pool: WorkerPool, *, limits: Limits | None = None) -> FastAPI:
    limits = limits or Limits()
    app = FastAPI(title="proofroute", version=__version__, responses=ERRORS)
    app.state.store = store
    _install_errors(app, limits)

    def owned(job_id: str, key: ApiKey | None) -> Job:
        job = store.get(job_id, owner=key.id if key else None)
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id!r}", "list your jobs with GET /v1/jobs")
        return job

    app.include_router(ui_router(store, admit=lambda key: _admit(store, limits, key), wake=pool.wake))
    _mount_reads(app, store, owned)

    @app.get("/v1/health")
    def health() -> dict[str, JsonValue]:
        """`ok` when the default route's toolchain can run; each route's toolchain apart."""
        routes: dict[str, JsonValue] = {}
        for route in ROUTES:
            info = pool.backends.get(route).available()  # type: ignore[attr-defined]
            routes[route] = {"ok": info.ok, "version": info.version, "hint": info.hint}
        default = routes[DEFAULT_ROUTE]
        return {"ok": isinstance(default, dict) and bool(default["ok"]), "version": __version__,
                "keys_required": store.has_keys(), "queued": store.count(JobStatus.QUEUED),
                "running": store.count(JobStatus.RUNNING), **routes}

    _mount_writes(app, store, pool, limits, owned)
    return app


def _mount_writes(app: FastAPI, store: Store, pool: WorkerPool, limits: Limits,
                  owned: Callable[[str, ApiKey | None], Job]) -> None:
    """The endpoints that submit, cancel or answer jobs (each wakes the worker pool)."""

    @app.post("/v1/jobs", status_code=202)
    async def submit(request: Request, key: Caller) -> JobView:
        try:
            job_request = REQUEST.validate_json(await _read_capped(request, limits.max_body_bytes))
        except ValidationError as exc:
            raise RequestValidationError(exc.errors()) from None
        _admit(store, limits, key)
        job = store.submit(job_request, owner=key.id if key else None)
        pool.wake()
        return view(job)

    @app.post("/v1/generate")
    async def generate_blocking(request: Request, key: Caller) -> JSONResponse:
        """A generate job, answered when it ends (the job and its events stay stored).
        A client that disconnects cancels it."""
        try:
            body = json.loads(await _read_capped(request, limits.max_body_bytes))
            job_request = GenerateRequest.model_validate({**body, "kind": "generate"} if isinstance(body, dict)
                                                         else body)
        except (ValueError, ValidationError) as exc:
            errors = exc.errors() if isinstance(exc, ValidationError) else [{"loc": ("body",), "msg": str(exc)}]
            raise RequestValidationError(errors) from None
        _admit(store, limits, key)
        job = store.submit(job_request, owner=key.id if key else None)
        pool.wake()
        while not job.status.finished:
            if await request.is_disconnected():
                store.cancel(job.id)
            await asyncio.sleep(0.2)
            job = store.get(job.id, any_owner=True) or job
        return JSONResponse(_blocking_answer(store, job))

    @app.delete("/v1/jobs/{job_id}")
    def cancel(job_id: str, key: Caller) -> JobView:
        owned(job_id, key)
        store.cancel(job_id)
        pool.cancel(job_id)  # running here: its verifier process and model call stop now
        return view(owned(job_id, key))

    @app.post("/v1/jobs/{job_id}/answers", status_code=202)
    def answer(job_id: str, body: AnswersRequest, key: Caller) -> JobView:
        """The user's choices for a draft's questions: a new draft-spec job that keeps
        them as examples (the first job stays as it was)."""
        follow_up = answered(owned(job_id, key), body)
        _admit(store, limits, key)
        job = store.submit(follow_up, owner=key.id if key else None)
        pool.wake()
        return view(job)


def _mount_reads(app: FastAPI, store: Store, owned: Callable[[str, ApiKey | None], Job]) -> None:
    """The endpoints that only read a caller's jobs."""

    @app.get("/v1/jobs")
    def list_jobs(key: Caller, status: JobStatus | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  cursor: str | None = None) -> JobList:
        before = float(cursor) if cursor else None
        found = store.list(key.id if key else None, status=status, limit=limit, before=before)
        next_cursor = repr(found[-1].created_at) if len(found) == limit else None
        return JobList(jobs=[view(j) for j in found], next_cursor=next_cursor)

    @app.get("/v1/jobs/{job_id}")
    def get_job(job_id: str, key: Caller) -> JobView:
        return view(owned(job_id, key))

    @app.get("/v1/jobs/{job_id}/artifact")
    def artifact(job_id: str, key: Caller) -> Response:
        job = owned(job_id, key)
        data = store.artifact(job.id) if job.has_artifact else None
        if data is None:
            raise ApiError(404, "no_artifact", f"job {job_id} has no artifact ({job.status.value})",
                           "only a verified generate job has one")
        return Response(data, media_type="application/zip",
                        headers={"content-disposition": f'attachment; filename="{job_id}.zip"'})

    @app.get("/v1/jobs/{job_id}/events")
    async def job_events(job_id: str, key: Caller,
                         last_event_id: Annotated[str | None, Header()] = None) -> StreamingResponse:
        owned(job_id, key)
        return StreamingResponse(sse.stream(store, job_id, sse.resume_point(last_event_id)),
                                 media_type="text/event-stream",
                                 headers={"cache-control": "no-store"})


def _questions(job: Job) -> list[dict[str, JsonValue]]:
    detail = job.result.detail if job.result is not None else None
    found = detail.get("questions") if isinstance(detail, dict) and isinstance(job.request, DraftSpecRequest) else None
    return [q for q in found if isinstance(q, dict)] if isinstance(found, list) else []


def answered(job: Job, body: AnswersRequest) -> DraftSpecRequest:
    """The draft-spec request that follows `job` once its questions are answered."""
    if not isinstance(job.request, DraftSpecRequest):
        raise ApiError(409, "not_a_draft", f"job {job.id} is a {job.kind.value} job; only a draft-spec job "
                       "asks questions", "submit a draft-spec job first")
    questions = _questions(job)
    if not questions:
        raise ApiError(409, "no_questions", f"job {job.id} has no open questions ({job.status.value})",
                       "wait until it ends (GET /v1/jobs/{id}); a clean draft without questions needs no answers")
    if job.request.replies is not None and body.replies is None:
        raise ApiError(422, "invalid_request", "replies: this draft was made from inline replies; send the "
                       "replies for the new draft too", "add `replies` to the answers")
    chosen = []
    for i, a in enumerate(body.answers):
        options = questions[a.question].get("answers") if a.question < len(questions) else None
        if not isinstance(options, list) or a.choice >= len(options):
            raise ApiError(422, "invalid_request", f"answers.{i}: question {a.question}, choice {a.choice} is not "
                           f"among the draft's {len(questions)} question(s)",
                           "index the job result's `questions` and each one's `outputs` from 0")
        chosen.append(str(options[a.choice]))
    examples = [*job.request.examples, *(e for e in chosen if e not in job.request.examples)]
    try:
        return DraftSpecRequest.model_validate({**job.request.model_dump(), "examples": examples,
                                                "replies": body.replies})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


_JOB_EVENTS = frozenset({"queued", "running", "done"})  # the job's own; the rest are the loop's records
_STATUS_OF = {"spec": 400, "llm": 400, "llm_unreachable": 502, "input": 400, "cancelled": 409, "toolchain": 503, "lost": 503,
              "shutdown": 503}


def _blocking_answer(store: Store, job: Job) -> dict[str, JsonValue]:
    transcript = [e.data for e in store.events(job.id, limit=10_000) if e.kind not in _JOB_EVENTS]
    detail = job.result.detail if job.result and isinstance(job.result.detail, dict) else {}
    if job.status is JobStatus.VERIFIED:
        return {"verified": True, "job": job.id, "files": detail.get("files"),
                "certificate": detail.get("certificate"), "transcript": transcript}
    reason = job.result.summary if job.result else (job.error or job.status.value)
    if job.status is not JobStatus.NOT_VERIFIED:
        code = job.error_code or job.status.value
        raise ApiError(_STATUS_OF.get(code, 500), code, reason, "the job and its events stay stored: GET /v1/jobs")
    return {"verified": False, "job": job.id, "reason": reason, "attempts": detail.get("attempts", 0),
            "best_stage": detail.get("best_stage"), "transcript": transcript}


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, refused past `limit` bytes also when no Content-Length announced it."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise ApiError(413, "too_large", f"the request body is over {limit} bytes", "send a smaller spec or source")
    return bytes(data)


def _admit(store: Store, limits: Limits, key: ApiKey | None) -> None:
    retry = {"retry-after": str(limits.retry_after_seconds)}
    if store.count(JobStatus.QUEUED) >= limits.max_queued:
        raise ApiError(429, "queue_full", f"the queue is full ({limits.max_queued} jobs waiting)",
                       f"retry after {limits.retry_after_seconds} s", retry)
    owner = key.id if key else None
    if owner is not None:
        active = store.count(JobStatus.QUEUED, owner) + store.count(JobStatus.RUNNING, owner)
        if active >= limits.per_key_active:
            raise ApiError(429, "too_many_jobs", f"this key has {active} jobs queued or running "
                           f"(limit {limits.per_key_active})", "wait for one to finish", retry)


def _install_errors(app: FastAPI, limits: Limits) -> None:
    def body(status: int, code: str, message: str, hint: str | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(ErrorBody(error=ErrorDetail(code=code, message=message, hint=hint)).model_dump(),
                            status_code=status, headers=headers)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return body(exc.status, exc.code, exc.message, exc.hint, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return body(422, "invalid_request", f"{where or 'body'}: {first.get('msg', 'invalid')}",
                    "see the request schema in /docs")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return body(exc.status_code, "http_error", str(exc.detail))

    @app.middleware("http")
    async def cap_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limits.max_body_bytes:
            return body(413, "too_large", f"the request body is over {limits.max_body_bytes} bytes",
                        "send a smaller spec or source")
        return await call_next(request)
