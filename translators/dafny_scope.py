"""What Dafny names mean in the translation, and which Python names they get.

Python has one scope per function while Dafny has one per block, and Python reserves
names Dafny allows (`from`, `len`, `x'`): the program's declarations are indexed once
(`ProgramIndex`), and `Scope` binds each Dafny variable to a Python name that neither
shadows a visible variable nor a module-level name.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from verifier.translators import dafny_ast as A

RESERVED = set(keyword.kwlist) | set(keyword.softkwlist) | {
    "len", "range", "all", "any", "list", "set", "frozenset", "dict", "sum", "print",
    "isinstance", "chr", "ord", "tuple", "str", "int", "bool", "min", "max", "abs",
    "Counter", "dataclass", "Generic", "TypeVar", "object", "l", "O", "I", "type", "id",
    "iter", "next", "map", "filter", "zip", "sorted", "reversed", "None", "True", "False",
    "Sequence", "annotations", "replace", "_ArrayND",
}  # fmt: skip


def py_identifier(name: str) -> str:
    """The Python spelling of a Dafny name (`from` -> `from_`, `x'` -> `x_p`); validation
    uses it to find the Dafny constructor of a dataclass instance by its class name."""
    base = re.sub(r"[^A-Za-z0-9_]", lambda m: "_q" if m.group(0) == "?" else "_p", name)
    return base + "_" if base in RESERVED else base


def names_in(node: A.Node) -> set[str]:
    """Every name `node` mentions."""
    return {x.name for x in A.walk(node) if isinstance(x, A.Name)}


def mentions(node: A.Node, names: set[str]) -> set[str]:
    """The names among `names` that `node` mentions."""
    return names_in(node) & names


def field_name(f: A.Param, i: int) -> str:
    """The dataclass field of a constructor parameter (unnamed ones are `f0`, `f1`...)."""
    if not f.name:
        return f"f{i}"
    return f.name + "_" if f.name in RESERVED else f.name


def param_names(params: Sequence[A.Param]) -> dict[str, str]:
    """Python names of a signature's parameters (in and out), distinct even where two
    Dafny names spell the same in Python (`s'` and `s_p`): the later gets `_2`."""
    names: dict[str, str] = {}
    for p in params:
        py = base = py_identifier(p.name)
        k = 2
        while py in names.values():
            py = f"{base}_{k}"
            k += 1
        names[p.name] = py
    return names


@dataclass(frozen=True)
class ProgramIndex:
    """The program's top-level declarations by Dafny name."""

    datatypes: Mapping[str, A.Datatype]
    ctors: Mapping[str, tuple[A.Datatype, A.Constructor]]
    functions: Mapping[str, A.Function]
    methods: Mapping[str, A.Method]
    consts: Mapping[str, A.Const]
    # module-level Python names: a local with one of these names would shadow the
    # global for the whole Python function (`Sq = Sq(x)` is an UnboundLocalError)
    globals: frozenset[str]
    classes: Mapping[str, A.Class] = field(default_factory=dict)
    # the members of datatypes that have some, held like a class's (see `holder`)
    datatype_members: Mapping[str, A.Class] = field(default_factory=dict)

    @classmethod
    def of(cls, program: A.Program) -> ProgramIndex:
        classes = {d.name: d for d in program.decls if isinstance(d, A.Class)}
        datatypes = {d.name: d for d in program.datatypes}
        ctors = {c.name: (d, c) for d in program.datatypes for c in d.ctors}
        functions = {f.name: f for f in program.functions}
        methods = {m.name: m for m in program.methods}
        consts = {c.name: c for c in program.decls if isinstance(c, A.Const)}
        names = (*functions, *methods, *consts, *datatypes, *ctors, *classes)
        held = {d.name: A.Class(d.name, d.type_params, (*_destructors(d), *d.members), d.statics, pos=d.pos)
                for d in datatypes.values() if d.members}
        return cls(datatypes, ctors, functions, methods, consts, frozenset(map(py_identifier, names)), classes, held)

    def all_fields(self, c: A.Class) -> tuple[A.FieldDecl, ...]:
        """The fields of `c` and of the traits it extends (inherited ones first)."""
        inherited = tuple(f for p in c.parents if p in self.classes for f in self.all_fields(self.classes[p]))
        return (*inherited, *c.fields)

    def find_member(self, c: A.Class, name: str) -> A.Decl | None:
        """`name` in `c` or, if `c` does not declare it, in a trait it extends."""
        found = c.member(name)
        for p in c.parents:
            if found is None and p in self.classes:
                found = self.find_member(self.classes[p], name)
        return found

    def holder(self, name: str) -> A.Class | None:
        """What holds the members of the type `name`: its class, or a datatype's members
        (as a class without fields, so calls `d.F()` and `D.F()` resolve alike)."""
        return self.classes.get(name) or self.datatype_members.get(name)

    def is_method_call(self, e: A.Expr) -> bool:
        """`e` calls a method: it may have effects, so it is kept even when its result is dead."""
        match e:
            case A.Call(func=A.Name(name=name)):
                return name in self.methods or self.class_method(name) is not None
            case A.Call(func=A.Field(name=name)):
                return self.class_method(name) is not None
            case A.NewObject():
                return True
        return False

    def class_method(self, name: str) -> A.Method | None:
        """A method of some class named `name` (conservatively: calls of it have effects)."""
        for c in (*self.classes.values(), *self.datatype_members.values()):
            m = c.member(name)
            if isinstance(m, A.Method):
                return m
        return None


def _destructors(d: A.Datatype) -> tuple[A.FieldDecl, ...]:
    """A datatype's named constructor fields, as fields its members read (`this.r`, `r`)."""
    fields = {f.name: A.FieldDecl(f.name, f.type, ghost=f.ghost, pos=f.pos) for c in d.ctors for f in c.fields if f.name}
    return tuple(fields.values())


@dataclass
class Var:
    """A Dafny variable in scope: its Python name, Dafny type, and whether it is ghost."""

    py: str
    type: A.Type
    ghost: bool = False


class Scope:
    """The variables visible while one method or function body is translated.

    It also keeps the log of variables the emitted code reads, so that a `case` whose
    body never reads a captured name can write `_` instead (ruff F841).
    """

    def __init__(self, index: ProgramIndex) -> None:
        self.index = index
        self.frames: list[dict[str, Var]] = [{}]
        self.method: A.Method | None = None
        self.outs: tuple[str, ...] = ()
        self.this_class: A.Class | None = None  # the class whose member is translated
        self.class_frame: dict[str, Var] = {}  # its fields, as `self.f` (none when static)
        self._reads: list[Var] = []  # every variable emitted code read, in order

    def reset(self, method: A.Method | None = None) -> None:
        """Start a new declaration: no variables, `method`'s out-parameters (if any)."""
        self.frames = [dict(self.class_frame)]
        self.method = method
        self.outs = ()

    @contextmanager
    def nested(self) -> Iterator[dict[str, Var]]:
        """A block scope; yields its own bindings."""
        frame: dict[str, Var] = {}
        self.frames.append(frame)
        try:
            yield frame
        finally:
            self.frames.pop()

    def lookup(self, name: str) -> Var | None:
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        return None

    def declare(self, name: str, typ: A.Type, *, ghost: bool = False, py: str | None = None) -> Var:
        """Bind a Dafny name in the innermost scope.

        Python has one scope per function, so a Dafny variable that shadows a visible one
        (a loop body's `var i` inside a method with an `i`) gets a fresh Python name;
        parameters keep the name `py` chosen for the signature.
        """
        exact = py is not None
        py = base = py or py_identifier(name)
        k = 2
        while not exact and (self._visible_py(py) or py in self.index.globals):
            py = f"{base}_{k}"
            k += 1
        var = Var(py, typ, ghost)
        self.frames[-1][name] = var
        return var

    def _visible_py(self, py: str) -> bool:
        return any(v.py == py for frame in self.frames for v in frame.values())

    def out_names(self) -> set[str]:
        """Dafny names of the current method's out-parameters (ghost ones too)."""
        return {p.name for p in self.method.returns} if self.method else set()

    def note_read(self, var: Var) -> None:
        """Emitted code reads `var`."""
        self._reads.append(var)

    def read_mark(self) -> int:
        """A point in the read log (to ask what was read since, or to drop it)."""
        return len(self._reads)

    def was_read_since(self, var: Var, mark: int) -> bool:
        """Whether code emitted after `mark` reads `var`."""
        return any(v is var for v in self._reads[mark:])

    def forget_reads(self, mark: int, keep: Sequence[tuple[int, int]] = ()) -> None:
        """The code emitted since `mark` was dropped, except the `keep` spans (pairs of
        marks): its reads no longer count."""
        self._reads[mark:] = [v for start, end in keep for v in self._reads[start:end]]
