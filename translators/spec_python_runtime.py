"""Runtime support pasted verbatim into every generated predicate module.

Kept as real Python (linted, imported by tests) and copied as text into the generated
module, which must be self-contained (stdlib only) because it runs in a sandbox.
"""
# --- begin runtime ---
import math as _math
import threading as _threading
import time as _time
from collections import Counter as _Counter
from fractions import Fraction as _Fraction


class Undefined(Exception):
    """A partial operation outside its domain (index out of range, division by zero)."""


class NotExecutable(Exception):
    """A clause cannot be evaluated (a quantifier over an unbounded range)."""


class OutOfTime(Exception):
    """The spec's own evaluation ran past the caller's budget (an exponential helper such
    as a naive `Fib`): the clause is undecided, never true or false."""


_BUDGET = _threading.local()  # `.deadline`: a time.monotonic() value, per thread


def _memo_key(*args):
    """On entry to every helper (generated code): the caller's time budget is checked,
    since recursion is where evaluation can run away; then the key under which the
    helper's value is remembered (Dafny functions are pure: a naive recursive `Fib`
    becomes linear), or None for arguments with no hashable form. Inline in the helper,
    not a wrapper, so that recursion costs no extra frame."""
    deadline = getattr(_BUDGET, "deadline", None)
    if deadline is not None and _time.monotonic() > deadline:
        raise OutOfTime("the spec's predicates ran past their time budget")
    try:
        key = tuple(_h(a) for a in args)
        hash(key)
    except TypeError:
        return None
    return key


def _remember(cache, key, value):
    if key is not None:
        if len(cache) >= 100_000:
            cache.clear()
        cache[key] = value
    return value


def _h(v):
    fields = getattr(v, "__dataclass_fields__", None)
    if fields is not None and not isinstance(v, type):  # a datatype value, its fields made hashable
        return type(v)(*(_h(getattr(v, f)) for f in fields))
    if isinstance(v, list | tuple):
        return tuple(_h(x) for x in v)
    if isinstance(v, set | frozenset):
        return frozenset(_h(x) for x in v)
    if isinstance(v, _Counter):
        return tuple(sorted(((_h(k), c) for k, c in v.items() if c > 0), key=repr))
    if isinstance(v, dict):
        return tuple(sorted(((_h(k), _h(x)) for k, x in v.items()), key=repr))
    return v


def _norm(v):
    fields = getattr(v, "__dataclass_fields__", None)
    if fields is not None and not isinstance(v, type):
        return type(v)(*(_norm(getattr(v, f)) for f in fields))
    if isinstance(v, list | tuple):
        return [_norm(x) for x in v]
    if isinstance(v, set | frozenset):
        return frozenset(_h(x) for x in v)
    if isinstance(v, _Counter):
        return _Counter({_h(k): c for k, c in v.items() if c > 0})
    if isinstance(v, dict):
        return {_h(k): _norm(x) for k, x in v.items()}
    return v


def _eq(a, b):
    if type(a) is int and type(b) is int:
        return a == b
    return _norm(a) == _norm(b)


def _idx(s, i):
    if isinstance(s, _Counter):  # a multiset: the multiplicity of i, 0 when absent (as Dafny)
        return max(s.get(_h(i), 0), 0)
    if isinstance(s, dict):
        k = _h(i)
        if k not in s:
            raise Undefined(f"key {i!r} not in map")
        return s[k]
    if not 0 <= i < len(s):
        raise Undefined(f"index {i} out of range 0..{len(s)}")
    return s[i]


def _slice(s, lo, hi):
    n = len(s)
    lo = 0 if lo is None else lo
    hi = n if hi is None else hi
    if not 0 <= lo <= hi <= n:
        raise Undefined(f"slice [{lo}..{hi}] out of range 0..{n}")
    return s[lo:hi] if isinstance(s, str) else list(s[lo:hi])


def _upd(s, k, v):
    if isinstance(s, dict):
        d = dict(s)
        d[_h(k)] = v
        return d
    if not 0 <= k < len(s):
        raise Undefined(f"update index {k} out of range 0..{len(s)}")
    if isinstance(s, str):
        return s[:k] + v + s[k + 1 :]
    out = list(s)
    out[k] = v
    return out


def _card(s):
    if isinstance(s, _Counter):
        return sum(c for c in s.values() if c > 0)
    return len(s)


def _members(s):
    if isinstance(s, _Counter):
        return [k for k, c in s.items() if c > 0]
    return s


def _in(x, s):
    if isinstance(s, _Counter):
        return s.get(_h(x), 0) > 0
    if isinstance(s, set | frozenset | dict):
        return _h(x) in s
    if isinstance(s, str):
        return x in s
    return any(_eq(x, y) for y in s)


def _div(a, b):
    if b == 0:
        raise Undefined("division by zero")
    if isinstance(a, _Fraction) or isinstance(b, _Fraction):  # real division is exact
        return a / b
    r = a % abs(b)
    return (a - r) // b


def _mod(a, b):
    if b == 0:
        raise Undefined("modulus by zero")
    return a % abs(b)


def _add(a, b):
    if isinstance(a, int | _Fraction):
        return a + b
    if isinstance(a, str) and isinstance(b, str):
        return a + b
    if isinstance(a, _Counter):
        return a + b
    if isinstance(a, set | frozenset):
        return frozenset(a) | frozenset(b)
    if isinstance(a, dict):
        return {**a, **b}
    return list(a) + list(b)


def _sub(a, b):
    if isinstance(a, int | _Fraction):
        return a - b
    if isinstance(a, _Counter):
        return a - b
    return frozenset(a) - frozenset(_h(x) for x in b)


def _mul(a, b):
    if isinstance(a, int | _Fraction):
        return a * b
    if isinstance(a, _Counter):
        return a & b
    return frozenset(a) & frozenset(_h(x) for x in b)


def _le(a, b):
    if isinstance(a, _Fraction):
        return a <= b
    if isinstance(a, int | str) and not isinstance(a, list):
        if isinstance(a, str) and len(a) != 1:
            return b.startswith(a)
        return a <= b
    if isinstance(a, _Counter):
        return all(b.get(k, 0) >= c for k, c in a.items())
    if isinstance(a, set | frozenset):
        return frozenset(a) <= frozenset(b)
    return len(a) <= len(b) and _eq(list(a), list(b)[: len(a)])


def _lt(a, b):
    if isinstance(a, int | _Fraction) or (isinstance(a, str) and len(a) == 1 and isinstance(b, str) and len(b) == 1):
        return a < b
    return _le(a, b) and not _eq(a, b)


def _prefix(a, b, strict):
    if len(a) > len(b) or (strict and len(a) == len(b)):
        return False
    return _eq(list(a), list(b)[: len(a)])


def _ms(s):
    return _Counter(_h(x) for x in s)


def _set(xs):
    return frozenset(_h(x) for x in xs)


def _real(x):
    """`x as real`: exact."""
    return _Fraction(x)


def _whole(r):
    """`r as int`: Dafny requires r to be a whole number (use .Floor to round down)."""
    if r.denominator != 1:
        raise Undefined(f"{r} as int: not a whole number")
    return int(r)


def _floor(r):
    return _math.floor(r)


def _is(v, ctor):
    """`v.C?`: datatype values are matched by constructor name (see `_adopt`)."""
    return type(v).__name__ == ctor


def _field(v, name):
    """`v.f`: a field of the constructor v was built with; any other is undefined (as in Dafny)."""
    if name not in getattr(v, "__dataclass_fields__", {}):
        raise Undefined(f"{type(v).__name__} has no field {name}")
    return getattr(v, name)


def _match(v, ctors, cases):
    """`match v case C(x, y) => ...`: the first case for v's constructor (by name, as `_is`),
    called with the fields it reads; a catch-all (constructor None) gets v itself. A value
    that is not built by one of the datatype's constructors `ctors` fits no case: the
    match is undefined there (never silently true)."""
    if type(v).__name__ not in ctors or getattr(v, "__dataclass_fields__", None) is None:
        raise Undefined(f"{type(v).__name__} is not built by a constructor of {', '.join(ctors)}")
    for ctor, fields, body in cases:
        if ctor is None:
            return body(v)
        if type(v).__name__ == ctor:
            return body(*(_field(v, f) for f in fields))
    raise Undefined(f"no case of the match fits {type(v).__name__}")


def _adopt(v, classes):
    """v with every datatype value in it rebuilt from the classes `classes` (by constructor
    name): a value from elsewhere (the spec's examples, the function under test, or the
    sandbox's {"$dataclass": name, "fields": {...}}) becomes one these predicates compare
    equal. Fields go by name when the names match (JSON written with sorted keys loses
    their order), else in order. A constructor name `classes` does not know is left as it is."""
    fields = getattr(v, "__dataclass_fields__", None)
    if fields is not None and not isinstance(v, type):
        name, named = type(v).__name__, {f: getattr(v, f) for f in fields}
    elif isinstance(v, dict) and set(v) == {"$dataclass", "fields"} and isinstance(v["fields"], dict):
        name, named = v["$dataclass"], v["fields"]
    elif isinstance(v, _Counter):
        return _Counter({_adopt(k, classes): c for k, c in v.items()})
    elif isinstance(v, dict):
        return {_h(_adopt(k, classes)): _adopt(x, classes) for k, x in v.items()}
    elif isinstance(v, set | frozenset):
        return type(v)(_h(_adopt(x, classes)) for x in v)
    elif isinstance(v, list | tuple):
        return type(v)(_adopt(x, classes) for x in v)
    else:
        return v
    cls = classes.get(name)
    if cls is None or len(cls.__dataclass_fields__) != len(named):
        return v
    own = list(cls.__dataclass_fields__)
    parts = [named[f] for f in own] if set(own) == set(named) else list(named.values())
    return cls(*(_adopt(x, classes) for x in parts))
def _seq_init(n, f):
    """`seq(n, i => e)`: Dafny requires n >= 0."""
    if n < 0:
        raise Undefined(f"seq({n}, ...): a negative length")
    return [f(i) for i in range(n)]
# --- end runtime ---
