"""spec → Python predicates: a self-contained module (stdlib only) for the sandbox.

The module defines the helpers, one function per requires/ensures clause, `pre(args)`,
`post(args, result)`, `failing_ensures(args, result)` and the lists `REQUIRES` /
`ENSURES` of `(clause_text, function)`. Values follow `verifier.specs.values`.

`args` maps parameter names to values (for arrays in `modifies`: the contents before the
call, which `old(...)` reads); `result` maps out-parameter names to values and each
modified array's name to its contents after the call.

Partial operations (index out of range, division by zero, missing map key) raise
`Undefined`; a clause that is undefined at a point counts as false. A quantifier whose
range cannot be bounded makes its clause raise `NotExecutable` when evaluated — never
silently true.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePath
from typing import Any

from verifier.specs import model as m
from verifier.translators.dafny_scope import RESERVED, py_identifier
from verifier.translators.spec_bounds import (
    BoolDomain,
    Domain,
    IntDomain,
    MemberDomain,
    NotBounded,
    domains,
    guard_of,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotExecutableClause:
    """A clause (or helper) the Python predicates cannot evaluate, and why."""

    where: str  # "requires[0]", "ensures[2]", "helper Foo"
    text: str
    message: str
    file: str | None
    line: int
    col: int


def _runtime() -> str:
    text = resources.files("verifier.translators").joinpath("spec_python_runtime.py").read_text("utf-8")
    start = text.index("# --- begin runtime ---")
    end = text.index("# --- end runtime ---")
    return text[start:end]


def py_name(name: str) -> str:
    return name.replace("'", "_q").replace("?", "_p")


def class_name(ctor: str) -> str:
    """The Python class of a constructor in the generated module (`D_` keeps it apart from
    the module's own names; its `__name__` is the compiled program's spelling, `ctor_name`)."""
    return f"D_{py_identifier(ctor)}"


def ctor_name(ctor: str) -> str:
    """The class name the Dafny→Python compiler gives a constructor (`None` → `None_`)."""
    return py_identifier(ctor)


def field_py_name(name: str) -> str:
    """The dataclass field of a constructor's field, as the Dafny→Python compiler names it."""
    return name + "_" if name in RESERVED else name


class _Unbounded(Exception):
    def __init__(self, var: m.BoundVar, kind: str) -> None:
        super().__init__(var.name)
        self.var, self.kind = var, kind


class Emitter:
    """Expression → Python expression text. `old` switches modified arrays to pre-state."""

    def __init__(self, modified: set[str], *, functions: frozenset[str] = frozenset()) -> None:
        self.modified = modified
        self.functions = functions  # function-typed parameters: `f(x)` calls the value, not a helper
        self.in_old = False

    def var(self, name: str) -> str:
        if self.in_old and name in self.modified:
            return f"o_{py_name(name)}"
        return f"v_{py_name(name)}"

    def e(self, x: m.Expr) -> str:
        # Long on purpose: one case per expression kind; splitting would scatter the dispatch.
        match x:
            case m.IntLit(v):
                return repr(v)
            case m.RealLit(v):
                return f"_Fraction({v.numerator}, {v.denominator})"
            case m.Convert(a, target):
                fn = {m.RealType: "_real", m.CharType: "_char"}.get(type(target), "_whole")
                return f"{fn}({self.e(a)})"
            case m.BoolLit(v):
                return repr(v)
            case m.CharLit(v) | m.StrLit(v):
                return repr(v)
            case m.Var(name):
                return self.var(name)
            case m.Unary("!", a):
                return f"(not {self.e(a)})"
            case m.Unary(_, a):
                return f"(-{self.e(a)})"
            case m.Binary(op, a, b) if op in ("<", "<=", ">", ">="):
                return self.ordering(x)
            case m.Binary() if (same := m.array_identity(x)) is not None:
                return repr(same)
            case m.Binary(op, a, b):
                return self.binary(op, a, b)
            case m.Ite(c, a, b):
                return f"({self.e(a)} if {self.e(c)} else {self.e(b)})"
            case m.Quantifier(kind, vs, rng, body):
                gen = self.loops(vs, guard_of(kind, rng, body), kind)
                if kind == "forall":
                    inner = self.e(body) if rng is None else f"((not {self.e(rng)}) or {self.e(body)})"
                    return f"all({inner} {gen})"
                inner = self.e(body) if rng is None else f"({self.e(rng)} and {self.e(body)})"
                return f"any({inner} {gen})"
            case m.SetComp(vs, rng, term):
                gen = self.loops(vs, guard_of("exists", rng, None), "set")
                t = self.var(vs[0].name) if term is None else self.e(term)
                return f"frozenset(_h({t}) {gen} if {self.e(rng)})"
            case m.MapComp(v, rng, value):
                gen = self.loops((v,), guard_of("exists", rng, None), "map")
                return f"{{_h({self.var(v.name)}): {self.e(value)} {gen} if {self.e(rng)}}}"
            case m.Let(v, value, body):
                return f"(lambda {self.var(v.name)}: {self.e(body)})({self.e(value)})"
            case m.Index(s, i):
                return f"_idx({self.e(s)}, {self.e(i)})"
            case m.Slice(s, lo, hi):
                lo_s = "None" if lo is None else self.e(lo)
                hi_s = "None" if hi is None else self.e(hi)
                return f"_slice({self.e(s)}, {lo_s}, {hi_s})"
            case m.Update(s, k, v):
                return f"_upd({self.e(s)}, {self.e(k)}, {self.e(v)})"
            case m.Member(obj, "Floor"):
                return f"_floor({self.e(obj)})"
            case m.Member(obj, "Length"):
                return f"len({self.e(obj)})"
            case m.Member(obj, name):  # a datatype's field
                return f"_field({self.e(obj)}, {field_py_name(name)!r})"
            case m.Construct(name, args):
                return f"{class_name(name)}({', '.join(self.e(a) for a in args)})"
            case m.IsCtor(obj, ctor):
                return f"_is({self.e(obj)}, {ctor_name(ctor)!r})"
            case m.Match():
                return self.match(x)
            case m.Card(a):
                return f"_card({self.e(a)})"
            case m.Call(name, args) if name in self.functions:
                return f"{self.var(name)}({', '.join(self.e(a) for a in args)})"
            case m.Call(name, args):
                return f"h_{py_name(name)}({', '.join(self.e(a) for a in args)})"
            case m.SeqInit(n, v, body):
                return f"_seq_init({self.e(n)}, lambda {self.var(v.name)}: {self.e(body)})"
            case m.Old(a):
                saved, self.in_old = self.in_old, True
                try:
                    return self.e(a)
                finally:
                    self.in_old = saved
            case m.MultisetOf(a):
                return f"_ms({self.e(a)})"
            case m.SeqDisplay(xs):
                return "[" + ", ".join(self.e(a) for a in xs) + "]"
            case m.SetDisplay(xs):
                return "_set([" + ", ".join(self.e(a) for a in xs) + "])"
            case m.MultisetDisplay(xs):
                return "_ms([" + ", ".join(self.e(a) for a in xs) + "])"
            case m.MapDisplay(items):
                return "{" + ", ".join(f"_h({self.e(k)}): {self.e(v)}" for k, v in items) + "}"
        raise AssertionError(f"unhandled node {x!r}")  # pragma: no cover

    def match(self, x: m.Match) -> str:
        """`_match(v, ctors, cases)`: each case a (constructor, fields read, body as a
        lambda of the pattern's variables); a catch-all's constructor is None and its lambda
        takes the value. Values are matched by constructor name, as `_is` does."""
        dt = x.datatype
        assert dt is not None, "a match reaches the renderers only type checked"
        arms = []
        for c in x.cases:
            named = [(i, v) for i, v in enumerate(c.vars) if v.name != m.WILDCARD]
            params = ", ".join(self.var(v.name) for _, v in named)
            body = f"(lambda {params}: {self.e(c.body)})" if named else f"(lambda *_: {self.e(c.body)})"
            if c.ctor is None:
                arms.append(f"(None, (), {body})")
                continue
            ctor = dt.ctor(c.ctor)
            assert ctor is not None
            fields = "".join(f"{field_py_name(ctor.fields[i].name)!r}, " for i, _ in named)
            arms.append(f"({ctor_name(c.ctor)!r}, ({fields}), {body})")
        ctors = "".join(f"{ctor_name(c.name)!r}, " for c in dt.ctors)
        return f"_match({self.e(x.scrutinee)}, ({ctors}), ({', '.join(arms)},))"

    def ordering(self, x: m.Binary) -> str:
        """int/char order natively; sets and multisets by subset; sequences by prefix."""
        t = x.operand_type
        a, b = (x.left, x.right) if x.op in ("<", "<=") else (x.right, x.left)
        strict = x.op in ("<", ">")
        la, lb = self.e(a), self.e(b)
        if isinstance(t, (m.IntType, m.NatType, m.RealType, m.CharType)):
            return f"({la} {'<' if strict else '<='} {lb})"
        if isinstance(t, (m.SeqType, m.StringType)):
            return f"_prefix({la}, {lb}, {strict})"
        return f"{'_lt' if strict else '_le'}({la}, {lb})"

    def binary(self, op: str, a: m.Expr, b: m.Expr) -> str:
        la, lb = self.e(a), self.e(b)
        simple = {"&&": "and", "||": "or"}
        if op in simple:
            return f"({la} {simple[op]} {lb})"
        if op == "==>":
            return f"((not {la}) or {lb})"
        if op == "<==>":
            return f"({la} == {lb})"
        funcs = {
            "==": "_eq", "+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "%": "_mod",
            "<": "_lt", "<=": "_le", "in": "_in",
        }
        if op in funcs:
            return f"{funcs[op]}({la}, {lb})"
        if op == "!=":
            return f"(not _eq({la}, {lb}))"
        if op == "!in":
            return f"(not _in({la}, {lb}))"
        if op == ">":
            return f"_lt({lb}, {la})"
        if op == ">=":
            return f"_le({lb}, {la})"
        raise AssertionError(op)  # pragma: no cover

    def loops(self, vs: tuple[m.BoundVar, ...], guard: list[m.Expr], kind: str) -> str:
        try:
            doms: list[Domain] = domains(vs, guard)
        except NotBounded as nb:
            raise _Unbounded(nb.var, kind) from None
        parts = []
        for d in doms:
            name = self.var(d.var.name)
            if isinstance(d, IntDomain):
                parts.append(f"for {name} in range({self.e(d.lo)}, {self.e(d.hi)})")
            elif isinstance(d, MemberDomain):
                parts.append(f"for {name} in _members({self.e(d.coll)})")
            elif isinstance(d, BoolDomain):
                parts.append(f"for {name} in (False, True)")
        return " ".join(parts)


def _unbounded_message(u: _Unbounded) -> str:
    what = {"forall": "forall", "exists": "exists", "set": "set comprehension", "map": "map comprehension"}[u.kind]
    return (
        f"the range of {u.var.name} in this {what} cannot be bounded, so it cannot be executed; "
        f"bound it in the guard, e.g. `0 <= {u.var.name} < |s|` or `{u.var.name} in s`"
    )


def _clause_fn(
    emitter: Emitter, fname: str, where: str, c: m.Clause, params: list[str], problems: list[NotExecutableClause],
    adopt: bool = False,
) -> list[str]:
    lines = [f"def {fname}(args, result=None):"]
    for p in params:
        lines.append(f"    v_{py_name(p)} = _arg(args, result, {p!r})")
    for p in sorted(emitter.modified):
        lines.append(f"    o_{py_name(p)} = _adopt(args[{p!r}], _CLASSES)" if adopt else f"    o_{py_name(p)} = args[{p!r}]")
    try:
        body = emitter.e(c.expr)
        lines.append(f"    return bool({body})")
    except _Unbounded as u:
        msg = _unbounded_message(u)
        sp = u.var.span
        problems.append(NotExecutableClause(where, c.text, msg, sp.file, sp.line, sp.col))
        loc = f"{sp.file or '<spec>'}:{sp.line}:{sp.col}"
        lines.append(f"    raise NotExecutable({f'{loc}: {where}: {msg}'!r})")
    return lines


def _functions(params: tuple[m.Param, ...]) -> frozenset[str]:
    return frozenset(p.name for p in params if isinstance(p.type, m.ArrowType))


def render_python_module(spec: m.Spec) -> str:
    return _render(spec)[0]


def _render(spec: m.Spec) -> tuple[str, list[NotExecutableClause]]:
    problems: list[NotExecutableClause] = []
    modified = set(spec.modified)
    # the file name only: generated text must not depend on where the spec's folder lives
    # (it ships in artifacts and golden files)
    origin = PurePath(spec.source).name if spec.source else "<text>"
    out = [
        f'"""Predicates of the spec {spec.name!r} (generated by proofroute from {origin}; do not edit).',
        "",
        "Values: int, bool, fractions.Fraction (real), 1-char str (char), str (string), list/tuple (seq, array),",
        "set/frozenset, collections.Counter (multiset), dict (map), frozen dataclasses (datatypes, by constructor name).",
        '"""',
        "",
        _runtime().rstrip(),
        "",
        "",
        *(_datatype_defs(spec) if spec.datatypes else _PLAIN_ARG),
    ]
    out += _helper_defs(spec, problems)
    in_names = [p.name for p in spec.params]
    fns = _functions((*spec.params, *spec.returns))
    all_names = [*in_names, *(p.name for p in spec.returns)]
    req_names, ens_names = [], []
    for i, c in enumerate(spec.requires):
        name = f"_requires_{i}"
        out += ["", *_clause_fn(Emitter(set(), functions=fns), name, f"requires[{i}]", c, in_names, problems,
                                bool(spec.datatypes)), ""]
        req_names.append((c.text, name))
    for i, c in enumerate(spec.ensures):
        name = f"_ensures_{i}"
        out += ["", *_clause_fn(Emitter(modified, functions=fns), name, f"ensures[{i}]", c, all_names, problems,
                                bool(spec.datatypes)), ""]
        ens_names.append((c.text, name))
    out += [
        "",
        "REQUIRES = [" + "".join(f"\n    ({t!r}, {n})," for t, n in req_names) + ("\n]" if req_names else "]"),
        "ENSURES = [" + "".join(f"\n    ({t!r}, {n})," for t, n in ens_names) + ("\n]" if ens_names else "]"),
        f"MODIFIES = {list(spec.modified)!r}",
        *_ENTRY_POINTS,
    ]
    return "\n".join(out), problems


_PLAIN_ARG = (
    "def _arg(args, result, name):",
    "    if result is not None and name in result:",
    "        return result[name]",
    "    return args[name]",
    "",
)


def _datatype_defs(spec: m.Spec) -> list[str]:
    """A frozen dataclass per constructor, `_CLASSES` (by the compiled program's name and by
    the Dafny name) and an `_arg` that adopts every value it reads into these classes."""
    out = ["from dataclasses import make_dataclass as _make_dataclass", ""]
    names: list[str] = []
    for d in spec.datatypes:
        out.append(f"# datatype {d.name}")
        for c in d.ctors:
            cls = class_name(c.name)
            fields = [field_py_name(f.name) for f in c.fields]
            out.append(f"{cls} = _make_dataclass({ctor_name(c.name)!r}, {fields!r}, frozen=True)")
            names += [f"    {ctor_name(c.name)!r}: {cls},"] + (
                [f"    {c.name!r}: {cls},"] if c.name != ctor_name(c.name) else [])
    return [
        *out, "", "_CLASSES = {", *names, "}", "", "",
        "def _arg(args, result, name):",
        "    if result is not None and name in result:",
        "        return _adopt(result[name], _CLASSES)",
        "    return _adopt(args[name], _CLASSES)",
        "",
    ]


# The module's entry points, over the REQUIRES and ENSURES lists above them.
_ENTRY_POINTS = (
    "",
    "",
    "def _holds(fn, args, result=None):",
    "    try:",
    "        return fn(args, result)",
    "    except (Undefined, RecursionError):",
    "        return False",
    "",
    "",
    "def pre(args):",
    '    """True when every requires clause holds for these inputs."""',
    "    return all(_holds(fn, args) for _, fn in REQUIRES)",
    "",
    "",
    "def post(args, result):",
    '    """True when every ensures clause holds for these inputs and outputs."""',
    "    return all(_holds(fn, args, result) for _, fn in ENSURES)",
    "",
    "",
    "def failing_ensures(args, result):",
    '    """The text of each ensures clause that is false (or undefined) here."""',
    "    return [text for text, fn in ENSURES if not _holds(fn, args, result)]",
    "",
)


def _helper_defs(spec: m.Spec, problems: list[NotExecutableClause]) -> list[str]:
    """A `def h_<name>` per helper; a clause that cannot run raises NotExecutable (noted in problems)."""
    out: list[str] = []
    for h in spec.helpers:
        helper_emitter = Emitter(set(), functions=_functions(h.params))
        params = ", ".join(f"v_{py_name(p.name)}" for p in h.params)
        cache = f"_C_{py_name(h.name)}"
        out += ["", f"{cache} = {{}}", "", f"def h_{py_name(h.name)}({params}):",
                f"    _key = _memo_key({params})", f"    if _key is not None and _key in {cache}:",
                f"        return {cache}[_key]"]
        for r in h.requires:
            try:
                out.append(f"    if not ({helper_emitter.e(r.expr)}):")
                out.append(f"        raise Undefined({f'precondition of {h.name} violated: {r.text}'!r})")
            except _Unbounded as u:
                sp = u.var.span
                problems.append(NotExecutableClause(f"helper {h.name}", r.text, _unbounded_message(u), sp.file, sp.line, sp.col))
        try:
            out.append(f"    return _remember({cache}, _key, {helper_emitter.e(h.body)})")
        except _Unbounded as u:
            msg = _unbounded_message(u)
            sp = u.var.span
            problems.append(NotExecutableClause(f"helper {h.name}", h.body_text, msg, sp.file, sp.line, sp.col))
            loc = f"{sp.file or '<spec>'}:{sp.line}:{sp.col}"
            out.append(f"    raise NotExecutable({f'{loc}: helper {h.name}: {msg}'!r})")
        out.append("")
    return out


@dataclass(frozen=True)
class Predicates:
    """The executed module, for trusted in-process use (spec checks, tests)."""

    pre: Callable[[dict[str, Any]], bool]
    post: Callable[[dict[str, Any], dict[str, Any]], bool]
    failing_ensures: Callable[[dict[str, Any], dict[str, Any]], list[str]]
    requires: tuple[tuple[str, Callable[..., bool]], ...]
    ensures: tuple[tuple[str, Callable[..., bool]], ...]
    namespace: dict[str, Any]
    source: str
    not_executable: tuple[NotExecutableClause, ...]

    def out_of_time(self, exc: BaseException) -> bool:
        """Whether `exc` is this module's `OutOfTime` (raised inside a `budget`)."""
        return isinstance(exc, self.namespace["OutOfTime"])

    @contextlib.contextmanager
    def budget(self, seconds: float) -> Iterator[None]:
        """Evaluation inside this block raises the module's `OutOfTime` once `seconds` have
        passed (checked on every helper call, in this thread only)."""
        state = self.namespace["_BUDGET"]
        before = getattr(state, "deadline", None)
        state.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            state.deadline = before

    def clause_holds(self, fn: Callable[..., bool], args: dict[str, Any], result: dict[str, Any] | None = None) -> bool | None:
        """True/False, or None when the clause is undefined at this point."""
        try:
            return bool(fn(args, result))
        except self.namespace["Undefined"]:
            return None


def not_executable(spec: m.Spec) -> list[NotExecutableClause]:
    return _render(spec)[1]


def compile_predicates(spec: m.Spec) -> Predicates:
    """exec the rendered module in-process: only for specs you trust (they are data, but
    the check runs arbitrary recursion depth)."""
    source, problems = _render(spec)
    ns: dict[str, Any] = {"__name__": f"proofroute_spec_{py_name(spec.name)}"}
    exec(compile(source, f"<spec {spec.name} predicates>", "exec"), ns)
    return Predicates(
        pre=ns["pre"],
        post=ns["post"],
        failing_ensures=ns["failing_ensures"],
        requires=tuple(ns["REQUIRES"]),
        ensures=tuple(ns["ENSURES"]),
        namespace=ns,
        source=source,
        not_executable=tuple(problems),
    )
