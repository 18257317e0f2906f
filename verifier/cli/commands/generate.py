"""`proofroute generate SPEC... --llm PROVIDER [--backend dafny|lean]`: verified code from specs.

Progress is drawn from the run's transcript events (attempt, stage, verdict, time,
tokens), so what the screen shows is exactly what `transcript.jsonl` records; it goes to
stderr also when that is not a terminal (one plain line per event). Exit codes: 0 every
spec verified, 1 some spec not verified, 2 bad input (a spec or the provider), 4 the
verifier (Dafny or Lean) missing, 5 the model provider could not be reached (the run says
nothing about the spec). Under `--json` an error is one JSON object too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.markup import escape
from rich.table import Table

from verifier.cli.events import describe
from verifier.cli.executor_options import executor_options, settings_from
from verifier.cli.output import console, echo_json
from verifier.cli.spec_job import ModelSource, Outcome, SpecJob, SpecSource, run_one
from verifier.errors import InputError, LLMError, LLMUnreachable
from verifier.routes import DEFAULT_ROUTE, ROUTES, open_backend
from verifier.scale import ExecutorKind, ExecutorSettings, open_executor
from verifier.transcript import Event

__all__ = ["Outcome", "command", "describe", "printer", "run_one", "table"]


def printer(prefix: str, *, stderr: bool = True) -> Callable[[Event], None]:
    out = console(stderr=stderr)

    def show(event: Event) -> None:
        line = describe(event)
        if line is not None:
            out.print(f"[dim]{escape(prefix)}[/dim] {escape(line)}" if prefix else escape(line),
                      highlight=False)

    return show


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
        raise InputError(exc.message, hint=exc.hint) from exc


@click.command("generate")
@click.argument("specs", nargs=-1, required=False, type=click.Path(dir_okay=False, path_type=str))
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
@click.option("--backend", "backend", type=click.Choice(list(ROUTES)), default=DEFAULT_ROUTE,
              show_default=True, help="Intermediate language and verifier: Dafny (verified "
              "Python out) or Lean 4 (verified .lean out; see docs/generate.md).")
@click.option("--timeout", type=float, default=None,
              help="Seconds per verifier check [default: 60 for Dafny, 300 for Lean].")
@click.option("--max-seconds", type=float, default=900.0, show_default=True, help="Wall-clock budget per spec.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=None, help="Token budget per spec.")
@click.option("--validate", type=click.IntRange(min=0), default=30, show_default=True,
              help="Inputs for the translation check against Dafny's JS build (0: skip).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Specs worked on at once, sharing the verifier's warm servers: with a live "
              "model its latency overlaps (a replay needs 1: it serves replies in order) "
              "[default: 1; with --executor ray, one per CPU of the cluster].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document with every result.")
@click.option("--describe", default=None, help="Instead of SPEC: draft the spec from this description "
              "(or @FILE) with the same model, confirm it, then generate (see docs/draft.md).")
@click.option("--signature", default=None, help="With --describe: the signature the spec must use.")
@click.option("--yes", is_flag=True, help="With --describe: accept the drafted spec without asking.")
@executor_options
def command(specs: tuple[str, ...], llm_spec: str, out: Path, attempts: int, candidates: int,
            restart_after: int, backend: str, timeout: float | None, max_seconds: float,
            max_tokens: int | None, validate: int, jobs: int | None, as_json: bool,
            describe: str | None, signature: str | None, yes: bool, executor: str,
            ray_address: str | None, ray_cpus_per_worker: float) -> None:
    """Generate verified code for each SPEC with a language model and the real verifier
    (Dafny → verified Python, or with --backend lean a verified Lean proof)."""
    drafted = None
    if describe is not None:  # draft → confirm → generate, one model session
        from verifier.cli.drafting import spec_from_description

        llm = make_llm(llm_spec)
        drafted = spec_from_description(llm, describe, signature, yes=yes, as_json=as_json, out=out)
        specs = (str(drafted.path),)
    elif not specs:
        raise InputError("no SPEC given", hint="give a SPEC file, or --describe TEXT to draft one")
    preload(specs)  # a SpecError: exit 2, with its line and column
    llm = make_llm(llm_spec) if drafted is None else llm
    budgets = {"attempts": attempts, "candidates": candidates, "restart_after": restart_after,
               "check_timeout": timeout, "seconds": max_seconds, "tokens": max_tokens,
               "validate": validate}
    settings = settings_from(executor, ray_address, jobs, ray_cpus_per_worker)
    if settings.kind is ExecutorKind.RAY:
        if (len(specs) > 1 or drafted is not None) and llm.instant:
            click.echo(f"proofroute: --executor ray with {llm_spec}: a replay serves its "
                       "replies in order, and each spec's worker starts it from the first "
                       "reply; give one spec (and no --describe) per run", err=True)
            sys.exit(2)
        outcomes = on_executor(specs, ModelSource.of(llm_spec), backend, budgets, settings,
                               out=out, as_json=as_json)
        report(outcomes, drafted, as_json=as_json)
        return
    jobs = jobs or 1
    if jobs > 1 and llm.instant:
        raise InputError(f"--jobs {jobs} with {llm_spec}: a replay serves its replies in order, one spec "
                         "after another, so specs cannot run at once", hint="use --jobs 1")
    # One backend for every spec: its servers (or Lean session) start and warm up once.
    shared, _ = open_backend(backend)

    def work(path: str) -> Outcome:
        prefix = Path(path).stem if len(specs) > 1 else ""
        outcome = run_one(path, llm, out=out, on_event=printer(prefix), backend=shared,
                          **budgets)
        if not as_json:
            tell(outcome)
        return outcome

    try:
        if jobs == 1:
            outcomes = [work(path) for path in specs]
        else:
            with ThreadPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
                outcomes = list(pool.map(work, specs))  # in the order given
    finally:
        shared.close()
    report(outcomes, drafted, as_json=as_json)


def tell(outcome: Outcome) -> None:
    """The line a finished spec gets on stderr (where its artifact went)."""
    if outcome.verified:
        err = console(stderr=True)
        err.print(f"wrote {outcome.directory}/", highlight=False)
        if outcome.reason:
            err.print(f"note: {escape(outcome.reason)}", highlight=False)


def on_executor(specs: tuple[str, ...], model: ModelSource, route: str, budgets: dict[str, Any],
                settings: ExecutorSettings, *, out: Path, as_json: bool) -> list[Outcome]:
    """Every spec as a unit of the executor; each artifact is written here as it arrives.
    Ctrl-C keeps the artifacts already written and ends the specs under way."""
    executor = open_executor(SpecJob(model, route, budgets), settings)
    try:
        futures = [executor.submit(SpecSource(p, Path(p).read_text(encoding="utf-8")))
                   for p in specs]
        outcomes: list[Outcome] = []
        for future in futures:  # in the order given
            outcome = future.result().write(out)
            if not as_json:
                tell(outcome)
            outcomes.append(outcome)
        return outcomes
    except KeyboardInterrupt:
        click.echo("proofroute: interrupted; the artifacts already written are kept in "
                   f"{out}", err=True)
        sys.exit(130)
    finally:
        executor.close()


def report(outcomes: list[Outcome], drafted: Any, *, as_json: bool) -> NoReturn:
    """The table or JSON of every outcome, and the exit code (0: all verified)."""
    extra = drafted.after(outcomes[0].directory) if drafted is not None else {}
    if as_json:
        echo_json({"ok": all(o.verified for o in outcomes),
                   "results": [o.to_json() for o in outcomes], **extra})
    elif len(outcomes) > 1:
        console().print(table(outcomes))
    else:
        o = outcomes[0]
        verdict = "verified" if o.verified else f"not verified: {o.reason}"
        console().print(f"{o.spec}: {verdict}" + (f" → {o.directory}/" if o.verified else ""),
                        highlight=False)
    sys.exit(exit_code(outcomes))


def exit_code(outcomes: list[Outcome]) -> int:
    """0 all verified, 1 some not; 5 when the provider was never reached for some spec."""
    if any(o.error == LLMUnreachable.__name__ for o in outcomes):
        return LLMUnreachable.exit_code
    return 0 if all(o.verified for o in outcomes) else 1
