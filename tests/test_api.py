"""The public surface: `verifier.__all__` and the `verify` facade."""

from __future__ import annotations

from pathlib import Path

import pytest

import verifier
from verifier.results import Verdict

ABS = """method Abs(x: int) returns (y: int)
  ensures y >= 0
{
  if x < 0 { y := -x; } else { y := x; }
}
"""


def test_every_public_name_resolves() -> None:
    for name in ("generate", "Artifact", "recheck", "load_spec", "check_spec",
                 "run_properties", "verify", "Verdict", "CheckResult", "ProofrouteError",
                 "SpecError", "Certificate", "PathEscape"):
        assert name in verifier.__all__
        assert getattr(verifier, name) is not None
    with pytest.raises(AttributeError):
        verifier.no_such_name  # noqa: B018


@pytest.mark.dafny
def test_verify_a_file_and_a_source(tmp_path: Path) -> None:
    good = tmp_path / "abs.dfy"
    good.write_text(ABS)
    assert verifier.verify(good).verdict == Verdict.VERIFIED
    wrong = ABS.replace("y := -x;", "y := x;")
    result = verifier.verify(wrong, backend="dafny")
    assert result.verdict == Verdict.REFUTED and result.errors
