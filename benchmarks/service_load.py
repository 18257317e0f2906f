"""The job service under load: N concurrent recorded-session jobs against a real server.

    python benchmarks/service_load.py [--jobs 50] [--workers 2] [--db URL] [--out FILE]

Starts `proofroute serve` on 127.0.0.1 (its own SQLite store, data folder and result
cache in a temp folder; `--db postgresql://…` for PostgreSQL), then N clients at once
(asyncio, `verifier.client.AsyncClient`) each submit a `generate` job with the recorded
replies of the demo session (`verifier/demo/sessions/max_of_list.jsonl`, real Dafny,
real quick tests, real translation check) and follow its event stream to `done`.

Checks, each a failure if broken: every submitted job is listed by the server exactly
once (none lost, none duplicated); each job's events are numbered 1..n without a gap or
a repeat, with exactly one `running` (ran once) and one `done`, last; every job verified.
Reports latency (submit → done as the client sees it, and submit → running: queueing),
p50/p95/max, and throughput (jobs finished per second over the whole run). Same spec,
same replies: after the first job the verifier's answers come from the result cache
(the figures measure the service and the loop around the verifier, not Dafny).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from verifier.client import AsyncClient
from verifier.service.launch import launched

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "verifier" / "demo" / "specs" / "max_of_list.toml"
SESSION = ROOT / "verifier" / "demo" / "sessions" / "max_of_list.jsonl"


@dataclass(frozen=True)
class JobRun:
    id: str
    status: str
    submitted: float  # seconds since the run started
    running: float
    done: float
    seqs: tuple[int, ...]
    kinds: tuple[str, ...]


def replies() -> list[str]:
    records = [json.loads(line) for line in SESSION.read_text("utf-8").splitlines() if line.strip()]
    return [r["content"] for r in records if r.get("kind") == "response"]


async def one_job(client: AsyncClient, spec: str, answers: list[str], t0: float) -> JobRun:
    submitted = time.monotonic() - t0
    job = await client.submit("generate", spec=spec, llm="replay", replies=answers)
    running = done = 0.0
    seqs, kinds = [], []
    async for event in client.events(job.id):
        seqs.append(event.seq)
        kinds.append(event.kind)
        now = time.monotonic() - t0
        running = now if event.kind == "running" else running
        done = now if event.kind == "done" else done
    final = await client.get(job.id)
    return JobRun(job.id, final.status.value, submitted, running, done, tuple(seqs), tuple(kinds))


def problems(runs: list[JobRun], listed: list[str]) -> list[str]:
    found = []
    ids = [r.id for r in runs]
    if len(set(ids)) != len(ids):
        found.append("a job id was handed out twice")
    if sorted(listed) != sorted(ids):
        found.append(f"the server lists {len(listed)} jobs ({len(set(listed))} distinct), {len(ids)} were submitted")
    for r in runs:
        if list(r.seqs) != list(range(1, len(r.seqs) + 1)):
            found.append(f"{r.id}: events numbered {r.seqs[:8]}…, not 1..n")
        if r.kinds.count("running") != 1 or r.kinds.count("done") != 1 or r.kinds[-1] != "done":
            found.append(f"{r.id}: ran {r.kinds.count('running')} times, {r.kinds.count('done')} `done` events")
        if r.status != "verified":
            found.append(f"{r.id}: {r.status}")
    return found


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(runs: list[JobRun], wall: float) -> dict[str, float]:
    latency = [r.done - r.submitted for r in runs]
    queued = [r.running - r.submitted for r in runs]
    return {"jobs": len(runs), "wall_seconds": round(wall, 2), "throughput_jobs_per_s": round(len(runs) / wall, 3),
            "latency_p50_s": round(percentile(latency, 50), 2), "latency_p95_s": round(percentile(latency, 95), 2),
            "latency_max_s": round(max(latency), 2), "latency_mean_s": round(statistics.fmean(latency), 2),
            "queue_wait_p50_s": round(percentile(queued, 50), 2), "queue_wait_p95_s": round(percentile(queued, 95), 2)}


async def load(url: str, count: int) -> tuple[list[JobRun], list[str], float]:
    spec, answers = SPEC.read_text("utf-8"), replies()
    async with AsyncClient(url, timeout=120) as client:
        t0 = time.monotonic()
        runs = await asyncio.gather(*(one_job(client, spec, answers, t0) for _ in range(count)))
        wall = time.monotonic() - t0
        listed: list[str] = []
        page = await client.list(limit=200)
        listed += [j.id for j in page.jobs]
        while page.next_cursor:
            page = await client.list(limit=200, cursor=page.next_cursor)
            listed += [j.id for j in page.jobs]
    return list(runs), listed, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default=None, help="the store (default: a fresh SQLite file)")
    parser.add_argument("--out", type=Path, default=None, help="write every job's timings as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="proofroute-load-") as folder, \
            launched(Path(folder), workers=args.workers, db=args.db) as server:
        runs, listed, wall = asyncio.run(load(server.url, args.jobs))
    report = {"server": {"workers": args.workers, "db": "sqlite" if args.db is None else args.db.split(":")[0]},
              "summary": summary(runs, wall), "problems": problems(runs, listed)}
    for key, value in report["summary"].items():
        print(f"{key:24} {value}")
    print("problems:", "none" if not report["problems"] else "")
    for problem in report["problems"]:
        print(f"  {problem}")
    if args.out is not None:
        args.out.write_text(json.dumps({**report, "runs": [asdict(r) for r in runs]}, indent=2), "utf-8")
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
