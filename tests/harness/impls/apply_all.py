"""ApplyAll(xs, f): correct and wrong; f is a drawn function (a table and a default)."""


def correct(xs, f):
    return [f(x) for x in xs]


def wrong_identity(xs, f):
    return list(xs)


def wrong_applied_twice(xs, f):
    return [f(f(x)) for x in xs]


def wrong_drops_last(xs, f):
    return [f(x) for x in xs[:-1]]


def wrong_reversed(xs, f):
    return [f(x) for x in reversed(xs)]
