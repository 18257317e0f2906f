"""Workers: a bounded pool of threads that claim jobs from the store and run them.

Each worker runs one job at a time with the server's shared, warm backends (one per
route, made on first use). Every loop event goes to the store as it happens, which is
what the event stream and the run viewer read.

Cancelling reaches what the job waits on: each job runs in a `verifier.cancel.Scope`; a
cancel (this server's DELETE at once, or the flag in the store, which a watcher thread
polls for jobs cancelled through another server) kills the job's verifier process group
and abandons its model call, and the run raises `Cancelled`. The listener also checks the
flag at every event.

A heartbeat thread keeps this server's running jobs alive in the store; a sweep fails
jobs whose server stopped beating (this one after a SIGKILL, or another one).
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import JsonValue

from verifier import cancel
from verifier.errors import (
    BudgetExhausted,
    LLMError,
    LLMUnreachable,
    ProofrouteError,
    SpecError,
    ToolchainMissing,
)
from verifier.llm import LLM
from verifier.results import to_jsonable
from verifier.service.records import (
    DraftSpecRequest,
    GenerateRequest,
    Job,
    JobResult,
    JobStatus,
    SpecCheckRequest,
    TestRequest,
    VerifyRequest,
)
from verifier.service.store import Store
from verifier.transcript import Event

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0
CANCEL_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Outcome:
    status: JobStatus
    result: JobResult | None = None
    error: str | None = None
    artifact: bytes | None = None
    code: str | None = None  # why it failed, for clients: see `error_code`


def error_code(exc: ProofrouteError) -> str:
    """The kind of a failure, as clients branch on it (the HTTP status follows from it)."""
    match exc:
        case SpecError():
            return "spec"
        case LLMUnreachable():
            return "llm_unreachable"
        case LLMError():
            return "llm"
        case ToolchainMissing():
            return "toolchain"
    return "input"


@dataclass
class Backends:
    """One backend per route for the whole server (warm DafnyServer pool, Lean sessions)."""

    made: dict[str, object] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, route: str) -> object:
        with self.lock:
            if route not in self.made:
                from verifier.backends import get_backend

                self.made[route] = get_backend(route)
            return self.made[route]

    def close(self) -> None:
        for backend in self.made.values():
            backend.close()


class WorkerPool:
    def __init__(self, store: Store, *, server: str, workers: int = 2, scratch: Path,
                 backends: Backends | None = None, replay_dir: Path | None = None) -> None:
        self.store, self.server, self.workers = store, server, workers
        self.scratch = scratch
        self.replay_dir = replay_dir
        self.backends = backends or Backends()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self.running: dict[str, Job] = {}
        self._scopes: dict[str, cancel.Scope] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        """Clean scratch left by a killed server, fail lost jobs, then start working."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.store.recover(restarted=self.server)
        for i in range(self.workers):
            self._spawn(self._work, f"job-worker-{i}")
        self._spawn(self._beat, "job-heartbeat")
        self._spawn(self._watch_cancels, "job-cancel-watch")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, deadline: float = 30.0) -> None:
        """Stop claiming; let running jobs finish until `deadline` seconds, then cancel them."""
        self._stop.set()
        self._wake.set()
        end = time.monotonic() + deadline
        for thread in self._threads:
            thread.join(max(0.0, end - time.monotonic()))
        with self._lock:
            left = list(self.running)
        for job_id in left:
            self.store.finish(job_id, JobStatus.FAILED, error="the server shut down before the job finished; "
                              "resubmit it", error_code="shutdown")
            self.cancel(job_id)  # its verifier process dies with the server, not after it
        self.backends.close()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            self.store.heartbeat(self.server)
            self.store.recover()

    def cancel(self, job_id: str) -> bool:
        """Stop a job running here now: its verifier process dies, its model call is
        abandoned. False: the job is not running on this server."""
        with self._lock:
            scope = self._scopes.get(job_id)
        if scope is None:
            return False
        scope.cancel()
        return True

    def _watch_cancels(self) -> None:
        """Cancels written to the store by any server reach the jobs running here."""
        while not self._stop.wait(CANCEL_POLL_SECONDS):
            with self._lock:
                live = [job_id for job_id, scope in self._scopes.items() if not scope.cancelled]
            for job_id in live:
                if self.store.cancel_requested(job_id):
                    self.cancel(job_id)

    def _work(self) -> None:
        while not self._stop.is_set():
            job = self.store.claim(self.server)
            if job is None:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            scope = cancel.Scope(job.id)
            with self._lock:
                self.running[job.id] = job
                self._scopes[job.id] = scope
            try:
                with cancel.running(scope):
                    outcome = self._run(job)
            finally:
                with self._lock:
                    self.running.pop(job.id, None)
                    self._scopes.pop(job.id, None)
            self.store.finish(job.id, outcome.status, outcome.result, outcome.error, outcome.artifact,
                              outcome.code)

    def _run(self, job: Job) -> Outcome:
        folder = Path(tempfile.mkdtemp(prefix=f"{job.id}-", dir=self.scratch))
        try:
            return run_job(job, folder, self.backends, self._listener(job.id), self.replay_dir)
        except cancel.Cancelled:
            return Outcome(JobStatus.CANCELLED, error="cancelled by the client", code="cancelled")
        except ProofrouteError as exc:
            return Outcome(JobStatus.FAILED, error=str(exc), code=error_code(exc))
        except Exception as exc:  # a bug of ours: the job must still end, with the reason
            log.exception("job %s crashed", job.id)
            return Outcome(JobStatus.FAILED, error=f"internal error: {type(exc).__name__}: {exc}", code="internal")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _listener(self, job_id: str) -> Callable[[Event], None]:
        def listen(event: Event) -> None:
            self.store.add_event(job_id, event.kind, _jsonable(event.record()))
            if self.store.cancel_requested(job_id):
                self.cancel(job_id)
            cancel.checkpoint()

        return listen


def run_job(job: Job, folder: Path, backends: Backends, listen: Callable[[Event], None],
            replay_dir: Path | None = None) -> Outcome:
    match job.request:
        case GenerateRequest() as request:
            return _generate(request, folder, backends, listen, replay_dir)
        case VerifyRequest() as request:
            return _verify(request, backends)
        case SpecCheckRequest() as request:
            return _spec_check(request, folder)
        case TestRequest() as request:
            return _test(request, folder)
        case DraftSpecRequest() as request:
            return _draft_spec(request, folder, listen, replay_dir)
    raise ProofrouteError(f"unknown job kind {job.kind!r}")


def _generate(request: GenerateRequest, folder: Path, backends: Backends, listen: Callable[[Event], None],
              replay_dir: Path | None) -> Outcome:
    from verifier.api import generate

    llm = _llm(request, folder, replay_dir)
    b = request.budgets
    spec = request.spec if request.spec.endswith("\n") else request.spec + "\n"
    try:
        artifact = generate(spec, llm=llm, out=None, backend=backends.get(request.backend), attempts=b.attempts,
                            candidates=b.candidates, restart_after=b.restart_after, seconds=b.seconds,
                            tokens=b.tokens, check_timeout=b.check_timeout, validate=b.validate_inputs,
                            on_event=listen)
    except BudgetExhausted as exc:
        if isinstance(exc.__cause__, LLMUnreachable):  # says nothing about the spec
            return Outcome(JobStatus.FAILED, error=str(exc.__cause__), code="llm_unreachable")
        return Outcome(JobStatus.NOT_VERIFIED, JobResult(
            verdict="not_verified", summary=exc.message,
            detail={"attempts": len(exc.attempts), "best_stage": exc.best.stage if exc.best else None}))
    files = dict(artifact.files)
    return Outcome(JobStatus.VERIFIED,
                   JobResult(verdict="verified", summary=f"{artifact.name}: verified",
                             detail={"files": files, "certificate": _jsonable(artifact.certificate.to_json())}),
                   artifact=_zip(artifact.name, files))


def _llm(request: GenerateRequest | DraftSpecRequest, folder: Path, replay_dir: Path | None) -> LLM:
    """Inline replies, a recording from the server's one replay folder (the same error
    for every name it cannot serve), or a real provider."""
    from verifier.llm import get_llm
    from verifier.llm.replay import open_confined

    if request.replies is not None:
        replies = folder / "replies.jsonl"
        replies.write_text("".join(json.dumps({"kind": "response", "content": r}) + "\n" for r in request.replies),
                           "utf-8")
        return get_llm(f"replay:{replies}")
    if request.llm.startswith("replay"):
        return open_confined(replay_dir, request.llm.removeprefix("replay").removeprefix(":"))
    return get_llm(request.llm)


def _verify(request: VerifyRequest, backends: Backends) -> Outcome:
    backend = backends.get(request.language)
    suffix = ".dfy" if request.language == "dafny" else ".lean"
    result = backend.check(request.source, timeout=request.timeout, filename=f"input{suffix}")  # type: ignore[attr-defined]
    verdict = str(result.verdict.value)
    status = JobStatus.VERIFIED if verdict == "verified" else JobStatus.NOT_VERIFIED
    return Outcome(status, JobResult(verdict=verdict, summary=f"{request.language}: {verdict}",
                                     detail=_jsonable(result)))


def _spec_check(request: SpecCheckRequest, folder: Path) -> Outcome:
    from verifier.specs.check import check_spec

    path = folder / "spec.toml"
    path.write_text(request.spec, "utf-8")
    findings = check_spec(path)
    errors = [f for f in findings if f.severity.value == "error"]
    status = JobStatus.NOT_VERIFIED if errors else JobStatus.VERIFIED
    return Outcome(status, JobResult(verdict="errors" if errors else "clean",
                                     summary=f"{len(errors)} error(s), {len(findings) - len(errors)} other finding(s)",
                                     detail=[_jsonable(f.record()) for f in findings]))


def _test(request: TestRequest, folder: Path) -> Outcome:
    """Tests refute or find nothing: never "verified" (a passing run is `unknown`)."""
    from verifier.harness import run_properties
    from verifier.specs.loader import load_spec_text

    (folder / "impl.py").write_text(request.code, "utf-8")
    report = run_properties(load_spec_text(request.spec, file="spec.toml"), f"impl.py:{request.function}",
                            max_examples=request.examples, seed=request.seed, cwd=folder)
    return Outcome(JobStatus.NOT_VERIFIED, JobResult(verdict=report.verdict.value, summary=report.summary(),
                                                     detail=_jsonable(report.record())))


def _draft_spec(request: DraftSpecRequest, folder: Path, listen: Callable[[Event], None],
                replay_dir: Path | None) -> Outcome:
    """A clean draft without questions is `verified` (as a clean spec-check); one with
    questions, or none clean within the budget, is `not_verified` with what there is."""
    from verifier.draft import Drafter, DraftFailed, DraftRequest, parse_example
    from verifier.transcript import Transcript

    draft_request = DraftRequest(request.description.strip(), request.signature,
                                 tuple(parse_example(e) for e in request.examples))
    drafter = Drafter(_llm(request, folder, replay_dir), draft_request, attempts=request.attempts,
                      transcript=Transcript(listener=listen))
    try:
        draft = drafter.run()
    except DraftFailed as exc:
        if isinstance(exc.__cause__, LLMError):  # says nothing about the description
            return Outcome(JobStatus.FAILED, error=str(exc.__cause__), code=error_code(exc.__cause__))
        best = exc.best.record() if exc.best is not None else {"clean": False, "questions": []}
        return Outcome(JobStatus.NOT_VERIFIED, JobResult(verdict="not_clean", summary=exc.message,
                                                         detail=_jsonable(best)))
    asked = len(draft.questions)
    return Outcome(JobStatus.NOT_VERIFIED if asked else JobStatus.VERIFIED, JobResult(
        verdict="questions" if asked else "clean",
        summary=f"{draft.spec.name}: clean" + (f", {asked} question(s) for you" if asked else ""),
        detail=_jsonable(draft.record())))


def _zip(name: str, files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, text in sorted(files.items()):
            archive.writestr(f"{name}/{file_name}", text)
    return buffer.getvalue()


def _jsonable(value: object) -> JsonValue:
    return json.loads(json.dumps(to_jsonable(value), default=str))
