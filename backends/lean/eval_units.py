"""Unit tests run as the task states them — `#eval` under `#guard_msgs` — in the sandbox.

On the WebAssembly build units are kernel checks first (harness.py, verdict.py): cheap, in
the warm session, and no model code runs. A unit the kernel decides neither way (a `Float`
result: no decidable equality) is run here instead: a second run of the trusted driver
(request `eval`, trusted_driver.lean) elaborates the model's file *without*
`noncomputable section`, so its definitions are compiled, and then runs each unit command
that proofroute writes from the task's unit text (the block as the task states it, never
the model's file: the driver reads the units from a second file and refuses `#eval` and
`#guard_msgs` in the model's one as in every check).

`#eval` runs model code, so this driver is started in `verifier.sandbox` (a fresh scratch
dir, network namespace, pids cgroup, rlimits, wall clock; one process per run, never a
warm session), and the driver refuses to run anything that could reach an effect
(`IO.RealWorld`: every `IO` action and Lean's meta monads). Each unit is decided by the
driver from the messages of its `#guard_msgs` command and reported as a `unit NONCE …`
record in the driver's response file — what the model's code prints (`dbg_trace`,
`panic!`) never decides: it goes to stderr, which is not read, or becomes a message of
its own beside the value's, which only makes `#guard_msgs` fail. The nonce is in the
request file, which model code (no `IO`) cannot read; a record with another nonce makes
the whole run untrusted.
"""

from __future__ import annotations

import importlib.resources
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from verifier.backends.lean.session import ALLOWLIST, DRIVER, parse_response
from verifier.backends.lean.units import EvalOutcome, UnitEval, UnitTest
from verifier.backends.lean.verdict import Record, RunOutcome

from verifier.sandbox import CompletedRun, Lend, Limits, SandboxReport, host_support, run_untrusted

MODEL_FILE = "Model.lean"
UNITS_FILE = "Units.lean"
RESPONSE = "resp-0"
_EFFECT_HINT = ("model code run by `#eval` may not reach `IO.RealWorld` (no `IO`, `EIO`, "
                "`BaseIO` or meta-monad code)")  # fmt: skip


@dataclass(frozen=True)
class EvalInput:
    """What one `#eval` run elaborates: the model's file as checked (unit blocks taken out)
    and the units text we wrote, with each unit's lines in it."""

    model: str
    units: str
    spans: tuple[tuple[int, int, int], ...]  # (unit index, first line, last line) of `units`
    nonce: str


@dataclass(frozen=True)
class EvalReport:
    """Per unit index, what the driver reported; `refused` says why no unit was run."""

    results: Mapping[int, UnitEval]
    refused: str | None = None


@dataclass(frozen=True)
class EvalRun:
    """The driver's outcome and the containment it ran under (`uid` None: the parent's)."""

    outcome: RunOutcome
    sandbox: SandboxReport | None


def eligible(test: UnitTest) -> bool:
    """Units whose docstring is one `info:` message (no `---` between several): the only
    ones whose passing proves the printed value is the one the task states."""
    if test.expected is None:
        return False
    doc = test.text.split("-/", 1)[0]
    return not any(line.strip() == "---" for line in doc.splitlines())


def build_input(source: str, tests: Sequence[UnitTest], nonce: str) -> EvalInput:
    """The units as the task states them (each block verbatim), a blank line apart."""
    lines: list[str] = []
    spans = []
    for test in tests:
        first = len(lines) + 1
        lines.extend(test.text.splitlines())
        spans.append((test.index, first, len(lines)))
        lines.append("")
    return EvalInput(source, "\n".join(lines) + "\n", tuple(spans), nonce)


def read(records: Sequence[Record], given: EvalInput) -> EvalReport:
    """The driver's records -> one result per unit. A unit is decided only by exactly one
    `unit` record at its first line; anything with another nonce voids the whole run."""
    found: dict[int, list[UnitEval]] = {}
    for rec in records:
        tag, *fields = rec.tag.split(" ")
        match tag:
            case "refused":
                return EvalReport({}, f"the driver refused the file: {rec.text}")
            case "eval-refused":
                if fields != [given.nonce]:
                    return EvalReport({}, "a record with a wrong nonce: the run is not trusted")
                own, root = [*rec.text.split("\n", 1), ""][:2]
                return EvalReport({}, f"`{own}` reaches `{root}`: {_EFFECT_HINT}")
            case "unit":
                if len(fields) != 4 or fields[0] != given.nonce or not fields[2].isdigit():
                    return EvalReport({}, "a record with a wrong nonce: the run is not trusted")
                try:
                    outcome = EvalOutcome(fields[1])
                except ValueError:
                    return EvalReport({}, f"an unknown unit outcome `{fields[1]}`: the run is not trusted")
                line = int(fields[2])
                for index, first, last in given.spans:
                    if first <= line <= last:
                        mark = outcome if line == first else EvalOutcome.REFUSED
                        found.setdefault(index, []).append(UnitEval(index, mark, rec.text))
    results = {}
    for index, got in found.items():
        results[index] = got[0] if len(got) == 1 else UnitEval(
            index, EvalOutcome.REFUSED, "the unit is not one command: " + " / ".join(g.detail for g in got))
    return EvalReport(results)


def _command(argv: Sequence[str], modules: Sequence[str], nonce: str) -> list[str]:
    """`sh -c`: the scratch dir's path is known only inside it (request paths, mounts)."""
    q = shlex.quote
    script = (
        f'printf "eval\\n%s\\n%s/{MODEL_FILE}\\n%s/{UNITS_FILE}\\n" {q(nonce)} "$PWD" "$PWD" > req-0.tmp'
        ' && mv req-0.tmp req-0 && export LEAN_WASM_MOUNTS="${LEAN_WASM_MOUNTS:+$LEAN_WASM_MOUNTS:}$PWD"'
        f' && exec {" ".join(q(a) for a in argv)} --run "$PWD/{DRIVER}" "$PWD" "$PWD/{ALLOWLIST}"'
        f' {" ".join(q(m) for m in modules)}'
    )
    return ["/bin/sh", "-c", script]


def _package_bytes(name: str) -> bytes:
    return importlib.resources.files("verifier.backends.lean").joinpath(name).read_bytes()


def run(argv: Sequence[str], env: Mapping[str, str], given: EvalInput, modules: Sequence[str],
        timeout: float, reads: Sequence[str] = ()) -> EvalRun:  # fmt: skip
    """One driver process in the sandbox for one `eval` request; its response file is the
    only thing read back (stdout and stderr, where model code may print, are not).
    The toolchain (`reads`, under the parent's home) is lent read-only so that the driver
    runs as the jail's private uid; where folders cannot be lent (no mount namespace) it
    keeps the parent's uid, and the network namespace, pids cgroup, rlimits and scratch
    dir still apply. The driver is
    stopped once its response file is there: the WebAssembly runtime (bun) can hang at exit
    with its worker threads parked, which cost a whole wall clock per run."""
    files = {
        DRIVER: _package_bytes(DRIVER),
        ALLOWLIST: _package_bytes(ALLOWLIST),
        MODEL_FILE: given.model.encode("utf-8"),
        UNITS_FILE: given.units.encode("utf-8"),
        "stop": b"stop\n",  # the driver answers req-0, then stops
    }
    limits = Limits(wall_seconds=timeout, file_size_bytes=256 << 20, output_bytes=64 << 20)
    private = bool(reads) and host_support().mountns
    done = run_untrusted(_command(argv, modules, given.nonce), limits=limits, files=files,
                         env=dict(env), drop_privileges=private, collect=(RESPONSE,),
                         answered=RESPONSE, lend=Lend(readable=tuple(reads)) if private else None)  # fmt: skip
    return EvalRun(_outcome(done, timeout), done.report)


def _outcome(done: CompletedRun, timeout: float) -> RunOutcome:
    response = dict(done.files).get(RESPONSE)
    if done.timed_out:
        return RunOutcome(timed_out=True, timeout=timeout)
    if response is None:
        tail = done.stderr.decode("utf-8", "replace")[-600:]
        return RunOutcome(returncode=done.returncode if done.returncode else -1, timeout=timeout,
                          stderr_tail=f"the #eval run gave no answer: {tail}")  # fmt: skip
    return parse_response(response, timeout)
