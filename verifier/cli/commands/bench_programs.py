"""`proofroute bench dafnybench DATA` and `proofroute bench vericoding DATA`: a model over
whole-program Dafny tasks, every answer judged on a parse, by the audit and by the real
Dafny. The library does the work; this module renders progress and the summary."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from verifier.bench.llm_log import LoggedLLM
from verifier.bench.program_prompts import PROGRAM_PROMPT_VERSION
from verifier.bench.program_run import run_program_tasks
from verifier.bench.program_runner import UnitConfig
from verifier.bench.program_scoring import by_field, summarize
from verifier.bench.program_tasks import (
    Language,
    ProgramTask,
    load_dafnybench,
    load_vericoding,
    select,
)
from verifier.bench.store import COMPLETIONS_FILE, ResultsStore
from verifier.cli.output import echo_json

DEFAULT_RUNS_DIR = Path("runs")


def _ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-.")[:80] or "run"


def _default_out(benchmark: str, data: str, llm: str) -> Path:
    """runs/<benchmark>-<data>-<llm>: the same command lands in (and resumes) one place."""
    provider, _, target = llm.partition(":")
    model = Path(target).stem if provider == "replay" else target
    return DEFAULT_RUNS_DIR / f"{benchmark}-{_slug(Path(data).stem)}-{_slug(provider)}-{_slug(model)}"


def common_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("data"),
        click.option("--llm", "llm_spec", required=True, help="openai:<model>, anthropic:<model>, replay:<file.jsonl>"),
        click.option("--k", "k", type=click.IntRange(min=1), default=1, show_default=True, help="Samples per task (pass@k)."),
        click.option("--attempts", type=click.IntRange(min=1), default=1, show_default=True, help="Tries per sample: the first plus repair rounds fed with Dafny's messages."),
        click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Units worked on at once (1 keeps the model's request order fixed)."),
        click.option("--limit", type=click.IntRange(min=0), default=None, help="Only the first N tasks (after --ids)."),
        click.option("--ids", multiple=True, help="Only these task ids (repeat or comma-separate)."),
        click.option("--out", type=click.Path(path_type=Path), default=None, help="Results directory; re-running resumes it."),
        click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per Dafny check."),
        click.option("--temperature", type=float, default=None, help="Sampling temperature (default 0, or 0.8 when --k > 1)."),
        click.option("--max-tokens", type=click.IntRange(min=1), default=4096, show_default=True, help="Tokens per reply."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def run_bench(benchmark: str, tasks: Sequence[ProgramTask], settings: Mapping[str, Any]) -> None:
    from verifier.llm import get_llm
    from verifier.routes import open_backend

    k, jobs = int(settings["k"]), int(settings["jobs"])
    temperature = settings["temperature"]
    temperature = temperature if temperature is not None else (0.8 if k > 1 else 0.0)
    out = settings["out"] or _default_out(benchmark, str(settings["data"]), settings["llm_spec"])
    store = ResultsStore(out)
    dafny, info = open_backend("dafny", jobs=jobs)
    store.check_manifest({
        "benchmark": benchmark, "data": str(settings["data"]), "llm": settings["llm_spec"],
        "attempts": settings["attempts"], "temperature": temperature,
        "max_tokens": settings["max_tokens"], "prompt_version": PROGRAM_PROMPT_VERSION,
        "k": k, "timeout": settings["timeout"],
        "toolchain": {"name": info.name, "version": info.version, **info.details},
    })  # fmt: skip
    config = UnitConfig(
        attempts=settings["attempts"], timeout=settings["timeout"], temperature=temperature,
        max_tokens=settings["max_tokens"], dafny_version=(info.version or "2.3")[:3],
    )  # fmt: skip
    llm = LoggedLLM(get_llm(settings["llm_spec"]), out / COMPLETIONS_FILE)

    def progress(record: Mapping[str, Any]) -> None:
        if not settings["as_json"]:
            click.echo(f"{record['task']}#{record['sample']}: {record['status']}", err=True)

    try:
        outcome = run_program_tasks(
            tasks, k=k, llm=llm, checker=dafny, store=store, config=config, jobs=jobs,
            on_record=progress,
        )  # fmt: skip
    except KeyboardInterrupt:
        click.echo(f"proofroute: interrupted; {len(store)} finished records are kept in {out}. "
                   "Run the same command again to resume.", err=True)  # fmt: skip
        sys.exit(130)
    finally:
        dafny.close()
    summary = summarize(outcome.records) | {
        "by_source": by_field(outcome.records, "source"),
        "out": str(out), "complete": outcome.complete,
        "new_records": outcome.new_records, "resumed_records": outcome.resumed_records,
    }  # fmt: skip
    if settings["as_json"]:
        echo_json(summary)
        return
    print_summary(summary)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_summary(summary: Mapping[str, Any]) -> None:
    click.echo(
        f"tasks {summary['tasks']}  scored {summary['scored_tasks']}  solved "
        f"{summary['solved_tasks']} ({_pct(summary['solve_rate'])})  set apart "
        f"{sum(summary['set_apart'].values())} {dict(summary['set_apart'])}"
    )
    for k, value in summary["pass_at_k"].items():
        click.echo(f"pass@{k}: {_pct(value)}")
    for source, s in summary.get("by_source", {}).items():
        passes = "  ".join(f"pass@{k} {_pct(v)}" for k, v in s["pass_at_k"].items())
        click.echo(f"  {source}: {s['solved_tasks']}/{s['scored_tasks']} solved  {passes}  "
                   f"set apart {sum(s['set_apart'].values())}")  # fmt: skip
    click.echo(f"results: {summary['out']}")


@click.command("dafnybench")
@common_options
def dafnybench(**settings: Any) -> None:
    """Run a model over DafnyBench's hints-removed programs in DATA (the DafnyBench clone).

    The model restores the proof hints; every signature, requires and ensures must equal
    the original on a parse, the audit must be clean, Dafny must verify and DafnyBench's
    own success rule must hold. The same command resumes an interrupted run.
    """
    tasks = select(load_dafnybench(settings["data"]), ids=_ids(settings["ids"]), limit=settings["limit"])
    run_bench("dafnybench", tasks, settings)


@click.command("vericoding")
@common_options
@click.option("--language", type=click.Choice(["dafny", "lean", "all"]), default="all", show_default=True, help="Which tasks to load (Lean tasks are recorded as not routed yet, counted apart).")
@click.option("--source", "sources", multiple=True, help="Only tasks of these source data sets (e.g. apps, humaneval).")
def vericoding(**settings: Any) -> None:
    """Run a model over vericoding tasks in DATA (a .jsonl/.yaml file or folder).

    The model replaces the stub body (and may add helpers); the preamble, specs and
    postamble must stay unchanged on a parse; the audit rules out cheats. Scores per
    source data set, pass@k; tasks this Dafny cannot read are counted apart with why.
    """
    language = None if settings["language"] == "all" else Language(settings["language"])
    tasks = load_vericoding(settings["data"], language=language)
    if settings["sources"]:
        wanted = set(_ids(settings["sources"]))
        tasks = [t for t in tasks if t.source in wanted]
    tasks = select(tasks, ids=_ids(settings["ids"]), limit=settings["limit"])
    run_bench("vericoding", tasks, settings)
