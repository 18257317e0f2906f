"""CountChar(s, c)."""


def correct(s, c):
    return s.count(c)


def wrong_skips_first(s, c):
    return s[1:].count(c)
