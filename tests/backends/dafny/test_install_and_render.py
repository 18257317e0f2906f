"""`install` (real pip download + npm install into a fresh folder, then idempotent) and the
compiler-style renderer (pure)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from verifier.backends.dafny.install import install, node_dir, z3_path

from verifier.cli.render import render_check
from verifier.results import CheckResult, Counterexample, Diagnostic, Obligation, Severity, Verdict


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed")
def test_install_into_a_fresh_folder_then_idempotent(tmp_path) -> None:
    logs: list[str] = []
    install(tmp_path, logs.append)
    z3 = z3_path(tmp_path)
    out = subprocess.run([str(z3), "--version"], capture_output=True, text=True, check=True)
    assert "4.8.5" in out.stdout
    assert (node_dir(tmp_path) / "node_modules" / "bignumber.js" / "package.json").is_file()
    logs.clear()
    install(tmp_path, logs.append)
    assert sum("already" in line for line in logs) == 2, logs


def test_render_check_compiler_style() -> None:
    src = "method M(x: int) returns (y: int)\n\tensures y > x\n{\n  y := x;\n}\n"
    related = Diagnostic(kind="related", message="the postcondition", severity=Severity.INFO, file="m.dfy", line=2, col=12)
    diag = Diagnostic(
        kind="postcondition",
        message="A postcondition might not hold on this return path.",
        file="m.dfy",
        line=3,
        col=1,
        code="BP5003",
        related=(related,),
        counterexample=Counterexample(inputs={"x": -1}),
    )
    result = CheckResult(
        verdict=Verdict.REFUTED,
        diagnostics=(diag,),
        obligations=(Obligation("M", Verdict.REFUTED),),
        toolchain="dafny",
        toolchain_version="2.3.0",
        seconds=0.5,
    )
    lines = render_check(result, src, "m.dfy").splitlines()
    assert lines[0] == "m.dfy:3:1: error: A postcondition might not hold on this return path. [postcondition BP5003]"
    assert lines[1:3] == ["    {", "    ^"]
    assert lines[3] == "  m.dfy:2:12: note: the postcondition [related]"
    # the tab before `ensures` is widened the same way in the text and under the caret
    assert lines[4] == "          ensures y > x" and lines[5] == "      " + " " * 14 + "^"
    assert lines[6] == "    counterexample (solver model, a hint until executed): x = -1"
    assert lines[-1].startswith("m.dfy: REFUTED — 1 obligation(s): 1 refuted (not verified: M); dafny 2.3.0")
    assert "\x1b[" not in "\n".join(lines) and "\x1b[" in render_check(result, src, "m.dfy", color=True)
