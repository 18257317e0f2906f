"""TwoSum(xs, target): the lexicographically first pair (i, j)."""


def correct(xs, target):
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] + xs[j] == target:
                return i, j
    raise AssertionError("requires guarantees a pair")


def wrong_hash_map(xs, target):
    seen = {}
    for j, x in enumerate(xs):
        if target - x in seen:
            return seen[target - x], j
        seen[x] = j
    raise AssertionError("requires guarantees a pair")


def wrong_single_result(xs, target):
    i, _ = correct(xs, target)
    return i
