"""Sqrt(n): the largest r with r * r <= n."""

import math


def correct(n):
    return math.isqrt(n)


def wrong_float_round(n):
    return round(n ** 0.5)
