"""The job service's records: what a job is, what it asks for, what it produced.

Requests are pydantic models with one `kind` each (a discriminated union), validated at
the HTTP edge and stored as their JSON; the store hands back the same typed records.
Limits on sizes and budgets live on the fields, so the documented bounds (docs/service.md)
and the checks are one thing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter, field_validator

MAX_SPEC_CHARS = 64_000
MAX_SOURCE_CHARS = 256_000
MAX_REPLIES = 64
MAX_REPLY_CHARS = 64_000
MAX_DESCRIPTION_CHARS = 16_000
MAX_EXAMPLES = 32


class JobKind(StrEnum):
    GENERATE = "generate"
    VERIFY = "verify"
    TEST = "test"
    SPEC_CHECK = "spec-check"
    DRAFT_SPEC = "draft-spec"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    VERIFIED = "verified"
    NOT_VERIFIED = "not_verified"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self not in (JobStatus.QUEUED, JobStatus.RUNNING)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Budgets(_Request):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    attempts: int = Field(8, ge=1, le=64)
    candidates: int = Field(1, ge=1, le=8)
    restart_after: int = Field(3, ge=0, le=64)
    seconds: float = Field(900, gt=0, le=3600)
    tokens: int | None = Field(None, ge=1, le=10_000_000)
    check_timeout: float | None = Field(None, gt=0, le=900)  # None: the route's default
    validate_inputs: int = Field(30, ge=0, le=1000, alias="validate")


class GenerateRequest(_Request):
    kind: Literal[JobKind.GENERATE] = JobKind.GENERATE
    spec: str = Field(..., min_length=1, max_length=MAX_SPEC_CHARS,
                      description="the spec file's TOML text (or, on input, the same as a JSON object)")
    llm: str = Field(..., max_length=200, description="openai:<model>, anthropic:<model>, or 'replay' with `replies`")
    replies: list[Annotated[str, Field(max_length=MAX_REPLY_CHARS)]] | None = Field(None, max_length=MAX_REPLIES)
    backend: Literal["dafny", "lean"] = "dafny"
    budgets: Budgets = Budgets()

    @field_validator("spec", mode="before")
    @classmethod
    def _spec_object_as_toml(cls, value: object) -> object:
        return spec_toml(value) if isinstance(value, dict) else value


class VerifyRequest(_Request):
    kind: Literal[JobKind.VERIFY] = JobKind.VERIFY
    source: str = Field(..., min_length=1, max_length=MAX_SOURCE_CHARS)
    language: Literal["dafny", "lean"] = "dafny"
    timeout: float = Field(60, gt=0, le=900)


class SpecCheckRequest(_Request):
    kind: Literal[JobKind.SPEC_CHECK] = JobKind.SPEC_CHECK
    spec: str = Field(..., min_length=1, max_length=MAX_SPEC_CHARS)


class TestRequest(_Request):
    kind: Literal[JobKind.TEST] = JobKind.TEST
    spec: str = Field(..., min_length=1, max_length=MAX_SPEC_CHARS)
    code: str = Field(..., min_length=1, max_length=MAX_SOURCE_CHARS, description="a Python module's text")
    function: str = Field(..., pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
    examples: int = Field(100, ge=1, le=10_000)
    seed: int | None = None


class DraftSpecRequest(_Request):
    """A spec drafted from a description (see verifier/draft.py); `examples` are
    `args -> result` lines (`xs = [3, 3] -> i = 0`), the user's answers to earlier
    questions among them."""

    kind: Literal[JobKind.DRAFT_SPEC] = JobKind.DRAFT_SPEC
    description: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    signature: str | None = Field(None, max_length=1000, description="e.g. `method Max(xs: seq<int>) returns (m: int)`")
    examples: list[Annotated[str, Field(max_length=2000)]] = Field([], max_length=MAX_EXAMPLES)
    llm: str = Field(..., max_length=200, description="openai:<model>, anthropic:<model>, or 'replay' with `replies`")
    replies: list[Annotated[str, Field(max_length=MAX_REPLY_CHARS)]] | None = Field(None, max_length=MAX_REPLIES)
    attempts: int = Field(4, ge=1, le=16)


class Answer(_Request):
    question: int = Field(..., ge=0, description="the index of the question in the draft's `questions`")
    choice: int = Field(..., ge=0, description="the index of the intended output in that question's `outputs`")


class AnswersRequest(_Request):
    """Answers to a finished draft-spec job's questions: a new draft-spec job with the
    chosen outputs as examples. `replies` serves a replayed model, as on the first job."""

    answers: list[Answer] = Field(..., min_length=1, max_length=MAX_EXAMPLES)
    replies: list[Annotated[str, Field(max_length=MAX_REPLY_CHARS)]] | None = Field(None, max_length=MAX_REPLIES)


AnyRequest = GenerateRequest | VerifyRequest | SpecCheckRequest | TestRequest | DraftSpecRequest
JobRequest = Annotated[AnyRequest, Field(discriminator="kind")]
REQUEST = TypeAdapter(JobRequest)


class JobResult(BaseModel):
    """What a finished job produced: a verdict word, one line of summary, and details."""

    model_config = ConfigDict(frozen=True)

    verdict: str
    summary: str
    detail: JsonValue = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    hint: str | None = None


class ErrorBody(BaseModel):
    """The one shape of every 4xx/5xx answer of the service."""

    error: ErrorDetail


class JobView(BaseModel):
    """A job as the API shows it (and the Python client hands back): no owner, no request."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: JobKind
    status: JobStatus
    created_at: float
    updated_at: float
    error: str | None = None
    error_code: str | None = None
    result: JobResult | None = None
    links: dict[str, str]


class JobList(BaseModel):
    model_config = ConfigDict(frozen=True)

    jobs: list[JobView]
    next_cursor: str | None = None


class EventView(BaseModel):
    """One server-sent event's data (`id:` is `seq`, `event:` is `kind`)."""

    model_config = ConfigDict(frozen=True)

    seq: int = 0
    kind: str
    at: float
    data: JsonValue = None


@dataclass(frozen=True)
class Job:
    id: str
    owner: str | None  # the id of the key that submitted it; None on a keyless server
    kind: JobKind
    status: JobStatus
    request: AnyRequest
    result: JobResult | None
    error: str | None
    created_at: float
    updated_at: float
    has_artifact: bool = False
    error_code: str | None = None  # spec | llm | toolchain | lost | cancelled | shutdown | internal


@dataclass(frozen=True)
class JobEvent:
    job_id: str
    seq: int  # 1, 2, … per job: the SSE event id
    kind: str
    data: JsonValue
    at: float


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    created_at: float
    revoked_at: float | None


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def spec_toml(spec: dict[str, object]) -> str:
    """A spec sent as a JSON object, written as the TOML the loader reads (so its errors
    still point at a line and a column)."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, object]]] = []
    for key, value in spec.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables += [(key, v) for v in value]
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, table in tables:
        lines += ["", f"[[{_toml_key(key)}]]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _toml_value(value: object) -> str:
    match value:
        case bool():
            return "true" if value else "false"
        case int() | float():
            return repr(value)
        case str():
            return json.dumps(value, ensure_ascii=False)
        case list():
            return "[" + ", ".join(_toml_value(v) for v in value) + "]"
        case dict():
            return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"a spec value cannot be {type(value).__name__} ({value!r}); leave the key out instead")
