"""The CLI's trust boundaries, through the real `proofroute` command.

- `generate` with a spec named `../esc` (and other path-like names) and `--out DIR` writes
  nothing outside DIR and exits non-zero with an error that names the problem.
- `recheck` re-verifies from scratch: after every entry of the on-disk result cache has
  been flipped to `refuted`, a good artifact still rechecks as verified (a recheck that
  answered from the cache would now fail).
- `compile` refuses a Dafny file that does not verify (non-zero, a clear message, no
  output file) unless `--unverified` is given, and then the header does not claim
  "verified".
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "http"))

import hostile as H

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


def proofroute(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROOFROUTE_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "verifier", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def _area(tmp_path: Path) -> dict[str, Path]:
    paths = {k: tmp_path / k for k in ("cwd", "parent", "cache")}
    for p in paths.values():
        p.mkdir()
    paths["out"] = paths["parent"] / "out"
    paths["out"].mkdir()
    (paths["cwd"] / "replies.jsonl").write_text(H.replies_jsonl(H.ABS_REPLY))
    return paths


@pytest.mark.parametrize("case", ["dotdot_escape", "absolute", "slash", "dotdot",
                                  "deep_dotdot", "backslash", "shell_subst", "empty"])
def test_generate_with_a_pathlike_name_writes_nothing_outside_out(case: str, tmp_path: Path) -> None:
    p = _area(tmp_path)
    name = H.PATHLIKE_NAMES[case]
    (p["cwd"] / "spec.toml").write_text(H.spec_toml(name))
    before = H.snapshot(tmp_path)
    proc = proofroute("generate", "spec.toml", "--llm", "replay:replies.jsonl", "--out",
                      str(p["out"]), "--validate", "0", "--attempts", "1",
                      cwd=p["cwd"], cache=p["cache"])
    created = H.snapshot(tmp_path) - before
    created = {c for c in created if not c.startswith((str(p["cache"]), str(p["cwd"] / ".hypothesis")))}
    escaped = H.outside(created, p["out"]) + H.token_paths()
    assert escaped == [], f"{case}: written outside --out: {escaped}"
    assert proc.returncode != 0, f"{case}: generate accepted the name {name!r}: {proc.stdout[-500:]}"
    message = (proc.stderr + proc.stdout).lower()
    assert "name" in message, f"{case}: the error does not say what is wrong: {message[-500:]}"
    assert "traceback" not in message, f"{case}: a crash, not a clear error: {message[-800:]}"


def test_generate_writes_only_inside_out(tmp_path: Path) -> None:
    """Control for the name attacks, and the promise itself: an honest run writes its
    artifact under --out and nothing in the cwd or beside --out (not even a property-test
    database)."""
    p = _area(tmp_path)
    (p["cwd"] / "spec.toml").write_text(H.spec_toml("abs_value"))
    before = H.snapshot(tmp_path)
    proc = proofroute("generate", "spec.toml", "--llm", "replay:replies.jsonl", "--out",
                      str(p["out"]), "--validate", "0", cwd=p["cwd"], cache=p["cache"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    created = {c for c in H.snapshot(tmp_path) - before if not c.startswith(str(p["cache"]))}
    assert (p["out"] / "abs_value").is_dir()
    assert H.outside(created, p["out"]) == [], "written outside --out"


def _flip_verdicts(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _flip_verdicts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_flip_verdicts(v) for v in value]
    return "refuted" if value == "verified" else value


def test_recheck_does_not_answer_from_a_tampered_cache(tmp_path: Path) -> None:
    p = _area(tmp_path)
    (p["cwd"] / "spec.toml").write_text(H.spec_toml("abs_value"))
    made = proofroute("generate", "spec.toml", "--llm", "replay:replies.jsonl", "--out",
                      str(p["out"]), "--validate", "0", cwd=p["cwd"], cache=p["cache"])
    assert made.returncode == 0, made.stderr[-2000:]
    artifact = p["out"] / "abs_value"
    first = proofroute("recheck", str(artifact), "--no-tests", "--json", cwd=p["cwd"],
                       cache=p["cache"])
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    entries = [f for f in p["cache"].rglob("*.json")]
    for entry in entries:
        try:
            data = json.loads(entry.read_text())
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        entry.write_text(json.dumps(_flip_verdicts(data)))
    second = proofroute("recheck", str(artifact), "--no-tests", "--json", cwd=p["cwd"],
                        cache=p["cache"])
    assert second.returncode == 0, (
        f"recheck trusted a tampered result cache ({len(entries)} entries flipped to "
        f"'refuted'):\n{second.stdout[-1500:]}\n{second.stderr[-800:]}")


NOT_VERIFYING = """method Inc(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x;
}
"""
# `{:verify false}` rather than `assume`: Dafny's own compiler refuses `assume`, so the
# translator does too (at its position), whereas a switched-off proof still compiles.
CHEATING = """method {:verify false} Inc(x: int) returns (y: int)
  ensures y == x + 2
{
  y := x;
}
"""
HEADER_CLAIMS_VERIFIED = re.compile(r"(?i)(?<!not )(?<!un)\bverified\b")


@pytest.mark.parametrize("program", ["not_verifying", "cheating"])
def test_compile_refuses_a_program_that_does_not_verify(program: str, tmp_path: Path) -> None:
    p = _area(tmp_path)
    src = p["cwd"] / f"{program}.dfy"
    src.write_text(NOT_VERIFYING if program == "not_verifying" else CHEATING)
    out = p["cwd"] / "out.py"
    proc = proofroute("compile", src.name, "-o", str(out), cwd=p["cwd"], cache=p["cache"])
    assert proc.returncode != 0, f"compile accepted a program that does not verify:\n{proc.stdout[:600]}"
    assert "verif" in (proc.stderr + proc.stdout).lower(), proc.stderr[-800:]
    assert "traceback" not in (proc.stderr + proc.stdout).lower(), proc.stderr[-1500:]
    assert not out.exists() or "Translated from verified" not in out.read_text()


@pytest.mark.parametrize("program", ["not_verifying", "cheating"])
def test_compile_unverified_says_so_in_the_header(program: str, tmp_path: Path) -> None:
    p = _area(tmp_path)
    src = p["cwd"] / f"{program}.dfy"
    src.write_text(NOT_VERIFYING if program == "not_verifying" else CHEATING)
    out = p["cwd"] / "out.py"
    proc = proofroute("compile", src.name, "--unverified", "-o", str(out), cwd=p["cwd"],
                      cache=p["cache"])
    assert proc.returncode == 0, f"`compile --unverified` failed: {proc.stderr[-1500:]}"
    text = out.read_text()
    header = "\n".join(line for line in text.splitlines()[:15] if line.startswith("#")
                       or line.startswith('"""') or not line.strip() or "verif" in line.lower())
    assert not HEADER_CLAIMS_VERIFIED.search(header), (
        f"the header of an unverified translation claims it is verified:\n{header}")
    assert "def Inc" in text


def test_compile_control_a_verified_program_compiles(tmp_path: Path) -> None:
    p = _area(tmp_path)
    (p["cwd"] / "abs.dfy").write_text(H.ABS_OK)
    proc = proofroute("compile", "abs.dfy", "-o", "abs.py", cwd=p["cwd"], cache=p["cache"])
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert "def Abs" in (p["cwd"] / "abs.py").read_text()
