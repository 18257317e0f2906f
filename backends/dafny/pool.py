"""A pool of warm DafnyServer processes behind the same check as the cold CLI.

Why: a cold Dafny run spends most of its time starting mono and loading the prelude; a
warm server answers a small file in a fraction of that. The pool hands each request to an
idle server; a server that hangs past the wall clock is killed and replaced (the request
is UNKNOWN: running it again would hang again), one that dies or speaks garbage is
replaced and the request retried once. When servers cannot be started at all the pool
says so (`run` returns None) and the backend falls back to the cold CLI.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
import weakref
from dataclasses import replace
from pathlib import Path

from verifier.backends.dafny.cold import error_places, run_cold, temp_name, time_limit, wall_limit
from verifier.backends.dafny.output import ParsedOutput, parse_output, split_server_answer
from verifier.backends.dafny.server import DafnyServer, ServerError, ServerHung
from verifier.backends.dafny.toolchain import Toolchain
from verifier.backends.dafny.verdict import BAD_INPUT_KINDS, VERIFICATION_KINDS, RunOutcome

from verifier.results import Severity

log = logging.getLogger(__name__)

# Something of everything a first check meets: a method, a loop with an invariant, a
# sequence, a quantifier (the same Dafny 2 and 4 read alike).
_WARM_UP_PROGRAM = """method WarmUp(xs: seq<int>) returns (n: int)
  ensures n == |xs|
{
  n := 0;
  while n < |xs|
    invariant 0 <= n <= |xs|
  {
    n := n + 1;
  }
  assert forall i :: 0 <= i < n ==> xs[i] == xs[i];
}
"""


class ServerPool:
    def __init__(self, toolchain: Toolchain, size: int) -> None:
        if toolchain.server is None:
            raise ValueError("this Dafny has no DafnyServer")
        self.toolchain = toolchain
        self.size = max(1, size)
        self._idle: list[DafnyServer] = []
        self._all: set[DafnyServer] = set()
        self._cond = threading.Condition()
        self._closed = False
        self.unusable_reason: str | None = None
        self.restarts = 0
        self._answered: weakref.WeakSet[DafnyServer] = weakref.WeakSet()  # past their JIT
        self._scratch = tempfile.TemporaryDirectory(prefix="proofroute-dafny-pool-")

    # --- server lifecycle ----------------------------------------------------------------

    def _start(self) -> DafnyServer:
        assert self.toolchain.server is not None
        return DafnyServer(self.toolchain.server, cwd=self._scratch.name)

    def _acquire(self) -> DafnyServer | None:
        with self._cond:
            while True:
                if self._closed:
                    return None
                if self._idle:
                    return self._idle.pop()
                if len(self._all) < self.size:
                    break
                self._cond.wait()
            placeholder = object()
            self._all.add(placeholder)  # type: ignore[arg-type]
        return self._start_in(placeholder)

    def _start_in(self, placeholder: object) -> DafnyServer | None:
        """Start a server in the slot `placeholder` holds in `_all` (lock not held)."""
        try:
            server = self._start()
        except OSError as exc:
            with self._cond:
                self._all.discard(placeholder)  # type: ignore[arg-type]
                self.unusable_reason = f"cannot start DafnyServer: {exc}"
                self._cond.notify()
            return None
        with self._cond:
            self._all.discard(placeholder)  # type: ignore[arg-type]
            self._all.add(server)
        return server

    def _acquire_new(self) -> DafnyServer | None:
        """A newly started server when there is room for one; never waits."""
        with self._cond:
            if self._closed or len(self._all) >= self.size:
                return None
            placeholder = object()
            self._all.add(placeholder)  # type: ignore[arg-type]
        return self._start_in(placeholder)

    def _release(self, server: DafnyServer) -> None:
        with self._cond:
            if self._closed or not server.alive():
                self._all.discard(server)
                self._cond.notify()
                if self._closed:
                    server.close()
                return
            self._idle.append(server)
            self._cond.notify()

    def _replace(self, server: DafnyServer) -> DafnyServer | None:
        server.kill()
        self.restarts += 1
        with self._cond:
            self._all.discard(server)
        try:
            fresh = self._start()
        except OSError as exc:
            self.unusable_reason = f"cannot restart DafnyServer: {exc}"
            return None
        with self._cond:
            self._all.add(fresh)
        return fresh

    def warm_up(self, *, verify: bool = False) -> None:
        """Start every server now (otherwise they start on first use); with `verify`, also
        have each one verify a tiny program, which JIT-compiles Dafny, Boogie and the
        solver's start (a server's first real check then takes ~0.2 s instead of ~0.8 s).

        It never waits for a server someone else holds (two loops warming one pool at
        once each held one server and waited for the other's). Servers are warmed one at a
        time, each taken only while idle: a check that comes meanwhile finds the others
        free (or waits for the one warm-up request at most)."""
        with self._cond:
            missing = max(0, self.size - len(self._all))
        for _ in range(missing):
            server = self._acquire_new()
            if server is None:
                break
            self._release(server)
        while verify and (server := self._idle_unanswered()) is not None:
            try:
                self._ask(server, _WARM_UP_PROGRAM, 30.0, "warm_up.dfy")
            except ServerError as exc:  # the real checks will replace it if need be
                log.debug("warming DafnyServer %s up failed: %s", server.pid, exc)
                self._answered.add(server)  # not again: it would fail again
            finally:
                self._release(server)

    def _idle_unanswered(self) -> DafnyServer | None:
        """An idle server that has not answered a request yet, taken; None: none now."""
        with self._cond:
            for server in self._idle:
                if server not in self._answered:
                    self._idle.remove(server)
                    return server
            return None

    # --- requests ------------------------------------------------------------------------

    def run(
        self, source: str, *, timeout: float, filename: str | None, want_model: bool = True
    ) -> RunOutcome | None:
        """The outcome of one warm check, or None when the cold CLI must answer.

        DafnyServer always verifies with Boogie's snapshot mode on (`/verifySnapshots`,
        which its argument handling sets after ours), and some programs that plain Dafny
        verifies then fail or hang. So only two answers are taken from the server: a clean
        success (every procedure verified, nothing else said), cross-checked against the
        Boogie program the server prints before verifying it (`/printInstrumented`), and
        a parse or type error (nothing was verified). Anything else — an error, a
        timeout — is settled by the cold CLI, which gives plain Dafny's verdict; after a
        failure the counterexample model (`want_model`) is then asked of the server
        (cheaper than a second cold run) and kept only if it failed in the same places.
        A hang or garbage returns None: the backend's cold run answers.
        """
        server = self._acquire()
        if server is None:
            return None
        holder: DafnyServer | None = server
        try:
            answer, holder = self._answer(server, source, timeout, filename)
            if answer is None or holder is None:
                return None
            text, boogie = split_server_answer(answer)
            parsed = parse_output(text)
            if _bad_input(parsed):
                return RunOutcome(text=text, mode="warm")
            if _clean(parsed):
                return RunOutcome(text=text, mode="warm", boogie=boogie or None)
            # (Failures print Boogie positions of the printed program: the cold run reports
            # them properly.) Output not understood on a run that did not fail is a server
            # not to be trusted again.
            if parsed.unrecognized and not any(p.status != "verified" for p in parsed.procedures):
                log.warning("DafnyServer %s spoke garbage; replaced", holder.pid)
                holder = self._replace(holder)
                return None
            outcome = run_cold(
                self.toolchain, source, timeout=timeout, filename=filename, want_model=False
            )
            places = error_places(outcome.text)
            if want_model and places and not outcome.timed_out:
                outcome = replace(
                    outcome, model_text=self._model(holder, source, timeout, filename, places)
                )
            return outcome
        finally:
            if holder is not None:
                self._release(holder)

    def _answer(
        self, server: DafnyServer, source: str, timeout: float, filename: str | None
    ) -> tuple[str | None, DafnyServer | None]:
        """The server's answer (None when it hung, or died twice) and the server now
        holding the slot, for the caller to release (None: nothing to release). A server
        that fails is replaced; after dying it is asked once more."""
        current: DafnyServer | None = server
        for _attempt in (1, 2):
            assert current is not None
            try:
                return self._ask(current, source, timeout, filename), current
            except ServerHung:
                log.warning("DafnyServer %s hung; replaced, the cold CLI answers", current.pid)
                return None, self._replace(current)
            except ServerError as exc:
                log.warning("DafnyServer %s failed (%s); replaced", current.pid, exc)
            current = self._replace(current)
            if current is None:
                return None, None
        return None, current

    def _model(
        self,
        server: DafnyServer,
        source: str,
        timeout: float,
        filename: str | None,
        places: list[tuple[int | None, int | None, str]],
    ) -> str | None:
        """The server's counterexample model for a failure the cold run confirmed, if the
        server fails in the same places (another file name keeps it from answering out of
        its cache, which runs no solver and writes no model)."""
        with tempfile.TemporaryDirectory(dir=self._scratch.name) as tmp:
            model = Path(tmp) / "model.bvd"
            args = self.toolchain.dialect.server_args(
                time_limit=time_limit(timeout), z3=self.toolchain.z3, model_file=str(model)
            )
            try:
                text = server.request(
                    source,
                    args,
                    filename=f"model_{temp_name(filename)}",
                    wall_seconds=wall_limit(timeout),
                )
            except ServerError as exc:  # a dead or killed server is dropped on release
                log.warning("DafnyServer %s failed on the model (%s)", server.pid, exc)
                return None
            if error_places(text) != places or not model.exists():
                return None
            return model.read_text("utf-8", "replace")

    def _ask(self, server: DafnyServer, source: str, timeout: float, filename: str | None) -> str:
        args = self.toolchain.dialect.server_args(
            time_limit=time_limit(timeout), z3=self.toolchain.z3, boogie=True
        )
        text = server.request(
            source, args, filename=temp_name(filename), wall_seconds=wall_limit(timeout)
        )
        self._answered.add(server)
        return text

    def close(self) -> None:
        with self._cond:
            self._closed = True
            servers = list(self._all)
            self._idle.clear()
            self._all.clear()
            self._cond.notify_all()
        for s in servers:
            if isinstance(s, DafnyServer):
                with contextlib.suppress(Exception):
                    s.close()
        with contextlib.suppress(Exception):
            self._scratch.cleanup()


def _errors(parsed: ParsedOutput, kinds: frozenset[str]) -> bool:
    return any(d.kind in kinds and d.severity == Severity.ERROR for d in parsed.diagnostics)


def _bad_input(parsed: ParsedOutput) -> bool:
    """A parse or type error: the server verified nothing, as the CLI would not."""
    return not parsed.procedures and _errors(parsed, BAD_INPUT_KINDS)


def _clean(parsed: ParsedOutput) -> bool:
    """Every procedure verified and nothing went wrong."""
    return (
        bool(parsed.procedures)
        and all(p.status == "verified" for p in parsed.procedures)
        and not _errors(parsed, VERIFICATION_KINDS | {"timeout", "resource"})
        and not parsed.failures
        and not parsed.unrecognized
    )
