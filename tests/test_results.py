"""`Verdict` is ordered by the strength of the claim, so combining is `min`."""

from __future__ import annotations

import pytest

from verifier.results import Verdict


def test_verdicts_are_ordered_refuted_unknown_verified() -> None:
    assert Verdict.REFUTED < Verdict.UNKNOWN < Verdict.VERIFIED
    assert sorted([Verdict.VERIFIED, Verdict.REFUTED, Verdict.UNKNOWN]) == [
        Verdict.REFUTED, Verdict.UNKNOWN, Verdict.VERIFIED]
    assert max(Verdict) == Verdict.VERIFIED and min(Verdict) == Verdict.REFUTED


@pytest.mark.parametrize(("verdicts", "combined"), [
    ([Verdict.VERIFIED, Verdict.VERIFIED], Verdict.VERIFIED),
    ([Verdict.VERIFIED, Verdict.UNKNOWN], Verdict.UNKNOWN),
    ([Verdict.UNKNOWN, Verdict.REFUTED, Verdict.VERIFIED], Verdict.REFUTED),
    ([], Verdict.UNKNOWN),  # nothing proved proves nothing
])
def test_combining_is_min(verdicts: list[Verdict], combined: Verdict) -> None:
    assert Verdict.combine(verdicts) == combined


def test_still_a_string_and_not_ordered_against_strings() -> None:
    assert Verdict.VERIFIED == "verified" and Verdict("refuted") is Verdict.REFUTED
    with pytest.raises(TypeError):
        assert Verdict.VERIFIED < "zzz"  # type: ignore[operator]
    with pytest.raises(TypeError):
        assert "a" < Verdict.REFUTED  # type: ignore[operator]  # noqa: SIM300 - the reflected side
