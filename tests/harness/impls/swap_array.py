"""Swap(a, i, j) in place."""


def correct(a, i, j):
    a[i], a[j] = a[j], a[i]


def wrong_copies(a, i, j):
    a[i] = a[j]


def wrong_off_by_one(a, i, j):
    a[i], a[j - 1] = a[j - 1], a[i]
