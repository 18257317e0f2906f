"""The small Python helpers a translated module may need, written only when used.

Where Python's meaning differs from Dafny's (`/` and `%` on negative numbers, `<` on
sequences, `print` of booleans and collections), the generated code calls one of these;
`Needs` records which ones (and which imports) the emitted code used.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Needs:
    """What the emitted code uses beyond builtins: helper functions (by name), imported
    names (`Counter`, `Sequence`, `dataclass`, `Generic`, `TypeVar`) and type variables."""

    helpers: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    typevars: set[str] = field(default_factory=set)


# helpers other than `_show`, in the order a module lists them
ORDERED_HELPERS = ("_div", "_mod", "_is_prefix", "_is_proper_prefix", "_ArrayND")

HELPERS: dict[str, str] = {
    "_div": '''def _div(a: int, b: int) -> int:
    """Dafny's Euclidean division: the remainder is never negative."""
    return a // b if b > 0 else -(a // -b)''',
    "_mod": '''def _mod(a: int, b: int) -> int:
    """Dafny's Euclidean modulus: always in [0, |b|)."""
    return a % abs(b)''',
    "_is_prefix": '''def _is_prefix(a: Sequence[object], b: Sequence[object]) -> bool:
    """Dafny's `<=` on sequences: `a` is a prefix of `b`."""
    return len(a) <= len(b) and list(b[: len(a)]) == list(a)''',
    "_is_proper_prefix": '''def _is_proper_prefix(a: Sequence[object], b: Sequence[object]) -> bool:
    """Dafny's `<` on sequences: `a` is a proper prefix of `b`."""
    return len(a) < len(b) and list(b[: len(a)]) == list(a)''',
    "_ArrayND": '''class _ArrayND:
    """A Dafny multi-dimensional array (`array2<T>`...): fixed lengths, one cell per index
    tuple (`m[i, j]`), compared by identity like every Dafny array."""

    def __init__(self, lengths: tuple[int, ...], cells: list[object]) -> None:
        self.lengths = lengths
        self.cells = cells

    @staticmethod
    def filled(lengths: tuple[int, ...], value: object) -> _ArrayND:
        size = 1
        for n in lengths:
            size *= n
        return _ArrayND(lengths, [value] * size)

    def _offset(self, index: tuple[int, ...]) -> int:
        offset = 0
        for i, n in zip(index, self.lengths, strict=True):
            if not 0 <= i < n:
                raise IndexError(f"index {index} out of range for lengths {self.lengths}")
            offset = offset * n + i
        return offset

    def __getitem__(self, index: tuple[int, ...]) -> object:
        return self.cells[self._offset(index)]

    def __setitem__(self, index: tuple[int, ...], value: object) -> None:
        self.cells[self._offset(index)] = value''',
    "_show": '''def _show(value: object) -> str:
    """Dafny's `print` format for booleans and collections."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(_show(v) for v in sorted(value, key=repr)) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)''',
}

# extra branches of `_show`, emitted only when the module has such values
_SHOW_MULTISET = '''    if isinstance(value, Counter):
        return "multiset{" + ", ".join(_show(v) for v in value.elements()) + "}"'''
_SHOW_MAP = '''    if isinstance(value, dict):
        return "map[" + ", ".join(f"{_show(k)} := {_show(v)}" for k, v in value.items()) + "]"'''
_SHOW_DATATYPE = '''    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        name = _DAFNY_NAMES[type(value)]
        return f"{name}({', '.join(_show(getattr(value, f)) for f in fields)})" if fields else name'''


def show_helper(*, multisets: bool, datatypes: bool) -> str:
    """`_show` with the branches this module needs: Dafny prints a multiset as
    `multiset{1, 1}`, a map as `map[1 := true]`, a datatype value as `Col.Rgb(1, 2)`
    (never Python's `Counter(...)`, `{1: True}` or `Rgb(r=1, g=2)`)."""
    head, tail = HELPERS["_show"].rsplit("\n", 1)
    extra = [_SHOW_MULTISET] if multisets else []  # Counter is a dict: test it first
    extra.append(_SHOW_MAP)
    if datatypes:
        extra.append(_SHOW_DATATYPE)
    return "\n".join([head, *extra, tail])
