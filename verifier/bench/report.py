"""`proofroute bench report DIR`: tables and a plot from a results directory.

Reads only the records (never re-checks), so a report of a run in progress or of an
interrupted one is always possible; the PNG is drawn with matplotlib's Agg backend so
no display is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.bench.scoring import by_field, rate_by_attempts, summarize
from verifier.bench.store import RESULTS_FILE, ResultsError, ResultsStore

PLOT_FILE = "proof_rate_by_attempts.png"


@dataclass(frozen=True)
class Report:
    directory: str
    manifest: dict[str, Any]
    summary: dict[str, Any]
    by_difficulty: dict[str, dict[str, Any]]
    by_assurance_level: dict[str, dict[str, Any]]
    by_attempts: dict[str, list[Any]]
    plot: str | None


def build_report(directory: Path | str, *, plot: bool = True) -> Report:
    directory = Path(directory)
    if not (directory / RESULTS_FILE).exists():
        raise ResultsError(
            f"{directory}: no {RESULTS_FILE} here",
            hint="give the --out directory of a `proofroute bench fvapps` run",
        )
    store = ResultsStore(directory)
    records = list(store)
    manifest = store.manifest()
    attempts = max(
        [int(manifest.get("attempts") or 1), *(int(r.get("attempts") or 0) for r in records)]
    )
    curve = rate_by_attempts(records, attempts)
    plot_path = write_plot(curve, directory / PLOT_FILE, title=_title(manifest)) if plot else None
    return Report(
        directory=str(directory),
        manifest=manifest,
        summary=summarize(records),
        by_difficulty=by_field(records, "difficulty"),
        by_assurance_level=by_field(records, "assurance_level"),
        by_attempts=curve,
        plot=str(plot_path) if plot_path else None,
    )


def _title(manifest: dict[str, Any]) -> str:
    llm = manifest.get("llm") or "model"
    data = Path(str(manifest.get("data") or "FVAPPS")).name
    return f"{llm} on {data}"


def write_plot(curve: dict[str, list[Any]], path: Path, *, title: str) -> Path:
    """Proof rate (and definitions pass rate) against the number of attempts allowed."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 4), dpi=100)
    axes = figure.subplots()
    attempts = curve["attempts"]
    for key, label, marker in (
        ("theorems", "theorems proved", "o"),
        ("definitions", "definitions pass units", "s"),
    ):
        values = [v if v is not None else float("nan") for v in curve[key]]
        axes.plot(attempts, [100 * v for v in values], marker=marker, label=label)
    axes.set_xlabel("attempts allowed (first try + repair rounds)")
    axes.set_ylabel("share of samples (%)")
    axes.set_ylim(0, 100)
    axes.set_xticks(attempts)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right")
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    figure.savefig(tmp, format="png")
    tmp.replace(path)
    return path
