"""Plain Dafny vs proofroute cold vs proofroute warm, side by side, and what the checks cost.

    python benchmarks/dafny_parity.py DIR [--every K] [--limit N] [--timeout 20]
        [--out FILE.jsonl] [--files NAME ...] [--shard I/N] [--plain-from DIR --cost-every K]

For each `.dfy` file of DIR (every K-th, sorted by name) in one run, one file at a time:

- plain: `dafny /nologo /compile:0 /timeLimit:T /z3exe:Z FILE` (the z3 proofroute uses);
  exit 0 is Dafny's "verified", 4 "errors", 2 "bad input";
- plain+print: the same with `/trace /print:…`, to measure what printing the Boogie program
  for the cross-check costs a cold run;
- cold and warm: `DafnyBackend(cache=False, cold=True/False).check(...)` (fresh warm server
  per run of this script, one at a time: a server and its cross-check translation are the
  two Dafny processes this runs at once);
- warm print: the same DafnyServer request with and without `/printInstrumented` (the
  Boogie program a warm check reads), on a server of its own, under fresh file names;
- the pure cross-check (parse expectations, read the Boogie program, compare), timed.

With `--plain-from DIR` (JSON files `<name>.json` holding `rc` and `seconds` of an earlier
plain run with the same options), plain verdicts come from there and the cost runs
(plain, plain+print, warm print) are made on every K-th file only (`--cost-every`).
`--shard I/N` takes every N-th file from the I-th, so two processes can share a folder.

A disagreement is a file where cold or warm says REFUTED while plain Dafny verified it, or
VERIFIED while plain did not, or (for plain-verified files) UNKNOWN because of the
cross-check or a run problem while no unsound construct was found in the source. Each is
listed with its diagnostics. Cost of the new checks, against plain verification time:
cold = (plain+print − plain) + pure cross-check; warm = (print − no print) + pure
cross-check. Results go
to a JSONL file (one line per file; a rerun skips files already there) and a summary is
printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from verifier.backends.dafny import DafnyBackend
from verifier.backends.dafny.audit import audit
from verifier.backends.dafny.cold import read_boogie_files
from verifier.backends.dafny.crosscheck import crosscheck, read_boogie
from verifier.backends.dafny.output import parse_output
from verifier.backends.dafny.server import DafnyServer, ServerError
from verifier.backends.dafny.toolchain import Toolchain
from verifier.backends.dafny.verdict import expected_callables

from verifier.results import CheckResult, Severity
from verifier.sandbox.limits import CompletedRun, Limits, run_limited

PLAIN_VERDICT = {0: "verified", 4: "errors", 2: "bad-input"}
RUN_PROBLEM_KINDS = frozenset({"crosscheck", "timeout", "crash", "resource", "other"})


@dataclass(frozen=True)
class Plain:
    verdict: str
    seconds: float


@dataclass(frozen=True)
class Cost:
    """Wall seconds, and CPU seconds (of the Dafny process and its z3: steadier than wall
    time on a loaded machine; 0 in rows measured before CPU was recorded)."""

    plain_seconds: float
    plain_print_seconds: float
    warm_seconds: float
    warm_print_seconds: float
    crosscheck_seconds: float
    plain_cpu: float = 0.0
    plain_print_cpu: float = 0.0
    warm_cpu: float = 0.0
    warm_print_cpu: float = 0.0


def _plain_argv(tc: Toolchain, timeout: int) -> list[str]:
    argv = [*tc.dafny, "/nologo", "/compile:0", f"/timeLimit:{timeout}"]
    return [*argv, f"/z3exe:{tc.z3}"] if tc.z3 else argv


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pid: int) -> float:
    """CPU seconds of a live process and of its reaped children (z3 under DafnyServer)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _timed(argv: list[str], tmp: str, timeout: int) -> tuple[CompletedRun, float, float]:
    cpu, started = _children_cpu(), time.perf_counter()
    run = run_limited(argv, limits=Limits(wall_seconds=4 * timeout + 30), cwd=tmp)
    return run, time.perf_counter() - started, _children_cpu() - cpu


def _plain(tc: Toolchain, file: Path, timeout: int) -> Plain:
    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        run, seconds, _ = _timed([*_plain_argv(tc, timeout), str(file)], tmp, timeout)
    if run.timed_out:
        return Plain("timeout", seconds)
    return Plain(PLAIN_VERDICT.get(run.returncode or 0, f"rc{run.returncode}"), seconds)


def _cost(tc: Toolchain, server: DafnyServer, file: Path, timeout: int) -> Cost:
    """What printing the Boogie program costs a cold and a warm run, and the pure check."""
    source = file.read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        _, plain, plain_cpu = _timed([*_plain_argv(tc, timeout), str(file)], tmp, timeout)
        bpl = Path(tmp) / "bpl"
        bpl.mkdir()
        argv = [*_plain_argv(tc, timeout), "/trace", f"/print:{bpl / 'p.bpl'}", str(file)]
        traced, printed, printed_cpu = _timed(argv, tmp, timeout)
        boogie = read_boogie_files(bpl)
    warm: dict[bool, tuple[float, float]] = {}
    # A first request warms the server up for this program (JIT); then with, then without.
    for with_print in (False, True, False):
        args = tc.dialect.server_args(time_limit=timeout, z3=tc.z3, boogie=with_print)
        cpu, started = _process_cpu(server.pid), time.perf_counter()
        server.request(
            source, args, filename=f"c{time.monotonic_ns()}.dfy", wall_seconds=4 * timeout + 30
        )
        warm[with_print] = (time.perf_counter() - started, _process_cpu(server.pid) - cpu)
    check = 0.0
    if boogie is not None:
        started = time.perf_counter()
        parsed = parse_output(traced.stdout.decode("utf-8", "replace"))
        crosscheck(
            expected_callables(audit(source)),
            read_boogie(boogie),
            parsed.procedures,
            parsed.diagnostics,
            file.name,
        )
        check = time.perf_counter() - started
    return Cost(
        plain, printed, warm[False][0], warm[True][0], check,
        plain_cpu, printed_cpu, warm[False][1], warm[True][1],
    )  # fmt: skip


def _summary(r: CheckResult) -> dict[str, object]:
    errors = [d for d in r.diagnostics if d.severity == Severity.ERROR]
    return {
        "verdict": r.verdict.value,
        "seconds": r.seconds,
        "kinds": sorted({d.kind for d in errors}),
        "errors": [f"{d.line}:{d.col}: [{d.kind}] {d.message[:160]}" for d in errors[:6]],
    }


def _stored_plain(folder: Path | None, name: str) -> Plain | None:
    path = folder / f"{name}.json" if folder else None
    if path is None or not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    return Plain(PLAIN_VERDICT.get(int(data["rc"]), f"rc{data['rc']}"), float(data["seconds"]))


@dataclass
class Runner:
    tc: Toolchain
    cold: DafnyBackend
    warm: DafnyBackend
    server: DafnyServer
    timeout: int
    plain_from: Path | None
    cost_every: int

    def one(self, index: int, file: Path) -> dict[str, object]:
        source = file.read_text("utf-8")
        stored = _stored_plain(self.plain_from, file.name)
        measure = stored is None or index % self.cost_every == 0
        plain = _plain(self.tc, file, self.timeout) if measure else stored
        assert plain is not None
        row: dict[str, object] = {
            "file": file.name,
            "plain": plain.verdict,
            "plain_seconds": plain.seconds,
        }
        if measure:
            try:
                row["cost"] = asdict(_cost(self.tc, self.server, file, self.timeout))
            except ServerError as exc:  # a program this server hangs on: no cost figure
                row["cost_error"] = str(exc)
                self.server.close()
                self.server = DafnyServer(self.server.argv)
        row["cold"] = _summary(self.cold.check(source, timeout=self.timeout, filename=file.name))
        row["warm"] = _summary(self.warm.check(source, timeout=self.timeout, filename=file.name))
        return row


def disagreement(row: dict[str, object], mode: str) -> str | None:
    """Why `mode`'s verdict on this row differs from plain Dafny's; None: it does not
    (an UNKNOWN beside an unsound construct the source really contains is agreement)."""
    plain = row["plain"]
    got = row[mode]
    assert isinstance(got, dict)
    verdict, kinds = got["verdict"], set(got["kinds"])
    problems = ", ".join(sorted(kinds & RUN_PROBLEM_KINDS))
    if plain == "verified" and verdict == "refuted":
        return "REFUTED, plain Dafny verifies it"
    if plain != "verified" and verdict == "verified":
        return f"VERIFIED, plain Dafny says {plain}"
    if (
        verdict == "unknown"
        and problems
        and "unsound" not in kinds
        and plain in ("verified", "errors")
    ):
        return f"UNKNOWN ({problems}), plain Dafny says {plain}"
    return None


def _cost_lines(rows: list[dict[str, object]]) -> list[str]:
    costs = [Cost(**r["cost"]) for r in rows if "cost" in r]  # type: ignore[arg-type]
    if not costs:
        return []
    pure = sum(c.crosscheck_seconds for c in costs)

    def pct(x: float, base: float) -> str:
        return f"{100 * x / base:+.1f} %" if base else "n/a"

    def line(
        what: str, cs: list[Cost], plain: float, printed: float, warm: float, warm_p: float
    ) -> str:
        return (
            f"  {what} on {len(cs)} files: plain {plain:.1f} s; cold /trace+/print "
            f"{printed - plain:+.1f} s ({pct(printed - plain, plain)}); warm /printInstrumented "
            f"{warm_p - warm:+.1f} s ({pct(warm_p - warm, warm)} of warm, {pct(warm_p - warm, plain)} of plain)"
        )

    out = [
        f"cost of the new checks (pure cross-check {pure:.2f} s, {pct(pure, sum(c.plain_seconds for c in costs))} of plain wall time):"
    ]
    out.append(
        line(
            "wall",
            costs,
            *(
                sum(getattr(c, f) for c in costs)
                for f in (
                    "plain_seconds",
                    "plain_print_seconds",
                    "warm_seconds",
                    "warm_print_seconds",
                )
            ),
        )
    )
    cpu = [c for c in costs if c.plain_cpu > 0]
    if cpu:
        out.append(
            line(
                "CPU",
                cpu,
                *(
                    sum(getattr(c, f) for c in cpu)
                    for f in ("plain_cpu", "plain_print_cpu", "warm_cpu", "warm_print_cpu")
                ),
            )
        )
    return out


def report(rows: list[dict[str, object]]) -> list[str]:
    lines = [
        f"files: {len(rows)}; plain verdicts: "
        + ", ".join(
            f"{v} {sum(1 for r in rows if r['plain'] == v)}"
            for v in sorted({str(r["plain"]) for r in rows})
        )
    ]
    for mode in ("cold", "warm"):
        verdicts: dict[str, int] = {}
        for r in rows:
            v = str(r[mode]["verdict"])  # type: ignore[index]
            verdicts[v] = verdicts.get(v, 0) + 1
        secs = sum(float(r[mode]["seconds"]) for r in rows)  # type: ignore[index]
        plain = sum(float(r["plain_seconds"]) for r in rows)  # type: ignore[arg-type]
        lines.append(f"{mode}: {verdicts}; total {secs:.1f} s (plain {plain:.1f} s)")
        found = [(r, why) for r in rows if (why := disagreement(r, mode))]
        lines.append(f"  disagreements with plain Dafny: {len(found)}")
        for r, why in found:
            lines.append(f"  DISAGREE {mode} {r['file']}: {why}")
            lines.extend(f"      {e}" for e in r[mode]["errors"])  # type: ignore[index]
    return lines + _cost_lines(rows)


def _files(args: argparse.Namespace) -> list[Path]:
    files = sorted(args.folder.glob("*.dfy"))[:: max(1, args.every)]
    if args.files:
        files = [f for f in files if f.name in set(args.files)]
    if args.limit:
        files = files[: args.limit]
    index, count = (int(x) for x in args.shard.split("/"))
    return files[index::count]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--every", type=int, default=1, help="only every K-th file (sorted by name)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--timeout", type=int, default=20)
    ap.add_argument("--files", nargs="*", default=None, help="only these file names")
    ap.add_argument("--shard", default="0/1", help="I/N: every N-th file from the I-th")
    ap.add_argument("--plain-from", type=Path, default=None)
    ap.add_argument("--cost-every", type=int, default=1)
    ap.add_argument("--report-only", action="store_true", help="summarise --out, run nothing")
    ap.add_argument("--out", type=Path, default=Path(".benchmarks/dafny_parity.jsonl"))
    args = ap.parse_args(argv)
    files = _files(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    done = {}
    if args.out.exists():
        done = {
            row["file"]: row for row in map(json.loads, args.out.read_text("utf-8").splitlines())
        }
    if not args.report_only:
        _run(args, files, done)
    rows = [done[f.name] for f in files if f.name in done]
    sys.stdout.write("\n".join(report(rows)) + "\n")
    return 0


def _run(args: argparse.Namespace, files: list[Path], done: dict[str, dict[str, object]]) -> None:
    with (
        DafnyBackend(cache=False, cold=True) as cold,
        DafnyBackend(cache=False, jobs=1) as warm,
        args.out.open("a") as fh,
    ):
        tc = cold.toolchain()
        assert tc.server is not None, "the warm measurements need DafnyServer"
        runner = Runner(
            tc,
            cold,
            warm,
            DafnyServer(tc.server),
            args.timeout,
            args.plain_from,
            max(1, args.cost_every),
        )
        try:
            for index, f in enumerate(files):
                if f.name not in done:
                    done[f.name] = runner.one(index, f)
                    fh.write(json.dumps(done[f.name]) + "\n")
                    fh.flush()
        finally:
            runner.server.close()


if __name__ == "__main__":
    raise SystemExit(main())
