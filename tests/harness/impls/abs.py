"""Abs(x): correct and wrong."""


def correct(x):
    return x if x >= 0 else -x


def wrong_identity(x):
    return x


def wrong_returns_float(x):
    return float(abs(x))
