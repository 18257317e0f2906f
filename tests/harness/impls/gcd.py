"""Gcd(a, b) with a > 0 or b > 0."""


def correct(a, b):
    while b:
        a, b = b, a % b
    return a


def wrong_min(a, b):
    return min(a, b) if a and b else max(a, b)


def wrong_crashes_on_zero(a, b):
    return correct(a, b) if a % b == 0 or True else 0
