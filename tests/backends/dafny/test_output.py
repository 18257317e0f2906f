"""Output reading on recorded Dafny 2.3 outputs (CLI with /trace, and DafnyServer)."""

from __future__ import annotations

from pathlib import Path

from verifier.backends.dafny.output import display_name, mark_bad_input, parse_output

from verifier.results import Severity

RECORDED = Path(__file__).parent / "recorded"


def read(name: str) -> str:
    return (RECORDED / name).read_text("utf-8")


def test_every_error_kind_with_positions_codes_related_and_traces() -> None:
    parsed = parse_output(read("cli_all_kinds.txt"), filename="prog.dfy")
    errors = [(d.kind, d.line, d.col, d.code) for d in parsed.diagnostics if d.severity == Severity.ERROR]
    assert errors == [
        ("postcondition", 3, 1, "BP5003"),
        ("invariant-maintained", 7, 17, "BP5005"),
        ("invariant-entry", 17, 17, "BP5004"),
        ("assertion", 3, 12, None),
        ("precondition", 7, 15, "BP5002"),
        ("termination", 3, 3, None),
        ("index", 3, 9, None),
        ("division", 4, 53, None),
    ]
    post = parsed.diagnostics[0]
    assert post.file == "prog.dfy"
    assert [(r.line, r.col, r.message) for r in post.related] == [
        (2, 13, "This is the postcondition that might not hold.")
    ]
    assert post.trace == ("(0,0): anon0",)
    assert parsed.diagnostics[1].trace == ("(0,0): anon0", "inv.dfy(5,2): anon3_LoopHead")
    warnings = [d for d in parsed.diagnostics if d.severity == Severity.WARNING]
    assert [(w.kind, w.line, w.col) for w in warnings] == [("warning", 2, 5)]
    assert parsed.z3_noise and not parsed.unrecognized and not parsed.failures
    assert parsed.summary is not None and (parsed.summary.verified, parsed.summary.errors) == (3, 8)


def test_timeout_lines() -> None:
    parsed = parse_output(read("cli_timeout.txt"), filename="to.dfy")
    kinds = [(d.kind, d.line, d.col) for d in parsed.diagnostics]
    assert kinds == [("timeout", 1, 7), ("timeout", 4, 1)]
    assert parsed.diagnostics[1].code == "BP5003"
    assert parsed.diagnostics[1].related[0].line == 3
    assert [p.status for p in parsed.procedures] == ["timed out"]
    assert parsed.summary is not None and parsed.summary.timeouts == 1
    assert not parsed.unrecognized


def test_out_of_resource() -> None:
    parsed = parse_output(read("cli_out_of_resource.txt"))
    assert [d.kind for d in parsed.diagnostics] == ["resource"]
    assert [p.status for p in parsed.procedures] == ["out of resource"]
    assert parsed.failures  # the prover's PING error is kept as a failure, not dropped


def test_parse_and_resolution_errors() -> None:
    parsed = mark_bad_input(parse_output(read("cli_parse.txt"), filename="p.dfy"))
    assert [(d.kind, d.line, d.col, d.message) for d in parsed.diagnostics] == [
        ("parse", 3, 11, "invalid UnaryExpression")
    ]
    parsed = mark_bad_input(parse_output(read("cli_resolution.txt")))
    assert [d.kind for d in parsed.diagnostics] == ["resolution", "resolution"]
    assert parsed.resolution_errors == 2


def test_server_output_with_tooltips_cache_lines_and_related_messages() -> None:
    parsed = parse_output(read("server_mixed.txt"), filename="x.dfy")
    assert not parsed.unrecognized, parsed.unrecognized
    assert [(p.display_name, p.status, p.obligations) for p in parsed.procedures] == [
        ("CountUp", "error", 9),
        ("Other", "verified", 2),
    ]
    assert [d.kind for d in parsed.diagnostics] == ["invariant-entry", "postcondition"]
    assert parsed.diagnostics[0].related[0].message == "loop invariant violation"
    assert [r.line for r in parsed.diagnostics[1].related] == [24, 3]


def test_boogie_phase_timings_are_ignored() -> None:
    parsed = parse_output("Verifying X ...\nLinearising   [0.59 s]\n  [0.12 s]\nLinearising...\n")
    assert parsed.unrecognized == ()


def test_garbage_is_unrecognized_not_ignored() -> None:
    parsed = parse_output("hello from a broken server\nVerifying X ...\n")
    assert parsed.unrecognized == ("hello from a broken server",)


def test_display_names() -> None:
    assert display_name("Impl$$_module.__default.my__meth") == "my_meth"
    assert display_name("CheckWellformed$$Geo.__default.Norm") == "Geo.Norm (well-formedness)"
    assert display_name("Impl$$_module.Counter.Add") == "Counter.Add"
