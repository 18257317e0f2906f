"""DoubledArray(s): correct and wrong."""


def correct(s):
    return [2 * x for x in s]


def wrong_not_doubled(s):
    return list(s)


def wrong_drops_last(s):
    return [2 * x for x in s[:-1]]
