"""The corpus benchmark's reading of plain Dafny's summary line (Dafny 2.3's own wording)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from dafny_corpus import only_time_outs


@pytest.mark.parametrize(("summary", "expected"), [
    (b"Dafny program verifier finished with 4 verified, 0 errors, 1 time out\n", True),
    (b"Dafny program verifier finished with 0 verified, 0 errors, 3 time outs\n", True),
    (b"Dafny program verifier finished with 4 verified, 1 error, 2 time outs\n", False),
    (b"Dafny program verifier finished with 4 verified, 2 errors\n", False),
    (b"Dafny program verifier finished with 4 verified, 0 errors\n", False),
    (b"x.dfy(3,0): Error: unresolved identifier: y\n1 resolution/type errors detected in x.dfy\n", False),
])  # fmt: skip
def test_exit_4_is_a_time_out_only_when_the_summary_counts_no_error(summary: bytes, expected: bool) -> None:
    assert only_time_outs(summary) is expected
