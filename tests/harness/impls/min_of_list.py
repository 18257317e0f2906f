"""MinOfList(xs) for non-empty xs."""


def correct(xs):
    return min(xs)


def wrong_first(xs):
    return xs[0]
