"""Reverse(xs)."""


def correct(xs):
    return xs[::-1]


def wrong_in_place(xs):
    xs.reverse()
    return xs


def wrong_rotates(xs):
    return xs[1:] + xs[:1]
