"""BinarySearch(a, key): leftmost index of key in sorted a, or -1."""


def correct(a, key):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(a) and a[lo] == key else -1


def wrong_not_leftmost(a, key):
    lo, hi = 0, len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] == key:
            return mid
        if a[mid] < key:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def wrong_off_by_one(a, key):
    lo, hi = 0, len(a) - 1  # never looks at the last element
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(a) - 1 and a[lo] == key else -1
