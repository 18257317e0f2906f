"""Compiler-style text for a CheckResult, shared by every backend's results.

`file:line:col: error: message`, the source line, a caret under the column, related
locations indented below, then one summary line with the verdict and obligations — the
shape editors and CI log parsers already understand. Colour (ANSI) only when asked, so
piped output stays plain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verifier.results import CheckResult, Diagnostic, Severity, Verdict

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_COLORS = {
    "error": "1;31",
    "warning": "1;33",
    "note": "1;36",
    "verified": "1;32",
    "refuted": "1;31",
    "unknown": "1;33",
    "dim": "2",
    "bold": "1",
}


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if color else text


def _label(d: Diagnostic) -> str:
    if d.severity == Severity.ERROR:
        return "error"
    if d.severity == Severity.WARNING:
        return "warning"
    return "note"


def _excerpt(lines: Sequence[str], d: Diagnostic, indent: str, color: bool) -> list[str]:
    if d.line is None or not (1 <= d.line <= len(lines)):
        return []
    text = lines[d.line - 1].rstrip("\r\n").expandtabs(4)
    col = d.col or 1
    raw = lines[d.line - 1]
    # Tabs before the column widen the caret's offset the same way they widen the text.
    prefix = raw[: max(col - 1, 0)].expandtabs(4)
    caret = " " * len(prefix) + "^"
    return [
        f"{indent}{text}",
        f"{indent}{_paint(caret, 'error' if d.severity == Severity.ERROR else 'note', color)}",
    ]


def _where(d: Diagnostic, path: str) -> str:
    parts = [d.file or path]
    if d.line is not None:
        parts.append(str(d.line))
        if d.col is not None:
            parts.append(str(d.col))
    return ":".join(parts)


def render_diagnostic(
    d: Diagnostic, lines: Sequence[str], path: str, *, color: bool = False, indent: str = ""
) -> list[str]:
    label = _label(d)
    tag = f" [{d.kind}{' ' + d.code if d.code else ''}]" if d.kind else ""
    head = f"{indent}{_where(d, path)}: {_paint(label + ':', label, color)} {d.message}"
    out = [head + _paint(tag, "dim", color)]
    same_file = d.file is None or d.file == path
    if same_file:
        out += _excerpt(lines, d, indent + "    ", color)
    for r in d.related:
        out += render_diagnostic(r, lines, path, color=color, indent=indent + "  ")
    if d.counterexample is not None and d.counterexample.inputs:
        values = ", ".join(f"{k} = {v!r}" for k, v in d.counterexample.inputs.items())
        origin = {
            "model": "solver model, a hint until executed",
            "execution": "executed",
            "test": "found by testing",
        }.get(d.counterexample.source, d.counterexample.source)
        out.append(f"{indent}    counterexample ({origin}): {values}")
    for step in [s for s in d.trace if not s.startswith("(0,0)")][:8]:
        out.append(_paint(f"{indent}    trace: {step}", "dim", color))
    return out


def summary_line(result: CheckResult, path: str, *, color: bool = False) -> str:
    verdict = result.verdict.value
    counts: dict[str, int] = {}
    for o in result.obligations:
        counts[o.verdict.value] = counts.get(o.verdict.value, 0) + 1
    if result.obligations:
        parts = [f"{n} {v}" for v, n in sorted(counts.items())]
        obligations = f"{len(result.obligations)} obligation(s): {', '.join(parts)}"
    else:
        obligations = "no obligation checked"
    failed = [o.name for o in result.obligations if o.verdict != Verdict.VERIFIED]
    if failed:
        obligations += f" (not verified: {', '.join(failed[:6])}{', …' if len(failed) > 6 else ''})"
    tool = f"{result.toolchain} {result.toolchain_version or ''}".strip()
    tail = ", ".join(
        x for x in (tool, f"{result.seconds:.2f} s", "cached" if result.cached else "") if x
    )
    return f"{path}: {_paint(verdict.upper(), verdict, color)} — {obligations}; {tail}"


def render_check(result: CheckResult, source_text: str, path: str, *, color: bool = False) -> str:
    """Every diagnostic (errors first, in source order) with excerpts, then the summary."""
    # Lines as the verifiers count them: `\r\n`, `\r` or `\n`. Not str.splitlines(), which
    # also breaks at form feeds, `\x1c`-`\x1e`, `\x85` and U+2028/2029 and would show the
    # wrong source line under every later diagnostic.
    lines = _LINE_BREAK.split(source_text.removeprefix("\ufeff"))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    diags = sorted(
        result.diagnostics,
        key=lambda d: (order.get(d.severity, 3), d.line is None, d.line or 0, d.col or 0),
    )
    out: list[str] = []
    for d in diags:
        out += render_diagnostic(d, lines, path, color=color)
    out.append(summary_line(result, path, color=color))
    return "\n".join(out)
