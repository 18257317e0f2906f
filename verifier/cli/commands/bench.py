"""`proofroute bench`: run a model over FVAPPS tasks (`fvapps`) and report on a run
(`report`). The library does the work and never prints; this module renders progress,
tables and JSON."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from verifier.bench.compare import load_runs
from verifier.bench.compare_render import markdown, page
from verifier.bench.fvapps_data import load_tasks, select_tasks
from verifier.bench.llm_log import LoggedLLM
from verifier.bench.prompts import PROMPT_VERSION
from verifier.bench.report import build_report
from verifier.bench.runner import FvappsRunner, RunConfig, RunEvent, expected_records
from verifier.bench.scoring import summarize
from verifier.bench.store import COMPLETIONS_FILE, ResultsStore
from verifier.cli.commands.bench_programs import dafnybench, vericoding
from verifier.cli.executor_options import executor_options, open_checker, settings_from
from verifier.cli.output import console, echo_json, is_tty
from verifier.scale import ExecutorKind

DEFAULT_RUNS_DIR = Path("runs")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-.")[:80] or "run"


def default_out_dir(data: str, llm: str) -> Path:
    """runs/fvapps-<data>-<llm>: the same command always lands in (and resumes) one place."""
    provider, _, target = llm.partition(":")
    model = Path(target).stem if provider == "replay" else target
    return DEFAULT_RUNS_DIR / f"fvapps-{_slug(Path(data).stem)}-{_slug(provider)}-{_slug(model)}"


def _ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.group("bench")
def command() -> None:
    """Benchmark models on proof tasks, every proof checked by the real Lean or Dafny."""


command.add_command(dafnybench)
command.add_command(vericoding)


@command.command("fvapps")
@click.argument("data")
@click.option("--llm", "llm_spec", required=True, help="openai:<model>, anthropic:<model>, replay:<file.jsonl>")
@click.option("--k", "k", type=click.IntRange(min=1), default=1, show_default=True, help="Samples per task (pass@k).")
@click.option("--attempts", type=click.IntRange(min=1), default=1, show_default=True, help="Tries per stage: the first plus repair rounds fed with Lean's messages.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Samples worked on at once (1 keeps the model's request order fixed) [default: 1; with --executor ray, one per CPU of the cluster].")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Only the first N tasks (after --ids).")
@click.option("--ids", multiple=True, help="Only these apps_id values (repeat or comma-separate).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Results directory (default runs/fvapps-<data>-<llm>); re-running resumes it.")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Seconds per Lean check.")
@click.option("--temperature", type=float, default=None, help="Sampling temperature (default 0, or 0.8 when --k > 1).")
@click.option("--max-tokens", type=click.IntRange(min=1), default=4096, show_default=True, help="Tokens per reply.")
@click.option("--token-budget", type=click.IntRange(min=1), default=None, help="Stop starting new requests after this many tokens.")
@click.option("--time-budget", type=float, default=None, help="Stop starting new requests after this many seconds.")
@click.option("--split", default="train", show_default=True, help="Split, when DATA is a dataset name.")
@click.option("--lean-project", type=click.Path(path_type=Path, file_okay=False), default=None, help="A Lake project (e.g. with Mathlib) to check in.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@executor_options
def fvapps(
    data: str,
    llm_spec: str,
    k: int,
    attempts: int,
    jobs: int | None,
    limit: int | None,
    ids: tuple[str, ...],
    out: Path | None,
    timeout: float,
    temperature: float | None,
    max_tokens: int,
    token_budget: int | None,
    time_budget: float | None,
    split: str,
    lean_project: Path | None,
    as_json: bool,
    executor: str,
    ray_address: str | None,
    ray_cpus_per_worker: float,
) -> None:
    """Run a model over FVAPPS tasks in DATA (.jsonl, .parquet or a dataset name).

    Stage 1: the model implements the definitions; the unit tests must pass. Stage 2: each
    theorem is proved on its own against those definitions. Every record is on disk as
    soon as it is known; the same command resumes an interrupted run.
    """
    # Long on purpose: a click command, one parameter per option (20 lines of signature);
    # the body only wires them to the runner, in the order a run needs them.
    from verifier.llm import get_llm

    tasks = select_tasks(load_tasks(data, split=split), ids=_ids(ids), limit=limit)
    temperature = temperature if temperature is not None else (0.8 if k > 1 else 0.0)
    settings = settings_from(executor, ray_address, jobs, ray_cpus_per_worker)
    if settings.kind is ExecutorKind.RAY:
        settings.ray_address()  # no cluster given: say so before anything is written
    config = RunConfig(
        k=k,
        attempts=attempts,
        timeout=timeout,
        temperature=temperature,
        max_tokens=max_tokens,
        token_budget=token_budget,
        time_budget=time_budget,
    )
    out = out or default_out_dir(data, llm_spec)
    store = ResultsStore(out)
    store.check_manifest(
        {
            "benchmark": "fvapps",
            "data": str(data),
            "llm": llm_spec,
            "attempts": attempts,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "prompt_version": PROMPT_VERSION,
        }
    )
    # one warm Lean session per worker: checks are the bottleneck of a run
    options: dict[str, Any] = {"lean_project": str(lean_project)} if lean_project else {}
    lean, info = open_checker(settings, "lean", options)  # ToolchainMissing when unusable
    config = replace(config, jobs=lean.executor.slots)
    llm = LoggedLLM(get_llm(llm_spec), out / COMPLETIONS_FILE)
    progress = _progress_bar(show=is_tty() and not as_json)
    bar = progress.add_task("", total=None)

    def on_event(event: RunEvent) -> None:
        record = event.record
        what = f"{record['task']}#{record['sample']} {record.get('theorem') or 'definitions'}"
        progress.update(bar, advance=1, description=f"{what}: {record['status']}")

    runner = FvappsRunner(
        llm=llm, checker=lean, store=store, config=config, toolchain=info, on_event=on_event
    )
    progress.update(bar, total=expected_records(tasks, k))
    try:
        with progress:
            outcome = runner.run(tasks)
    except KeyboardInterrupt:
        click.echo(
            f"proofroute: interrupted; {len(store)} finished records are kept in {out}. "
            "Run the same command again to resume.",
            err=True,
        )
        sys.exit(130)
    finally:
        lean.close()  # a Ray run's unfinished checks end here; they are redone on resume
    summary = summarize(outcome.records) | {
        "out": str(out),
        "complete": outcome.complete,
        "stopped": outcome.stopped,
        "new_records": outcome.new_records,
        "resumed_records": outcome.resumed_records,
        "executor": lean.executor.stats(),
    }
    if as_json:
        echo_json(summary)
    else:
        _print_summary(summary)


def _progress_bar(*, show: bool) -> Progress:
    return Progress(
        TextColumn("[bold]fvapps[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console(stderr=True),
        disable=not show,
    )


def _out() -> Console:
    """Stdout console; wide enough off a TTY that tables never cut names short."""
    return Console(highlight=False, soft_wrap=True, width=None if is_tty() else 140)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{100 * value:.1f}%"
    return str(value)


def _print_summary(summary: dict[str, Any]) -> None:
    out = _out()
    out.print(
        f"tasks {summary['tasks']}  theorems proved {summary['theorems_proved']}/"
        f"{summary['theorems_total']} ({_fmt(summary['proof_rate'])})  "
        f"all proved {summary['tasks_all_proved']}  units passed {summary['units_passed']}  "
        f"toolchain mismatch {summary['toolchain_mismatch']}  "
        f"spec incompatible {summary['spec_incompatible']}  "
        f"units unchecked {summary['units_unchecked']}"
    )
    for k, values in summary["pass_at_k"].items():
        out.print(
            f"pass@{k}: theorems {_fmt(values['theorems'])}  units {_fmt(values['units'])}  "
            f"tasks all proved {_fmt(values['tasks_all_proved'])}"
        )
    if summary.get("stopped"):
        out.print(f"stopped early: {summary['stopped']} (re-run the same command to go on)")
    out.print(f"results: {summary['out']}")


def _group_table(title: str, groups: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    columns = ("", "tasks", "theorems", "proved", "rate", "all proved", "units passed", "toolchain",
               "spec incompatible", "units unchecked")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if not column else "right")
    for name, s in groups.items():
        table.add_row(
            name,
            str(s["tasks"]),
            str(s["theorems_total"]),
            str(s["theorems_proved"]),
            _fmt(s["proof_rate"]),
            str(s["tasks_all_proved"]),
            str(s["units_passed"]),
            str(s["toolchain_mismatch"]),
            str(s["spec_incompatible"]),
            str(s["units_unchecked"]),
        )
    return table


@command.command("report")
@click.argument("runs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text", show_default=True, help="text: tables of one run here; md/html: a page comparing the runs side by side, plots embedded.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the md/html page here (default: standard output).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-plot", is_flag=True, help="Do not write the PNG plot (text format).")
def report(runs: tuple[Path, ...], fmt: str, output: Path | None, as_json: bool, no_plot: bool) -> None:
    """Report on RUNS (results directories, or their results.jsonl files).

    With one FVAPPS run and the text format: tables by difficulty and assurance level,
    pass@k, time and tokens, and a PNG plot of proof rate against attempts. With
    `--format md` or `html` (or several runs): one page comparing the runs side by side
    by source and difficulty, pass@k curves, each run's toolchain and settings.
    """
    if fmt != "text" or len(runs) > 1:
        views = load_runs(runs)
        if as_json:
            echo_json({"runs": views})
            return
        text = page(views) if fmt == "html" else markdown(views)
        if output is None:
            click.echo(text)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"report: {output}", err=True)
        return
    directory = runs[0].parent if runs[0].is_file() else runs[0]
    result = build_report(directory, plot=not no_plot)
    if as_json:
        echo_json(result)
        return
    out = _out()
    s = result.summary
    out.print(_group_table("by difficulty", result.by_difficulty))
    out.print(_group_table("by assurance level", result.by_assurance_level))
    out.print(_group_table("all", {"all": s}))
    passk = Table(title="pass@k")
    for column in ("k", "theorems", "units", "tasks all proved"):
        passk.add_column(column, justify="right")
    for k, values in s["pass_at_k"].items():
        passk.add_row(k, _fmt(values["theorems"]), _fmt(values["units"]), _fmt(values["tasks_all_proved"]))
    out.print(passk)
    out.print(
        f"time: model {s['llm_seconds']:.1f} s, Lean {s['check_seconds']:.1f} s   "
        f"tokens: {s['input_tokens']} in, {s['output_tokens']} out"
    )
    if result.plot:
        out.print(f"plot: {result.plot}")
