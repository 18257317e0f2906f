"""InsertionSort(a): sorts the array in place."""


def correct(a):
    for i in range(1, len(a)):
        key = a[i]
        j = i - 1
        while j >= 0 and a[j] > key:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = key


def wrong_not_in_place(a):
    sorted(a)


def wrong_loses_elements(a):
    b = sorted(set(a))
    a[:] = b + [b[-1]] * (len(a) - len(b)) if b else []


def wrong_returns_sorted_copy(a):
    a.sort()
    return a
