"""The VERIFIED rule on recorded outputs: every doubt is UNKNOWN (pure, no Dafny run)."""

from __future__ import annotations

from pathlib import Path

from verifier.backends.dafny.audit import audit
from verifier.backends.dafny.model import initial_values, parse_models
from verifier.backends.dafny.verdict import RunOutcome, judge

from verifier.results import Verdict

RECORDED = Path(__file__).parent / "recorded"
SRC = "method M(x: int) returns (y: int) ensures y > x { y := x + 1; }\n"


def text(name: str) -> str:
    return (RECORDED / name).read_text("utf-8")


# The program cli_verified.txt and cli_verified.bpl (its Boogie program, cut down to the
# declaration and heading lines the cross-check reads) were recorded from.
VERIFIED_SRC = (
    "class C { method my_meth(x: int) returns (y: int) ensures y > x { y := x + 1; } }\n"
    "function G(x: int): int requires x > 0 { 10 / x }\n"
)


def test_clean_run_is_verified() -> None:
    outcome = RunOutcome(
        text=text("cli_verified.txt"), mode="cold", returncode=0, boogie=(text("cli_verified.bpl"),)
    )
    j = judge(outcome, VERIFIED_SRC, filename="v.dfy")
    assert j.verdict is Verdict.VERIFIED
    assert [(o.name, o.verdict) for o in j.obligations] == [
        ("C.my_meth", Verdict.VERIFIED),
        ("G (well-formedness)", Verdict.VERIFIED),
    ]


def test_clean_run_without_boogie_program_is_unknown() -> None:
    """Without Dafny's Boogie program nothing can be cross-checked (deliberate change:
    a clean report alone was VERIFIED before the cross-check existed)."""
    j = judge(RunOutcome(text=text("cli_verified.txt"), mode="cold", returncode=0), VERIFIED_SRC, filename="v.dfy")
    assert j.verdict is Verdict.UNKNOWN
    assert any(d.kind == "crosscheck" and "Boogie program" in d.message for d in j.diagnostics)


def test_zero_verified_with_exit_zero_is_unknown() -> None:
    out = "\nDafny program verifier finished with 0 verified, 0 errors\n"
    j = judge(RunOutcome(text=out, mode="cold", returncode=0), SRC, filename="v.dfy")
    assert j.verdict is Verdict.UNKNOWN
    assert any("0 verified" in d.message for d in j.diagnostics)


def test_out_of_resource_with_exit_zero_is_unknown() -> None:
    j = judge(RunOutcome(text=text("cli_out_of_resource.txt"), mode="cold", returncode=0), SRC, filename="c.dfy")
    assert j.verdict is Verdict.UNKNOWN
    assert "resource" in {d.kind for d in j.diagnostics}


def test_timeout_is_unknown_not_refuted() -> None:
    j = judge(RunOutcome(text=text("cli_timeout.txt"), mode="cold", returncode=4), SRC, filename="to.dfy")
    assert j.verdict is Verdict.UNKNOWN
    assert [o.verdict for o in j.obligations] == [Verdict.UNKNOWN]


def test_wall_clock_kill_crash_garbage_missing_summary_are_unknown() -> None:
    good = text("cli_verified.txt")
    cases = [
        RunOutcome(text=good, mode="cold", returncode=None, timed_out=True, wall_seconds=7),
        RunOutcome(text=good, mode="cold", returncode=0, crash="killed by signal 9"),
        RunOutcome(text=good + "surprise line\n", mode="cold", returncode=0),
        RunOutcome(text=good.replace("Dafny program verifier finished", "x"), mode="cold", returncode=0),
        RunOutcome(text=good, mode="cold", returncode=1),
        RunOutcome(text=good, mode="warm", crash="server died"),
    ]
    for outcome in cases:
        assert judge(outcome, SRC, filename="v.dfy").verdict is Verdict.UNKNOWN, outcome


def test_cheat_in_source_blocks_verified_even_on_clean_output() -> None:
    cheat = "method M(x: int) returns (y: int) ensures y > x { y := x; assume y > x; }\n"
    j = judge(RunOutcome(text=text("cli_verified.txt"), mode="cold", returncode=0), cheat, filename="v.dfy")
    assert j.verdict is Verdict.UNKNOWN
    assert [(d.kind, d.line, d.col) for d in j.diagnostics if d.kind == "unsound"] == [("unsound", 1, cheat.index("assume") + 1)]


def test_errors_refute_and_bad_input_is_unknown() -> None:
    j = judge(RunOutcome(text=text("cli_all_kinds.txt"), mode="cold", returncode=4), SRC, filename="p.dfy")
    assert j.verdict is Verdict.REFUTED
    j = judge(RunOutcome(text=text("cli_parse.txt"), mode="cold", returncode=2), SRC, filename="p.dfy")
    assert j.verdict is Verdict.UNKNOWN and j.diagnostics[0].kind == "parse"


def test_model_values_for_ints_bools_chars_sequences() -> None:
    models = parse_models(text("model_m.bvd"))
    decls = audit(text("model_m.dfy")).spans
    assert len(models) == 2
    assert initial_values(models[0], decls[0].params) == {"x": 42, "b": True, "c": "z", "s": [7, 7]}
    assert initial_values(models[1], decls[1].params) == {"n": 0}


def test_forall_statement_without_body_is_unsound() -> None:
    out = (
        "fa.dfy(3,2): Warning: note, this forall statement has no body\n"
        "\nVerifying Impl$$_module.__default.L ...\n  [1 proof obligation]  verified\n"
        "\nDafny program verifier finished with 1 verified, 0 errors\n"
    )
    j = judge(RunOutcome(text=out, mode="cold", returncode=0), SRC, filename="fa.dfy")
    assert j.verdict is Verdict.UNKNOWN
    assert [(d.kind, d.line, d.col) for d in j.diagnostics if d.kind == "unsound"] == [("unsound", 3, 3)]
