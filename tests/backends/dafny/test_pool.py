"""The warm pool gives plain Dafny's verdicts: it keeps only clean successes (cross-checked
against the Boogie program the server prints) and parse errors, and sends everything else
to the cold CLI. Regression for DafnyServer refuting programs plain Dafny verifies (it
always verifies in Boogie's snapshot mode). Real Dafny."""

from __future__ import annotations

import shutil

import pytest
from verifier.backends.dafny import DafnyBackend
from verifier.backends.dafny.output import parse_output, split_server_answer
from verifier.backends.dafny.server import DafnyServer
from verifier.backends.dafny.toolchain import discover

from verifier.results import Verdict

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dafny,
    pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed"),
]

# Counting the members of a set below a bound, one member at a time: plain Dafny 2.3
# verifies it; DafnyServer reports the loop invariant as not maintained.
SERVER_REFUTES = """method BelowCount(s: set<int>, bound: int) returns (n: int)
  ensures n == Below(s, bound)
{
  n := 0;
  var todo := s;
  var seen: set<int> := {};
  while |todo| > 0
    decreases todo
    invariant todo + seen == s
    invariant todo !! seen
    invariant n == Below(seen, bound)
  {
    var x: int :| x in todo;
    todo := todo - {x};
    var seen' := seen + {x};
    assert (set y | y in seen' && y < bound) ==
           (set y | y in seen && y < bound) + if x < bound then {x} else {};
    seen := seen + {x};
    if x < bound {
      n := n + 1;
    }
  }
}

function Below(s: set<int>, bound: int): nat { |set x | x in s && x < bound| }
"""
SKIPPED = (
    "lemma {:verify false} Never() ensures false {}\nmethod Use() ensures 1 == 2 { Never(); }\n"
)
GOOD = "class Acc { var total: int\n  method add_one() modifies this ensures total == old(total) + 1 { total := total + 1; } }\n"


def test_the_server_alone_refutes_what_plain_dafny_verifies() -> None:
    """The premise of the fall-back: if this starts failing, DafnyServer changed."""
    tc = discover()
    assert tc.server is not None
    server = DafnyServer(tc.server)
    try:
        args = tc.dialect.server_args(time_limit=20, z3=tc.z3)
        answer = parse_output(
            server.request(SERVER_REFUTES, args, filename="b.dfy", wall_seconds=60)
        )
    finally:
        server.close()
    assert any(p.status != "verified" for p in answer.procedures)


def test_warm_gives_plain_dafnys_verdict_where_the_server_refutes(warm: DafnyBackend) -> None:
    with DafnyBackend(cache=False, cold=True) as cold:
        c = cold.check(SERVER_REFUTES, timeout=20, filename="below.dfy")
    w = warm.check(SERVER_REFUTES, timeout=20, filename="below.dfy")
    assert c.verdict is Verdict.VERIFIED, c.diagnostics
    assert w.verdict is Verdict.VERIFIED, w.diagnostics
    assert [o.name for o in w.obligations] == [o.name for o in c.obligations]


def test_warm_success_is_cross_checked_against_the_printed_boogie_program(
    warm: DafnyBackend,
) -> None:
    good = warm.check(GOOD, timeout=20, filename="acc.dfy")
    assert good.verdict is Verdict.VERIFIED, good.diagnostics
    skipped = warm.check(SKIPPED, timeout=20, filename="skip.dfy")
    assert skipped.verdict is Verdict.UNKNOWN
    assert any(
        d.kind == "crosscheck" and "Impl$$_module.__default.Never" in d.message and d.line == 1
        for d in skipped.diagnostics
    ), skipped.diagnostics


def test_server_answer_splits_into_output_and_one_program_per_module() -> None:
    tc = discover()
    assert tc.server is not None
    source = "module A { lemma L() ensures true {} }\nmethod M() { assert 1 < 2; }\n"
    server = DafnyServer(tc.server)
    try:
        args = tc.dialect.server_args(time_limit=20, z3=tc.z3, boogie=True)
        text, programs = split_server_answer(
            server.request(source, args, filename="s.dfy", wall_seconds=60)
        )
    finally:
        server.close()
    assert len(programs) == 2
    assert all("implementation" in p for p in programs)
    parsed = parse_output(text)
    assert not parsed.unrecognized
    assert sorted(p.boogie_name for p in parsed.procedures) == [
        "Impl$$_0_A.__default.L",
        "Impl$$_module.__default.M",
    ]


def test_a_warm_failure_is_confirmed_cold_and_gets_the_servers_model(warm: DafnyBackend) -> None:
    bad = "method Add4(x: int) returns (y: int) requires x > 0 ensures y != 7 { y := x + 4; }\n"
    r = warm.check(bad, timeout=20, filename="add4.dfy")
    assert r.verdict is Verdict.REFUTED
    assert [(d.line, d.kind) for d in r.diagnostics if d.kind == "postcondition"] == [
        (1, "postcondition")
    ]
    assert r.counterexample is not None and r.counterexample.inputs == {"x": 3}
