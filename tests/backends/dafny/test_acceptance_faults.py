"""Faults played from the outside (issue 3, item 9): the DafnyServer process found through
the OS and killed mid-request (and its z3 killed mid-request), a 1 MB source, a non-UTF-8
file, a missing path, a directory, a missing Dafny through the CLI. Each gives a correct
result or a clear error, never VERIFIED, and the warm pool keeps serving afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from verifier.backends.dafny import DafnyBackend

from verifier.cli import main
from verifier.results import CheckResult, Verdict

GOOD = "method Inc(x: int) returns (y: int)\n  ensures y == x + 1\n{\n  y := x + 1;\n}\n"
BAD = "method Dec(x: int) returns (y: int)\n  ensures y < x\n{\n  y := x + 1;\n}\n"
# Slow enough (a few seconds of z3) that a kill lands while the request is in flight.
SLOW = """
method SortN(a: array<int>)
  modifies a
  ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
  ensures multiset(a[..]) == old(multiset(a[..]))
{
  var n := a.Length;
  while n > 1
    invariant 0 <= n <= a.Length
    invariant forall i, j :: n <= i < j < a.Length ==> a[i] <= a[j]
    invariant forall i, j :: 0 <= i < n <= j < a.Length ==> a[i] <= a[j]
    invariant multiset(a[..]) == old(multiset(a[..]))
  {
    var k := 0;
    while k < n - 1
      invariant 0 <= k < n
      invariant forall i :: 0 <= i < k ==> a[i] <= a[k]
      invariant forall i, j :: n <= i < j < a.Length ==> a[i] <= a[j]
      invariant forall i, j :: 0 <= i < n <= j < a.Length ==> a[i] <= a[j]
      invariant multiset(a[..]) == old(multiset(a[..]))
    {
      if a[k] > a[k + 1] {
        a[k], a[k + 1] := a[k + 1], a[k];
      }
      k := k + 1;
    }
    n := n - 1;
  }
}
"""


def _children(pid: int) -> list[int]:
    """Child pids of `pid`, over all its threads (a child belongs to the thread that
    spawned it, and both the pool and mono spawn from worker threads)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _busy_servers() -> list[tuple[int, int]]:
    """(server pid, z3 pid) for each DafnyServer this test process started that is running
    z3 right now, i.e. is in the middle of a request. Only our own descendants."""
    found = []
    for child in _children(os.getpid()):
        if "DafnyServer" not in _cmdline(child):
            continue
        z3 = [g for g in _children(child) if "z3" in _cmdline(g)]
        if z3:
            found.append((child, z3[0]))
    return found


def _serves_correctly(b: DafnyBackend) -> None:
    good = b.check(GOOD, timeout=20)
    assert good.verdict is Verdict.VERIFIED, good.diagnostics
    bad = b.check(BAD, timeout=20)
    assert bad.verdict is Verdict.REFUTED, bad.diagnostics
    assert [(d.line, d.col, d.kind) for d in bad.errors] == [(3, 1, "postcondition")]


def _kill_mid_request(warm: DafnyBackend, which: str) -> CheckResult:
    # A fresh method name: the server cannot answer from its own verification cache.
    source = SLOW.replace("SortN", f"SortN{time.monotonic_ns()}")
    box: dict[str, CheckResult] = {}
    t = threading.Thread(target=lambda: box.setdefault("r", warm.check(source, timeout=30)))
    t.start()
    busy: list[tuple[int, int]] = []
    deadline = time.monotonic() + 30
    while not busy and time.monotonic() < deadline and t.is_alive():
        time.sleep(0.05)
        busy = _busy_servers()
    assert busy, "the request finished before it could be interrupted"
    server, z3 = busy[0]
    os.kill(server if which == "server" else z3, signal.SIGKILL)
    t.join(180)
    assert not t.is_alive()
    return box["r"]


def test_server_killed_by_pid_mid_request(warm: DafnyBackend) -> None:
    result = _kill_mid_request(warm, "server")
    # Restarted and retried: the right answer, or UNKNOWN — never a wrong one.
    assert result.verdict in (Verdict.VERIFIED, Verdict.UNKNOWN), result.diagnostics
    _serves_correctly(warm)


def test_z3_killed_mid_request_is_never_verified_wrongly(warm: DafnyBackend) -> None:
    result = _kill_mid_request(warm, "z3")
    if result.verdict is Verdict.VERIFIED:
        # Only acceptable if the answer came from a clean retry that really proved it.
        assert result.obligations and all(o.verdict is Verdict.VERIFIED for o in result.obligations)
        assert not result.errors
    else:
        assert result.verdict is Verdict.UNKNOWN, result.diagnostics
    _serves_correctly(warm)


def test_one_megabyte_source_keeps_exact_positions(warm: DafnyBackend) -> None:
    filler = "".join(f"// filler line {i} " + "z" * 90 + "\n" for i in range(10_000))
    source = filler + BAD
    assert len(source.encode()) > 1_000_000
    result = warm.check(source, timeout=30, filename="big.dfy")
    assert result.verdict is Verdict.REFUTED, result.diagnostics
    assert [(d.file, d.line, d.col, d.kind) for d in result.errors] == [
        ("big.dfy", 10_003, 1, "postcondition")
    ]
    _serves_correctly(warm)


def test_bad_paths_and_bytes_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("latin1.dfy").write_bytes(b'method M()\n{\n  var s := "caf\xe9";\n}\n')
    Path("folder.dfy").mkdir()
    runner = CliRunner()
    for name, kind, where in [
        ("latin1.dfy", "parse", (3, 16)),
        ("missing.dfy", "input", (None, None)),
        ("folder.dfy", "input", (None, None)),
    ]:
        res = runner.invoke(main, ["verify", name, "--json"])
        assert res.exit_code == 3, res.output
        [result] = json.loads(res.output)["results"]
        assert result["verdict"] == "unknown"
        [diag] = result["diagnostics"]
        assert (diag["kind"], diag["line"], diag["col"]) == (kind, *where)
        human = runner.invoke(main, ["verify", name])
        assert human.exit_code == 3 and f"{name}" in human.output and "error:" in human.output


def test_missing_dafny_exits_4_with_a_hint_and_the_pool_keeps_serving(
    warm: DafnyBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prog = tmp_path / "ok.dfy"
    prog.write_text(GOOD)
    monkeypatch.setenv("PROOFROUTE_DAFNY", "/nonexistent")
    runner = CliRunner()
    for args in (["--json"], [], ["--cold"]):
        res = runner.invoke(main, ["verify", str(prog), "--no-cache", *args])
        assert res.exit_code == 4, res.output
        assert "apt-get install -y dafny" in res.output and "PROOFROUTE_DAFNY" in res.output
    monkeypatch.delenv("PROOFROUTE_DAFNY")
    _serves_correctly(warm)
