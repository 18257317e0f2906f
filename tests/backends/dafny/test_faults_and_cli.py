"""Faults (killed, hung, garbage-speaking servers; missing Dafny; odd inputs), the cache,
the JS build and the `proofroute verify` CLI — all against the real toolchain."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from verifier.backends.dafny import DafnyBackend, backend
from verifier.backends.dafny.jsbuild import build_js

from verifier.cli import main
from verifier.errors import ToolchainMissing
from verifier.results import Verdict

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dafny,
    pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed"),
]

GOOD = "method Inc(x: int) returns (y: int) ensures y == x + 1 { y := x + 1; }\n"
BAD = "method Dec(x: int) returns (y: int)\n  ensures y > x\n{\n  y := x - 1;\n}\n"
SLOW = (Path(__file__).resolve().parents[3] / "benchmarks/corpus/dafny/v19_bubble_sort.dfy").read_text()
SERVER = "/usr/lib/dafny/DafnyServer.exe"


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def serves_correctly(b: DafnyBackend) -> None:
    good = b.check(GOOD, timeout=20)
    assert good.verdict is Verdict.VERIFIED, good.diagnostics
    bad = b.check(BAD, timeout=20)
    assert bad.verdict is Verdict.REFUTED, bad.diagnostics


def test_server_killed_mid_request_is_restarted_and_retried(warm: DafnyBackend) -> None:
    pool = warm._get_pool(warm.toolchain())
    assert pool is not None
    pool.warm_up()
    restarts = pool.restarts
    # A fresh method name: the server cannot answer it from its verification cache.
    source = SLOW.replace("BubbleSort", f"BubbleSort{time.monotonic_ns()}")
    box: dict[str, object] = {}
    t = threading.Thread(target=lambda: box.setdefault("r", warm.check(source, timeout=30)))
    t.start()
    busy: list = []
    deadline = time.monotonic() + 10
    while not busy and time.monotonic() < deadline:
        time.sleep(0.2)
        with pool._cond:
            busy = [s for s in pool._all if hasattr(s, "pid") and s not in pool._idle]
    assert busy, "the request finished before it could be interrupted"
    os.killpg(busy[0].pid, 9)
    t.join(120)
    result = box["r"]
    assert result.verdict is Verdict.VERIFIED, result.diagnostics  # type: ignore[attr-defined]
    assert pool.restarts == restarts + 1
    serves_correctly(warm)


def test_warm_up_with_verify_readies_every_server_once() -> None:
    with DafnyBackend(cache=False, jobs=2) as b:
        b.warm_up(verify=True)
        pool = b._get_pool(b.toolchain())
        assert pool is not None
        servers = [s for s in pool._all if hasattr(s, "pid")]
        assert len(servers) == 2 and all(s in pool._answered for s in servers)
        started = time.monotonic()
        b.warm_up(verify=True)  # nothing left to warm: no request is sent
        assert time.monotonic() - started < 0.1
        serves_correctly(b)


def test_warm_ups_at_once_never_wait_on_each_other() -> None:
    # Two loops starting together warm one shared pool: each used to take one server and
    # wait forever for the other's.
    with DafnyBackend(cache=False, jobs=2) as b:
        threads = [threading.Thread(target=b.warm_up, kwargs={"verify": True}, daemon=True)
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads)
        serves_correctly(b)


def test_hung_server_is_killed_and_the_cold_cli_answers(tmp_path, monkeypatch) -> None:
    """A server that hangs is killed at the wall clock and replaced; the check is then
    answered by the cold CLI (deliberate change: it used to be UNKNOWN, but DafnyServer
    hangs on programs plain Dafny verifies, so a hang says nothing about the program)."""
    monkeypatch.setenv("PROOFROUTE_DAFNY_SERVER", script(tmp_path, "hung.sh", "exec sleep 600\n"))
    with DafnyBackend(cache=False, jobs=1) as b:
        started = time.monotonic()
        r = b.check(GOOD, timeout=1)
        assert time.monotonic() - started < 30
        assert r.verdict is Verdict.VERIFIED, r.diagnostics
        assert b._pool is not None and b._pool.restarts == 1


def test_garbage_speaking_server_falls_back_to_a_correct_answer(tmp_path, monkeypatch) -> None:
    body = f"echo 'garbage: not the protocol'\nexec mono {SERVER}\n"
    monkeypatch.setenv("PROOFROUTE_DAFNY_SERVER", script(tmp_path, "garbage.sh", body))
    with DafnyBackend(cache=False, jobs=1) as b:
        serves_correctly(b)


def test_unstartable_server_falls_back_to_cold(monkeypatch) -> None:
    monkeypatch.setenv("PROOFROUTE_DAFNY_SERVER", "/nonexistent/DafnyServer")
    with DafnyBackend(cache=False, jobs=1) as b:
        serves_correctly(b)


def test_dafny_missing(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PROOFROUTE_DAFNY", str(tmp_path / "no-dafny"))
    b = backend()
    info = b.available()
    assert not info.ok and "apt-get install" in (info.hint or "")
    with pytest.raises(ToolchainMissing):
        b.check(GOOD)
    (tmp_path / "p.dfy").write_text(GOOD)
    res = CliRunner().invoke(main, ["verify", str(tmp_path / "p.dfy")])
    assert res.exit_code == 4 and "PROOFROUTE_DAFNY" in res.output


def test_odd_inputs_never_verify(warm: DafnyBackend) -> None:
    empty = warm.check("", timeout=20)
    assert empty.verdict is Verdict.UNKNOWN and "empty" in empty.diagnostics[0].message
    lemma = warm.check("lemma L(x: int)\n  ensures x > x + 1\n", timeout=20)
    assert lemma.verdict is Verdict.UNKNOWN
    assert (lemma.diagnostics[0].kind, lemma.diagnostics[0].line) == ("unsound", 1)
    big = "// " + "x" * 1_000_000 + "\n" + BAD
    r = warm.check(big, timeout=30)
    assert r.verdict is Verdict.REFUTED and r.diagnostics[0].line == 4
    bad_text = warm.check("method M() { var s := \"\udcff\"; }\n")
    assert bad_text.verdict is Verdict.UNKNOWN and bad_text.diagnostics[0].kind == "parse"
    serves_correctly(warm)


def test_timeout_is_unknown(warm: DafnyBackend) -> None:
    fermat = (
        "lemma Fermat3(x: int, y: int, z: int)\n  requires x > 0 && y > 0 && z > 0\n"
        "  ensures x * x * x + y * y * y != z * z * z\n{\n}\n"
    )
    r = warm.check(fermat, timeout=1)
    assert r.verdict is Verdict.UNKNOWN
    assert "timeout" in {d.kind for d in r.diagnostics}


def test_cache_hit_is_fast_and_identical(tmp_path) -> None:
    with DafnyBackend(cache=True, cold=True) as b:
        first = b.check(BAD, timeout=20, filename="bad.dfy")
        started = time.perf_counter()
        hit = b.check(BAD, timeout=20, filename="bad.dfy")
        elapsed = time.perf_counter() - started
    assert hit.cached and not first.cached
    assert elapsed < 0.05
    assert hit.diagnostics == first.diagnostics and hit.verdict is Verdict.REFUTED


def test_js_build_and_calls() -> None:
    src = (
        "method Add(x: int, y: int) returns (r: int, s: seq<int>) ensures r == x + y\n"
        "{ r := x + y; s := [x, y]; }\n"
        "method Fill(a: array<int>, v: int) modifies a\n"
        "{ var i := 0; while i < a.Length invariant 0 <= i <= a.Length { a[i] := v; i := i + 1; } }\n"
        "method Mix(c: char, t: string, b: bool, ss: set<int>, ms: multiset<int>, m: map<int, bool>)\n"
        "  returns (o: string, o2: set<int>, o3: multiset<int>, o4: map<int, bool>, o6: bool)\n"
        "{ o := t + [c]; o2 := ss + {1}; o3 := ms + multiset{2}; o4 := m[5 := true]; o6 := !b; }\n"
        "method Loop(n: int) returns (r: int) decreases * { r := n; while r != 0 decreases * { r := r + 1; } }\n"
    )
    program = build_js(src, timeout=120)
    try:
        big = 10**40
        r = program.call("Add", [{"x": 1, "y": 2}, {"x": big, "y": -5}, {"x": "oops", "y": 1}])
        assert r[0].outputs == {"r": 3, "s": [1, 2]} and r[0].error is None
        assert r[1].outputs == {"r": big - 5, "s": [big, -5]}
        assert r[2].error is not None and "integer" in r[2].error
        (f,) = program.call("Fill", [{"a": [1, 2, 3], "v": 9}])
        assert f.arrays_after == {"a": [9, 9, 9]} and f.outputs == {}
        (m,) = program.call(
            "Mix", [{"c": "x", "t": "ab", "b": True, "ss": [3, 2], "ms": [1, 1], "m": [[1, False]]}]
        )
        assert m.outputs == {
            "o": "abx", "o2": [1, 2, 3], "o3": [1, 1, 2], "o4": [[1, False], [5, True]], "o6": False,
        }
        hung = program.call("Loop", [{"n": 1}], timeout=3)
        assert hung[0].error is not None and "did not finish" in hung[0].error
    finally:
        program.close()


def test_cli_exit_codes_and_output(tmp_path) -> None:
    files = {
        "ok.dfy": GOOD, "bad.dfy": BAD, "cheat.dfy": "lemma L() ensures false\n",
        "parse.dfy": "method M( {\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "latin1.dfy").write_bytes(b"method M() { var s := \"\xff\"; }\n")
    run = CliRunner().invoke
    p = lambda n: str(tmp_path / n)  # noqa: E731
    assert run(main, ["verify", p("ok.dfy")]).exit_code == 0
    res = run(main, ["verify", "--cold", "--no-cache", p("bad.dfy")])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0].startswith(f"{p('bad.dfy')}:3:1: error: A postcondition might not hold")
    assert lines[1].strip() == "{" and lines[2].strip() == "^"
    assert any(":2:13: note:" in ln for ln in lines) and "REFUTED" in lines[-1]
    assert run(main, ["verify", p("cheat.dfy")]).exit_code == 2
    assert run(main, ["verify", p("parse.dfy")]).exit_code == 3
    res = run(main, ["verify", p("latin1.dfy")])
    assert res.exit_code == 3 and "not valid UTF-8" in res.output and ":1:24:" in res.output
    assert run(main, ["verify", p("missing.dfy")]).exit_code == 3
    res = run(main, ["verify", "--json", p("ok.dfy"), p("bad.dfy")])
    data = json.loads(res.output)["results"]
    assert res.exit_code == 1 and [d["verdict"] for d in data] == ["verified", "refuted"]
    assert data[1]["diagnostics"][0]["kind"] == "postcondition"
