"""The run viewer at `/ui`: the job list, one job's page (spec, live timeline, attempts
with diffs and findings at their lines, the final Dafny/Lean and Python side by side, the
certificate) and a form to submit a spec. Server-rendered (Jinja2, autoescaped) plus one
small script; no front-end build.

A browser cannot put `Authorization: Bearer` on a page load or on an EventSource, so
when the store has keys the viewer asks for one once and keeps it in a cookie that
scripts cannot read (HttpOnly), that other sites cannot make the browser send
(SameSite=Strict) and that only `/ui` sees. The key is checked and jobs are looked up
exactly as the API does (`Store.key_for`, `Store.get(owner=…)`): another key's job is
"no such job". Every POST also carries a token bound to the key, refused from another
origin. Spec text is untrusted: templates escape everything, the script writes text
only (`textContent`), and the Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from importlib import resources
from typing import Annotated
from urllib.parse import parse_qs

import jinja2
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from pydantic import ValidationError

from verifier import __version__
from verifier.service import sse
from verifier.service.records import REQUEST, ApiKey, Job, JobEvent, JobStatus
from verifier.service.runview import RunView, run_view, spec_field
from verifier.service.store import Store

COOKIE = "proofroute_key"
MAX_FORM_BYTES = 1_000_000
PAGE_SIZE = 50
STATIC = {"ui.js": "text/javascript", "ui.css": "text/css", "icon.svg": "image/svg+xml"}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make the browser send `Origin: null` on our own forms
    "cache-control": "no-store",
}

Admit = Callable[[ApiKey | None], None]  # raises the API's 429 when the queue or the key is full


class KeyRequired(Exception):
    """The store has keys and this browser sent none that is valid."""


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("verifier.service", "ui_files"),
                              autoescape=True, undefined=jinja2.StrictUndefined)


class Viewer:
    """The viewer's pages over the API's store, its admission rule and its workers."""

    def __init__(self, store: Store, admit: Admit, wake: Callable[[], None]) -> None:
        self.store, self.admit, self.wake = store, admit, wake
        self.pages = environment()
        self.secret = secrets.token_bytes(32)  # form tokens; a restart only asks for a reload

    # ------------------------------------------------------------------ helpers
    def page(self, template: str, http_status: int = 200, **values: object) -> HTMLResponse:
        html = self.pages.get_template(template).render(version=__version__, **values)
        return HTMLResponse(html, status_code=http_status, headers=SECURITY_HEADERS)

    def key(self, request: Request) -> ApiKey | None:
        """The browser's key (None on a server without keys), checked as the API checks one."""
        if not self.store.has_keys():
            return None
        token = request.cookies.get(COOKIE, "")
        key = self.store.key_for(token) if token else None
        if key is None:
            raise KeyRequired
        return key

    def token(self, key: ApiKey | None) -> str:
        return hmac.new(self.secret, (key.id if key else "-").encode(), hashlib.sha256).hexdigest()

    def owned(self, request: Request, job_id: str) -> tuple[ApiKey | None, Job | None]:
        key = self.key(request)
        return key, self.store.get(job_id, owner=key.id if key else None)

    def ask_for_key(self, request: Request, message: str | None = None) -> HTMLResponse:
        return self.page("key.html.j2", 401, keyed=True, token=self.token(None), message=message,
                         next=request.url.path)

    # ------------------------------------------------------------------ pages
    def job_list(self, request: Request, status: JobStatus | None = None,
                 cursor: Annotated[float | None, Query()] = None) -> Response:
        try:
            key = self.key(request)
        except KeyRequired:
            return self.ask_for_key(request)
        jobs = self.store.list(key.id if key else None, status=status, limit=PAGE_SIZE, before=cursor)
        more = repr(jobs[-1].created_at) if len(jobs) == PAGE_SIZE else None
        return self.page("list.html.j2", rows=[(job, spec_field(job, "name")) for job in jobs],
                         keyed=key is not None, token=self.token(key), status=status, statuses=list(JobStatus),
                         next_cursor=more, when=_when)

    def job_page(self, request: Request, job_id: str) -> Response:
        try:
            key, job = self.owned(request, job_id)
        except KeyRequired:
            return self.ask_for_key(request)
        if job is None:
            return self.page("missing.html.j2", 404, job_id=job_id, keyed=key is not None)
        return self.page("job.html.j2", job=job, name=spec_field(job, "name"),
                         description=spec_field(job, "description"), view=self.view(job),
                         keyed=key is not None, when=_when)

    def job_report(self, request: Request, job_id: str) -> Response:
        """The part of the job page that the script redraws as events arrive."""
        try:
            _, job = self.owned(request, job_id)
        except KeyRequired:
            return HTMLResponse("", status_code=401, headers=SECURITY_HEADERS)
        if job is None:
            return HTMLResponse("", status_code=404, headers=SECURITY_HEADERS)
        return self.page("report.html.j2", job=job, view=self.view(job))

    def job_events(self, request: Request, job_id: str,
                   last_event_id: Annotated[str | None, Header()] = None) -> Response:
        try:
            _, job = self.owned(request, job_id)
        except KeyRequired:
            return Response(status_code=401)
        if job is None:
            return Response(status_code=404)
        return StreamingResponse(sse.stream(self.store, job.id, sse.resume_point(last_event_id), named=False),
                                 media_type="text/event-stream", headers={"cache-control": "no-store"})

    def job_artifact(self, request: Request, job_id: str) -> Response:
        try:
            key, job = self.owned(request, job_id)
        except KeyRequired:
            return self.ask_for_key(request)
        data = self.store.artifact(job.id) if job is not None and job.has_artifact else None
        if job is None or data is None:
            return self.page("missing.html.j2", 404, job_id=job_id, keyed=key is not None)
        return Response(data, media_type="application/zip",
                        headers={"content-disposition": f'attachment; filename="{job.id}.zip"'})

    def view(self, job: Job) -> RunView:
        found: list[JobEvent] = []
        while batch := self.store.events(job.id, found[-1].seq if found else 0, limit=500):
            found += batch
        return run_view(job, found)

    # ------------------------------------------------------------------ forms
    async def submit(self, request: Request) -> Response:
        try:
            key = self.key(request)
        except KeyRequired:
            return _refusal(401, "unauthorized", "this browser has no valid API key", "enter a key on /ui")
        form = await _form(request)
        if form is None:
            return _refusal(413, "too_large", f"the form is over {MAX_FORM_BYTES} bytes", "submit a smaller spec")
        if refused := _forged(request, form, self.token(key)):
            return refused
        try:
            job_request = REQUEST.validate_python(_job_body(form))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:]) or "form"
            return _refusal(422, "invalid_request", f"{where}: {first['msg']}", "correct the field and submit again")
        self.admit(key)  # the API's 429 (queue full, or this key's limit), in the API's error shape
        job = self.store.submit(job_request, owner=key.id if key else None)
        self.wake()
        return RedirectResponse(f"/ui/jobs/{job.id}", status_code=303)

    async def remember_key(self, request: Request) -> Response:
        form = await _form(request) or {}
        if refused := _forged(request, form, self.token(None)):
            return refused
        token = form.get("key", "").strip()
        if self.store.key_for(token) is None:
            return self.ask_for_key(request, "That key is not valid (revoked, or mistyped).")
        answer = RedirectResponse(_local(form.get("next", "/ui")), status_code=303)
        answer.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/ui",
                          secure=request.url.scheme == "https")
        return answer

    async def forget_key(self, request: Request) -> Response:
        answer = RedirectResponse("/ui", status_code=303)
        answer.delete_cookie(COOKIE, path="/ui")
        return answer


def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404)
    data = resources.files("verifier.service").joinpath("ui_files", name).read_bytes()
    return Response(data, media_type=STATIC[name], headers={"x-content-type-options": "nosniff",
                                                            "cache-control": "no-cache"})


def router(store: Store, *, admit: Admit, wake: Callable[[], None]) -> APIRouter:
    """The viewer's routes (left out of the OpenAPI schema: they are pages, not API)."""
    viewer = Viewer(store, admit, wake)
    routes = APIRouter(prefix="/ui", include_in_schema=False)
    for path, endpoint in (("", viewer.job_list), ("/jobs/{job_id}", viewer.job_page),
                           ("/jobs/{job_id}/report", viewer.job_report), ("/jobs/{job_id}/events", viewer.job_events),
                           ("/jobs/{job_id}/artifact", viewer.job_artifact), ("/static/{name}", static)):
        routes.add_api_route(path, endpoint, methods=["GET"], response_class=HTMLResponse)
    for path, endpoint in (("/jobs", viewer.submit), ("/key", viewer.remember_key), ("/forget", viewer.forget_key)):
        routes.add_api_route(path, endpoint, methods=["POST"])
    return routes


def _job_body(form: dict[str, str]) -> dict[str, object]:
    kind = form.get("kind", "generate")
    if kind != "generate":
        return {"kind": kind, "spec": form.get("spec", "")}
    attempts = form.get("attempts", "").strip()
    budgets = {"attempts": attempts} if attempts else {}
    return {"kind": kind, "spec": form.get("spec", ""), "llm": form.get("llm", "").strip(),
            "backend": form.get("backend", "dafny"), "budgets": budgets}


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded form; None past the size cap (also without a Content-Length)."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_FORM_BYTES:
            return None
    fields = parse_qs(data.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[-1] for name, values in fields.items()}


def _forged(request: Request, form: dict[str, str], expected: str) -> Response | None:
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
        return _refusal(403, "forbidden", f"a form from another site ({origin}) was refused",
                        "submit from the viewer's own page")
    if not hmac.compare_digest(form.get("token", ""), expected):
        return _refusal(403, "forbidden", "the form's token is missing or stale", "reload the page and submit again")
    return None


def _refusal(status: int, code: str, message: str, hint: str) -> JSONResponse:
    """The API's one error shape, so the page's script shows every refusal the same way."""
    return JSONResponse({"error": {"code": code, "message": message, "hint": hint}}, status_code=status,
                        headers=SECURITY_HEADERS)


def _local(path: str) -> str:
    """Only a path of the viewer itself (no open redirect to another site)."""
    return path if path.startswith("/ui") and not path.startswith("//") and "\\" not in path else "/ui"


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(at))
