"""SquareSeq(n, k) == seq(n, i => i * i + k): correct and wrong."""


def correct(n, k):
    return [i * i + k for i in range(n)]


def wrong_one_based(n, k):
    return [i * i + k for i in range(1, n + 1)]


def wrong_ignores_k(n, k):
    return [i * i for i in range(n)]


def wrong_one_short(n, k):
    return [i * i + k for i in range(n - 1)]
