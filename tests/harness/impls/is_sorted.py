"""IsSorted(xs)."""


def correct(xs):
    return all(xs[i] <= xs[i + 1] for i in range(len(xs) - 1))


def wrong_strict(xs):
    return all(xs[i] < xs[i + 1] for i in range(len(xs) - 1))
