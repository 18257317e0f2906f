"""The Python entry points: `generate(spec, llm=...)` and `verify(path_or_source)`.

The CLI, the HTTP server and the demo all call `generate`, so they cannot differ in
what "verified" means. It loads the spec, opens the route (`verifier.routes`: Dafny by
default, Lean with `backend="lean"`), runs the loop, has the route build the artifact,
and writes it under `out/<spec name>/`. Everything language-specific is the route's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from verifier.artifact import Artifact, write_artifact
from verifier.backends import Backend, backend_name_for_path, get_backend
from verifier.errors import BudgetExhausted, ProofrouteError
from verifier.llm import LLM, get_llm
from verifier.loop import Budgets, Loop
from verifier.paths import confined
from verifier.results import CheckResult
from verifier.routes import Route, open_route, route_name
from verifier.specs import model as m
from verifier.specs.loader import load_spec_text, read_spec_file
from verifier.transcript import Event, Transcript

DEFAULT_OUT = Path("proofroute-out")


def load(spec_or_path: m.Spec | str | Path, source: str | None = None) -> tuple[m.Spec, str]:
    """A spec and its TOML text, from a `Spec`, a path, or TOML text itself. `source`
    names a file read from a copy (a cluster worker's) as the original it came from."""
    if isinstance(spec_or_path, m.Spec):
        if spec_or_path.source and Path(spec_or_path.source).is_file():
            return spec_or_path, read_spec_file(spec_or_path.source)
        raise ProofrouteError("a Spec object must come from a file (Spec.source) to be "
                              "recorded in the artifact", hint="pass the path or the TOML text")
    if isinstance(spec_or_path, str) and "\n" in spec_or_path:
        return load_spec_text(spec_or_path, None), spec_or_path
    text = read_spec_file(spec_or_path)
    return load_spec_text(text, source or str(spec_or_path)), text


def generate(
    spec_or_path: m.Spec | str | Path,
    *,
    llm: LLM | str,
    out: str | Path | None = DEFAULT_OUT,
    backend: str | Backend | None = None,
    attempts: int = 8,
    candidates: int = 1,
    restart_after: int = 3,
    seconds: float = 900.0,
    tokens: int | None = None,
    check_timeout: float | None = None,
    quick_inputs: int = 50,
    temperature: float | None = None,
    validate: int = 30,
    seed: int = 0,
    on_event: Callable[[Event], None] | None = None,
    source: str | None = None,
) -> Artifact:
    """Generate a verified program for a spec, or raise `BudgetExhausted`.

    `llm` is a provider or a provider spec ("openai:gpt-4o", "replay:run.jsonl").
    `backend` is the route, "dafny" (default) or "lean", or a backend object (its
    `name` picks the route). `check_timeout` defaults to the route's (60 s for Dafny,
    300 s for Lean). `out` is the parent folder (the artifact goes to `out/<spec name>/`;
    None keeps it in memory). `validate` is the number of inputs of the translation
    check (0: skip; the certificate then says it was not checked). On exhaustion the
    transcript is still written to `out/<spec name>/transcript.jsonl`, so the run can be
    replayed. `source` is the path the artifact names the spec by, when `spec_or_path` is
    a copy of it (default: that path).
    """
    name = route_name(backend)
    spec, spec_text = load(spec_or_path, source)
    owned = backend is None or isinstance(backend, str)
    route = open_route(name, spec, None if isinstance(backend, str) else backend)
    budgets = Budgets(attempts=attempts, candidates=candidates, restart_after=restart_after,
                      seconds=seconds, tokens=tokens, quick_inputs=quick_inputs,
                      check_timeout=route.default_timeout if check_timeout is None
                      else check_timeout, temperature=temperature, seed=seed)
    try:
        model = get_llm(llm) if isinstance(llm, str) else llm
        folder = confined(out, spec.name) if out is not None else None
        return _run(route, spec_text, model, budgets, folder, validate=validate, seed=seed,
                    on_event=on_event)
    finally:
        if owned:
            route.backend.close()


def _run(route: Route, spec_text: str, model: LLM, budgets: Budgets, folder: Path | None, *,
         validate: int, seed: int, on_event: Callable[[Event], None] | None) -> Artifact:
    """The loop, then the route's artifact, written to `folder` when there is one."""
    transcript = Transcript(listener=on_event)
    loop = Loop(route.spec, model, route=route, budgets=budgets, transcript=transcript)
    try:
        result = loop.run()
    except BudgetExhausted:
        _keep_failed_transcript(folder, transcript)
        raise
    transcript.add("stage", stage="compile")
    try:
        artifact = route.build_artifact(spec_text, result, model.name, validate=validate,
                                        seed=seed)
    except ProofrouteError as exc:
        transcript.add("outcome", verified=False, reason=f"after verification: {exc.message}")
        _keep_failed_transcript(folder, transcript)
        raise
    transcript.add("stage", stage="written", directory=str(folder) if folder else None)
    artifact = Artifact(artifact.name, artifact.method, artifact.files, artifact.certificate,
                        None, transcript.to_jsonl())
    return write_artifact(folder, artifact) if folder is not None else artifact


def _keep_failed_transcript(folder: Path | None, transcript: Transcript) -> None:
    """A run that produced nothing still leaves its transcript (to inspect or replay it),
    without touching a verified artifact an earlier run left in the same folder."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    name = "transcript.failed.jsonl" if (folder / "certificate.json").exists() else "transcript.jsonl"
    transcript.write(confined(folder, name))


def verify(path_or_source: str | Path, *, backend: str | Backend | None = None,
           timeout: float | None = None) -> CheckResult:
    """The real toolchain's verdict on one program: a file (its extension picks the
    verifier unless `backend` is given) or source text (`backend` then names the
    verifier, Dafny by default). Same verdicts as `proofroute verify`."""
    path = Path(path_or_source) if isinstance(path_or_source, Path) or (
        "\n" not in path_or_source and Path(path_or_source).is_file()) else None
    source = path.read_text(encoding="utf-8") if path is not None else str(path_or_source)
    if isinstance(backend, str) or backend is None:
        name = backend or (backend_name_for_path(path) if path is not None else route_name(None))
        checker = get_backend(name)
    else:
        checker = backend
    options = {} if timeout is None else {"timeout": timeout}
    try:
        return checker.check(source, filename=str(path) if path else None, **options)
    finally:
        if checker is not backend:
            checker.close()
