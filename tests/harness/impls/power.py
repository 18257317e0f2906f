"""Power(b, e)."""


def correct(b, e):
    return b ** e


def wrong_off_by_one(b, e):
    p = 1
    for _ in range(1, e):
        p *= b
    return p
