from __future__ import annotations

from verifier.backends.lean.session import parse_response, request_text

from verifier.results import Severity


def test_framed_answer_with_multiline_and_unicode_texts():
    text1 = "Type mismatch\n  rfl\nhas type ⊢ α"
    text2 = "declaration uses `sorry`"
    data = (
        f"PROOFROUTE-MSG error 3 29 3 32 {len(text1.encode())}\n{text1}\n"
        f"PROOFROUTE-MSG warning 7 8 -1 -1 {len(text2.encode())}\n{text2}\n"
        "PROOFROUTE-DONE\n"
    ).encode()
    out = parse_response(data, 10)
    assert out.stray == ()
    assert out.returncode == 1
    first, second = out.messages
    assert (first.severity, first.line, first.col, first.end_col, first.text) == (
        Severity.ERROR, 3, 30, 33, text1)
    assert second.is_sorry and second.end_line is None


def test_incomplete_or_failed_answer_is_stray():
    out = parse_response(b"PROOFROUTE-FAIL file not found\n")
    assert len(out.stray) == 2 and "incomplete" in out.stray[1]
    assert out.returncode == 0 and out.messages == ()


def test_request_carries_the_budget_in_milliseconds_before_the_path(tmp_path):
    source = tmp_path / "Check0.lean"
    assert request_text(source, 2.5) == f"budget-ms 2500\n{source}\n"
    assert request_text(source, 0.0001).startswith("budget-ms 1\n")  # never 0: no deadline at all


def test_timeout_line_voids_what_the_interrupted_check_reported():
    text = "declaration uses `sorry`"
    data = (
        f"PROOFROUTE-MSG warning 2 0 -1 -1 {len(text.encode())}\n{text}\n"
        "PROOFROUTE-REC decl theorem false 1 0 4\ngood\n"
        # as the driver answers an interrupt (recorded from the real driver, 2026-12-07)
        "PROOFROUTE-FAIL internal error of the elaborator\n"
        "PROOFROUTE-TIMEOUT 5000\nPROOFROUTE-DONE\n"
    ).encode()
    out = parse_response(data, 5)
    assert out.timed_out and out.timeout == 5
    assert out.messages == () and out.records == () and out.stray == ()


def test_timeout_text_inside_a_message_is_not_a_timeout():
    text = "unknown identifier\nPROOFROUTE-TIMEOUT 1"  # a model's name can print anything
    data = (f"PROOFROUTE-MSG error 1 0 -1 -1 {len(text.encode())}\n{text}\nPROOFROUTE-DONE\n").encode()
    out = parse_response(data, 5)
    assert not out.timed_out
    assert out.messages[0].text == text and out.returncode == 1
