"""The HTTP API: `POST /v1/generate` runs `verifier.generate` and answers with the artifact.

A request names the spec (TOML text, or the same content as a JSON object), the model
provider and the budgets; the answer holds every artifact file, the certificate and the
transcript. A run that does not verify is still a successful request (`verified:
false` with the reason and the transcript); bad input is 400, a missing Dafny 503.

Replies can be given inline (`"replies": [...]`) to replay a recorded session over HTTP
without a model; `replay:<path>` reads server files and is refused unless the server was
started with `allow_replay_files`. `"backend": "lean"` picks the Lean route (a verified
Lean proof instead of Python). One backend per route (warm servers or sessions) serves
all requests, made on first use and closed when the app shuts down.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from verifier import __version__
from verifier.errors import BudgetExhausted, LLMError, ProofrouteError, SpecError, ToolchainMissing

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


class Budget(BaseModel):
    attempts: int = Field(8, ge=1, le=100)
    candidates: int = Field(1, ge=1, le=16)
    restart_after: int = Field(3, ge=0)
    seconds: float = Field(900.0, gt=0)
    tokens: int | None = Field(None, ge=1)
    check_timeout: float | None = Field(None, gt=0)  # None: 60 s Dafny, 300 s Lean
    validate_inputs: int = Field(20, ge=0, le=1000, alias="validate")

    model_config = {"populate_by_name": True}


class GenerateRequest(BaseModel):
    spec: str | dict[str, Any]
    llm: str = Field(..., description="openai:<model>, anthropic:<model>, replay:<path>, or "
                     "'replay' with inline `replies`")
    replies: list[str] | None = None
    backend: Literal["dafny", "lean"] = "dafny"
    budgets: Budget = Budget()


def toml_text(spec: dict[str, Any]) -> str:
    """A spec given as a JSON object, written as the TOML the loader reads (so errors
    still point at a line and a column)."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in spec.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables += [(key, v) for v in value]
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, table in tables:
        lines += ["", f"[[{_key(key)}]]"]
        lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if value is None:
        raise SpecError("null is not a spec value", hint="leave the key out instead")
    raise SpecError(f"cannot write {type(value).__name__} into a spec")


def create_app(*, out: Path | None = None, allow_replay_files: bool = False,
               backend: Any = None) -> FastAPI:
    """The app. `out`: also write artifacts under this folder; `backend`: share one for
    its route (tests), else each route's backend is made on first use and closed at
    shutdown."""
    given = {backend.name: backend} if backend is not None else {}
    made: dict[str, Any] = {}
    lock = threading.Lock()

    def get_backend(route: str = "dafny") -> Any:
        with lock:
            if route in given:
                return given[route]
            if route not in made:
                from verifier.backends import get_backend as make

                made[route] = make(route)
            return made[route]

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        for owned in made.values():
            owned.close()

    app = FastAPI(title="proofroute", version=__version__, lifespan=lifespan)

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        """`ok` when the default (Dafny) route can run; each route's toolchain apart."""
        routes = {}
        for route in ("dafny", "lean"):
            info = get_backend(route).available()
            routes[route] = {"ok": info.ok, "version": info.version, "hint": info.hint}
        return {"ok": routes["dafny"]["ok"], "version": __version__, **routes}

    @app.post("/v1/generate")
    def generate_endpoint(request: GenerateRequest) -> dict[str, Any]:
        from verifier.api import generate

        text = request.spec if isinstance(request.spec, str) else toml_text(request.spec)
        if "\n" not in text:
            text += "\n"  # always TOML text here, never a server path
        b = request.budgets
        with tempfile.TemporaryDirectory(prefix="proofroute-http-") as scratch:
            llm = _llm(request, Path(scratch), allow_replay_files)
            try:
                artifact = generate(
                    text, llm=llm, out=out, backend=get_backend(request.backend),
                    attempts=b.attempts,
                    candidates=b.candidates, restart_after=b.restart_after, seconds=b.seconds,
                    tokens=b.tokens, check_timeout=b.check_timeout, validate=b.validate_inputs,
                )
            except SpecError as exc:
                raise HTTPException(400, {"error": "spec", "message": str(exc)}) from None
            except LLMError as exc:
                raise HTTPException(400, {"error": "llm", "message": str(exc)}) from None
            except ToolchainMissing as exc:
                raise HTTPException(503, {"error": "toolchain", "message": str(exc)}) from None
            except BudgetExhausted as exc:
                transcript = exc.transcript.records() if exc.transcript is not None else []
                return {"verified": False, "reason": exc.message, "attempts": len(exc.attempts),
                        "best_stage": exc.best.stage if exc.best else None,
                        "transcript": transcript}
            except ProofrouteError as exc:
                return {"verified": False, "reason": str(exc), "attempts": 0, "transcript": []}
        return artifact.to_json()

    return app


def _llm(request: GenerateRequest, scratch: Path, allow_files: bool) -> Any:
    from verifier.llm import get_llm

    if request.replies is not None:
        if request.llm not in ("replay", "replay:"):
            raise HTTPException(400, {"error": "llm", "message": "inline replies need llm 'replay'"})
        path = scratch / "replies.jsonl"
        path.write_text("".join(json.dumps({"kind": "response", "content": r}) + "\n"
                                for r in request.replies), encoding="utf-8")
        return get_llm(f"replay:{path}")
    if request.llm.startswith("replay:") and not allow_files:
        raise HTTPException(400, {"error": "llm", "message": "replay files are disabled on this "
                                  "server; send the replies inline with llm 'replay'"})
    try:
        return get_llm(request.llm)
    except LLMError as exc:
        raise HTTPException(400, {"error": "llm", "message": str(exc)}) from None
