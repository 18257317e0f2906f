"""MaxMultiplicity(xs): how often the most frequent element occurs."""

from collections import Counter


def correct(xs):
    return max(Counter(xs).values(), default=0)


def wrong_distinct_count(xs):
    return len(set(xs))


def wrong_first_element_only(xs):
    return xs.count(xs[0]) if xs else 0


def wrong_least_frequent(xs):
    return min(Counter(xs).values(), default=0)
