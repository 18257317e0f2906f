"""A Python client of the job service (`proofroute serve`), sync (`Client`) and async
(`AsyncClient`), on httpx.

It speaks the records of `verifier.service.records` — the requests are validated by the
same pydantic models the server uses, and the answers come back as `JobView`, `JobList`
and `EventView` — so client and server cannot drift apart. Every failure is one error,
`verifier.errors.ServiceError`, carrying the HTTP status and the server's error body
(`code`, `message`, `hint`); a server that cannot be reached is `status=None`,
`code="unreachable"`.

    with Client("http://127.0.0.1:8000", key=token) as client:
        job = client.submit("generate", spec=spec_text, llm="openai:gpt-4o-mini")
        for event in client.events(job.id):      # resumes after a dropped connection
            print(event.kind)
        print(client.wait(job.id).status)

The event stream resumes with `Last-Event-ID` when the connection drops, so no event is
lost or seen twice; it ends after the job's `done` event.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from pydantic import ValidationError

from verifier.errors import ServiceError
from verifier.service.records import (
    REQUEST,
    AnswersRequest,
    ErrorBody,
    EventView,
    JobKind,
    JobList,
    JobRequest,
    JobStatus,
    JobView,
)

DEFAULT_URL = "http://127.0.0.1:8000"
URL_ENV = "PROOFROUTE_URL"
KEY_ENV = "PROOFROUTE_KEY"
RECONNECTS = 5  # an event stream dropped more often than this in a row gives up


def default_url() -> str:
    return os.environ.get(URL_ENV) or DEFAULT_URL


def default_key() -> str | None:
    return os.environ.get(KEY_ENV) or None


def job_request(kind: JobKind | str, fields: Mapping[str, object]) -> JobRequest:
    """The typed request for `kind` (the server's own model), or a ServiceError naming the
    field that is wrong — before anything is sent."""
    try:
        return REQUEST.validate_python({**fields, "kind": str(kind)})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ServiceError(f"{where or 'request'}: {first['msg']}", status=None, code="invalid_request",
                           hint=f"see the {kind!s} job's fields in docs/service.md") from None


def _body(request: JobRequest) -> dict[str, object]:
    return request.model_dump(mode="json", by_alias=True, exclude_none=True)


def _headers(key: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"} if key else {}


def _error(response: httpx.Response) -> ServiceError:
    """The server's error body as a ServiceError (any answer, even one not in our shape)."""
    try:
        raw = response.json()
        detail = ErrorBody.model_validate(raw).error
        body = raw
    except (ValueError, ValidationError):
        text = response.text.strip()[:300] or response.reason_phrase
        return ServiceError(f"HTTP {response.status_code} from {response.request.url}: {text}",
                            status=response.status_code, code="http_error")
    retry = response.headers.get("retry-after")
    return ServiceError(detail.message, status=response.status_code, code=detail.code, hint=detail.hint,
                        body=body, retry_after=float(retry) if retry and retry.isdigit() else None)


def _unreachable(url: str, exc: httpx.HTTPError) -> ServiceError:
    return ServiceError(f"cannot reach the job service at {url}: {type(exc).__name__}: {exc}", status=None,
                        code="unreachable",
                        hint=f"is `proofroute serve` running there? (--server URL or ${URL_ENV} picks another)")


def _checked(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        return response
    raise _error(response)


def _list_params(status: JobStatus | str | None, limit: int, cursor: str | None) -> dict[str, str | int]:
    params: dict[str, str | int] = {"limit": limit}
    if status is not None:
        params["status"] = str(status)
    if cursor is not None:
        params["cursor"] = cursor
    return params


@dataclass
class SSEParser:
    """Server-sent events from lines: `id:`, `event:`, `data:`; a blank line ends one.

    `seq` is the id of the last *complete* event — what a reconnect sends as
    `Last-Event-ID` — so an event cut off mid-way is asked for again, not skipped."""

    seq: int = 0
    _id: int | None = None
    _kind: str = "message"
    _data: list[str] = field(default_factory=list)

    def restart(self) -> None:
        """A new connection: forget a half-received event."""
        self._id, self._kind, self._data = None, "message", []

    def feed(self, line: str) -> EventView | None:
        if line == "":
            if not self._data:
                return None
            payload = json.loads("\n".join(self._data))
            if self._id is not None:
                self.seq = self._id
            kind = self._kind
            self.restart()
            return EventView(seq=self.seq, kind=payload.get("kind", kind), at=payload.get("at", 0.0),
                             data=payload.get("data"))
        if line.startswith(":"):
            return None  # a keep-alive comment
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "id" and value.isdigit():
            self._id = int(value)
        elif name == "event":
            self._kind = value
        elif name == "data":
            self._data.append(value)
        return None


class Client:
    """The job service, synchronously. Use as a context manager (or call `close`)."""

    def __init__(self, url: str | None = None, *, key: str | None = None, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = (url or default_url()).rstrip("/")
        self._http = httpx.Client(base_url=self.url, headers=_headers(key if key is not None else default_key()),
                                  timeout=timeout, transport=transport)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        try:
            return _checked(self._http.request(method, path, **kwargs))  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise _unreachable(self.url, exc) from None

    def submit(self, kind: JobKind | str, /, **fields: object) -> JobView:
        """Submit a job (`fields` as in docs/service.md); it is queued, not awaited."""
        return self.submit_request(job_request(kind, fields))

    def submit_request(self, request: JobRequest) -> JobView:
        return JobView.model_validate_json(self._call("POST", "/v1/jobs", json=_body(request)).content)

    def get(self, job_id: str) -> JobView:
        return JobView.model_validate_json(self._call("GET", f"/v1/jobs/{job_id}").content)

    def list(self, status: JobStatus | str | None = None, *, limit: int = 50, cursor: str | None = None) -> JobList:
        """One page of this key's jobs, newest first; pass `next_cursor` on for the next."""
        answer = self._call("GET", "/v1/jobs", params=_list_params(status, limit, cursor))
        return JobList.model_validate_json(answer.content)

    def cancel(self, job_id: str) -> JobView:
        """Cancel: the job is `cancelled` at once; its verifier process and model call stop."""
        return JobView.model_validate_json(self._call("DELETE", f"/v1/jobs/{job_id}").content)

    def answer(self, job_id: str, answers: AnswersRequest) -> JobView:
        """Answer a finished draft-spec job's questions: the new draft-spec job it starts."""
        body = answers.model_dump(mode="json", exclude_none=True)
        return JobView.model_validate_json(self._call("POST", f"/v1/jobs/{job_id}/answers", json=body).content)

    def artifact(self, job_id: str) -> bytes:
        """The verified artifact folder as zip bytes (a ServiceError `no_artifact` otherwise)."""
        return self._call("GET", f"/v1/jobs/{job_id}/artifact").content

    def download(self, job_id: str, path: str | Path) -> Path:
        target = Path(path)
        target.write_bytes(self.artifact(job_id))
        return target

    def health(self) -> dict[str, object]:
        answer: dict[str, object] = self._call("GET", "/v1/health").json()
        return answer

    def wait(self, job_id: str, *, timeout: float | None = None, poll: float = 0.5) -> JobView:
        """The job once finished; a ServiceError `wait_timeout` after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not (job := self.get(job_id)).status.finished:
            if deadline is not None and time.monotonic() > deadline:
                raise _wait_timeout(job, timeout)
            time.sleep(poll)
        return job

    def events(self, job_id: str, *, after: int = 0) -> Iterator[EventView]:
        """Every event of the job after `after`, live, ending with `done`; a dropped
        connection is resumed with `Last-Event-ID` (no event lost or repeated)."""
        parser, failures = SSEParser(seq=after), 0
        while True:
            parser.restart()
            try:
                with self._http.stream("GET", f"/v1/jobs/{job_id}/events", headers=_resume(parser.seq),
                                       timeout=_STREAM_TIMEOUT) as response:
                    _checked_stream(response)
                    for line in response.iter_lines():
                        if (event := parser.feed(line)) is not None:
                            failures = 0
                            yield event
                            if event.kind == "done":
                                return
            except httpx.HTTPError as exc:
                failures += 1
                if failures > RECONNECTS:
                    raise _unreachable(self.url, exc) from None
                time.sleep(min(0.2 * 2 ** failures, 5.0))


class AsyncClient:
    """The job service for asyncio; the same methods as `Client`, awaited."""

    def __init__(self, url: str | None = None, *, key: str | None = None, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url = (url or default_url()).rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.url,
                                       headers=_headers(key if key is not None else default_key()),
                                       timeout=timeout, transport=transport)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        try:
            return _checked(await self._http.request(method, path, **kwargs))  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise _unreachable(self.url, exc) from None

    async def submit(self, kind: JobKind | str, /, **fields: object) -> JobView:
        return await self.submit_request(job_request(kind, fields))

    async def submit_request(self, request: JobRequest) -> JobView:
        return JobView.model_validate_json((await self._call("POST", "/v1/jobs", json=_body(request))).content)

    async def get(self, job_id: str) -> JobView:
        return JobView.model_validate_json((await self._call("GET", f"/v1/jobs/{job_id}")).content)

    async def list(self, status: JobStatus | str | None = None, *, limit: int = 50,
                   cursor: str | None = None) -> JobList:
        answer = await self._call("GET", "/v1/jobs", params=_list_params(status, limit, cursor))
        return JobList.model_validate_json(answer.content)

    async def cancel(self, job_id: str) -> JobView:
        return JobView.model_validate_json((await self._call("DELETE", f"/v1/jobs/{job_id}")).content)

    async def answer(self, job_id: str, answers: AnswersRequest) -> JobView:
        body = answers.model_dump(mode="json", exclude_none=True)
        return JobView.model_validate_json((await self._call("POST", f"/v1/jobs/{job_id}/answers", json=body)).content)

    async def artifact(self, job_id: str) -> bytes:
        return (await self._call("GET", f"/v1/jobs/{job_id}/artifact")).content

    async def download(self, job_id: str, path: str | Path) -> Path:
        target = Path(path)
        target.write_bytes(await self.artifact(job_id))
        return target

    async def health(self) -> dict[str, object]:
        answer: dict[str, object] = (await self._call("GET", "/v1/health")).json()
        return answer

    async def wait(self, job_id: str, *, timeout: float | None = None, poll: float = 0.5) -> JobView:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not (job := await self.get(job_id)).status.finished:
            if deadline is not None and time.monotonic() > deadline:
                raise _wait_timeout(job, timeout)
            await asyncio.sleep(poll)
        return job

    async def events(self, job_id: str, *, after: int = 0) -> AsyncIterator[EventView]:
        parser, failures = SSEParser(seq=after), 0
        while True:
            parser.restart()
            try:
                async with self._http.stream("GET", f"/v1/jobs/{job_id}/events", headers=_resume(parser.seq),
                                             timeout=_STREAM_TIMEOUT) as response:
                    if not response.is_success:
                        await response.aread()
                    _checked_stream(response)
                    async for line in response.aiter_lines():
                        if (event := parser.feed(line)) is not None:
                            failures = 0
                            yield event
                            if event.kind == "done":
                                return
            except httpx.HTTPError as exc:
                failures += 1
                if failures > RECONNECTS:
                    raise _unreachable(self.url, exc) from None
                await asyncio.sleep(min(0.2 * 2 ** failures, 5.0))


# The server sends a keep-alive comment every ~6 s while a job is quiet.
_STREAM_TIMEOUT = httpx.Timeout(30.0, read=60.0)


def _resume(seq: int) -> dict[str, str]:
    return {"last-event-id": str(seq)} if seq else {}


def _checked_stream(response: httpx.Response) -> None:
    if not response.is_success:
        if not response.is_stream_consumed:
            response.read()
        raise _error(response)


def _wait_timeout(job: JobView, timeout: float | None) -> ServiceError:
    return ServiceError(f"job {job.id} is still {job.status.value} after {timeout:g} s", status=None,
                        code="wait_timeout", hint=f"wait longer, or cancel it: proofroute jobs / DELETE /v1/jobs/{job.id}")
