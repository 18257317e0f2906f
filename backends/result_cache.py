"""On-disk cache of check results, so re-checking an unchanged program costs milliseconds.

One cache for every backend, each in its own folder. Keyed by a hash of everything that
can change the answer, which the backend names: the source, the file name shown in
diagnostics, the toolchain and its version, the time limit, the backend's rules version,
a task's text. Only settled answers are stored: an UNKNOWN that came from a timeout, a
crash or unreadable output may well differ next time. One JSON file per entry, written
atomically, under `verifier.paths.cache_dir()/BACKEND` (`PROOFROUTE_CACHE_DIR` overrides).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from verifier.paths import cache_dir, write_atomic
from verifier.results import (
    CheckResult,
    Counterexample,
    Diagnostic,
    Obligation,
    Severity,
    Verdict,
    to_jsonable,
)


def cache_key(source: str, **options: Any) -> str:
    """`options`: everything besides the source that can change the answer, the backend's
    rules version among them (results judged by older rules must not answer)."""
    blob = json.dumps({"source": source, **options}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _diag(d: Mapping[str, Any]) -> Diagnostic:
    cex = d.get("counterexample")
    return Diagnostic(
        kind=d["kind"],
        message=d["message"],
        severity=Severity(d.get("severity", "error")),
        file=d.get("file"),
        line=d.get("line"),
        col=d.get("col"),
        code=d.get("code"),
        related=tuple(_diag(r) for r in d.get("related", ())),
        counterexample=_cex(cex) if cex else None,
        trace=tuple(d.get("trace", ())),
    )


def _cex(c: Mapping[str, Any]) -> Counterexample:
    return Counterexample(
        inputs=dict(c.get("inputs", {})),
        output=c.get("output"),
        source=c.get("source", "model"),
        note=c.get("note", ""),
    )


def result_from_json(data: Mapping[str, Any]) -> CheckResult:
    cex = data.get("counterexample")
    return CheckResult(
        verdict=Verdict(data["verdict"]),
        diagnostics=tuple(_diag(d) for d in data.get("diagnostics", ())),
        obligations=tuple(
            Obligation(name=o["name"], verdict=Verdict(o["verdict"]), detail=o.get("detail", ""))
            for o in data.get("obligations", ())
        ),
        counterexample=_cex(cex) if cex else None,
        toolchain=data.get("toolchain", ""),
        toolchain_version=data.get("toolchain_version"),
        seconds=float(data.get("seconds", 0.0)),
        cached=bool(data.get("cached", False)),
    )


def is_settled(result: CheckResult) -> bool:
    """Whether the same inputs would give the same answer again: not after a timeout, a
    resource limit, a crash or output we could not read."""
    return not any(
        d.kind in ("timeout", "resource", "crash") or d.message.startswith("unrecognised")
        for d in result.diagnostics
    )


class ResultCache:
    def __init__(self, backend: str, root: Path | None = None) -> None:
        self.root = (root or cache_dir()) / backend

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CheckResult | None:
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            return replace(result_from_json(data), cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: CheckResult) -> None:
        if not is_settled(result):
            return
        path = self._path(key)
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(to_jsonable(result)))
