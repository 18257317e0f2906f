"""The artifact folder a verified run leaves behind, and how to re-check it later.

    <name>.py          the verified program compiled to Python (Dafny route)
    <name>.dfy         the Dafny source Dafny verified (Dafny route)
    <name>.lean        the Lean definition and proofs Lean verified (Lean route)
    test_<name>.py     property tests generated from the spec (on the Lean route they
                       test a Python implementation the user brings as <name>.py)
    spec.toml          the spec the program was verified against
    certificate.json   hashes, toolchain versions, verdict per obligation, cost
    transcript.jsonl   every prompt, reply and check (also a replay recording)

The certificate is a claim anyone can re-check without trusting the run that made it:
`recheck` re-parses the spec, re-runs the guard on the `.dfy` (so a hand-edited escape
hatch is caught), re-verifies it with the Dafny found now, compares every file with its
recorded hash and re-runs the property tests. A Lean artifact (certificate `backend`
"lean") is re-checked the same way with the Lean route's guard and `check_task` against
the spec's Lean statements rendered now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.results import SCHEMA_VERSION, Verdict

CERTIFICATE = "certificate.json"
TRANSCRIPT = "transcript.jsonl"
SPEC_FILE = "spec.toml"


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_names(name: str, backend: str = "dafny") -> dict[str, str]:
    """The certified files of an artifact, by kind, for its route."""
    if backend == "lean":
        return {"lean": f"{name}.lean", "tests": f"test_{name}.py", "spec": SPEC_FILE}
    return {"python": f"{name}.py", "dafny": f"{name}.dfy", "tests": f"test_{name}.py",
            "spec": SPEC_FILE}


@dataclass(frozen=True)
class Artifact:
    """A verified program with its evidence. `files` maps file name to text."""

    name: str
    method: str
    files: Mapping[str, str]
    certificate: Mapping[str, Any]
    directory: Path | None = None
    transcript: str = field(default="", repr=False)

    @property
    def verified(self) -> bool:
        return self.certificate.get("verdict") == Verdict.VERIFIED.value

    @property
    def backend(self) -> str:
        """The route that verified it: "dafny" (also for certificates older than routes)
        or "lean"."""
        return str(self.certificate.get("backend", "dafny"))

    @property
    def python(self) -> str:
        return self.files[f"{self.name}.py"]

    @property
    def lean(self) -> str:
        return self.files[f"{self.name}.lean"]

    @property
    def dafny(self) -> str:
        return self.files[f"{self.name}.dfy"]

    @property
    def tests(self) -> str:
        return self.files[f"test_{self.name}.py"]

    def path(self, kind: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / file_names(self.name, self.backend)[kind]

    def to_json(self) -> dict[str, Any]:
        """Everything in one JSON object (the HTTP API's answer)."""
        return {
            "name": self.name,
            "method": self.method,
            "backend": self.backend,
            "verified": self.verified,
            "directory": str(self.directory) if self.directory else None,
            "files": dict(self.files),
            "certificate": dict(self.certificate),
            "transcript": [json.loads(x) for x in self.transcript.splitlines() if x.strip()],
        }


def build_certificate(
    *,
    name: str,
    method: str,
    files: Mapping[str, str],
    toolchain: Mapping[str, Any],
    obligations: list[dict[str, str]],
    validation: Mapping[str, Any],
    run: Mapping[str, Any],
    backend: str = "dafny",
    task_sha256: str | None = None,
) -> dict[str, Any]:
    from verifier import __version__

    return {
        "schema": SCHEMA_VERSION,
        "kind": "proofroute-certificate",
        "name": name,
        "method": method,
        "verdict": Verdict.VERIFIED.value,
        "backend": backend,
        "spec": {"file": SPEC_FILE, "sha256": sha256(files[SPEC_FILE]),
                 **({"task_sha256": task_sha256} if task_sha256 else {})},
        "files": {fname: sha256(text) for fname, text in sorted(files.items())},
        "toolchain": {
            **dict(toolchain),
            "python": platform.python_version(),
            "proofroute": __version__,
        },
        "obligations": obligations,
        "translation_validation": dict(validation),
        **dict(run),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_artifact(directory: Path, artifact: Artifact) -> Artifact:
    """Write every file, the transcript, then the certificate (last: a folder with a
    certificate is complete)."""
    directory.mkdir(parents=True, exist_ok=True)
    stale = directory / CERTIFICATE
    if stale.exists():
        stale.unlink()
    for fname, text in artifact.files.items():
        (directory / fname).write_text(text, encoding="utf-8")
    (directory / TRANSCRIPT).write_text(artifact.transcript, encoding="utf-8")
    (directory / CERTIFICATE).write_text(
        json.dumps(artifact.certificate, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return Artifact(artifact.name, artifact.method, artifact.files, artifact.certificate,
                    directory, artifact.transcript)


def load_artifact(directory: Path) -> Artifact:
    from verifier.errors import ProofrouteError

    cert_path = directory / CERTIFICATE
    try:
        certificate = json.loads(cert_path.read_text("utf-8"))
    except FileNotFoundError:
        raise ProofrouteError(f"{directory} holds no {CERTIFICATE}",
                              hint="give the folder `proofroute generate` wrote") from None
    except ValueError as exc:
        raise ProofrouteError(f"{cert_path} is not valid JSON: {exc}") from None
    files: dict[str, str] = {}
    for fname in certificate.get("files", {}):
        path = directory / fname
        if path.exists():
            files[fname] = path.read_text("utf-8")
    transcript_path = directory / TRANSCRIPT
    transcript = transcript_path.read_text("utf-8") if transcript_path.exists() else ""
    return Artifact(certificate.get("name", directory.name), certificate.get("method", ""),
                    files, certificate, directory, transcript)


# ---------------------------------------------------------------------------- recheck


@dataclass(frozen=True)
class RecheckStep:
    name: str  # "hashes", "guard", "dafny", "tests"
    ok: bool
    detail: str
    seconds: float = 0.0


@dataclass(frozen=True)
class RecheckReport:
    directory: str
    steps: tuple[RecheckStep, ...]

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)


def check_hashes(artifact: Artifact) -> RecheckStep:
    recorded: Mapping[str, str] = artifact.certificate.get("files", {})
    problems = []
    for fname, digest in sorted(recorded.items()):
        text = artifact.files.get(fname)
        if text is None:
            problems.append(f"{fname} is missing")
        elif sha256(text) != digest:
            problems.append(f"{fname} changed since it was certified")
    spec = artifact.certificate.get("spec", {})
    if spec.get("sha256") != recorded.get(spec.get("file", SPEC_FILE)):
        problems.append("the spec hash does not match the recorded spec file")
    for fname in file_names(artifact.name, artifact.backend).values():
        if fname not in recorded:
            problems.append(f"the certificate lists no {fname}")
    if artifact.certificate.get("verdict") != Verdict.VERIFIED.value:
        problems.append(f"the certificate's verdict is {artifact.certificate.get('verdict')!r}")
    if problems:
        return RecheckStep("hashes", False, "; ".join(problems))
    return RecheckStep("hashes", True, f"{len(recorded)} files match their SHA-256")


def run_tests_file(directory: Path, test_file: str, *, timeout: float = 300.0) -> RecheckStep:
    """Run the property tests with pytest, confined by the sandbox's limits (the module
    under test is compiled model output: no network, rlimits, scrubbed environment)."""
    import importlib.util
    import time

    from verifier.sandbox.limits import Limits, run_limited, scrubbed_env

    missing = [m for m in ("pytest", "hypothesis") if importlib.util.find_spec(m) is None]
    if missing:
        return RecheckStep("tests", False, f"cannot run the property tests: {', '.join(missing)} "
                           "not installed (pip install pytest hypothesis)")
    started = time.monotonic()
    directory = directory.resolve()  # pytest runs inside it; relative paths would nest
    limits = Limits(wall_seconds=timeout, cpu_seconds=int(timeout), memory_bytes=2 << 30,
                    file_size_bytes=64 << 20, processes=64, open_files=256)
    env = scrubbed_env({"PYTHONDONTWRITEBYTECODE": "1", "HYPOTHESIS_STORAGE_DIRECTORY": str(
        directory / ".hypothesis")})
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
            "--rootdir", str(directory), "-o", "addopts=", test_file]
    run = run_limited(argv, limits=limits, cwd=directory, env=env)
    seconds = time.monotonic() - started
    tail = (run.stdout + run.stderr).decode(errors="replace").strip().splitlines()
    summary = tail[-1] if tail else "no output"
    if run.returncode == 0:
        return RecheckStep("tests", True, summary, seconds)
    if run.returncode is None:
        return RecheckStep("tests", False, f"timed out after {timeout:g} s", seconds)
    return RecheckStep("tests", False, "\n".join(tail[-15:]), seconds)


def recheck(
    directory: Path,
    *,
    backend: Any = None,
    timeout: float | None = None,
    tests: bool = True,
) -> RecheckReport:
    """Re-establish every claim of the certificate with what is installed now
    (`timeout` per check: 120 s for Dafny, 300 s for Lean by default).

    Steps: the file hashes; the guard (the `.dfy` still has the spec's contract and no
    escape hatch); Dafny's verdict on the `.dfy`; the property tests. A step that cannot
    run (no Dafny here) fails: recheck succeeds only when everything held.
    """
    import time

    from verifier.errors import ProofrouteError

    artifact = load_artifact(directory)
    if artifact.backend == "lean":
        return _recheck_lean(directory, artifact, backend=backend,
                             timeout=300.0 if timeout is None else timeout, tests=tests)
    timeout = 120.0 if timeout is None else timeout
    steps = [check_hashes(artifact)]
    names = file_names(artifact.name)
    dfy = artifact.files.get(names["dafny"])
    spec_text = artifact.files.get(names["spec"])
    owned = backend is None
    try:
        from verifier.api import dafny_backend

        backend, info = dafny_backend(backend)
    except ProofrouteError as exc:
        steps.append(RecheckStep("dafny", False, str(exc)))
        return RecheckReport(str(directory), tuple(steps))
    try:
        from verifier.backends.dafny.dialect import dialect_for_version
        from verifier.guard import ContractGuard
        from verifier.specs.loader import load_spec_text

        if dfy is None or spec_text is None:
            steps.append(RecheckStep("guard", False, "the .dfy or the spec file is missing"))
        else:
            started = time.monotonic()
            try:
                spec = load_spec_text(spec_text, str(directory / names["spec"]))
                from verifier.api import _translator

                dialect = dialect_for_version(info.version or "2")
                verdict = ContractGuard(spec, dialect, translate=_translator(dialect)).check_program(dfy)
                detail = "contract unchanged, no escape hatch" if verdict.ok else verdict.summary()
                ok = verdict.ok
                # The .py is what users run: it must be the translation of the verified
                # .dfy, or a swapped module with updated hashes would pass as verified.
                py = artifact.files.get(names["python"])
                if ok and (verdict.translation is None or py != verdict.translation.text):
                    ok = False
                    detail = (f"{names['python']} is not the translation of {names['dafny']}: "
                              "the Python module was changed")
                steps.append(RecheckStep("guard", ok, detail, time.monotonic() - started))
            except ProofrouteError as exc:
                steps.append(RecheckStep("guard", False, f"the spec does not load: {exc}"))
            result = backend.check(dfy, timeout=timeout, filename=names["dafny"])
            ok = result.verdict == Verdict.VERIFIED and any(
                o.name == artifact.method and o.verdict == Verdict.VERIFIED
                for o in result.obligations)
            detail = (f"Dafny {result.toolchain_version}: {result.verdict.value}, "
                      f"{len(result.obligations)} obligations")
            if not ok and result.errors:
                first = result.errors[0]
                detail += f"; {first.where()}: {first.message}"
            steps.append(RecheckStep("dafny", ok, detail, result.seconds))
    finally:
        if owned:
            backend.close()
    if tests:
        if names["tests"] in artifact.files and names["python"] in artifact.files:
            steps.append(run_tests_file(directory, names["tests"], timeout=timeout))
        else:
            steps.append(RecheckStep("tests", False, "the test file or the module is missing"))
    return RecheckReport(str(directory), tuple(steps))


def _recheck_lean(
    directory: Path, artifact: Artifact, *, backend: Any, timeout: float, tests: bool
) -> RecheckReport:
    """A Lean artifact: hashes; the Lean route's guard on the `.lean` against the recorded
    spec; Lean's `check_task` against the spec's statements as rendered now (every
    theorem VERIFIED); the property tests when the user put `<name>.py` beside them."""
    import time

    from verifier.errors import ProofrouteError

    steps = [check_hashes(artifact)]
    names = file_names(artifact.name, "lean")
    program = artifact.files.get(names["lean"])
    spec_text = artifact.files.get(names["spec"])
    if program is None or spec_text is None:
        steps.append(RecheckStep("guard", False, "the .lean or the spec file is missing"))
        return RecheckReport(str(directory), tuple(steps))
    try:
        from verifier.routes.lean import LeanRoute
        from verifier.specs.loader import load_spec_text

        spec = load_spec_text(spec_text, str(directory / names["spec"]))
    except ProofrouteError as exc:
        steps.append(RecheckStep("guard", False, f"the spec does not load: {exc}"))
        return RecheckReport(str(directory), tuple(steps))
    owned = backend is None
    try:
        from verifier.api import lean_backend

        backend, _info = lean_backend(backend)
    except ProofrouteError as exc:
        steps.append(RecheckStep("lean", False, str(exc)))
        return RecheckReport(str(directory), tuple(steps))
    try:
        route = LeanRoute(spec, backend)
        started = time.monotonic()
        verdict = route.guard(f"```lean\n{program}```")
        steps.append(RecheckStep(
            "guard", verdict.ok,
            "statements unchanged, no escape hatch" if verdict.ok else verdict.summary(),
            time.monotonic() - started))
        if not verdict.ok:  # a Lean run costs up to a minute and could not make it pass
            steps.append(RecheckStep("lean", False, "not run: the guard refused the file"))
            return RecheckReport(str(directory), tuple(steps))
        result = route.accept(route.check([program], timeout)[0])
        ok = result.verdict == Verdict.VERIFIED
        detail = (f"Lean {result.toolchain_version}: {result.verdict.value}, "
                  f"{len(result.obligations)} theorems")
        recorded_task = artifact.certificate.get("spec", {}).get("task_sha256")
        if recorded_task and recorded_task != sha256(route.task):
            detail += "; note: the spec's Lean rendering changed since the certificate"
        if not ok and result.errors:
            first = result.errors[0]
            detail += f"; {first.where()}: {first.message}"
        steps.append(RecheckStep("lean", ok, detail, result.seconds))
    finally:
        if owned:
            backend.close()
    if tests:
        module = directory / f"{artifact.name}.py"
        if names["tests"] not in artifact.files:
            steps.append(RecheckStep("tests", False, "the test file is missing"))
        elif module.is_file():
            steps.append(run_tests_file(directory, names["tests"], timeout=timeout))
        else:
            steps.append(RecheckStep(
                "tests", True, f"not run: no {module.name} here ({names['tests']} tests a "
                "Python implementation you provide; the Lean route has no Python output yet)"))
    return RecheckReport(str(directory), tuple(steps))
