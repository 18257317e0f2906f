"""One spec's generation, as the CLI reports it (`Outcome`), and as a unit an executor
can run on any worker (`SpecJob`).

Why a job: on a cluster a worker may be another machine, so nothing it needs may be a
path on the caller's disk and nothing it makes may be written there by it. The spec's
text and the model (a replay recording's text, or the provider's name) travel with the
job; the artifact comes back as files, which the caller alone writes to OUT/<name>/.
Each worker opens the route's backend once (warm servers or a Lean session) and its
sandbox spares, and generates spec after spec against them.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from verifier.backends import Backend
from verifier.errors import (
    BudgetExhausted,
    LLMError,
    LLMUnreachable,
    ProofrouteError,
    SpecError,
    ToolchainMissing,
)
from verifier.llm import LLM, ReplayLLM, get_llm
from verifier.paths import write_atomic
from verifier.quicktest import QUICK_LIMITS
from verifier.routes import open_backend
from verifier.sandbox import shared_pool
from verifier.transcript import Event

REPLAY = "replay:"


@dataclass
class Outcome:
    """One spec's result for the final table and `--json`."""

    spec: str
    verified: bool
    directory: str | None = None
    attempts: int = 0
    seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    reason: str = ""  # why not verified; for a verified spec, a caveat (e.g. unvalidated)
    error: str | None = None  # the exception that ended an unverified run, e.g. BudgetExhausted
    best_stage: str | None = None  # how far the best attempt got (as the HTTP API reports)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run_one(path: str | Path, llm: Any, *, out: Path | None, on_event: Callable[[Event], None] | None,
            **budgets: Any) -> Outcome:
    """Generate for one spec; any failure but bad input and a missing Dafny is an outcome."""
    from verifier.api import generate

    started = time.monotonic()
    name = Path(path).stem
    try:
        artifact = generate(path, llm=llm, out=out, on_event=on_event, **budgets)
    except BudgetExhausted as exc:
        attempts = exc.attempts
        unreachable = isinstance(exc.__cause__, LLMUnreachable)  # exit 5, not "not verified"
        return Outcome(name, False, str(out / name) if out else None, len(attempts),
                       time.monotonic() - started,
                       sum(a.input_tokens for a in attempts), sum(a.output_tokens for a in attempts),
                       exc.message, error=type(exc.__cause__ if unreachable else exc).__name__,
                       best_stage=exc.best.stage if exc.best is not None else None)
    except (SpecError, ToolchainMissing):
        raise
    except ProofrouteError as exc:
        return Outcome(name, False, None, 0, time.monotonic() - started, reason=exc.message,
                       error=type(exc).__name__)
    cert = artifact.certificate
    notes = [] if cert.validation.checked else [f"translation not validated: {cert.validation.reason}"]
    if not cert.property_tests.emitted:
        notes.append(f"no property tests: {cert.property_tests.reason}")
    note = "; ".join(notes)
    return Outcome(artifact.name, True, str(artifact.directory) if artifact.directory else None,
                   cert.run.attempts, time.monotonic() - started, cert.run.input_tokens,
                   cert.run.output_tokens, note)


@dataclass(frozen=True)
class ModelSource:
    """The model as a worker can open it: a provider name (its keys come from the
    worker's environment), or a replay recording's text (its path is the caller's)."""

    spec: str
    replay_text: str | None = None

    @classmethod
    def of(cls, spec: str) -> ModelSource:
        if not spec.startswith(REPLAY):
            return cls(spec)
        path = Path(spec[len(REPLAY):])
        try:
            return cls(spec, path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LLMError(f"replay file {path} cannot be read: {exc}",
                           hint="give an existing recording: replay:<file.jsonl>") from None

    def open(self, scratch: Path) -> LLM:
        """A fresh provider: a replay starts again from its first reply."""
        if self.replay_text is None:
            return get_llm(self.spec)
        path = scratch / "replay.jsonl"
        path.write_text(self.replay_text, encoding="utf-8")
        return ReplayLLM(path, label=self.spec[len(REPLAY):])


@dataclass(frozen=True)
class SpecSource:
    """A spec as given: `path` names the artifact, `text` is what is generated from."""

    path: str
    text: str


@dataclass(frozen=True)
class SpecResult:
    """The outcome and the artifact folder's files (relative path, bytes)."""

    outcome: Outcome
    files: tuple[tuple[str, bytes], ...] = ()

    def write(self, out: Path) -> Outcome:
        """The files under OUT/<name>/ (the caller's side, one writer); the outcome then
        names that folder."""
        if self.outcome.directory is None:
            return self.outcome
        folder = out / Path(self.outcome.directory).name
        for relative, data in self.files:
            write_atomic(folder / relative, data)
        return replace(self.outcome, directory=str(folder))


@dataclass(frozen=True)
class SpecJob:
    """Generate with `model` on route `route`; `budgets` are `generate`'s keywords."""

    model: ModelSource
    route: str
    budgets: Mapping[str, Any] = field(default_factory=dict)

    def open(self) -> Backend:
        backend, _ = open_backend(self.route)  # ToolchainMissing on a worker without it
        shared_pool(QUICK_LIMITS)  # sandbox spares boot while the first spec is asked for
        return backend

    def work(self, backend: Backend, unit: SpecSource) -> SpecResult:
        with tempfile.TemporaryDirectory(prefix="proofroute-spec-") as scratch:
            root = Path(scratch)
            spec = root / "spec" / Path(unit.path).name
            spec.parent.mkdir()
            spec.write_text(unit.text, encoding="utf-8")
            out = root / "out"
            outcome = run_one(spec, self.model.open(root), out=out, on_event=None,
                              backend=backend, source=unit.path, **dict(self.budgets))
            return SpecResult(outcome, _files(out / Path(outcome.directory).name)
                              if outcome.directory else ())

    def close(self, backend: Backend) -> None:
        backend.close()


def _files(folder: Path) -> tuple[tuple[str, bytes], ...]:
    if not folder.is_dir():
        return ()
    return tuple((str(p.relative_to(folder)), p.read_bytes())
                 for p in sorted(folder.rglob("*")) if p.is_file())
