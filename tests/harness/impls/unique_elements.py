"""UniqueElements(xs) -> set<int>."""


def correct(xs):
    return set(xs)


def wrong_list(xs):
    return sorted(set(xs))


def wrong_drops_negatives(xs):
    return {x for x in xs if x >= 0}
