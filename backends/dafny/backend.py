"""`DafnyBackend`: the one object callers use — discovery, cache, warm pool, cold fall-back.

Order of a check: refuse what Dafny must not see (empty or non-UTF-8 text), audit the
program's parse (`audit.py`), refuse `include`s unless allowed, answer from the cache if
allowed, else run warm (a DafnyServer from the pool) or cold (the CLI), then judge the
run with the VERIFIED rule of `verdict.py`. Warm and cold runs are judged by the same
rule, so they give the same verdicts. With `allow_includes`, a program that includes
files is checked with its whole include closure in one cold run (`includes.py`).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from verifier.backends.dafny.audit import AUDIT_VERSION, Audit, audit
from verifier.backends.dafny.cold import run_cold
from verifier.backends.dafny.includes import check_closure, collect
from verifier.backends.dafny.pool import ServerPool
from verifier.backends.dafny.toolchain import INSTALL_HINT, Toolchain, discover
from verifier.backends.dafny.verdict import audit_diagnostics, judge
from verifier.backends.result_cache import ResultCache, cache_key

from verifier import cancel
from verifier.errors import ToolchainMissing
from verifier.results import CheckResult, Diagnostic, ToolchainInfo, Verdict

NAME = "dafny"


class DafnyBackend:
    """Checks Dafny programs with the real Dafny. Thread-safe; `close()` stops the servers."""

    name = NAME
    extensions = (".dfy",)

    def __init__(
        self,
        *,
        cache: bool = True,
        cold: bool = False,
        jobs: int | None = None,
        models: bool = True,
        allow_includes: bool = False,
    ) -> None:
        self.use_cache = cache
        # Follow `include`s inside the main file's folder tree (audited and verified with
        # the main file); by default a program that includes anything is UNKNOWN.
        self.allow_includes = allow_includes
        self.cold = cold
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.models = models
        self._toolchain: Toolchain | None = None
        self._pool: ServerPool | None = None
        self._lock = threading.Lock()
        self._cache = ResultCache("dafny") if cache else None

    # --- discovery -----------------------------------------------------------------------

    def toolchain(self) -> Toolchain:
        """The Dafny found here (looked up once). Raises ToolchainMissing."""
        with self._lock:
            if self._toolchain is None:
                self._toolchain = discover()
            return self._toolchain

    def available(self) -> ToolchainInfo:
        try:
            tc = self.toolchain()
        except ToolchainMissing as exc:
            return ToolchainInfo(
                name=NAME, ok=False, hint=exc.hint or INSTALL_HINT, details={"error": exc.message}
            )
        except Exception as exc:  # available() never raises
            return ToolchainInfo(name=NAME, ok=False, hint=f"{INSTALL_HINT} ({exc})")
        details: dict[str, Any] = {
            "dialect": tc.dialect.name,
            "z3": tc.z3 or "Dafny's default (run `proofroute setup` for the clean z3 4.8.5)",
            "server": " ".join(tc.server) if tc.server else "none (cold CLI only)",
            "node": tc.node or "missing (needed for the JS build; install nodejs)",
            "bignumber.js": tc.node_modules or "missing (run `proofroute setup`)",
        }
        if tc.notes:
            details["notes"] = "; ".join(tc.notes)
        return ToolchainInfo(name=NAME, ok=True, version=tc.version, path=tc.path, details=details)

    # --- checks --------------------------------------------------------------------------

    def _get_pool(self, tc: Toolchain) -> ServerPool | None:
        if self.cold or tc.server is None:
            return None
        with self._lock:
            if self._pool is None:
                self._pool = ServerPool(tc, self.jobs)
                _OPEN_POOLS.add(self._pool)
            return self._pool

    def warm_up(self, *, verify: bool = False) -> None:
        """Start the warm servers now rather than on the first checks (`verify`: and
        have each verify a tiny program, so the first real check finds it JIT-compiled)."""
        pool = self._get_pool(self.toolchain())
        if pool is not None:
            pool.warm_up(verify=verify)

    def check(
        self, source: str, *, timeout: float = 60, filename: str | None = None
    ) -> CheckResult:
        started = time.monotonic()
        tc = self.toolchain()
        # A byte-order mark is dropped: with one, DafnyServer counts columns in characters
        # but the CLI in UTF-8 bytes, so warm and cold positions would differ. It is not
        # part of the program (nor a column for an editor).
        source = source.removeprefix("\ufeff")
        refused = _refuse(source, filename)
        if refused is not None:
            return CheckResult(
                verdict=Verdict.UNKNOWN,
                diagnostics=(refused,),
                toolchain=NAME,
                toolchain_version=tc.version,
                seconds=time.monotonic() - started,
            )
        key = None
        if self._cache is not None:
            key = self._cache_key(source, tc, timeout, filename)
            hit = self._cache.get(key)
            if hit is not None:
                return _with_seconds(hit, time.monotonic() - started)
        audited = audit(source)
        if audited.includes:
            # never cached: the included files on disk may change
            return self._check_with_includes(source, audited, tc, timeout, filename, started)
        outcome = None
        pool = self._get_pool(tc)
        if pool is not None:
            outcome = pool.run(source, timeout=timeout, filename=filename, want_model=self.models)
        if outcome is None:
            outcome = run_cold(
                tc, source, timeout=timeout, filename=filename, want_model=self.models
            )
        judged = judge(outcome, source, filename=filename, audited=audited)
        result = CheckResult(
            verdict=judged.verdict,
            diagnostics=judged.diagnostics,
            obligations=judged.obligations,
            counterexample=judged.counterexample,
            toolchain=NAME,
            toolchain_version=tc.version,
            seconds=time.monotonic() - started,
        )
        if self._cache is not None and key is not None:
            self._cache.put(key, result)
        return result

    def _cache_key(self, source: str, tc: Toolchain, timeout: float, filename: str | None) -> str:
        return cache_key(
            source,
            filename=filename,
            version=tc.version,
            z3=tc.z3,
            timeout=float(timeout),
            models=self.models,
            # a result judged by another audit (or include policy) is not this one's
            audit=AUDIT_VERSION,
            allow_includes=self.allow_includes,
            # 2: verdicts include the cross-check of Dafny's Boogie program
            rules=2,
        )

    def _check_with_includes(
        self,
        source: str,
        audited: Audit,
        tc: Toolchain,
        timeout: float,
        filename: str | None,
        started: float,
    ) -> CheckResult:
        """Refused unless allowed; allowed, the closure is audited and verified together
        (never from the cache: the included files on disk may have changed)."""
        if not self.allow_includes or filename is None or not Path(filename).is_file():
            diagnostics = audit_diagnostics(audited, filename)
            if self.allow_includes:
                diagnostics += (
                    Diagnostic(
                        kind="include",
                        message="includes can be followed only for a file on disk: pass the "
                        "path of the main file (e.g. `proofroute verify --allow-includes "
                        "FILE`)",
                        file=filename,
                    ),
                )
            return CheckResult(
                verdict=Verdict.UNKNOWN,
                diagnostics=diagnostics,
                toolchain=NAME,
                toolchain_version=tc.version,
                seconds=time.monotonic() - started,
            )
        closure = collect(Path(filename), source, audited)
        judged, included = check_closure(tc, closure, timeout=timeout, filename=filename)
        return CheckResult(
            verdict=judged.verdict,
            diagnostics=judged.diagnostics,
            obligations=judged.obligations,
            counterexample=judged.counterexample,
            toolchain=NAME,
            toolchain_version=tc.version,
            seconds=time.monotonic() - started,
            included=included,
        )

    def check_many(
        self,
        sources: Iterable[str | tuple[str, str | None]],
        *,
        timeout: float = 60,
        jobs: int | None = None,
    ) -> list[CheckResult]:
        """Check several programs in parallel (through the pool when warm), in input order.
        Items are source texts or (source, filename) pairs."""
        items: Sequence[tuple[str, str | None]] = [
            (s, None) if isinstance(s, str) else (s[0], s[1]) for s in sources
        ]
        self.toolchain()  # fail fast, once
        workers = max(1, min(jobs or self.jobs, len(items) or 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dafny-check") as ex:
            check = cancel.propagating(self.check)  # a cancelled job's checks stop too
            futures = [ex.submit(check, s, timeout=timeout, filename=f) for s, f in items]
            return [f.result() for f in futures]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> DafnyBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # at interpreter shutdown the atexit hook below has closed the pools already;
        # closing pipes again while threads die would abort the interpreter
        pool = getattr(self, "_pool", None)
        if pool is not None and not sys.is_finalizing():
            pool.close()


# Pools of backends nobody closed: shut their servers down while the interpreter is whole.
_OPEN_POOLS: weakref.WeakSet[ServerPool] = weakref.WeakSet()


@atexit.register
def _close_open_pools() -> None:
    for pool in list(_OPEN_POOLS):
        pool.close()


def _with_seconds(result: CheckResult, seconds: float) -> CheckResult:
    return replace(result, seconds=seconds)


def _refuse(source: str, filename: str | None) -> Diagnostic | None:
    """Inputs Dafny must not be given: not text, not encodable, or nothing at all."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as exc:
        before = source[: exc.start]
        line = before.count("\n") + 1
        col = exc.start - (before.rfind("\n") + 1) + 1
        return Diagnostic(
            kind="parse",
            message="the source is not valid UTF-8 text; save the file as UTF-8",
            file=filename,
            line=line,
            col=col,
        )
    if not source.strip():
        return Diagnostic(
            kind="other",
            message="the source is empty: there is nothing to verify; write a Dafny program",
            file=filename,
        )
    return None
