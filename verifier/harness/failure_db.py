"""Failures found once are tried first next time: the harness's memory between runs.

Hypothesis keeps such a memory (its example database) keyed by the test function; our
properties are built per run, so the key is ours: the spec's contract (name, signature,
clauses) and the function under test (its file relative to the project, and name). The
storage is Hypothesis's `DirectoryBasedExampleDatabase`, which is safe for concurrent
writers (pytest-xdist workers, two CLI runs) and is what Hypothesis users already keep
in their projects. Values are the JSON of the failing inputs, in the sandbox's encoding.

A stored input that no longer fails is deleted when it is replayed, as Hypothesis does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis.database import DirectoryBasedExampleDatabase

from verifier.sandbox import decode, encode
from verifier.specs import model as m

DEFAULT_DIR = Path(".proofroute") / "examples"


@dataclass(frozen=True)
class FailureKey:
    """Which property a stored failure belongs to."""

    spec: m.Spec
    file: Path
    function: str

    def digest(self, project: Path) -> bytes:
        try:
            where = str(self.file.resolve().relative_to(project.resolve()))
        except ValueError:
            where = str(self.file.resolve())
        contract = [
            self.spec.name,
            self.spec.signature,
            [c.text for c in self.spec.requires],
            [c.text for c in self.spec.ensures],
            where,
            self.function,
        ]
        if "<" in self.spec.signature.split("(", 1)[0]:  # a generic method: one property per instance
            contract.append([m.type_text(p.type) for p in self.spec.params])
        return hashlib.sha256(json.dumps(contract).encode("utf-8")).digest()


class FailureDB:
    """The failing inputs of each property, under `root` (default `.proofroute/examples`
    in the project); `project` is what stored file paths are relative to."""

    def __init__(self, root: Path, project: Path | None = None) -> None:
        self.root = root
        self.project = project if project is not None else root.parent.parent
        self._db = DirectoryBasedExampleDatabase(str(root))

    def fetch(self, key: FailureKey, names: Sequence[str]) -> list[dict[str, Any]]:
        """Stored inputs that fit the spec's parameters (others are left alone: a spec
        whose parameters changed gets a new key anyway)."""
        found: list[dict[str, Any]] = []
        for raw in self._db.fetch(key.digest(self.project)):
            inputs = _decode(raw, names)
            if inputs is not None:
                found.append(inputs)
        return sorted(found, key=lambda i: json.dumps(_encoded(i, names), sort_keys=True))

    def save(self, key: FailureKey, inputs: Mapping[str, Any], names: Sequence[str]) -> None:
        self._db.save(key.digest(self.project), _value(inputs, names))

    def delete(self, key: FailureKey, inputs: Mapping[str, Any], names: Sequence[str]) -> None:
        self._db.delete(key.digest(self.project), _value(inputs, names))


def _encoded(inputs: Mapping[str, Any], names: Sequence[str]) -> list[Any]:
    return [encode(inputs[n]) for n in names]


def _value(inputs: Mapping[str, Any], names: Sequence[str]) -> bytes:
    return json.dumps(_encoded(inputs, names), sort_keys=True).encode("utf-8")


def _decode(raw: bytes, names: Sequence[str]) -> dict[str, Any] | None:
    try:
        values = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(names):
        return None
    try:
        return {n: decode(v) for n, v in zip(names, values, strict=True)}
    except (TypeError, ValueError, KeyError):
        return None
