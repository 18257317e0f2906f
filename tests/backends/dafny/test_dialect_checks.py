"""Command lines the cross-check needs, per dialect (pure)."""

from __future__ import annotations

from verifier.backends.dafny.dialect import DAFNY2, DAFNY4


def test_cold_runs_print_the_boogie_program() -> None:
    argv = DAFNY2.verify_argv(["dafny"], "p.dfy", time_limit=7, z3="/z3", print_file="/b/p.bpl")
    assert argv[-1] == "p.dfy" and "/trace" in argv and "/print:/b/p.bpl" in argv
    assert not any(a.startswith("/mv:") for a in argv)
    argv4 = DAFNY4.verify_argv(["dafny"], "p.dfy", time_limit=7, print_file="/b/p.bpl")
    assert argv4[:3] == ["dafny", "verify", "p.dfy"] and "--bprint:/b/p.bpl" in argv4


def test_warm_requests_ask_the_server_to_print_its_program() -> None:
    assert "/printInstrumented" in DAFNY2.server_args(time_limit=7, boogie=True)
    assert "/printInstrumented" not in DAFNY2.server_args(time_limit=7)
