"""One DafnyServer process and its line protocol.

Request: `verify\\n<base64 of JSON {args, filename, source, sourceIsFile}>\\n[[DAFNY-CLIENT:
EOM]]\\n`; the answer ends with a line ending in `[[DAFNY-SERVER: EOM]]`. `[SUCCESS]` only
means "handled" — the verdict comes from the lines before it (see `output.py`).

A reader thread moves stdout lines into a queue so a request can wait with a deadline; a
server that misses the deadline, dies or speaks garbage is killed with its whole process
group (z3 children included) and reported to the pool by exception.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Sequence

from verifier import cancel
from verifier.sandbox.limits import scrubbed_env

EOM_CLIENT = "[[DAFNY-CLIENT: EOM]]"
EOM_SERVER = "[[DAFNY-SERVER: EOM]]"


class ServerError(Exception):
    """The server cannot answer this request (it died, hung or spoke garbage)."""


class ServerDied(ServerError):
    pass


class ServerHung(ServerError):
    pass


class DafnyServer:
    def __init__(self, argv: Sequence[str], *, cwd: str | None = None) -> None:
        self.argv = tuple(argv)
        self.started = time.monotonic()
        self.requests = 0
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=scrubbed_env(),
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True, name="dafny-server-out")
        self._reader.start()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    def _read(self) -> None:
        stream = self._proc.stdout
        assert stream is not None
        for raw in iter(stream.readline, b""):
            self._lines.put(raw.decode("utf-8", "replace"))
        self._lines.put(None)

    def _drain(self) -> list[str]:
        """Lines printed outside any request (garbage, or a late answer)."""
        stale = []
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return stale
            if line is None:
                raise ServerDied("the server exited between requests")
            stale.append(line)

    def request(
        self,
        source: str,
        args: Sequence[str],
        *,
        filename: str,
        wall_seconds: float,
        verb: str = "verify",
    ) -> str:
        """The answer's text (without the EOM line). Raises ServerError subclasses."""
        if not self.alive():
            raise ServerDied(f"the server exited with status {self._proc.returncode}")
        stale = self._drain()
        if any(line.strip() for line in stale):
            raise ServerError(f"unexpected output between requests: {stale[0].strip()[:120]!r}")
        payload = json.dumps(
            {"args": list(args), "filename": filename, "source": source, "sourceIsFile": False}
        )
        encoded = base64.b64encode(payload.encode("utf-8")).decode("ascii")
        message = f"{verb}\n{encoded}\n{EOM_CLIENT}\n".encode("ascii")
        self.requests += 1
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(message)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ServerDied(f"cannot write to the server: {exc}") from exc
        with cancel.killable(self.kill):  # a cancelled job's check ends now, its server with it
            try:
                return self._answer(time.monotonic() + wall_seconds, wall_seconds)
            except ServerError:
                cancel.checkpoint()  # killed for a cancel: the pool must not ask another server
                raise

    def _answer(self, deadline: float, wall_seconds: float) -> str:
        lines: list[str] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise ServerHung(f"no answer within {wall_seconds:.0f} s")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise ServerDied("the server exited during the request")
            stripped = line.rstrip("\r\n")
            if stripped.endswith(EOM_SERVER):
                head = stripped[: -len(EOM_SERVER)].strip()
                if head and head != "[SUCCESS]":
                    lines.append(head)
                return "".join(f"{ln}\n" for ln in lines) if lines else ""
            lines.append(stripped)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self._proc.wait(timeout=5)
        for stream in (self._proc.stdin, self._proc.stdout):
            with contextlib.suppress(Exception):
                if stream is not None:
                    stream.close()

    def close(self) -> None:
        """Ask politely (`quit`), then kill: never leaves a mono or z3 behind."""
        if self.alive():
            with contextlib.suppress(Exception):
                assert self._proc.stdin is not None
                self._proc.stdin.write(f"quit\n{EOM_CLIENT}\n".encode("ascii"))
                self._proc.stdin.flush()
                self._proc.wait(timeout=2)
        self.kill()
