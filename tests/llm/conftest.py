"""Loopback servers that speak the real wire formats, for testing the HTTP providers.

`FakeOpenAI` answers POST /v1/chat/completions and `FakeAnthropic` POST /v1/messages on
127.0.0.1 with the bodies, headers and error shapes the real services send, and they
validate requests the way the real services do (auth header, anthropic-version, no
"system" role in Anthropic messages, required fields), so a provider that builds a
wrong request fails here as it would in production. Each test scripts the next replies
(429 with Retry-After, 5xx, malformed JSON, slow replies); unscripted requests succeed
with "reply <n>" and word-count token usage.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from verifier.llm import RetryPolicy

SECRET = "sk-test-SECRET-0123456789abcdefXYZ"


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Action:
    status: int = 200
    body: Any = None  # dict → JSON, bytes → raw, None → a normal success reply
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def _words(text: str) -> int:
    return len(text.split())


class FakeAPI(ABC):
    flavor = ""
    path = ""

    def __init__(self, api_key: str | None = SECRET) -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.script: deque[Action] = deque()
        self.served = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, out_headers, payload, delay = fake.handle(self.path, headers, raw)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for k, v in out_headers.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.root = f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def push(
        self,
        status: int = 200,
        body: Any = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.script.append(Action(status, body, dict(headers or {}), delay))

    # --- the server side ------------------------------------------------------------
    def handle(
        self, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes, float]:
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        with self._lock:
            self.requests.append(Recorded(path, headers, body))
            problem = self.validate(path, headers, body)
            if problem is not None:
                status, err = problem
                return status, {"content-type": "application/json"}, json.dumps(err).encode(), 0
            action = self.script.popleft() if self.script else Action()
            if action.body is None and action.status == 200:
                self.served += 1
                reply = self.success(body, f"reply {self.served}")
                payload = json.dumps(reply).encode()
                ctype = "application/json"
            elif isinstance(action.body, bytes):
                payload, ctype = action.body, "text/html; charset=utf-8"
            else:
                payload, ctype = json.dumps(action.body).encode(), "application/json"
        return action.status, {"content-type": ctype, **action.headers}, payload, action.delay

    @abstractmethod
    def validate(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict] | None:
        """(status, error body) for a request the real service refuses, else None."""

    @abstractmethod
    def success(self, request: dict, text: str) -> dict:
        """The service's success body carrying `text`."""

    @abstractmethod
    def error(self, kind: str, message: str) -> dict:
        """The service's error body."""


class FakeOpenAI(FakeAPI):
    flavor = "openai"
    path = "/v1/chat/completions"

    @property
    def base_url(self) -> str:
        return f"{self.root}/v1"

    def error(self, kind: str, message: str, code: str | None = None) -> dict:
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}

    def validate(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict] | None:
        if path != self.path:
            return 404, self.error(
                "invalid_request_error", f"Unknown request URL: POST {path}.", "unknown_url"
            )
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            given = headers.get("authorization", "").removeprefix("Bearer ")
            masked = f"{given[:5]}{'*' * 20}{given[-4:]}" if given else ""
            return 401, self.error(
                "invalid_request_error",
                f"Incorrect API key provided: {masked}. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_api_key",
            )
        if not isinstance(body, dict):
            return 400, self.error(
                "invalid_request_error",
                "We could not parse the JSON body of your request.",
            )
        if not isinstance(body.get("model"), str):
            return 400, self.error(
                "invalid_request_error", "you must provide a model parameter", None
            )
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            return 400, self.error(
                "invalid_request_error", "Missing required parameter: 'messages'.", None
            )
        for i, m in enumerate(msgs):
            if m.get("role") not in ("system", "user", "assistant", "developer", "tool"):
                return 400, self.error(
                    "invalid_request_error",
                    f"Invalid value: '{m.get('role')}'. Supported values are: 'system', "
                    f"'assistant', 'user', 'function', 'tool', and 'developer'. (messages[{i}].role)",
                )
        return None

    def success(self, request: dict, text: str) -> dict:
        prompt = sum(_words(m["content"]) for m in request["messages"])
        return {
            "id": f"chatcmpl-{self.served}",
            "object": "chat.completion",
            "created": 1732400000,
            "model": f"{request['model']}-2024-07-18",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": _words(text),
                "total_tokens": prompt + _words(text),
            },
            "system_fingerprint": "fp_loopback",
        }


class FakeAnthropic(FakeAPI):
    flavor = "anthropic"
    path = "/v1/messages"

    @property
    def base_url(self) -> str:
        return self.root

    def error(self, kind: str, message: str) -> dict:
        return {"type": "error", "error": {"type": kind, "message": message}}

    def validate(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict] | None:
        if path != self.path:
            return 404, self.error("not_found_error", "Not Found")
        if self.api_key is not None and headers.get("x-api-key") != self.api_key:
            return 401, self.error("authentication_error", "invalid x-api-key")
        if "anthropic-version" not in headers:
            return 400, self.error("invalid_request_error", "anthropic-version: header is required")
        if not isinstance(body, dict):
            return 400, self.error("invalid_request_error", "Invalid JSON in request body")
        if not isinstance(body.get("max_tokens"), int):
            return 400, self.error("invalid_request_error", "max_tokens: Field required")
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            return 400, self.error("invalid_request_error", "messages: Field required")
        for i, m in enumerate(msgs):
            if m.get("role") not in ("user", "assistant"):
                return 400, self.error(
                    "invalid_request_error",
                    f'messages.{i}.role: Unexpected role "{m.get("role")}". The Messages API '
                    'accepts a top-level `system` parameter, not "system" as an input message role.',
                )
        if "system" in body and not isinstance(body["system"], (str, list)):
            return 400, self.error("invalid_request_error", "system: Input should be a valid list")
        return None

    def success(self, request: dict, text: str) -> dict:
        prompt = sum(_words(m["content"]) for m in request["messages"])
        prompt += _words(request.get("system", ""))
        return {
            "id": f"msg_loopback{self.served}",
            "type": "message",
            "role": "assistant",
            "model": request["model"],
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": prompt, "output_tokens": _words(text)},
        }


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic()
    yield server
    server.close()


@pytest.fixture(params=["openai", "anthropic"])
def fake_api(request: pytest.FixtureRequest) -> Iterator[FakeAPI]:
    server: FakeAPI = FakeOpenAI() if request.param == "openai" else FakeAnthropic()
    yield server
    server.close()


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the retry policy asked for, recorded instead of slept."""
    return []


@pytest.fixture
def fast_retry(sleeps: list[float]) -> RetryPolicy:
    return RetryPolicy(
        max_retries=3, initial_backoff=0.01, max_backoff=0.05, jitter=0.01, sleep=sleeps.append
    )


@pytest.fixture
def make_llm(fast_retry: RetryPolicy, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """get_llm for a fake server, with fast retries and a per-test cache dir."""
    from verifier.llm import get_llm

    made: list[Any] = []

    def make(server: FakeAPI, model: str = "test-model", **options: Any) -> Any:
        options.setdefault("base_url", server.base_url)
        options.setdefault("api_key", SECRET)
        options.setdefault("retry", fast_retry)
        options.setdefault("cache", False)
        options.setdefault("cache_dir", tmp_path / "llm-cache")
        options.setdefault("timeout", 5.0)
        llm = get_llm(f"{server.flavor}:{model}", **options)
        made.append(llm)
        return llm

    yield make
    for llm in made:
        llm.close()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(autouse=True)
def _secret_never_leaks(tmp_path: Path) -> Iterator[None]:
    """Every test in this folder: the key never shows in logs or in any file on disk."""
    handler = _Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    leaked = [line for line in handler.lines if SECRET in line or SECRET[8:] in line]
    assert not leaked, f"secret in logs: {leaked}"
    import os

    for base in {tmp_path, Path(os.environ["PROOFROUTE_CACHE_DIR"])}:
        for path in base.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), f"secret written to {path}"
