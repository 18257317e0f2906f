"""What a check costs through each executor: the local pool against Ray workers.

    python benchmarks/ray_overhead.py --ray-address HOST:PORT [--checks N] [--workers W]

Runs N distinct small Dafny files (the result cache off, so each is a real warm check)
through the local pool (one warm backend) and through W Ray workers (each with its own
warm backend; started and warmed before the clock runs), and prints the wall time per
check and the throughput of each. The difference at W=1 is the Ray round trip per unit;
with W>1 on machines with cores to spare, the throughput is what scale-out buys. Start
a cluster first (docs/scale.md), e.g.
`ray start --head --node-ip-address 127.0.0.1 --port 6379 --num-cpus 2`.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from concurrent.futures import Future

from verifier.scale import CheckJob, CheckRequest, ExecutorKind, ExecutorSettings, open_executor

PROGRAM = """method Max{tag}(a: int, b: int) returns (m: int) ensures m >= a && m >= b
{{ if a > b {{ m := a; }} else {{ m := b; }} }}
"""


def requests(count: int) -> list[CheckRequest]:
    return [CheckRequest(PROGRAM.format(tag=uuid.uuid4().hex[:8]), 60.0) for _ in range(count)]


def timed(settings: ExecutorSettings, count: int) -> dict[str, float | int | str]:
    executor = open_executor(CheckJob("dafny", {"cache": False}), settings)
    try:
        executor.submit(requests(1)[0]).result()  # warm: the first check starts servers
        work = requests(count)
        started = time.monotonic()
        if settings.kind is ExecutorKind.LOCAL:
            verdicts = [executor.submit(r).result().verdict for r in work]
        else:
            futures: list[Future] = [executor.submit(r) for r in work]
            verdicts = [f.result().verdict for f in futures]
        seconds = time.monotonic() - started
    finally:
        executor.close()
    assert all(v.value == "verified" for v in verdicts), verdicts
    return {"executor": settings.kind.value, "workers": executor.slots, "checks": count,
            "seconds": round(seconds, 2), "seconds_per_check": round(seconds / count, 3),
            "checks_per_second": round(count / seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ray-address", required=True)
    parser.add_argument("--checks", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    local = timed(ExecutorSettings(), args.checks)
    ray = timed(ExecutorSettings(ExecutorKind.RAY, address=args.ray_address,
                                 workers=args.workers), args.checks)
    print(json.dumps({"local": local, "ray": ray}, indent=2))


if __name__ == "__main__":
    main()
