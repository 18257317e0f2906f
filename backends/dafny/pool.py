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
from pathlib import Path

from verifier.backends.dafny.cold import temp_name, time_limit, wall_limit
from verifier.backends.dafny.output import parse_output
from verifier.backends.dafny.server import DafnyServer, ServerError, ServerHung
from verifier.backends.dafny.toolchain import Toolchain
from verifier.backends.dafny.verdict import RunOutcome

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
                self._ask(server, _WARM_UP_PROGRAM, 30.0, "warm_up.dfy", model=False)
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
        """The outcome of one warm check, or None when the pool cannot serve it.

        The first request asks for no model (writing models costs ~40% of a warm check);
        only when an obligation failed is the program asked again with `/mv:` for the
        counterexample, and that second answer (whose errors the model follows) is used.
        """
        server = self._acquire()
        if server is None:
            return None
        wall = wall_limit(timeout)
        try:
            for attempt in (1, 2):
                try:
                    text, _ = self._ask(server, source, timeout, filename, model=False)
                except ServerHung:
                    log.warning("DafnyServer %s hung; replaced", server.pid)
                    server = self._replace(server)  # type: ignore[assignment]
                    return RunOutcome(text="", mode="warm", timed_out=True, wall_seconds=wall)
                except ServerError as exc:
                    log.warning("DafnyServer %s failed (%s); replaced", server.pid, exc)
                    server = self._replace(server)  # type: ignore[assignment]
                    if server is None or attempt == 2:
                        return None
                    continue
                parsed = parse_output(text)
                if parsed.unrecognized:
                    # Garbage in the answer: do not trust this server. Retry once on a
                    # fresh one, then let the cold CLI answer.
                    log.warning("DafnyServer %s spoke garbage; replaced", server.pid)
                    server = self._replace(server)  # type: ignore[assignment]
                    if server is None or attempt == 2:
                        return None
                    continue
                model_text = None
                if want_model and any(p.status == "error" for p in parsed.procedures):
                    try:
                        text2, model_text = self._ask(server, source, timeout, filename, model=True)
                    except ServerError as exc:
                        log.warning("DafnyServer %s failed on the model (%s)", server.pid, exc)
                        server = self._replace(server)  # type: ignore[assignment]
                        model_text = None
                    else:
                        if parse_output(text2).unrecognized or model_text is None:
                            model_text = None
                        else:
                            text = text2
                return RunOutcome(text=text, mode="warm", model_text=model_text)
            return None
        finally:
            if server is not None:
                self._release(server)

    def _ask(
        self, server: DafnyServer, source: str, timeout: float, filename: str | None, *, model: bool
    ) -> tuple[str, str | None]:
        with tempfile.TemporaryDirectory(dir=self._scratch.name) as tmp:
            model_path = Path(tmp) / "model.bvd" if model else None
            args = self.toolchain.dialect.server_args(
                time_limit=time_limit(timeout),
                z3=self.toolchain.z3,
                model_file=str(model_path) if model_path else None,
            )
            # Another name keeps the server from answering the model request out of its
            # verification cache (a cached answer runs no solver and writes no model).
            name = temp_name(filename)
            text = server.request(
                source,
                args,
                filename=f"model_{name}" if model else name,
                wall_seconds=wall_limit(timeout),
            )
            self._answered.add(server)
            if model:
                text = text.replace(f"model_{name}(", f"{name}(")
            model_text = None
            if model_path is not None and model_path.exists():
                model_text = model_path.read_text("utf-8", "replace")
            return text, model_text

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
