"""ReverseInPlace(a)."""


def correct(a):
    i, j = 0, len(a) - 1
    while i < j:
        a[i], a[j] = a[j], a[i]
        i += 1
        j -= 1


def wrong_stops_early(a):
    i, j = 0, len(a) - 1
    while i < j - 1:
        a[i], a[j] = a[j], a[i]
        i += 1
        j -= 1


def wrong_returns_copy(a):
    return a[::-1]
