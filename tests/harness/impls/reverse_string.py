"""ReverseString(s)."""


def correct(s):
    return s[::-1]


def wrong_returns_list(s):
    return list(reversed(s))


def wrong_drops_last(s):
    return s[-2::-1] if s else s
