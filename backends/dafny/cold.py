"""One cold Dafny CLI run per check: slow to start (~0.5-1 s of mono), but nothing shared.

It is the reference the warm pool must agree with, and the fall-back when no server runs.
The source goes to a private temporary folder; the run is bounded by a wall clock that
kills the whole process group (`verifier.sandbox.run_limited`), so a hung z3 cannot
outlive the check.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from verifier.backends.dafny.toolchain import Toolchain
from verifier.backends.dafny.verdict import RunOutcome

from verifier.sandbox.limits import Limits, run_limited, scrubbed_env

WALL_SLACK_SECONDS = 5.0


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
        model = Path(tmp) / "model.bvd" if want_model else None
        argv = toolchain.dialect.verify_argv(
            toolchain.dafny,
            path.name,
            time_limit=time_limit(timeout),
            z3=toolchain.z3,
            model_file=str(model) if model else None,
        )
        wall = wall_limit(timeout)
        run = run_limited(
            argv,
            limits=Limits(wall_seconds=wall),
            cwd=tmp,
            env=scrubbed_env({"HOME": tmp}),
        )
        text = run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")
        model_text = None
        if model is not None and model.exists():
            model_text = model.read_text("utf-8", "replace")
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
            wall_seconds=wall,
            crash=crash,
            model_text=model_text,
        )
