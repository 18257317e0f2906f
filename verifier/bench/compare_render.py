"""`RunView`s rendered as one Markdown or HTML page with the plots embedded.

Plots are PNGs drawn with matplotlib's Agg backend (no display) and embedded as data
URIs, so the page is one self-contained file to publish. Every y-axis says what it
counts and of what: "tasks solved (% of scored tasks)", not "score".
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from verifier.bench.compare import RunView, fields, group_of, group_values

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Plot:
    title: str
    ylabel: str  # also written under the plot, so the page says what it counts in text
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _figure(width: float) -> Figure:
    """A figure on the Agg backend; matplotlib is loaded only when a page is drawn (it
    costs the CLI half a second of start-up otherwise)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, 4), dpi=100)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _curve(runs: Sequence[RunView], title: str, xlabel: str, ylabel: str,
           points: Callable[[RunView], list[tuple[int, float | None]]]) -> Plot:
    figure = _figure(6.4)
    axes = figure.subplots()
    ticks: set[int] = set()
    for run in runs:
        xy = [(x, 100 * y) for x, y in points(run) if y is not None]
        if xy:
            axes.plot([x for x, _ in xy], [y for _, y in xy], marker="o", label=run.label)
            ticks |= {x for x, _ in xy}
    axes.set_xticks(sorted(ticks))
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_ylim(0, 100)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right", fontsize=8)
    axes.set_title(title, fontsize=10)
    return Plot(title, ylabel, _png(figure))


def _bars(runs: Sequence[RunView], field: str) -> Plot:
    values = group_values(runs, field)
    figure = _figure(min(16.0, max(6.4, 0.9 * len(values) * len(runs))))
    axes = figure.subplots()
    width = 0.8 / max(1, len(runs))
    for i, run in enumerate(runs):
        rates = []
        for value in values:
            g = group_of(run, field, value)
            rates.append(100 * g.solved / g.scored if g and g.scored else 0.0)
        axes.bar([j + i * width for j in range(len(values))], rates, width, label=run.label)
    axes.set_xticks([j + width * (len(runs) - 1) / 2 for j in range(len(values))])
    axes.set_xticklabels(values, rotation=20, ha="right", fontsize=8)
    unit = runs[0].unit if runs else "tasks"
    ylabel = f"{unit} solved (% of scored {unit} in the {field.replace('_', ' ')})"
    axes.set_ylabel(ylabel)
    axes.set_ylim(0, 100)
    axes.legend(fontsize=8)
    title = f"solved by {field.replace('_', ' ')}"
    axes.set_title(title, fontsize=10)
    return Plot(title, ylabel, _png(figure))


def plots(runs: Sequence[RunView]) -> list[Plot]:
    unit = runs[0].unit if runs else "tasks"
    out = [
        _curve(runs, "pass@k", "k (samples drawn per task)",
               f"pass@k (% of scored {unit}, unbiased estimator)",
               lambda r: list(r.pass_at_k)),
        _curve(runs, "passed within a attempts", "attempts allowed (first try + repair rounds)",
               "samples passed (% of scored samples)",
               lambda r: list(enumerate(r.by_attempts, start=1))),
    ]  # fmt: skip
    return out + [_bars(runs, field) for field in fields(runs)]


# ---------------------------------------------------------------------------- tables


def tables(runs: Sequence[RunView]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table, shared by both formats."""
    labels = [r.label for r in runs]
    keys = sorted({k for r in runs for k, _ in r.settings})
    settings = [[k, *(dict(r.settings).get(k, "-") for r in runs)] for k in keys]
    settings.append(["toolchain", *(r.toolchain for r in runs)])
    max_k = max((k for r in runs for k, _ in r.pass_at_k), default=0)
    overall = [
        ["scored " + (runs[0].unit if runs else ""), *(str(r.scored) for r in runs)],
        ["solved", *(f"{r.solved} ({_pct(r.rate)})" for r in runs)],
        ["samples", *(str(r.samples) for r in runs)],
        *([f"pass@{k}", *(_pct(dict(r.pass_at_k).get(k)) for r in runs)] for k in range(1, max_k + 1)),
        ["set apart", *("; ".join(f"{k} {v}" for k, v in r.set_apart) or "0" for r in runs)],
        ["model time (s)", *(f"{r.llm_seconds:.1f}" for r in runs)],
        ["check time (s)", *(f"{r.check_seconds:.1f}" for r in runs)],
        ["tokens", *(str(r.tokens) for r in runs)],
    ]  # fmt: skip
    out = [("runs: settings and toolchain", ["", *labels], settings),
           ("overall", ["", *labels], overall)]  # fmt: skip
    for field in fields(runs):
        rows = []
        for value in group_values(runs, field):
            cells = []
            for run in runs:
                g = group_of(run, field, value)
                cells.append("-" if g is None else
                             f"{g.solved}/{g.scored} ({_pct(g.solved / g.scored if g.scored else None)}), "
                             f"pass@1 {_pct(g.pass_at_1)}")  # fmt: skip
            rows.append([value, *cells])
        out.append((f"by {field.replace('_', ' ')}: solved/scored, pass@1", [field, *labels], rows))
    return out


def markdown(runs: Sequence[RunView]) -> str:
    lines = ["# Benchmark runs compared", ""]
    for title, header, rows in tables(runs):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |",
                  "|" + "---|" * len(header)]  # fmt: skip
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        lines.append("")
    for plot in plots(runs):
        lines += [f"## {plot.title}", "", f"![{plot.title}]({plot.data_uri})", "",
                  f"y-axis: {plot.ylabel}", ""]  # fmt: skip
    return "\n".join(lines)


def page(runs: Sequence[RunView]) -> str:
    esc = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Benchmark runs compared</title>",
             "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto}"
             "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #bbb;"
             "padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}"
             "</style></head><body><h1>Benchmark runs compared</h1>"]  # fmt: skip
    for title, header, rows in tables(runs):
        parts.append(f"<h2>{esc(title)}</h2><table><tr>"
                     + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")  # fmt: skip
        parts += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
    for plot in plots(runs):
        parts.append(f"<h2>{esc(plot.title)}</h2><img alt='{esc(plot.title)}' "
                     f"src='{plot.data_uri}'><p>y-axis: {esc(plot.ylabel)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
