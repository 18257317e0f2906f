"""The unbiased pass@k estimator of Chen et al. (2021), exactly.

With n samples of which c pass, pass@k = 1 - C(n-c, k) / C(n, k): the chance that k
samples drawn without replacement include a passing one. Computed with integers and a
Fraction so small n gives exact values (no 1 - product rounding).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from math import comb


def pass_at_k(n: int, c: int, k: int) -> float:
    if n < 0 or c < 0 or k < 1:
        raise ValueError(f"pass@k needs n >= 0, c >= 0, k >= 1 (got n={n}, c={c}, k={k})")
    if c > n:
        raise ValueError(f"more passing samples than samples (c={c} > n={n})")
    if k > n:
        raise ValueError(f"pass@{k} is undefined with only {n} samples")
    return float(1 - Fraction(comb(n - c, k), comb(n, k)))


def mean_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float | None:
    """Mean pass@k over problems given as (n, c); problems with n < k are left out.

    None when no problem has k samples, so a report never shows a made-up 0.
    """
    values = [pass_at_k(n, c, k) for n, c in counts if n >= k]
    return sum(values) / len(values) if values else None
