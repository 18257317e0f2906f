"""One cold Dafny CLI run per check: slow to start (~0.5-1 s of mono), but nothing shared.

It is the reference the warm pool must agree with, and the fall-back when no server runs
or the server's answer is not a clean success. The source goes to a private temporary
folder; each run is bounded by a wall clock that kills the whole process group
(`verifier.sandbox.run_limited`), so a hung z3 cannot outlive the check.

The verifying run prints the Boogie program too (`/print`, for the cross-check; it costs a
file write, not a second translation). It asks for no counterexample model: with
`/mv:` Dafny 2.3 reports errors on some programs that verify without it, so a model is
asked for only after a failure, in a second run, and kept only when that run failed in
the same places (the verdict is always the first run's). With Dafny 4, `dafny audit`
runs as well.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

from verifier.backends.dafny.output import parse_output
from verifier.backends.dafny.toolchain import Toolchain
from verifier.backends.dafny.verdict import VERIFICATION_KINDS, RunOutcome

from verifier.results import Severity
from verifier.sandbox.limits import CompletedRun, Limits, run_limited, scrubbed_env

WALL_SLACK_SECONDS = 5.0
_BOOGIE_DIR = "boogie"


def wall_limit(timeout: float) -> float:
    """Dafny's own limit is per procedure; the whole run gets this much wall time."""
    return 2.0 * float(timeout) + WALL_SLACK_SECONDS


def time_limit(timeout: float) -> int:
    return max(1, math.ceil(timeout))


def temp_name(filename: str | None) -> str:
    """A plain name for the temporary copy (Dafny wants `.dfy`, and prints the name)."""
    stem = Path(filename).stem if filename else "input"
    safe = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in stem) or "input"
    return f"{safe}.dfy"


def _text(run: CompletedRun) -> str:
    return run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")


def _dafny(argv: Sequence[str], tmp: str, timeout: float) -> CompletedRun:
    return run_limited(
        argv,
        limits=Limits(wall_seconds=wall_limit(timeout)),
        cwd=tmp,
        env=scrubbed_env({"HOME": tmp}),
    )


def read_boogie_files(folder: Path) -> tuple[str, ...] | None:
    """The printed Boogie program(s), one text per module; None when none was written."""
    files = sorted(folder.glob("*.bpl")) if folder.is_dir() else []
    return tuple(f.read_text("utf-8", "replace") for f in files) or None


def error_places(text: str) -> list[tuple[int | None, int | None, str]]:
    """Where a run reported verification errors, in print order."""
    return [
        (d.line, d.col, d.kind)
        for d in parse_output(text).diagnostics
        if d.kind in VERIFICATION_KINDS and d.severity == Severity.ERROR
    ]


def run_cold(
    toolchain: Toolchain,
    source: str,
    *,
    timeout: float,
    filename: str | None = None,
    want_model: bool = True,
) -> RunOutcome:
    with tempfile.TemporaryDirectory(prefix="proofroute-dafny-") as tmp:
        path = Path(tmp) / temp_name(filename)
        path.write_text(source, encoding="utf-8")
        boogie_dir = Path(tmp) / _BOOGIE_DIR
        boogie_dir.mkdir()
        dialect = toolchain.dialect
        argv = dialect.verify_argv(
            toolchain.dafny,
            path.name,
            time_limit=time_limit(timeout),
            z3=toolchain.z3,
            print_file=str(boogie_dir / f"{path.stem}.bpl"),
        )
        run = _dafny(argv, tmp, timeout)
        text = _text(run)
        model_text = None
        failed_at = error_places(text)
        if want_model and failed_at and not run.timed_out:
            model_text = _model(toolchain, path.name, tmp, timeout, failed_at)
        audit_text = None
        if dialect.has_audit and not run.timed_out:
            audit_text = _text(_dafny(dialect.audit_argv(toolchain.dafny, path.name), tmp, timeout))
        crash = None
        if run.signal is not None:
            crash = f"Dafny was killed by signal {run.signal}"
        elif run.truncated:
            crash = "Dafny's output was too long and was cut; nothing is proved"
        return RunOutcome(
            text=text,
            mode="cold",
            returncode=run.returncode,
            timed_out=run.timed_out,
            wall_seconds=wall_limit(timeout),
            crash=crash,
            model_text=model_text,
            boogie=read_boogie_files(boogie_dir),
            audit_text=audit_text,
        )


def _model(
    toolchain: Toolchain,
    file: str,
    tmp: str,
    timeout: float,
    failed_at: list[tuple[int | None, int | None, str]],
) -> str | None:
    """The counterexample model of a second run, if it failed where the first did."""
    model = Path(tmp) / "model.bvd"
    argv = toolchain.dialect.verify_argv(
        toolchain.dafny,
        file,
        time_limit=time_limit(timeout),
        z3=toolchain.z3,
        model_file=str(model),
    )
    run = _dafny(argv, tmp, timeout)
    if run.timed_out or error_places(_text(run)) != failed_at or not model.exists():
        return None
    return model.read_text("utf-8", "replace")
