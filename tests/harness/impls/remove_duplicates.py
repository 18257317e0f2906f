"""RemoveDuplicates(xs): distinct elements in order of first occurrence."""


def correct(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def wrong_sorted_order(xs):
    return sorted(set(xs))


def wrong_adjacent_only(xs):
    out = []
    for x in xs:
        if not out or out[-1] != x:
            out.append(x)
    return out
