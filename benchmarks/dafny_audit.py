"""The Dafny soundness audit on a real corpus: coverage, false alarms, cost.

    python benchmarks/dafny_audit.py [--corpus DIR] [--plain DIR] [--run-dafny N] [--out FILE]

For every `.dfy` file of the corpus (default: DafnyBench's ground truths) it runs the
audit (`verifier.backends.dafny.audit`) and reports: how many parse, the parse failures
grouped by the token the grammar did not expect, and the findings by kind. With `--plain`
(per-file results of plain Dafny 2.3: `<file>.json` with `rc`, `seconds`), it lists, for
the files plain Dafny verifies (rc 0), every one the audit would refuse, with the reason:
a real unsound construct (`assume`, an axiom, ...) or a false alarm (a construct the
grammar does not read). Cost: the audit's time per file against Dafny's own time (from
the plain results, and with `--run-dafny N` measured here beside the audit on N files).
Prints a summary, writes everything as JSON.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from verifier.backends.dafny.audit import Audit, FindingKind, audit

DAFNYBENCH = Path("/work/data/dafnybench/DafnyBench/dataset/ground_truth")
PLAIN = Path("/work/data/plain")


@dataclass(frozen=True)
class FileReport:
    name: str
    seconds: float  # audit time
    parsed: bool
    findings: tuple[tuple[str, int, int, str], ...]  # kind, line, col, message
    plain_rc: int | None
    plain_seconds: float | None


def label(kind: str, message: str) -> str:
    """A short class of a finding, to group them: the construct, not the place."""
    if kind == FindingKind.PARSE:
        m = re.search(r"does not expect (.+?) here", message)
        return f"parse: unexpected {m.group(1) if m else '?'}"
    head = re.split(r";|, so |: ", message, maxsplit=1)[0]
    head = re.sub(r"'[^']*'", "'…'", head)
    return f"{kind}: {head[:70]}"


def audit_file(path: Path, plain: Path | None) -> FileReport:
    text = path.read_bytes().decode("utf-8", "replace")
    started = time.perf_counter()
    result: Audit = audit(text)
    seconds = time.perf_counter() - started
    rc = plain_seconds = None
    record = plain / f"{path.name}.json" if plain else None
    if record is not None and record.exists():
        data = json.loads(record.read_text("utf-8"))
        rc, plain_seconds = data.get("rc"), data.get("seconds")
    return FileReport(
        name=path.name,
        seconds=seconds,
        parsed=result.parsed,
        findings=tuple((str(f.kind), f.line, f.col, f.message) for f in result.findings),
        plain_rc=rc,
        plain_seconds=plain_seconds,
    )


def run_dafny(path: Path) -> float:
    """Wall time of one plain cold Dafny 2.3 verification of `path`."""
    started = time.perf_counter()
    subprocess.run(
        ["dafny", "/nologo", "/compile:0", "/timeLimit:60", str(path)],
        capture_output=True,
        check=False,
        timeout=600,
    )
    return time.perf_counter() - started


def summarize(reports: list[FileReport], measured: dict[str, tuple[float, float]]) -> dict:
    parse_failures = collections.Counter(
        label(k, m) for r in reports if not r.parsed for k, _, _, m in r.findings
    )
    findings = collections.Counter(
        label(k, m) for r in reports if r.parsed for k, _, _, m in r.findings
    )
    verified = [r for r in reports if r.plain_rc == 0]
    refused = [r for r in verified if r.findings]
    real = [r for r in refused if all(k == FindingKind.UNSOUND for k, *_ in r.findings)]
    alarms = [r for r in refused if r not in real]
    audit_total = sum(r.seconds for r in reports)
    dafny_total = sum(r.plain_seconds or 0 for r in reports if r.plain_seconds is not None)
    return {
        "files": len(reports),
        "parsed": sum(r.parsed for r in reports),
        "parse_failures": dict(parse_failures.most_common()),
        "findings": dict(findings.most_common()),
        "plain_verified": len(verified),
        "refused_of_plain_verified": len(refused),
        "refused_unsound": {r.name: _first(r) for r in real},
        "refused_false_alarm": {r.name: _first(r) for r in alarms},
        "audit_seconds_total": audit_total,
        "audit_seconds_median": statistics.median(r.seconds for r in reports) if reports else 0,
        "audit_seconds_max": max((r.seconds for r in reports), default=0),
        "plain_dafny_seconds_total": dafny_total,
        "audit_over_plain_dafny": audit_total / dafny_total if dafny_total else None,
        "measured_here": {
            "files": len(measured),
            "audit_seconds": sum(a for a, _ in measured.values()),
            "dafny_seconds": sum(d for _, d in measured.values()),
        },
    }


def _first(r: FileReport) -> str:
    kind, line, col, message = r.findings[0]
    more = f" (+{len(r.findings) - 1} more)" if len(r.findings) > 1 else ""
    return f"{line}:{col} {kind}: {message}{more}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DAFNYBENCH)
    ap.add_argument("--plain", type=Path, default=PLAIN)
    ap.add_argument("--run-dafny", type=int, default=0, metavar="N")
    ap.add_argument("--out", type=Path, default=Path("dafny_audit.json"))
    args = ap.parse_args(argv)
    audit("method Warm() { }\n")  # the parser tables load once, outside the timings
    files = sorted(args.corpus.glob("*.dfy"))
    plain = args.plain if args.plain.is_dir() else None
    reports = [audit_file(f, plain) for f in files]
    measured: dict[str, tuple[float, float]] = {}
    for r, f in list(zip(reports, files, strict=True))[: args.run_dafny]:
        measured[r.name] = (r.seconds, run_dafny(f))
    summary = summarize(reports, measured)
    args.out.write_text(
        json.dumps({"summary": summary, "files": [r.__dict__ for r in reports]}, indent=1),
        "utf-8",
    )
    out = sys.stdout
    out.write(f"files {summary['files']}, parsed {summary['parsed']}\n")
    out.write("parse failures by first error:\n")
    for k, v in summary["parse_failures"].items():
        out.write(f"  {v:4d}  {k}\n")
    out.write("findings by kind (parsed files):\n")
    for k, v in summary["findings"].items():
        out.write(f"  {v:4d}  {k}\n")
    out.write(
        f"plain Dafny verifies {summary['plain_verified']}; the audit refuses "
        f"{summary['refused_of_plain_verified']} of them: "
        f"{len(summary['refused_unsound'])} with real unsound constructs, "
        f"{len(summary['refused_false_alarm'])} false alarms\n"
    )
    for title, key in (("false alarms", "refused_false_alarm"), ("unsound", "refused_unsound")):
        out.write(f"{title}:\n")
        for name, why in summary[key].items():
            out.write(f"  {name}: {why[:200]}\n")
    ratio = summary["audit_over_plain_dafny"]
    out.write(
        f"audit: {summary['audit_seconds_total']:.1f} s in all, median "
        f"{summary['audit_seconds_median'] * 1000:.0f} ms, max "
        f"{summary['audit_seconds_max'] * 1000:.0f} ms per file; plain Dafny "
        f"{summary['plain_dafny_seconds_total']:.0f} s"
        + (f" -> audit = {ratio:.1%} of Dafny's time\n" if ratio else "\n")
    )
    m = summary["measured_here"]
    if m["files"]:
        out.write(
            f"measured here on {m['files']} files: audit {m['audit_seconds']:.2f} s, Dafny "
            f"{m['dafny_seconds']:.1f} s -> {m['audit_seconds'] / m['dafny_seconds']:.1%}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
