"""Why the DafnyServer pool does its own framing instead of pexpect (issue 11, item 7).

    python benchmarks/pexpect_framing.py [--requests N]

Sends the same `verify` requests to a real DafnyServer three ways, side by side in one
run: the project's `DafnyServer` (a reader thread feeding a queue, expect-with-deadline on
the EOM line), `pexpect.popen_spawn.PopenSpawn` (pipes, also a reader thread and a queue)
and `pexpect.spawn` (a pseudo-terminal). Prints the median and p90 latency per request
for a small and a ~6 KB program (the request is one base64 line, longer than a terminal's
4 KB canonical line).
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from collections.abc import Callable

import pexpect
from pexpect.popen_spawn import PopenSpawn
from verifier.backends.dafny.server import EOM_CLIENT, EOM_SERVER, DafnyServer
from verifier.backends.dafny.toolchain import discover

SMALL = "method M(x: int) returns (y: int) ensures y >= x { y := x + 1; }\n"
LARGE = SMALL + "".join(f"// padding line {i} " + "x" * 60 + "\n" for i in range(80))


def _message(source: str, args: list[str]) -> str:
    payload = json.dumps({"args": args, "filename": "a.dfy", "source": source, "sourceIsFile": False})
    encoded = base64.b64encode(payload.encode()).decode()
    return f"verify\n{encoded}\n{EOM_CLIENT}\n"


def _timed(send: Callable[[], str], n: int) -> tuple[list[float], str]:
    times, answer = [], ""
    for _ in range(n):
        started = time.perf_counter()
        answer = send()
        times.append(time.perf_counter() - started)
    return times[2:], answer  # the first two requests warm the JIT


def _with_pexpect(child: pexpect.spawnbase.SpawnBase, message: str) -> str:
    child.send(message)
    child.expect_exact(EOM_SERVER, timeout=60)
    before = child.before
    return before.decode() if isinstance(before, bytes) else str(before)


def _measure(server_argv: list[str], source: str, args: list[str], n: int) -> dict:
    message = _message(source, args)
    own = DafnyServer(server_argv)
    rows = {"proofroute DafnyServer": _timed(
        lambda: own.request(source, args, filename="a.dfy", wall_seconds=60), n)}
    own.close()
    pipe = PopenSpawn(server_argv, timeout=60)
    rows["pexpect PopenSpawn"] = _timed(lambda: _with_pexpect(pipe, message), n)
    pipe.kill(9)
    pty = pexpect.spawn(server_argv[0], server_argv[1:], timeout=60, echo=False)
    rows["pexpect spawn (pty)"] = _timed(lambda: _with_pexpect(pty, message), n)
    pty.close(force=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=15)
    n = ap.parse_args(argv).requests
    tc = discover()
    server_argv = list(tc.server or ())
    args = tc.dialect.server_args(z3=tc.z3, time_limit=20)
    for label, source in (("small", SMALL), ("large", LARGE)):
        for name, (times, answer) in _measure(server_argv, source, args, n).items():
            p90 = sorted(times)[int(0.9 * (len(times) - 1))]
            print(f"{label:5s} ({len(source):5d} B) {name:24s} median "
                  f"{statistics.median(times) * 1000:7.1f} ms  p90 {p90 * 1000:7.1f} ms  "
                  f"verified={'verified' in answer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
