"""Run the real Dafny's resolver over rendered contracts (the I/O edge of `spec check`).

Several specs go through one Dafny process: each contract is wrapped in its own module
(so equal names in different specs cannot clash) and written to its own file, and every
diagnostic maps back through the renderer's line origins to the spec's TOML position.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from verifier.backends.dafny.dialect import DAFNY2, Dialect, dialect_for_version
from verifier.specs import model as m
from verifier.translators.spec_dafny import LineOrigin, render_dafny_mapped

from verifier.errors import SpecError, ToolchainMissing

log = logging.getLogger(__name__)

_DIAG = re.compile(r"^(?P<file>[^()\n]+\.dfy)\((?P<line>\d+),(?P<col>\d+)\): (?P<msg>.*)$")
_VERSION = re.compile(r"Dafny (\d+\.\d+[\d.]*)")
INSTALL_HINT = "install Dafny (Debian/Ubuntu: `sudo apt-get install -y dafny`), or put `dafny` on PATH"


@dataclass(frozen=True)
class DafnyTool:
    path: str
    version: str
    dialect: Dialect


@dataclass(frozen=True)
class ResolveProblem:
    """One Dafny diagnostic about a rendered contract, located in the spec file."""

    spec_index: int
    message: str
    file: str | None
    line: int
    col: int
    where: str  # "ensures[0]", "helper Sum", or "contract"
    warning: bool = False  # Dafny's own warning (`/!\ No terms found to trigger on`), not an error


def find_dafny() -> DafnyTool:
    path = os.environ.get("PROOFROUTE_DAFNY") or shutil.which("dafny")
    if not path:
        raise ToolchainMissing("dafny was not found on PATH", hint=INSTALL_HINT)
    try:
        proc = subprocess.run(
            [path, "/version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolchainMissing(f"cannot run {path}: {exc}", hint=INSTALL_HINT) from None
    found = _VERSION.search(proc.stdout + proc.stderr)
    version = found.group(1) if found else "unknown"
    return DafnyTool(path, version, dialect_for_version(version) if found else DAFNY2)


def resolve_specs(
    specs: Sequence[m.Spec], *, tool: DafnyTool | None = None, timeout: float = 120.0
) -> list[ResolveProblem]:
    """Resolve every spec's rendered contract with `/dafnyVerify:0` in one Dafny run."""
    if not specs:
        return []
    tool = tool or find_dafny()
    problems: list[ResolveProblem] = []
    with tempfile.TemporaryDirectory(prefix="proofroute-spec-") as tmp:
        files: list[str] = []
        origins: dict[int, tuple[LineOrigin, ...]] = {}  # by spec index (a spec that does not render has none)
        for i, spec in enumerate(specs):
            try:
                text, lines = render_dafny_mapped(spec, tool.dialect)
            except SpecError as err:  # a construct this Dafny cannot express (seq(n, ...) with old in 2.3)
                loc = err.location
                problems.append(ResolveProblem(i, f"{err.message}; {err.hint}", loc.file if loc else spec.source,
                                               loc.line if loc else 1, loc.col if loc else 1, "contract"))
                continue
            name = f"spec{i}.dfy"
            Path(tmp, name).write_text(f"module ProofrouteSpec{i} {{\n{text}}}\n", "utf-8")
            files.append(name)
            origins[i] = lines
        if not files:
            return problems
        cmd = [tool.path, "/nologo", "/compile:0", "/dafnyVerify:0", *files]
        try:
            proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ToolchainMissing(
                f"dafny did not finish resolving {len(files)} file(s) within {timeout:.0f} s",
                hint="the machine may be overloaded; retry, or check `proofroute doctor`",
            ) from None
        output = proc.stdout + proc.stderr
        seen_files: set[int] = set()
        for raw in output.splitlines():
            d = _DIAG.match(raw.strip())
            if not d:
                continue
            fname = Path(d["file"]).name
            if fname not in files:
                continue
            idx = int(fname.removeprefix("spec").removesuffix(".dfy"))
            seen_files.add(idx)
            line = int(d["line"]) - 1  # the module line we added
            col = int(d["col"]) + 1  # Dafny columns are 0-based
            problem = _locate(idx, specs[idx], origins[idx], line, col, d["msg"])
            problems.append(replace(problem, warning=d["msg"].startswith("Warning:")))
        if proc.returncode not in (0, 2) or (proc.returncode == 2 and not problems):
            detail = output.strip().splitlines()[-3:] if output.strip() else ["no output"]
            for i in origins:
                spec = specs[i]
                problems.append(ResolveProblem(
                    i, f"dafny exited with code {proc.returncode}: {' | '.join(detail)}",
                    spec.source, spec.span.line, spec.span.col, "contract",
                ))
    return problems


def _locate(idx: int, spec: m.Spec, origins: tuple[LineOrigin, ...], line: int, col: int, msg: str) -> ResolveProblem:
    best = None
    for o in origins:
        if o.line == line:
            best = o
    if best is None:
        return ResolveProblem(idx, f"Dafny (rendered line {line}): {msg}", spec.source, spec.span.line, spec.span.col, "contract")
    offset = max(col - best.col, 0)
    sp = best.span
    if best.where == "signature":  # re-rendered: columns differ from the spec's text
        return ResolveProblem(idx, f"Dafny: {msg}", sp.file, sp.line, sp.col, best.where)
    if "\n" not in best.text and offset <= len(best.text):
        return ResolveProblem(idx, f"Dafny: {msg}", sp.file, sp.line, sp.col + offset, best.where)
    return ResolveProblem(idx, f"Dafny: {msg}", sp.file, sp.line, sp.col, best.where)
