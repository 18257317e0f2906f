"""CountOccurrences(xs, x)."""


def correct(xs, x):
    return sum(1 for y in xs if y == x)


def wrong_counts_distinct(xs, x):
    return 1 if x in xs else 0
