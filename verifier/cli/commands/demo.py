"""`proofroute demo`: the whole loop on bundled specs, driven by recorded model replies.

No model is called: every reply comes from `verifier/demo/sessions/*.jsonl` through the
replay provider, and the output says so. Everything else is real — the guard, the quick
test in the sandbox, the real Dafny, the Python translation, the artifact. The three
sessions show a repair from Dafny's diagnostics, a repair driven by the quick test's
counterexample, and cheating candidates refused by the guard.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from verifier.cli.commands.generate import Outcome, printer, run_one, table
from verifier.cli.output import console, echo_json

SESSIONS = (
    ("max_of_list", "the first candidate fails verification; Dafny's diagnostics drive the repair"),
    ("count_evens", "the quick test's concrete counterexample drives the repair (Dafny not called)"),
    ("find", "cheating candidates (`assume`, a weakened ensures) are refused by the guard"),
)


def demo_dir() -> Path:
    return Path(str(resources.files("verifier") / "demo"))


@click.command("demo")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("proofroute-out"),
              show_default=True, help="Where the verified artifacts go.")
@click.option("--validate", type=click.IntRange(min=0), default=20, show_default=True,
              help="Inputs for the translation check against Dafny's JS build (0: skip).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def command(out: Path, validate: int, as_json: bool) -> None:
    """Run generate on bundled example specs with RECORDED model replies (a replay)."""
    err = console(stderr=True)
    base = demo_dir()
    outcomes: list[Outcome] = []
    err.print("[bold]proofroute demo — REPLAY of recorded model replies; no model is called.[/bold]\n"
              "The guard, the quick test (sandbox), Dafny and the Python translation all run for real.\n",
              highlight=False)
    from verifier.routes import open_backend

    backend, _ = open_backend("dafny")  # shared: DafnyServer starts and warms once
    try:
        for name, story in SESSIONS:
            spec = base / "specs" / f"{name}.toml"
            session = base / "sessions" / f"{name}.jsonl"
            err.print(f"[bold]== {name}[/bold]: {story}\n   spec {spec}\n   llm  replay:{session}",
                      highlight=False)
            outcomes.append(run_one(spec, f"replay:{session}", out=out, on_event=printer("  "),
                                    validate=validate, backend=backend))
            err.print()
    finally:
        backend.close()
    if as_json:
        echo_json({"ok": all(o.verified for o in outcomes), "replay": True,
                   "results": [o.to_json() for o in outcomes]})
    else:
        out_console = console()
        out_console.print(table(outcomes))
        if all(o.verified for o in outcomes):
            out_console.print(f"Verified Python is in {out.resolve()}/ :", highlight=False)
            for o in outcomes:
                out_console.print(f"  {o.directory}/{o.spec}.py", highlight=False)
            out_console.print(f"Re-check them with: proofroute recheck {out}/*", highlight=False)
    sys.exit(0 if all(o.verified for o in outcomes) else 1)
