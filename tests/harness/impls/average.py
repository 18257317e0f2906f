"""Average(xs): correct and wrong (reals are exact Fractions)."""

from fractions import Fraction


def correct(xs):
    return sum(xs, Fraction(0)) / len(xs)


def wrong_floor_division(xs):
    return Fraction(sum(xs, Fraction(0)) // len(xs))


def wrong_float(xs):
    return float(sum(xs)) / len(xs)


def wrong_first(xs):
    return xs[0]
