"""Histogram(xs) -> map<int, nat>."""

from collections import Counter


def correct(xs):
    return dict(Counter(xs))


def wrong_all_ones(xs):
    return {x: 1 for x in xs}
