"""Max(a, b)."""


def correct(a, b):
    return a if a >= b else b


def wrong_comparison(a, b):
    return a if a <= b else b
