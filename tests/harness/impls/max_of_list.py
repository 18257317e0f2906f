"""MaxOfList(xs) for non-empty xs."""


def correct(xs):
    m = xs[0]
    for x in xs[1:]:
        if x > m:
            m = x
    return m


def wrong_skips_last(xs):
    m = xs[0]
    for x in xs[1:-1]:
        if x > m:
            m = x
    return m


def wrong_sorts_input(xs):
    xs.sort()
    return xs[-1]
