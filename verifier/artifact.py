"""The artifact folder a verified run leaves behind, and its certificate.

    <name>.py          the verified program compiled to Python (Dafny route)
    <name>.dfy         the Dafny source Dafny verified (Dafny route)
    <name>.lean        the Lean definition and proofs Lean verified (Lean route)
    test_<name>.py     property tests generated from the spec (on the Lean route they
                       test a Python implementation the user brings as <name>.py)
    spec.toml          the spec the program was verified against
    certificate.json   hashes, toolchain versions, verdict per obligation, cost
    transcript.jsonl   every prompt, reply and check (also a replay recording)

The certificate is a claim anyone can re-check without trusting the run that made it
(`verifier.recheck`). This module only holds the records and reads and writes them; it
knows no route: each route says which kinds of files it certifies (`kinds`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier import __version__
from verifier.errors import ProofrouteError
from verifier.paths import confined
from verifier.results import SCHEMA_VERSION, Verdict
from verifier.sandbox.limits import Limits, run_limited, scrubbed_env

CERTIFICATE = "certificate.json"
TRANSCRIPT = "transcript.jsonl"
SPEC_FILE = "spec.toml"
CERTIFICATE_KIND = "proofroute-certificate"

# the file of each kind an artifact may hold, by spec name
_KIND_FILES = {"python": "{name}.py", "dafny": "{name}.dfy", "lean": "{name}.lean",
               "tests": "test_{name}.py", "spec": SPEC_FILE}

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
ToolchainValue = str | None | tuple[str, ...]


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_names(name: str, kinds: Sequence[str]) -> dict[str, str]:
    """The certified files of an artifact, by kind (a route's `kinds`)."""
    return {kind: _KIND_FILES[kind].format(name=name) for kind in kinds}


class CertificateError(ProofrouteError, ValueError):
    """A certificate.json that is not a certificate this version can read."""


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SpecRecord:
    file: str
    sha256: str
    task_sha256: str | None = None  # the Lean route: the rendered task the statements matched


@dataclass(frozen=True)
class ObligationRecord:
    name: str
    verdict: Verdict


@dataclass(frozen=True)
class Validation:
    """How the Python translation was checked against the toolchain's own build; when
    `checked` is False, `reason` says why not."""

    checked: bool
    reason: str | None = None
    hint: str | None = None
    ok: bool | None = None
    requested: int | None = None
    compared: int | None = None
    summary: str | None = None
    notes: tuple[str, ...] | None = None
    js_driver: str | None = None
    seconds: float | None = None

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True)
class PropertyTests:
    """Whether the test module holds property tests; when not, `reason` says why (a
    `requires` Python cannot execute: the proof stands, nothing is property-tested)."""

    emitted: bool = True
    reason: str | None = None

    def to_json(self) -> dict[str, JsonValue]:
        return {"emitted": self.emitted} if self.reason is None else {"emitted": self.emitted, "reason": self.reason}


@dataclass(frozen=True)
class RunRecord:
    """What the run that made the artifact cost."""

    model: str
    attempts: int
    verified_attempt: int
    restarts: int
    seconds: float
    verifier_seconds: float
    model_seconds: float
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class Certificate:
    """The claim an artifact makes, as written to certificate.json (`to_json`) and read
    back (`from_json`, which refuses what it does not understand)."""

    name: str
    method: str
    backend: str
    verdict: Verdict
    spec: SpecRecord
    files: Mapping[str, str]  # file name -> SHA-256
    toolchain: Mapping[str, ToolchainValue]
    obligations: tuple[ObligationRecord, ...]
    validation: Validation
    run: RunRecord
    created: str
    property_tests: PropertyTests = PropertyTests()
    schema: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, JsonValue]:
        spec: dict[str, JsonValue] = {"file": self.spec.file, "sha256": self.spec.sha256}
        if self.spec.task_sha256:
            spec["task_sha256"] = self.spec.task_sha256
        r = self.run
        return {
            "schema": self.schema, "kind": CERTIFICATE_KIND, "name": self.name,
            "method": self.method, "verdict": self.verdict.value, "backend": self.backend,
            "spec": spec, "files": dict(self.files),
            "toolchain": {k: list(v) if isinstance(v, tuple) else v
                          for k, v in self.toolchain.items()},
            "obligations": [{"name": o.name, "verdict": o.verdict.value}
                            for o in self.obligations],
            "translation_validation": self.validation.to_json(),
            "property_tests": self.property_tests.to_json(),
            "model": r.model, "attempts": r.attempts, "verified_attempt": r.verified_attempt,
            "restarts": r.restarts, "seconds": r.seconds, "verifier_seconds": r.verifier_seconds,
            "model_seconds": r.model_seconds,
            "tokens": {"input": r.input_tokens, "output": r.output_tokens},
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: object, where: str = CERTIFICATE) -> Certificate:
        """Raises `CertificateError` naming the first field that is missing or wrong."""
        try:
            return _certificate(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CertificateError(
                f"{where} is not a proofroute certificate this version reads: {exc!r}",
                hint="give the folder `proofroute generate` wrote, unedited") from None


def _certificate(data: object) -> Certificate:
    if not isinstance(data, dict) or data.get("kind") != CERTIFICATE_KIND:
        raise ValueError("no \"kind\": \"proofroute-certificate\"")
    if data["schema"] != SCHEMA_VERSION:
        raise ValueError(f"schema {data['schema']!r}, this version reads {SCHEMA_VERSION}")
    spec, tokens, validation = data["spec"], data["tokens"], data["translation_validation"]
    return Certificate(
        name=str(data["name"]), method=str(data["method"]),
        # schema 1 certificates written before the Lean route have no "backend": Dafny's
        backend=str(data.get("backend", "dafny")),
        verdict=Verdict(data["verdict"]),
        spec=SpecRecord(str(spec["file"]), str(spec["sha256"]), spec.get("task_sha256")),
        files={str(k): str(v) for k, v in data["files"].items()},
        toolchain={str(k): tuple(v) if isinstance(v, list) else v
                   for k, v in data["toolchain"].items()},
        obligations=tuple(ObligationRecord(str(o["name"]), Verdict(o["verdict"]))
                          for o in data["obligations"]),
        validation=Validation(**{k: tuple(v) if isinstance(v, list) else v
                                 for k, v in validation.items()}),
        run=RunRecord(str(data["model"]), int(data["attempts"]), int(data["verified_attempt"]),
                      int(data["restarts"]), float(data["seconds"]),
                      float(data["verifier_seconds"]), float(data["model_seconds"]),
                      int(tokens["input"]), int(tokens["output"])),
        created=str(data["created"]), schema=int(data["schema"]),
        # certificates written before this record always shipped property tests
        property_tests=_property_tests(data.get("property_tests", {"emitted": True})),
    )


def _property_tests(data: dict[str, object]) -> PropertyTests:
    emitted, reason = data["emitted"], data.get("reason")
    if (set(data) - {"emitted", "reason"} or not isinstance(emitted, bool)
            or (reason is not None and not isinstance(reason, str))):
        raise ValueError(f"property_tests {data!r}")
    if not emitted and reason is None:
        raise ValueError("property_tests not emitted without a reason")
    return PropertyTests(emitted, reason)


def make_certificate(
    *,
    name: str,
    method: str,
    backend: str,
    files: Mapping[str, str],
    toolchain: Mapping[str, ToolchainValue],
    obligations: Sequence[ObligationRecord],
    validation: Validation,
    run: RunRecord,
    task_sha256: str | None = None,
    property_tests: PropertyTests = PropertyTests(),
) -> Certificate:
    """A VERIFIED certificate for `files` (name -> text) as they are now."""
    return Certificate(
        name=name, method=method, backend=backend, verdict=Verdict.VERIFIED,
        spec=SpecRecord(SPEC_FILE, sha256(files[SPEC_FILE]), task_sha256),
        files={fname: sha256(text) for fname, text in sorted(files.items())},
        toolchain={**toolchain, "python": platform.python_version(), "proofroute": __version__},
        obligations=tuple(obligations), validation=validation, run=run, property_tests=property_tests,
        created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


# ---------------------------------------------------------------------------- artifact


@dataclass(frozen=True)
class Artifact:
    """A verified program with its evidence. `files` maps file name to text."""

    name: str
    method: str
    files: Mapping[str, str]
    certificate: Certificate
    directory: Path | None = None
    transcript: str = field(default="", repr=False)

    @property
    def verified(self) -> bool:
        return self.certificate.verdict == Verdict.VERIFIED

    @property
    def backend(self) -> str:
        """The route that verified it ("dafny", "lean")."""
        return self.certificate.backend

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
        return self.directory / _KIND_FILES[kind].format(name=self.name)

    def to_json(self) -> dict[str, JsonValue]:
        """Everything in one JSON object (the HTTP API's answer)."""
        return {
            "name": self.name,
            "method": self.method,
            "backend": self.backend,
            "verified": self.verified,
            "directory": str(self.directory) if self.directory else None,
            "files": dict(self.files),
            "certificate": self.certificate.to_json(),
            "transcript": [json.loads(x) for x in self.transcript.splitlines() if x.strip()],
        }


def write_artifact(directory: Path, artifact: Artifact) -> Artifact:
    """Write every file, the transcript, then the certificate (last: a folder with a
    certificate is complete)."""
    directory.mkdir(parents=True, exist_ok=True)
    # every target is judged before the first write: a bad name leaves nothing behind
    targets = {fname: confined(directory, fname) for fname in artifact.files}
    stale = confined(directory, CERTIFICATE)
    if stale.exists():
        stale.unlink()
    for fname, text in artifact.files.items():
        targets[fname].write_text(text, encoding="utf-8")
    confined(directory, TRANSCRIPT).write_text(artifact.transcript, encoding="utf-8")
    stale.write_text(json.dumps(artifact.certificate.to_json(), indent=2, ensure_ascii=False)
                     + "\n", encoding="utf-8")
    return Artifact(artifact.name, artifact.method, artifact.files, artifact.certificate,
                    directory, artifact.transcript)


def load_artifact(directory: Path) -> Artifact:
    cert_path = directory / CERTIFICATE
    try:
        data = json.loads(cert_path.read_text("utf-8"))
    except FileNotFoundError:
        raise ProofrouteError(f"{directory} holds no {CERTIFICATE}",
                              hint="give the folder `proofroute generate` wrote") from None
    except ValueError as exc:
        raise ProofrouteError(f"{cert_path} is not valid JSON: {exc}") from None
    certificate = Certificate.from_json(data, str(cert_path))
    files: dict[str, str] = {}
    for fname in certificate.files:
        path = confined(directory, fname)
        if path.exists():
            files[fname] = path.read_text("utf-8")
    transcript_path = directory / TRANSCRIPT
    transcript = transcript_path.read_text("utf-8") if transcript_path.exists() else ""
    return Artifact(certificate.name, certificate.method, files, certificate, directory,
                    transcript)


# ---------------------------------------------------------------------------- recheck steps


@dataclass(frozen=True)
class RecheckStep:
    name: str  # "hashes", "guard", "dafny" / "lean" (the route's check), "tests"
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


def check_hashes(artifact: Artifact, kinds: Sequence[str]) -> RecheckStep:
    """Every recorded file is there with its recorded hash, and the certificate lists
    every file of the route's `kinds`."""
    cert = artifact.certificate
    problems = []
    for fname, digest in sorted(cert.files.items()):
        text = artifact.files.get(fname)
        if text is None:
            problems.append(f"{fname} is missing")
        elif sha256(text) != digest:
            problems.append(f"{fname} changed since it was certified")
    if cert.spec.sha256 != cert.files.get(cert.spec.file):
        problems.append("the spec hash does not match the recorded spec file")
    for fname in file_names(artifact.name, kinds).values():
        if fname not in cert.files:
            problems.append(f"the certificate lists no {fname}")
    if cert.verdict != Verdict.VERIFIED:
        problems.append(f"the certificate's verdict is {cert.verdict.value!r}")
    if problems:
        return RecheckStep("hashes", False, "; ".join(problems))
    return RecheckStep("hashes", True, f"{len(cert.files)} files match their SHA-256")


def run_tests_file(directory: Path, test_file: str, *, timeout: float = 300.0) -> RecheckStep:
    """Run the property tests with pytest, confined by the sandbox's limits (the module
    under test is compiled model output: no network, rlimits, scrubbed environment)."""
    missing = [m for m in ("pytest", "hypothesis") if importlib.util.find_spec(m) is None]
    if missing:
        return RecheckStep("tests", False, f"cannot run the property tests: {', '.join(missing)} "
                           "not installed (pip install pytest hypothesis)")
    started = time.monotonic()
    directory = directory.resolve()  # pytest runs inside it; relative paths would nest
    limits = Limits(wall_seconds=timeout, cpu_seconds=int(timeout), memory_bytes=2 << 30,
                    file_size_bytes=64 << 20, processes=64, open_files=256)
    # pytest plugins installed in the environment are not loaded: the tests need none,
    # and a broken or hostile one must not decide (or crash) the step
    env = scrubbed_env({"PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                        "HYPOTHESIS_STORAGE_DIRECTORY": str(directory / ".hypothesis")})
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
