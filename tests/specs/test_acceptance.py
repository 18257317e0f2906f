"""The issue's acceptance check, played by an outside user: specs written from
docs/spec-format.md alone (tests/specs/acceptance/) get exactly the verdicts in their
headers from the real `proofroute spec check --json`, at the exact positions, with the
right exit code and caret display; their `spec show --to dafny` resolves in the real
Dafny; the Python predicates and z3 agree on their examples.

Header lines of an acceptance spec:

    # expect: <severity> <code> [<line>:<col> ["<text at that column>"]] [~ <regex on the message>]
    # exit: <exit code of `spec check` on this file alone>

A file without `# expect:` lines must come out without any finding at all.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from verifier.specs import model as m
from verifier.specs.check import CheckOptions, Finding, check_paths
from verifier.specs.loader import load_spec
from verifier.translators.spec_dafny import render_dafny
from verifier.translators.spec_python import compile_predicates
from verifier.translators.spec_z3 import concrete_bool, encode_concrete, output_types

HERE = Path(__file__).parent / "acceptance"
FILES = sorted(HERE.glob("*.toml"))
VALID = [p for p in FILES if p.name.startswith("v")]
ROOT = Path(__file__).resolve().parents[2]

_EXPECT = re.compile(
    r'^(?P<sev>error|warning|info) (?P<code>[\w-]+)'
    r'(?: (?P<line>\d+):(?P<col>\d+)(?: "(?P<text>(?:[^"\\]|\\.)*)")?)?'
    r"(?: ~ (?P<regex>.*))?$"
)


@dataclass(frozen=True)
class Expect:
    severity: str
    code: str
    line: int | None
    col: int | None
    text: str | None
    regex: str | None

    def matches(self, rec: dict[str, Any]) -> bool:
        return (
            rec["severity"] == self.severity and rec["code"] == self.code
            and (self.line is None or (rec["line"], rec["col"]) == (self.line, self.col))
            and (self.regex is None or re.search(self.regex, rec["message"]) is not None)
        )


def expectations(path: Path) -> tuple[list[Expect], int]:
    expects: list[Expect] = []
    exit_code = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("# expect:"):
            found = _EXPECT.match(raw[len("# expect:"):].strip())
            assert found, f"{path.name}: cannot read header line {raw!r}"
            g = found.groupdict()
            text = json.loads(f'"{g["text"]}"') if g["text"] is not None else None
            expects.append(Expect(g["sev"], g["code"], int(g["line"]) if g["line"] else None,
                                  int(g["col"]) if g["col"] else None, text, g["regex"]))
        elif raw.startswith("# exit:"):
            exit_code = int(raw.split(":", 1)[1])
    return expects, exit_code


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "verifier", "spec", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300, check=False)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def cli_records() -> dict[str, list[dict[str, Any]]]:
    """One real `proofroute spec check --json` over every acceptance spec (real Dafny, z3)."""
    proc = _cli("check", "--json", *(_rel(p) for p in FILES))
    assert proc.returncode == 2, proc.stderr  # b01 is unreadable: the worst code wins
    out: dict[str, list[dict[str, Any]]] = {_rel(p): [] for p in FILES}
    for rec in json.loads(proc.stdout)["findings"]:
        assert set(rec) >= {"severity", "code", "message", "file", "line", "col"}, rec
        assert rec["severity"] == "info" or rec.get("hint"), f"no hint on how to fix: {rec}"
        out[rec["file"]].append(rec)
    return out


def test_the_acceptance_set_covers_the_issue() -> None:
    kinds = Counter(p.name[0] for p in FILES)
    assert kinds["v"] >= 12 and kinds["b"] >= 10 and kinds["s"] >= 8, kinds
    text = "\n".join(p.read_text(encoding="utf-8") for p in VALID)
    for needle in ("int", "nat", "bool", "char", "string", "seq<", "set<", "multiset<", "map<", "array<",
                   "modifies", "old(", "a[..]", ".Length", " / ", " % ", "==>", "<==>", "if ", "forall",
                   "exists", "var ", "..]", "[..", " := ", " !in ", "multiset(", "multiset{", "map[",
                   "seq<seq<int>>", "decreases"):
        assert needle in text, f"no valid acceptance spec uses {needle!r}"


@pytest.mark.dafny
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_cli_verdicts_and_positions(path: Path, cli_records: dict[str, list[dict[str, Any]]]) -> None:
    expects, _ = expectations(path)
    got = list(cli_records[_rel(path)])
    unmatched = []
    for exp in expects:
        hit = next((r for r in got if exp.matches(r)), None)
        if hit is None:
            unmatched.append(exp)
        else:
            got.remove(hit)
    assert not unmatched and not got, f"missing {unmatched}; unexpected {got}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_positions_point_at_the_offending_text_and_carets_show_it(path: Path) -> None:
    expects, exit_code = expectations(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for exp in expects:
        if exp.text is not None:
            assert exp.line is not None and exp.col is not None
            assert lines[exp.line - 1][exp.col - 1:].startswith(exp.text), (exp, lines[exp.line - 1])
    findings = check_paths([str(path)], CheckOptions(dafny=False))[str(path)]
    for f in findings:
        rendered = f.render().splitlines()
        assert rendered[0].startswith(f"{path}:{f.line}:{f.col}: {f.severity.value}: ")
        assert rendered[1] == "    " + lines[f.line - 1], "the caret display shows the offending line"
        assert rendered[2] == "    " + " " * (f.col - 1) + "^"
        if f.severity.value != "info":
            assert f.hint, f"{f.code} finding without a hint on how to fix it: {f.message}"
    assert _exit_code(findings) == exit_code


def _exit_code(findings: list[Finding]) -> int:
    if any(f.code in ("toml", "io") for f in findings):
        return 2
    return 1 if any(f.severity.value == "error" for f in findings) else 0


@pytest.mark.parametrize(("name", "code"), [
    ("b01_toml_syntax", 2), ("b17_duplicate_key", 2), ("b03_unknown_name", 1), ("s01_unrealizable_scalar", 1),
    ("s04_underspecified_scalar", 0), ("v01_div_mod", 0),
])
def test_cli_exit_code_and_plain_caret_output(name: str, code: int) -> None:
    path = HERE / f"{name}.toml"
    proc = _cli("check", "--no-dafny", _rel(path))
    assert proc.returncode == code, proc.stdout + proc.stderr
    expects, _ = expectations(path)
    for exp in expects:
        if exp.line is not None:
            head = f"{_rel(path)}:{exp.line}:{exp.col}: {exp.severity}: "
            out = proc.stdout.splitlines()
            idx = next(i for i, ln in enumerate(out) if ln.startswith(head))
            source_line = path.read_text(encoding="utf-8").splitlines()[exp.line - 1]
            assert out[idx + 1] == "    " + source_line
            assert out[idx + 2] == "    " + " " * (exp.col - 1) + "^"
            assert out[idx + 3].startswith("  hint: ")


@pytest.mark.dafny
def test_spec_show_dafny_of_every_loadable_spec_resolves_in_real_dafny(tmp_path: Path) -> None:
    dafny = shutil.which("dafny")
    if dafny is None:
        pytest.fail("dafny is not installed (apt-get install -y dafny); this test needs the real one")
    loadable = []
    for p in FILES:
        try:
            loadable.append((p, load_spec(p)))
        except Exception:  # the broken ones are broken on purpose
            continue
    assert len(loadable) >= 25
    # the CLI prints what render_dafny renders (checked once, through the real command)
    shown = _cli("show", _rel(VALID[0]), "--to", "dafny")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == render_dafny(load_spec(VALID[0])).strip()
    # one module per spec: helper names may repeat across specs, one Dafny run for all
    program = "\n".join(f"module Spec_{p.stem} {{\n{render_dafny(s)}\n}}" for p, s in loadable)
    (tmp_path / "all.dfy").write_text(program, encoding="utf-8")
    proc = subprocess.run([dafny, "/nologo", "/compile:0", "/dafnyVerify:0", "all.dfy"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error" not in proc.stdout.lower(), proc.stdout


def _mutate(value: Any, t: m.Type, rnd: random.Random) -> Any:
    if isinstance(t, (m.IntType, m.NatType)):
        return value + 1
    if isinstance(t, m.BoolType):
        return not value
    if isinstance(value, str):
        return value + "a" if rnd.random() < 0.5 else value[1:]
    if isinstance(value, list):
        return [*value, 0] if rnd.random() < 0.5 or not value else value[1:]
    if isinstance(value, frozenset):
        return value | {99}
    if isinstance(value, Counter):
        return value + Counter({7: 1})
    if isinstance(value, dict):
        return {k: _mutate(v, t.value, rnd) for k, v in value.items()} if isinstance(t, m.MapType) else value
    return value


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_python_predicates_and_z3_agree_on_examples_and_mutants(path: Path) -> None:
    spec = load_spec(path)
    preds = compile_predicates(spec)
    outs = output_types(spec)
    rnd = random.Random(path.stem)
    assert spec.examples
    for ex in spec.examples:
        results = [dict(ex.result)] + [
            {**ex.result, k: _mutate(ex.result[k], outs[k], rnd)} for k in sorted(outs) for _ in range(2)
        ]
        for result in results:
            enc = encode_concrete(spec, dict(ex.args), result)
            for i, (text, fn) in enumerate(preds.ensures):
                py = bool(preds.clause_holds(fn, dict(ex.args), dict(result)))
                zv = concrete_bool(enc.clause(i))
                assert zv is not None, f"z3 did not reduce {text!r} to a constant"
                assert py == zv, f"{text!r} at {ex.args} -> {result}: python {py}, z3 {zv}"
        assert preds.post(dict(ex.args), dict(ex.result)), "the example itself must satisfy ensures"
