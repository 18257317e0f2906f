"""Sum(xs)."""


def correct(xs):
    total = 0
    for x in xs:
        total += x
    return total


def wrong_skips_negatives(xs):
    return sum(x for x in xs if x >= 0)
