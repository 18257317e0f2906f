"""`generate(spec, llm=...)`: the Python entry point of the whole pipeline.

The CLI, the HTTP server and the demo all call this one function, so they cannot differ
in what "verified" means. It loads the spec, finds the verifier, runs the loop, and for a
verified program writes the artifact folder:

- Dafny route (default): compiles the program to Python, validates the translation
  against Dafny's own compiled code, emits the property tests;
- Lean route (`backend="lean"`): keeps the verified `.lean` (Lean→Python is a later
  step) and emits the property tests for a Python implementation the user brings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from verifier.artifact import (
    SPEC_FILE,
    Artifact,
    build_certificate,
    file_names,
    sha256,
    write_artifact,
)
from verifier.errors import BudgetExhausted, ProofrouteError, ToolchainMissing
from verifier.llm import LLM, get_llm
from verifier.loop import Budgets, Loop, LoopResult
from verifier.specs import model as m
from verifier.transcript import Event, Transcript

log = logging.getLogger(__name__)

DEFAULT_OUT = Path("proofroute-out")


def load(spec_or_path: m.Spec | str | Path) -> tuple[m.Spec, str]:
    """A spec and its TOML text, from a `Spec`, a path, or TOML text itself."""
    from verifier.specs.loader import load_spec_text, read_spec_file

    if isinstance(spec_or_path, m.Spec):
        if spec_or_path.source and Path(spec_or_path.source).is_file():
            return spec_or_path, read_spec_file(spec_or_path.source)
        raise ProofrouteError("a Spec object must come from a file (Spec.source) to be "
                              "recorded in the artifact", hint="pass the path or the TOML text")
    if isinstance(spec_or_path, str) and "\n" in spec_or_path:
        return load_spec_text(spec_or_path, None), spec_or_path
    text = read_spec_file(spec_or_path)
    return load_spec_text(text, str(spec_or_path)), text


def dafny_backend(backend: Any = None) -> tuple[Any, Any]:
    """The Dafny backend and what it found; `ToolchainMissing` when unusable."""
    from verifier.backends import get_backend

    backend = backend or get_backend("dafny")
    info = backend.available()
    if not info.ok:
        raise ToolchainMissing(f"Dafny is not usable here: {info.hint or 'not found'}",
                               hint="run `proofroute doctor`; on Debian `apt-get install dafny`")
    return backend, info


def lean_backend(backend: Any = None) -> tuple[Any, Any]:
    """The Lean backend and what it found; `ToolchainMissing` when unusable."""
    from verifier.backends import get_backend

    backend = backend or get_backend("lean")
    info = backend.available()
    if not info.ok:
        raise ToolchainMissing(f"Lean 4 is not usable here: {info.hint or 'not found'}",
                               hint="run `proofroute setup --only lean` and `proofroute doctor`")
    return backend, info


ROUTE_BACKENDS = {"dafny": dafny_backend, "lean": lean_backend}
DEFAULT_CHECK_TIMEOUT = {"dafny": 60.0, "lean": 300.0}  # a Lean check here takes 12-90 s


def route_of(backend: Any) -> tuple[str, Any]:
    """("dafny" | "lean", backend object or None) from a route name or a backend object."""
    if backend is None:
        return "dafny", None
    if isinstance(backend, str):
        if backend not in ROUTE_BACKENDS:
            raise ProofrouteError(f"unknown backend {backend!r}",
                                  hint=f"use one of: {', '.join(ROUTE_BACKENDS)}")
        return backend, None
    name = getattr(backend, "name", "dafny")
    return (name if name in ROUTE_BACKENDS else "dafny"), backend


def _translator(dialect: Any) -> Callable[[str], Any]:
    from verifier.translators.dafny_to_python import translate

    def run(source: str, program: Any = None) -> Any:
        return translate(source, dialect=dialect, program=program)

    return run


def _validate(result: LoopResult, spec: m.Spec, dialect: Any, n: int, seed: int) -> dict[str, Any]:
    """Dafny's own JS build and our Python must agree on Hypothesis inputs; a
    disagreement is a translator bug, and such a module is never shipped as verified."""
    from verifier.translators.validate import validate_translation

    try:
        report = validate_translation(result.attempt.program or "", spec.method, n=n,
                                      spec=spec, seed=seed, dialect=dialect)
    except ToolchainMissing as exc:
        # the proof stands; the certificate says plainly that the translation is unchecked
        log.warning("translation not validated: %s", exc.message)
        return {"checked": False, "reason": f"Dafny's JS build is not usable here: {exc.message}",
                "hint": "run `proofroute setup` (node and bignumber.js)"}
    if not report.ok:
        raise ProofrouteError(
            f"{spec.name}: the Python translation disagrees with Dafny's compiled code: "
            f"{report.summary()}",
            hint="this is a proofroute translator bug: please report it with the transcript",
        )
    return {"checked": True, "ok": True, "requested": n, "compared": report.compared,
            "summary": report.summary(), "notes": list(report.notes),
            "js_driver": report.js_driver, "seconds": round(report.seconds, 3)}


def _user_tests(spec: m.Spec, name: str) -> str:
    """Property tests for a Python implementation the user brings (the Lean route has no
    Lean→Python compiler yet): emitted against a signature-only stand-in module, which
    is not shipped; the tests load `<name>.py` from beside themselves, else import
    `<name>`."""
    from verifier.translators.dafny_to_python import py_identifier

    params = ", ".join(py_identifier(p.name) for p in spec.params)
    stand_in = (f"def {py_identifier(spec.method)}({params}):\n"
                "    raise NotImplementedError('bring your own implementation')\n")
    return _tests(spec, name, stand_in, py_identifier(spec.method))


def _tests(spec: m.Spec, name: str, python: str, function: str) -> str:
    """The property tests; the harness reads the module's signature from a file (it never
    imports model output), so the module is put in a scratch folder for it."""
    import tempfile

    from verifier.harness import emit_pytest

    with tempfile.TemporaryDirectory(prefix="proofroute-emit-") as scratch:
        (Path(scratch) / f"{name}.py").write_text(python, encoding="utf-8")
        return emit_pytest(spec, f"{name}:{function}", (), cwd=Path(scratch))


def generate(
    spec_or_path: m.Spec | str | Path,
    *,
    llm: LLM | str,
    out: str | Path | None = DEFAULT_OUT,
    backend: Any = None,
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
) -> Artifact:
    """Generate a verified program for a spec, or raise `BudgetExhausted`.

    `llm` is a provider or a provider spec ("openai:gpt-4o", "replay:run.jsonl").
    `backend` is the route, "dafny" (default) or "lean", or a backend object (its
    `name` picks the route). `check_timeout` defaults to 60 s for Dafny, 300 s for Lean.
    `out` is the parent folder (the artifact goes to `out/<spec name>/`; None keeps it
    in memory). `validate` is the number of inputs of the translation check (0: skip;
    the certificate then says it was not checked). On exhaustion the transcript is still
    written to `out/<spec name>/transcript.jsonl`, so the run can be replayed.
    """
    route, backend = route_of(backend)
    spec, spec_text = load(spec_or_path)
    owned = backend is None
    backend, info = ROUTE_BACKENDS[route](backend)
    if check_timeout is None:
        check_timeout = DEFAULT_CHECK_TIMEOUT[route]
    try:
        return _generate(spec, spec_text, llm=llm, out=out, backend=backend, info=info,
                         budgets=Budgets(attempts=attempts, candidates=candidates,
                                         restart_after=restart_after, seconds=seconds,
                                         tokens=tokens, check_timeout=check_timeout,
                                         quick_inputs=quick_inputs, temperature=temperature,
                                         seed=seed),
                         validate=validate, seed=seed, on_event=on_event, route=route)
    finally:
        if owned:
            backend.close()


def _generate(
    spec: m.Spec,
    spec_text: str,
    *,
    llm: LLM | str,
    out: str | Path | None,
    backend: Any,
    info: Any,
    budgets: Budgets,
    validate: int,
    seed: int,
    on_event: Callable[[Event], None] | None,
    route: str = "dafny",
) -> Artifact:
    model = get_llm(llm) if isinstance(llm, str) else llm
    transcript = Transcript(listener=on_event)
    dialect: Any = None
    if route == "lean":
        from verifier.routes.lean import LeanRoute

        loop = Loop(spec, model, backend, budgets=budgets, transcript=transcript,
                    route=LeanRoute(spec, backend, version=info.version,
                                    mathlib=dict(info.details).get("mathlib") == "yes"))
    else:
        from verifier.backends.dafny.dialect import dialect_for_version

        dialect = dialect_for_version(info.version or "2")
        loop = Loop(spec, model, backend, dialect=dialect, dialect_version=info.version,
                    budgets=budgets, transcript=transcript, translate=_translator(dialect))
    folder = Path(out) / spec.name if out is not None else None
    try:
        result = loop.run()
    except BudgetExhausted:
        _keep_failed_transcript(folder, transcript)
        raise
    transcript.add("stage", stage="compile")
    try:
        if route == "lean":
            artifact = build_lean_artifact(spec, spec_text, result, info, model.name)
        else:
            artifact = build_artifact(spec, spec_text, result, info, dialect, model.name,
                                      validate=validate, seed=seed)
    except ProofrouteError as exc:
        transcript.add("outcome", verified=False, reason=f"after verification: {exc.message}")
        _keep_failed_transcript(folder, transcript)
        raise
    transcript.add("stage", stage="written", directory=str(folder) if folder else None)
    artifact = Artifact(artifact.name, artifact.method, artifact.files, artifact.certificate,
                        None, transcript.to_jsonl())
    if folder is not None:
        artifact = write_artifact(folder, artifact)
    return artifact


def _keep_failed_transcript(folder: Path | None, transcript: Transcript) -> None:
    """A run that produced nothing still leaves its transcript (to inspect or replay it),
    without touching a verified artifact an earlier run left in the same folder."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    name = "transcript.failed.jsonl" if (folder / "certificate.json").exists() else "transcript.jsonl"
    transcript.write(folder / name)


def build_artifact(
    spec: m.Spec,
    spec_text: str,
    result: LoopResult,
    info: Any,
    dialect: Any,
    model_name: str,
    *,
    validate: int,
    seed: int,
) -> Artifact:
    winner = result.attempt
    assert winner.verified and winner.check is not None and winner.guard is not None
    translation = winner.guard.translation
    names = file_names(spec.name)
    validation = (_validate(result, spec, dialect, validate, seed) if validate > 0
                  else {"checked": False, "reason": "skipped (validate=0)"})
    files = {
        names["python"]: translation.text,
        names["dafny"]: winner.program or "",
        names["tests"]: _tests(spec, spec.name, translation.text,
                               translation.function(spec.method).name),
        SPEC_FILE: spec_text,
    }
    dafny_seconds = sum(a.timings.get("dafny", 0.0) for a in result.attempts)
    model_seconds = sum(a.timings.get("model", 0.0) for a in result.attempts)
    certificate = build_certificate(
        name=spec.name,
        method=spec.method,
        files=files,
        toolchain={"dafny": info.version, "dafny_path": info.path, "dialect": dialect.name,
                   **{k: str(v) for k, v in dict(info.details).items()
                      if k in ("z3", "z3_version", "z3_path", "mode")}},
        obligations=[{"name": o.name, "verdict": o.verdict.value}
                     for o in winner.check.obligations],
        validation=validation,
        run={
            "model": model_name,
            "attempts": len(result.attempts),
            "verified_attempt": winner.number,
            "restarts": result.restarts,
            "seconds": round(result.seconds, 3),
            "verifier_seconds": round(dafny_seconds, 3),
            "model_seconds": round(model_seconds, 3),
            "tokens": {"input": result.input_tokens, "output": result.output_tokens},
        },
    )
    return Artifact(spec.name, spec.method, files, certificate)


def _run_record(result: LoopResult, model_name: str, check_stage: str) -> dict[str, Any]:
    winner = result.attempt
    return {
        "model": model_name,
        "attempts": len(result.attempts),
        "verified_attempt": winner.number,
        "restarts": result.restarts,
        "seconds": round(result.seconds, 3),
        "verifier_seconds": round(sum(a.timings.get(check_stage, 0.0)
                                      for a in result.attempts), 3),
        "model_seconds": round(sum(a.timings.get("model", 0.0) for a in result.attempts), 3),
        "tokens": {"input": result.input_tokens, "output": result.output_tokens},
    }


def build_lean_artifact(
    spec: m.Spec, spec_text: str, result: LoopResult, info: Any, model_name: str
) -> Artifact:
    """The Lean route's artifact: the verified `.lean`, the spec, and property tests for
    a Python implementation the user brings. The certificate records the Lean toolchain,
    the verdict per theorem, the toolchain adaptations the check used, and the hash of
    the rendered task the statements were matched against."""
    from verifier.translators.spec_lean import render_lean

    winner = result.attempt
    assert winner.verified and winner.check is not None
    names = file_names(spec.name, "lean")
    files = {
        names["lean"]: winner.program or "",
        names["tests"]: _user_tests(spec, spec.name),
        SPEC_FILE: spec_text,
    }
    check = winner.check
    adaptations = [d.message for d in check.diagnostics if d.kind == "adaptation"]
    details = dict(info.details)
    certificate = build_certificate(
        name=spec.name,
        method=spec.method,
        files=files,
        toolchain={"lean": check.toolchain_version or info.version, "lean_kind": check.toolchain,
                   "lean_path": info.path, "mathlib": details.get("mathlib", "unknown"),
                   "adaptations": adaptations},
        obligations=[{"name": o.name, "verdict": o.verdict.value} for o in check.obligations],
        validation={"checked": False, "reason": (
            "the Lean route does not compile to Python yet; "
            f"{names['tests']} tests a Python implementation you provide as {spec.name}.py")},
        run=_run_record(result, model_name, "lean"),
        backend="lean",
        task_sha256=sha256(render_lean(spec)),
    )
    return Artifact(spec.name, spec.method, files, certificate)
