"""Helpers the generated input strategies call; pasted verbatim into emitted test modules.

`strategies.py` renders a spec's input strategy as Python source (one `@composite`
function) and runs that same source in-process, so the harness and the standalone pytest
module it writes generate inputs identically. Bounds that depend on earlier draws are
only known while drawing, hence these small functions instead of fixed strategies.
"""
# --- begin runtime ---
from hypothesis import reject as _reject
from hypothesis import strategies as _st

_g_never = _st.just(0).map(lambda _: _reject())
_G_DEFAULT_CHARS = _st.one_of(_st.sampled_from("abc"), _st.characters(min_codepoint=32, max_codepoint=126))


_g_memo_table = {}


def _g_memo(key, make):
    """One strategy per key (a datatype and a depth): each level refers to the one below."""
    if key not in _g_memo_table:
        _g_memo_table[key] = make()
    return _g_memo_table[key]


def _g_ints(lo, hi, dmin, dmax):
    """Integers in [lo, hi]; a missing side takes the default range, shifted when the
    given side lies outside it. An empty range rejects the draw."""
    if lo is None and hi is None:
        small_lo, small_hi = max(dmin, -8), min(dmax, 8)
        if small_lo <= small_hi:  # half the draws small: equal values (duplicates) turn up often
            return _st.one_of(_st.integers(small_lo, small_hi), _st.integers(dmin, dmax))
        lo, hi = dmin, dmax
    elif hi is None:
        hi = dmax if lo <= dmax else lo + (dmax - dmin)
    elif lo is None:
        lo = dmin if hi >= dmin else hi - (dmax - dmin)
    if lo > hi:
        _reject()
    return _st.integers(lo, hi)


def _g_reals(dmin, dmax):
    """Exact reals (fractions.Fraction): whole numbers, halves and small denominators
    (equal values turn up often), and sometimes any fraction in the default range."""
    small = _st.fractions(max(dmin, -8), min(dmax, 8), max_denominator=4)
    return _st.one_of(small, _st.fractions(dmin, dmax, max_denominator=1000))


def _g_sizes(lo, hi, dmax):
    lo = 0 if lo is None else max(lo, 0)
    if hi is None:
        hi = dmax if lo <= dmax else lo + dmax
    if lo > hi:
        _reject()
    return _st.integers(lo, hi)


def _g_chars(lo, hi, alphabet):
    if lo is None and hi is None:
        return _st.sampled_from(alphabet) if alphabet else _G_DEFAULT_CHARS
    lo = max(32 if lo is None else lo, 0)
    if hi is None:
        hi = 126 if lo <= 126 else lo + 94
    hi = min(hi, 0xD7FF)
    if lo > hi:
        _reject()
    return _st.integers(lo, hi).map(chr)


def _g_items(coll):
    if type(coll).__name__ == "Counter":
        return sorted((k for k, n in coll.items() if n > 0), key=repr)
    if isinstance(coll, dict | set | frozenset):
        return sorted(coll, key=repr)
    return list(coll)


def _g_member(coll):
    items = _g_items(coll)
    if not items:
        _reject()
    return _st.sampled_from(items)


def _g_pick(default, *colls):
    """The default strategy, or now and then a value taken from the given collections:
    a key that occurs in the list finds more bugs than a uniformly random one."""
    items = []
    for coll in colls:
        for x in _g_items(coll):
            if x not in items:
                items.append(x)
    if not items:
        return default
    members = _st.sampled_from(items)
    return _st.one_of(default, members, members)  # two to one for values that occur


def _g_frozen(v):
    if isinstance(v, list | tuple):
        return tuple(_g_frozen(x) for x in v)
    if isinstance(v, set | frozenset):
        return frozenset(_g_frozen(x) for x in v)
    return v


class _GFunction:
    """A drawn value of a function type: total and pure by construction — a small table
    from argument tuples to results, one default result everywhere else. The sandbox
    carries it as data (`table_function`), never as code."""

    def __init__(self, table, default):
        self._table = {_g_frozen(args): r for args, r in table.items()}
        self._default = default

    def __call__(self, *args):
        return self._table.get(_g_frozen(args), self._default)

    def table_function(self):
        return list(self._table.items()), self._default

    def __eq__(self, other):
        if not hasattr(other, "table_function"):
            return False
        mine, theirs = self.table_function(), other.table_function()
        return (mine[1] == theirs[1]
                and {_g_frozen(a): r for a, r in mine[0]} == {_g_frozen(a): r for a, r in theirs[0]})

    def __hash__(self):
        return hash((frozenset(self._table.items()), self._default))

    def __repr__(self):
        cases = ", ".join(f"{', '.join(map(repr, a))} => {r!r}" for a, r in self._table.items())
        return "fun {" + (cases + ", " if cases else "") + f"_ => {self._default!r}" + "}"


def _g_function(args, result):
    """Functions for a parameter of type (A, ...) -> R: `args` draws argument tuples,
    `result` the results. Hypothesis shrinks them towards a constant function."""
    return _st.builds(_GFunction, _st.dictionaries(args, result, max_size=8), result)


def _g_holds(fn):
    try:
        return bool(fn())
    except Exception:
        return False


def _g_value(fn):
    try:
        return fn()
    except Exception:
        _reject()
# --- end runtime ---
