from __future__ import annotations

from verifier.backends.lean.session import parse_response

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
