from __future__ import annotations

import itertools
from math import isclose

import pytest

from verifier.bench.passk import mean_pass_at_k, pass_at_k


def brute_force(n: int, c: int, k: int) -> float:
    """Share of the k-subsets of n samples (c passing) that contain a passing one."""
    samples = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(range(n), k))
    return sum(any(samples[i] for i in s) for s in subsets) / len(subsets)


@pytest.mark.parametrize(("n", "c", "k"), [(n, c, k) for n in range(1, 7) for c in range(n + 1) for k in range(1, n + 1)])
def test_estimator_equals_the_combinatorial_definition(n: int, c: int, k: int) -> None:
    assert isclose(pass_at_k(n, c, k), brute_force(n, c, k), rel_tol=0, abs_tol=1e-12)


def test_known_values() -> None:
    assert pass_at_k(5, 1, 1) == 0.2
    assert pass_at_k(10, 3, 2) == pytest.approx(1 - 21 / 45)
    assert pass_at_k(3, 0, 3) == 0.0
    assert pass_at_k(3, 3, 1) == 1.0
    # n - c < k: every k-subset contains a passing sample
    assert pass_at_k(4, 2, 3) == 1.0


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="undefined"):
        pass_at_k(2, 1, 3)
    with pytest.raises(ValueError):
        pass_at_k(2, 3, 1)
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 0)


def test_mean_leaves_out_problems_with_too_few_samples() -> None:
    assert mean_pass_at_k([(2, 1), (2, 0), (1, 1)], 2) == pytest.approx(0.5)
    assert mean_pass_at_k([(2, 1), (4, 1)], 1) == pytest.approx((0.5 + 0.25) / 2)
    assert mean_pass_at_k([(1, 1)], 2) is None
