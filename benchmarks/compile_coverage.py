"""How much of a real corpus `proofroute compile` translates, and whether it agrees with Dafny.

    python benchmarks/compile_coverage.py [--corpus DIR] [--plain DIR] [--validate N]
                                          [--limit K] [--out FILE]

For every `.dfy` file of the corpus (default: DafnyBench's ground truths) it runs the
translator (`verifier.translators.dafny_to_python.translate`, what `proofroute compile`
runs before verifying) and sorts the file as translated or refused, the refusals grouped
by construct (an `UnsupportedConstruct`'s short name, or the token a syntax error stopped
at). With `--plain` (per-file results of plain Dafny 2.3, `<file>.json` with `rc`, as
`benchmarks/dafny_audit.py` reads them) the figures are also given for the files Dafny 2.3
verifies (rc 0): that is the headline, since `compile` refuses unverified programs.
`--validate N` runs, for each translated verified file (or those named in
`--validate-only FILE`), every compiled method whose inputs can be generated through
`validate_translation` against Dafny's own JS build on N inputs, and counts validated
methods and disagreements (slow: one Dafny build per method).
Prints a summary, writes every file's outcome as JSON.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from verifier.translators.dafny_errors import DafnyFrontendError, DafnySyntaxError
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import translate

from verifier.errors import ProofrouteError

DAFNYBENCH = Path("/work/data/dafnybench/DafnyBench/dataset/ground_truth")
PLAIN = Path("/work/data/plain")


@dataclass
class FileOutcome:
    name: str
    translated: bool
    reason: str = ""  # the construct refused (grouping key)
    message: str = ""  # the refusal as the user sees it
    plain_rc: int | None = None
    methods_validated: int = 0
    methods_disagreeing: list[str] = field(default_factory=list)
    # the JS build itself crashed (a Dafny 2.3 runtime bug, docs/compile.md) on inputs
    # where the translation returned: not a disagreement, not validated either
    methods_js_crashed: list[str] = field(default_factory=list)
    validation_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def reason_of(exc: DafnyFrontendError) -> str:
    """A short class of a refusal, to group them: the construct, not the place."""
    if isinstance(exc, DafnySyntaxError):
        return f"syntax: unexpected {exc.construct!r}"
    return exc.construct


def translate_file(path: Path, plain: Path | None) -> FileOutcome:
    text = path.read_bytes().decode("utf-8", "replace")
    rc = None
    record = plain / f"{path.name}.json" if plain else None
    if record is not None and record.exists():
        rc = json.loads(record.read_text("utf-8")).get("rc")
    started = time.perf_counter()
    try:
        translate(text)
    except DafnyFrontendError as exc:
        return FileOutcome(path.name, False, reason_of(exc), str(exc), rc,
                           seconds=time.perf_counter() - started)
    except RecursionError:
        return FileOutcome(path.name, False, "crash: RecursionError", "", rc)
    return FileOutcome(path.name, True, plain_rc=rc, seconds=time.perf_counter() - started)


def validate_file(path: Path, outcome: FileOutcome, n: int) -> None:
    """Every compiled method with generable inputs, against Dafny's JS build."""
    from verifier.translators.validate import can_generate, validate_translation

    text = path.read_bytes().decode("utf-8", "replace")
    targets = [
        d.name
        for d in parse(text).methods
        if not d.is_ghost and d.body is not None and all(can_generate(p.type) for p in d.params)
    ]
    for name in targets:
        try:
            report = validate_translation(text, name, n=n, seed=0)
        except (ProofrouteError, KeyError, ValueError) as exc:
            outcome.validation_errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:300]}")
            continue
        if report.ok:
            outcome.methods_validated += 1
        elif all(_js_crash(d) for d in report.disagreements):
            outcome.methods_js_crashed.append(report.summary()[:400])
        else:
            outcome.methods_disagreeing.append(report.summary()[:400])


def _js_crash(d: object) -> bool:
    """The JS build threw a JavaScript TypeError (`s.update is not a function`: its
    runtime lacks the operation) where the translation returned normally."""
    return (getattr(d, "what", "") == "error" and getattr(d, "python", None) is None
            and str(getattr(d, "dafny", "")).startswith("TypeError"))


def summarize(outcomes: list[FileOutcome]) -> dict[str, object]:
    def part(rows: list[FileOutcome]) -> dict[str, object]:
        done = [r for r in rows if r.translated]
        refused = collections.Counter(r.reason for r in rows if not r.translated)
        return {
            "files": len(rows),
            "translated": len(done),
            "percent": round(100 * len(done) / len(rows), 1) if rows else 0.0,
            "refused_by_reason": dict(refused.most_common()),
            "methods_validated": sum(r.methods_validated for r in rows),
            "methods_disagreeing": sum(len(r.methods_disagreeing) for r in rows),
            "methods_js_build_crashed": sum(len(r.methods_js_crashed) for r in rows),
            "validation_errors": sum(len(r.validation_errors) for r in rows),
        }

    return {
        "all": part(outcomes),
        "dafny_2_3_verified": part([r for r in outcomes if r.plain_rc == 0]),
        "plain_known": sum(r.plain_rc is not None for r in outcomes),
    }


def _write_part(out: object, title: str, p: dict) -> None:
    w = out.write  # type: ignore[attr-defined]
    w(f"{title}: translated {p['translated']} of {p['files']} ({p['percent']} %)\n")
    if p["methods_validated"] or p["methods_disagreeing"] or p["validation_errors"]:
        w(f"  validated methods {p['methods_validated']}, disagreeing "
          f"{p['methods_disagreeing']}, JS build crashed (Dafny 2.3 runtime bug) "
          f"{p['methods_js_build_crashed']}, validation not run (error) {p['validation_errors']}\n")
    for k, v in p["refused_by_reason"].items():
        w(f"  {v:4d}  {k}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DAFNYBENCH)
    ap.add_argument("--plain", type=Path, default=PLAIN)
    ap.add_argument("--validate", type=int, default=0, metavar="N")
    ap.add_argument("--limit", type=int, default=0, metavar="K", help="only the first K files")
    ap.add_argument("--only-verified", action="store_true", help="skip files plain Dafny refutes")
    ap.add_argument("--validate-only", type=Path, metavar="FILE",
                    help="validate only the files named in FILE (one name a line)")
    ap.add_argument("--out", type=Path, default=Path("compile_coverage.json"))
    args = ap.parse_args(argv)
    sys.setrecursionlimit(10000)
    plain = args.plain if args.plain.is_dir() else None
    files = sorted(args.corpus.glob("*.dfy"))[: args.limit or None]
    outcomes = [translate_file(f, plain) for f in files]
    if args.only_verified:
        outcomes = [o for o in outcomes if o.plain_rc == 0]
    if args.validate:
        by_name = {f.name: f for f in files}
        chosen = (set(args.validate_only.read_text("utf-8").splitlines())
                  if args.validate_only else None)
        for o in outcomes:
            if o.translated and (plain is None or o.plain_rc == 0) and (chosen is None or o.name in chosen):
                validate_file(by_name[o.name], o, args.validate)
                sys.stderr.write(f"validated {o.name}: {o.methods_validated} ok, "
                                 f"{len(o.methods_disagreeing)} disagreeing, "
                                 f"{len(o.methods_js_crashed)} JS build crashed, "
                                 f"{len(o.validation_errors)} not run\n")
    summary = summarize(outcomes)
    args.out.write_text(
        json.dumps({"summary": summary, "files": [asdict(o) for o in outcomes]}, indent=1), "utf-8"
    )
    _write_part(sys.stdout, "all files", summary["all"])  # type: ignore[arg-type]
    if summary["plain_known"]:
        _write_part(sys.stdout, "files Dafny 2.3 verifies", summary["dafny_2_3_verified"])  # type: ignore[arg-type]
    for o in outcomes:
        for d in o.methods_disagreeing:
            sys.stdout.write(f"DISAGREE {o.name}: {d}\n")
        for d in o.methods_js_crashed:
            sys.stdout.write(f"JS-CRASH {o.name}: {d[:160]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
