"""`proofroute generate SPEC... --llm PROVIDER [--backend dafny|lean]`: verified code from specs.

Progress is drawn from the run's transcript events (attempt, stage, verdict, time,
tokens), so what the screen shows is exactly what `transcript.jsonl` records. Exit codes:
0 every spec verified, 1 some spec not verified, 2 bad input (a spec or the provider),
4 the verifier (Dafny or Lean) missing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from verifier.cli.output import console, echo_json
from verifier.errors import BudgetExhausted, LLMError, ProofrouteError, SpecError, ToolchainMissing
from verifier.transcript import Event


@dataclass
class Outcome:
    """One spec's result for the final table and `--json`."""

    spec: str
    verified: bool
    directory: str | None = None
    attempts: int = 0
    seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    reason: str = ""  # why not verified; for a verified spec, a caveat (e.g. unvalidated)
    error: str | None = None  # the exception that ended an unverified run, e.g. BudgetExhausted
    best_stage: str | None = None  # how far the best attempt got (as the HTTP API reports)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def describe(event: Event) -> str | None:
    """One human line per interesting event, or None for bookkeeping events."""
    d = event.data
    at = f"{event.at:6.1f}s"
    if event.kind == "prompt":
        kind = "task" if d.get("turns", 0) <= 2 else "repair"
        return f"{at}  round {d['round']}: {kind} prompt (~{d['approx_tokens']} tokens)"
    if event.kind == "response":
        toks = d.get("input_tokens", 0) + d.get("output_tokens", 0)
        cost = f" ({toks} tokens)" if toks else ""
        return f"{at}  attempt {d['attempt']}: model replied{cost}"
    if event.kind == "guard":
        if d["ok"]:
            return None
        first = d["problems"][0] if d["problems"] else {"message": "refused"}
        where = f"line {first['line']}: " if first.get("line") else ""
        return f"{at}  attempt {d['attempt']}: guard REFUSED — {where}{first['message']}"[:240]
    if event.kind == "quicktest":
        if d["refuted"]:
            return (f"{at}  attempt {d['attempt']}: quick test REFUTED in {d['seconds']:.2f}s — "
                    f"{d['failure']} (Dafny not called)")[:300]
        return f"{at}  attempt {d['attempt']}: quick test passed on {d['inputs']} inputs"
    if event.kind == "check":
        took = "from the result cache" if d.get("cached") else f"in {d['seconds']:.2f}s"
        label = {"lean": "Lean"}.get(d.get("backend", "dafny"), "Dafny")
        line = f"{at}  attempt {d['attempt']}: {label} {d['verdict'].upper()} {took}"
        diags = [x for x in d.get("diagnostics", []) if x.get("line")]
        if diags and d["verdict"] != "verified":
            line += f" — line {diags[0]['line']}: {diags[0]['message']}"
        return line[:240]
    if event.kind == "restart":
        return f"{at}  fresh conversation after {d['restarts']} failed repair series"
    if event.kind == "llm-error":
        return f"{at}  model provider failed: {d['message']}"[:240]
    if event.kind == "outcome":
        if d["verified"]:
            return f"{at}  VERIFIED at attempt {d['attempt']}"
        return f"{at}  NOT VERIFIED: {d['reason']}"
    return None


def printer(prefix: str, *, stderr: bool = True) -> Callable[[Event], None]:
    out = console(stderr=stderr)

    def show(event: Event) -> None:
        line = describe(event)
        if line is not None:
            out.print(f"[dim]{escape(prefix)}[/dim] {escape(line)}" if prefix else escape(line),
                      highlight=False)

    return show


def run_one(path: str | Path, llm: Any, *, out: Path | None, on_event: Callable[[Event], None] | None,
            **budgets: Any) -> Outcome:
    """Generate for one spec; any failure but bad input and a missing Dafny is an outcome."""
    from verifier.api import generate

    started = time.monotonic()
    name = Path(path).stem
    try:
        artifact = generate(path, llm=llm, out=out, on_event=on_event, **budgets)
    except BudgetExhausted as exc:
        attempts = exc.attempts
        return Outcome(name, False, str(out / name) if out else None, len(attempts),
                       time.monotonic() - started,
                       sum(a.input_tokens for a in attempts), sum(a.output_tokens for a in attempts),
                       exc.message, error=type(exc).__name__,
                       best_stage=exc.best.stage if exc.best is not None else None)
    except (SpecError, ToolchainMissing):
        raise
    except ProofrouteError as exc:
        return Outcome(name, False, None, 0, time.monotonic() - started, reason=exc.message,
                       error=type(exc).__name__)
    cert = artifact.certificate
    validation = cert.get("translation_validation", {})
    if artifact.backend == "lean":
        note = (f"Lean proof only: no Python module yet; test_{artifact.name}.py tests an "
                f"implementation you provide as {artifact.name}.py")
    elif validation.get("checked"):
        note = ""
    else:
        note = f"translation not validated: {validation.get('reason', '')}"
    return Outcome(artifact.name, True, str(artifact.directory) if artifact.directory else None,
                   cert["attempts"], time.monotonic() - started, cert["tokens"]["input"],
                   cert["tokens"]["output"], note)


def table(outcomes: list[Outcome]) -> Table:
    t = Table(title="proofroute generate")
    for col in ("spec", "verdict", "attempts", "time", "tokens", "artifact / reason"):
        t.add_column(col)
    for o in outcomes:
        t.add_row(o.spec, "[green]verified[/green]" if o.verified else "[red]not verified[/red]",
                  str(o.attempts), f"{o.seconds:.1f}s", str(o.input_tokens + o.output_tokens),
                  (o.directory or "") if o.verified else o.reason[:80])
    return t


def preload(specs: tuple[str, ...]) -> None:
    """Load every spec before any model call, so a typo in the last one costs nothing."""
    from verifier.specs.loader import load_spec

    for s in specs:
        load_spec(s)


def make_llm(spec: str) -> Any:
    from verifier.llm import get_llm

    try:
        return get_llm(spec)
    except LLMError as exc:
        click.echo(f"proofroute: {exc}", err=True)
        sys.exit(2)


@click.command("generate")
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--llm", "llm_spec", required=True,
              help="openai:<model>, anthropic:<model> or replay:<file.jsonl> (see docs/llm.md).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("proofroute-out"),
              show_default=True, help="Parent folder; each spec's artifact goes to OUT/<name>/.")
@click.option("--attempts", type=click.IntRange(min=1), default=8, show_default=True,
              help="Candidates in total (guard refusals and quick-test failures count).")
@click.option("--candidates", type=click.IntRange(min=1), default=1, show_default=True,
              help="Candidates per round, checked in parallel (1 keeps the run replayable).")
@click.option("--restart-after", type=click.IntRange(min=0), default=3, show_default=True,
              help="Start a fresh conversation after this many failed repairs in a row (0: never).")
@click.option("--backend", "backend", type=click.Choice(["dafny", "lean"]), default="dafny",
              show_default=True, help="Intermediate language and verifier: Dafny (verified "
              "Python out) or Lean 4 (verified .lean out; see docs/generate.md).")
@click.option("--timeout", type=float, default=None,
              help="Seconds per verifier check [default: 60 for Dafny, 300 for Lean].")
@click.option("--max-seconds", type=float, default=900.0, show_default=True, help="Wall-clock budget per spec.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=None, help="Token budget per spec.")
@click.option("--validate", type=click.IntRange(min=0), default=30, show_default=True,
              help="Inputs for the translation check against Dafny's JS build (0: skip).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Specs worked on at once, sharing the verifier's warm servers: with a live "
              "model its latency overlaps (a replay needs 1: it serves replies in order).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document with every result.")
def command(specs: tuple[str, ...], llm_spec: str, out: Path, attempts: int, candidates: int,
            restart_after: int, backend: str, timeout: float | None, max_seconds: float,
            max_tokens: int | None, validate: int, jobs: int, as_json: bool) -> None:
    """Generate verified code for each SPEC with a language model and the real verifier
    (Dafny → verified Python, or with --backend lean a verified Lean proof)."""
    try:
        preload(specs)
    except SpecError as exc:
        click.echo(f"proofroute: {exc}", err=True)
        sys.exit(2)
    llm = make_llm(llm_spec)
    if jobs > 1 and getattr(llm, "instant", False):
        click.echo(f"proofroute: --jobs {jobs} with {llm_spec}: a replay serves its replies in "
                   "order, one spec after another, so specs cannot run at once; use --jobs 1",
                   err=True)
        sys.exit(2)
    from verifier.api import ROUTE_BACKENDS

    # One backend for every spec: its servers (or Lean session) start and warm up once.
    shared, _ = ROUTE_BACKENDS[backend]()
    err = console(stderr=True)

    def work(path: str) -> Outcome:
        prefix = Path(path).stem if len(specs) > 1 else ""
        outcome = run_one(path, llm, out=out, on_event=printer(prefix),
                          attempts=attempts, candidates=candidates, restart_after=restart_after,
                          check_timeout=timeout, seconds=max_seconds, tokens=max_tokens,
                          validate=validate, backend=shared)
        if not as_json and outcome.verified:
            err.print(f"wrote {outcome.directory}/", highlight=False)
            if outcome.reason:
                err.print(f"note: {escape(outcome.reason)}", highlight=False)
        return outcome

    try:
        if jobs == 1:
            outcomes = [work(path) for path in specs]
        else:
            with ThreadPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
                outcomes = list(pool.map(work, specs))  # in the order given
    finally:
        shared.close()
    if as_json:
        echo_json({"ok": all(o.verified for o in outcomes),
                   "results": [o.to_json() for o in outcomes]})
    elif len(outcomes) > 1:
        console().print(table(outcomes))
    else:
        o = outcomes[0]
        verdict = "verified" if o.verified else f"not verified: {o.reason}"
        console().print(f"{o.spec}: {verdict}" + (f" → {o.directory}/" if o.verified else ""),
                        highlight=False)
    sys.exit(0 if all(o.verified for o in outcomes) else 1)
