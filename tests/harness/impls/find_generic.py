"""FindIndexOf<T(==)>(xs, x): correct and wrong; the harness runs them at T := int,
T := string and the examples' T := char."""


def correct(xs, x):
    for i, y in enumerate(xs):
        if y == x:
            return i
    return -1


def wrong_last_occurrence(xs, x):
    found = -1
    for i, y in enumerate(xs):
        if y == x:
            found = i
    return found


def wrong_numbers_only(xs, x):
    # right for T := int, raises for T := string: only a second instance catches it
    for i, y in enumerate(xs):
        if y - x == 0:
            return i
    return -1


def wrong_not_found_is_length(xs, x):
    return xs.index(x) if x in xs else len(xs)
