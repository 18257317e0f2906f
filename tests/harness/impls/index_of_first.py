"""IndexOfFirst(xs, x)."""


def correct(xs, x):
    for i, y in enumerate(xs):
        if y == x:
            return i
    return -1


def wrong_last(xs, x):
    found = -1
    for i, y in enumerate(xs):
        if y == x:
            found = i
    return found
