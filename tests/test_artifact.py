"""`Certificate`: a typed record that writes certificate.json and reads it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.artifact import (
    SPEC_FILE,
    Artifact,
    Certificate,
    CertificateError,
    ObligationRecord,
    PropertyTests,
    RunRecord,
    Validation,
    load_artifact,
    make_certificate,
    sha256,
    write_artifact,
)
from verifier.results import SCHEMA_VERSION, Verdict


def _certificate(**overrides: object) -> tuple[dict[str, str], Certificate]:
    files = {"m.py": "x = 1\n", "m.dfy": "method M() {}\n", "test_m.py": "", SPEC_FILE: "n\n"}
    cert = make_certificate(
        name="m", method="M", backend="dafny", files=files,
        toolchain={"dafny": "2.3.0", "dafny_path": None, "adaptations": ("a", "b")},
        obligations=[ObligationRecord("M", Verdict.VERIFIED)],
        validation=Validation(checked=False, reason="skipped (validate=0)"),
        run=RunRecord("replay", 2, 2, 0, 1.5, 1.0, 0.1, 10, 20), **overrides)
    return files, cert


def test_round_trip_through_json_keeps_every_field() -> None:
    _, cert = _certificate()
    data = json.loads(json.dumps(cert.to_json()))
    assert Certificate.from_json(data) == cert
    assert data["schema"] == SCHEMA_VERSION and data["kind"] == "proofroute-certificate"
    assert data["attempts"] == 2 and data["tokens"] == {"input": 10, "output": 20}
    assert data["translation_validation"] == {"checked": False, "reason": "skipped (validate=0)"}
    assert data["spec"] == {"file": SPEC_FILE, "sha256": sha256("n\n")}
    assert data["toolchain"]["adaptations"] == ["a", "b"]


def test_the_lean_task_hash_is_kept() -> None:
    _, cert = _certificate(task_sha256="abc")
    assert Certificate.from_json(cert.to_json()).spec.task_sha256 == "abc"


@pytest.mark.parametrize("breakage", [
    {"verdict": "probably"}, {"schema": 99}, {"kind": "something else"}, {"obligations": 3},
    {"translation_validation": {"checked": False, "surprise": 1}},
])
def test_what_is_not_understood_is_refused(breakage: dict[str, object]) -> None:
    _, cert = _certificate()
    with pytest.raises(CertificateError) as caught:
        Certificate.from_json({**cert.to_json(), **breakage}, "x/certificate.json")
    assert "x/certificate.json" in caught.value.message and caught.value.hint


def test_a_certificate_without_a_route_is_dafny_s() -> None:
    """Schema-1 certificates written before the Lean route have no "backend"."""
    _, cert = _certificate()
    data = cert.to_json()
    del data["backend"]
    assert Certificate.from_json(data).backend == "dafny"


def test_written_and_loaded_back(tmp_path: Path) -> None:
    files, cert = _certificate()
    written = write_artifact(tmp_path / "m", Artifact("m", "M", files, cert, None, "{}\n"))
    loaded = load_artifact(written.directory)
    assert loaded.certificate == cert and dict(loaded.files) == files
    assert loaded.verified and loaded.backend == "dafny" and loaded.transcript == "{}\n"


def test_property_tests_left_out_are_recorded_with_the_reason() -> None:
    _, cert = _certificate()
    assert cert.to_json()["property_tests"] == {"emitted": True}
    reason = "requires[0] at spec.toml:6:21 is not executable: ...; the proof stands, ..."
    _, without = _certificate(property_tests=PropertyTests(emitted=False, reason=reason))
    data = json.loads(json.dumps(without.to_json()))
    assert data["property_tests"] == {"emitted": False, "reason": reason}
    assert Certificate.from_json(data) == without
    older = cert.to_json()  # written before the record existed: tests were always emitted
    del older["property_tests"]
    assert Certificate.from_json(older).property_tests == PropertyTests()


@pytest.mark.parametrize("record", [
    {"emitted": "no"}, {"emitted": False}, {"emitted": True, "reason": 3}, {"emitted": True, "surprise": 1}, {},
])
def test_a_property_tests_record_not_understood_is_refused(record: dict[str, object]) -> None:
    _, cert = _certificate()
    with pytest.raises(CertificateError):
        Certificate.from_json({**cert.to_json(), "property_tests": record})
