"""Verified Dafny to standalone, idiomatic, typed Python with Dafny's exact semantics.

The output uses only the standard library (users take the module away). Names and
parameter order are kept; several results come back as a tuple; arrays are lists changed
in place while sequences are values that the generated code never mutates, so sharing a
list between two sequence variables is safe. Where Python's meaning differs from
Dafny's (`/` and `%` on negative numbers, `<` on sequences, `==` on arrays), the
translator either proves the simple spelling is equal (a positive literal divisor, a
length) or emits a small helper, only when used. Anything it cannot translate exactly is
an `UnsupportedConstruct` at the construct's line and column.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from verifier.backends.dafny.dialect import Dialect
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import UnsupportedConstruct
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_types import (
    BOOL,
    CHAR,
    INT,
    STRING,
    UNKNOWN,
    dafny_text,
    elem,
    is_int,
    is_kind,
    is_string,
    map_value,
    python_hint,
)

# ---------------------------------------------------------------- public results


@dataclass(frozen=True)
class PyParam:
    """One parameter or result: its Dafny name, Python name (renamed only to dodge a
    Python keyword or builtin), Dafny type text and Python annotation."""

    name: str
    dafny_name: str
    dafny_type: str
    hint: str
    is_array: bool = False


@dataclass(frozen=True)
class PyFunction:
    """A translated method or function with its Python signature and its contract."""

    name: str
    dafny_name: str
    kind: str  # "method" | "function" | "predicate"
    params: tuple[PyParam, ...]
    returns: tuple[PyParam, ...]
    requires: tuple[str, ...]
    ensures: tuple[str, ...]
    modifies: tuple[str, ...]
    line: int

    @property
    def return_hint(self) -> str:
        if not self.returns:
            return "None"
        if len(self.returns) == 1:
            return self.returns[0].hint
        return "tuple[" + ", ".join(r.hint for r in self.returns) + "]"


@dataclass(frozen=True)
class PythonModule:
    text: str
    functions: tuple[PyFunction, ...]
    datatypes: tuple[str, ...] = ()
    dialect: str = "auto"
    # files the module needs beside it (only for `--via dafny`: Dafny's own build)
    extra_files: tuple[tuple[str, str], ...] = ()

    def function(self, name: str) -> PyFunction:
        for f in self.functions:
            if f.dafny_name == name or f.name == name:
                return f
        raise KeyError(name)


def translate(
    source: str, *, dialect: Dialect | None = None, program: A.Program | None = None
) -> PythonModule:
    """Translate a whole Dafny program; raises UnsupportedConstruct / DafnySyntaxError.

    `program` is `source` already parsed (the guard's parse: each candidate is parsed
    once); the source is still needed for the literal texts the translation copies."""
    if program is None:
        program = parse(source)
    return _Translator(source, program, dialect).module()


def check_wrapper(
    source: str, method: str, *, dialect: Dialect | None = None, with_requires: bool = True
) -> str:
    """Python text to append to the translation of `source`: `__check__(*args)`.

    `__check__` returns `[False, None]` when the arguments violate the `requires` of
    `method` and `[True, result]` after calling it otherwise. Translation validation runs
    it in the sandbox next to the exact module users get, so inputs are filtered and the
    method is called in one child process. Spec-only (ghost) functions that `requires`
    calls are translated here too, after the module's own definitions.
    """
    program = parse(source)
    decl = program.find(method)
    if not isinstance(decl, (A.Method, A.Function)):
        raise KeyError(method)
    base = _Translator(source, program, dialect)
    base.module()
    tr = _Translator(source, program, dialect, extra_roots=decl.clause_exprs("requires"))
    tr.module()
    lines = []
    if "Counter" in tr.imports - base.imports:
        lines.append("from collections import Counter")
    if "Sequence" in tr.imports - base.imports:
        lines.append("from collections.abc import Sequence")
    lines.extend(_HELPERS[h] for h in sorted(tr.helpers - base.helpers))
    lines.extend(text for name, text in tr.emitted.items() if name not in base.emitted)
    py = base.signature_name(decl)
    # named like the method's own parameters, so the sandbox reports arrays after the call
    names = base._param_names(decl.params)
    args = ", ".join(names[p.name] for p in decl.params if not p.ghost)
    if with_requires:
        lines.append(tr.requires_function(decl))
        guard = f"    if not __requires__({args}):\n        return [False, None]\n"
    else:
        guard = ""
    lines.append(f"def __check__({args}):\n{guard}    return [True, {py}({args})]")
    return "\n\n\n" + "\n\n\n".join(lines) + "\n"


def py_identifier(name: str) -> str:
    """The Python spelling of a Dafny name (`from` -> `from_`, `x'` -> `x_p`); validation
    uses it to find the Dafny constructor of a dataclass instance by its class name."""
    base = re.sub(r"[^A-Za-z0-9_]", lambda m: "_q" if m.group(0) == "?" else "_p", name)
    return base + "_" if base in _RESERVED else base


# ---------------------------------------------------------------- internals

P_LAMBDA, P_IF, P_OR, P_AND, P_NOT, P_CMP = 0, 1, 2, 3, 4, 5
P_BOR, P_BXOR, P_BAND, P_ADD, P_MUL, P_UNARY, P_POSTFIX, P_ATOM = 6, 7, 8, 10, 11, 12, 15, 16

_RESERVED = set(keyword.kwlist) | set(keyword.softkwlist) | {
    "len", "range", "all", "any", "list", "set", "frozenset", "dict", "sum", "print",
    "isinstance", "chr", "ord", "tuple", "str", "int", "bool", "min", "max", "abs",
    "Counter", "dataclass", "Generic", "TypeVar", "object", "l", "O", "I", "type", "id",
    "iter", "next", "map", "filter", "zip", "sorted", "reversed", "None", "True", "False",
    "Sequence", "annotations",
}  # fmt: skip

_KNOWN_TYPES = {
    "int", "nat", "bool", "char", "string", "seq", "set", "iset", "multiset", "map", "imap",
    "array", "array?", "tuple", "?",
}  # fmt: skip

_HELPERS = {
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


def _show_helper(*, multisets: bool, datatypes: bool) -> str:
    """`_show` with the branches this module needs: Dafny prints a multiset as
    `multiset{1, 1}`, a map as `map[1 := true]`, a datatype value as `Col.Rgb(1, 2)`
    (never Python's `Counter(...)`, `{1: True}` or `Rgb(r=1, g=2)`)."""
    head, tail = _HELPERS["_show"].rsplit("\n", 1)
    extra = [_SHOW_MULTISET] if multisets else []  # Counter is a dict: test it first
    extra.append(_SHOW_MAP)
    if datatypes:
        extra.append(_SHOW_DATATYPE)
    return "\n".join([head, *extra, tail])


@dataclass
class _Var:
    py: str
    type: A.Type
    ghost: bool = False


@dataclass
class _Ctx:
    """State while translating one method or function body."""

    scopes: list[dict[str, _Var]] = field(default_factory=list)
    used_py: set[str] = field(default_factory=set)
    outs: tuple[str, ...] = ()
    method: A.Method | None = None


def _lit(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _wrap(code: tuple[str, int], min_prec: int) -> str:
    text, prec = code
    return text if prec >= min_prec else f"({text})"


def _err(node: A.Node, what: str, construct: str, hint: str | None = None) -> UnsupportedConstruct:
    return UnsupportedConstruct(
        what, line=node.pos.line, col=node.pos.col, construct=construct, hint=hint
    )


def _conjuncts(e: A.Expr | None) -> list[A.Expr]:
    if e is None:
        return []
    if isinstance(e, A.BinOp) and e.op == "&&":
        return _conjuncts(e.left) + _conjuncts(e.right)
    if isinstance(e, A.Chain):
        return [
            A.BinOp(op, e.operands[i], e.operands[i + 1], pos=e.pos)
            for i, op in enumerate(e.ops)
        ]
    return [e]


def _mentions(e: A.Node, names: set[str]) -> set[str]:
    return {n.name for n in A.walk(e) if isinstance(n, A.Name) and n.name in names}


class _Translator:
    def __init__(
        self,
        source: str,
        program: A.Program,
        dialect: Dialect | None,
        *,
        extra_roots: Sequence[A.Expr] = (),
    ) -> None:
        self.source = source
        self.program = program
        self.dialect = dialect
        # expressions (a method's requires) whose functions are emitted even when ghost
        self.extra_roots = tuple(extra_roots)
        self.emitted: dict[str, str] = {}
        self.helpers: set[str] = set()
        self.imports: set[str] = set()
        self.typevars: set[str] = set()
        self.datatypes = {d.name: d for d in program.datatypes}
        self.ctors: dict[str, tuple[A.Datatype, A.Constructor]] = {
            c.name: (d, c) for d in program.datatypes for c in d.ctors
        }
        self.functions = {f.name: f for f in program.functions}
        self.methods = {m.name: m for m in program.methods}
        self.consts = {c.name: c for c in program.decls if isinstance(c, A.Const)}
        # module-level Python names: a local with one of these names would shadow the
        # global for the whole Python function (`Sq = Sq(x)` is an UnboundLocalError)
        self.globals: set[str] = {
            py_identifier(n)
            for n in (*self.functions, *self.methods, *self.consts, *self.datatypes, *self.ctors)
        }
        self.ctx = _Ctx()

    # ============================================================ module
    def module(self) -> PythonModule:
        compiled_funcs = self._compiled_functions()
        parts: list[str] = []
        after_datatypes = 0  # index in parts just after the last datatype's classes
        infos: list[PyFunction] = []
        for decl in self.program.decls:
            if isinstance(decl, A.Datatype):
                parts.append(self._datatype(decl))
                after_datatypes = len(parts)
            elif isinstance(decl, A.Const) and not decl.ghost:
                parts.append(self._const(decl))
            elif isinstance(decl, A.Method) and not decl.is_ghost:
                text, info = self._method(decl)
                parts.append(text)
                infos.append(info)
                self.emitted[decl.name] = text
            elif isinstance(decl, A.Function) and decl.name in compiled_funcs:
                text, info = self._function(decl)
                parts.append(text)
                infos.append(info)
                self.emitted[decl.name] = text
        header = ['"""Translated from verified Dafny by proofroute (standard library only)."""', ""]
        header.append("from __future__ import annotations")
        imports = []
        if "Counter" in self.imports:
            imports.append("from collections import Counter")
        if "Sequence" in self.imports:
            imports.append("from collections.abc import Sequence")
        if "dataclass" in self.imports:
            imports.append("from dataclasses import dataclass")
        typing_names = sorted(n for n in ("Generic", "TypeVar") if n in self.imports)
        if typing_names:
            imports.append(f"from typing import {', '.join(typing_names)}")
        if imports:
            header.append("")
            header.extend(imports)
        blocks = ["\n".join(header)]
        if self.typevars:
            tvs = "\n".join(f'{t} = TypeVar("{t}")' for t in sorted(self.typevars))
            blocks[0] += "\n\n" + tvs
        for name in ("_div", "_mod", "_is_prefix", "_is_proper_prefix"):
            if name in self.helpers:
                blocks.append(_HELPERS[name])
        if "_show" in self.helpers:
            blocks.append(_show_helper(multisets="Counter" in self.imports, datatypes=bool(self.datatypes)))
            if self.datatypes:  # Dafny's names of the constructor classes
                names = ", ".join(
                    f'{self._py_name(c.name)}: "{d.name}.{c.name}"'
                    for d in self.datatypes.values()
                    for c in d.ctors
                )
                parts.insert(after_datatypes, f"_DAFNY_NAMES: dict[type, str] = {{{names}}}")
        blocks.extend(parts)
        text = "\n\n\n".join(blocks) + "\n"
        mode = self.dialect.name if self.dialect else "auto"
        return PythonModule(
            text=text,
            functions=tuple(infos),
            datatypes=tuple(self.datatypes),
            dialect=mode,
        )

    def _function_is_ghost(self, f: A.Function) -> bool:
        if f.ghost:
            return True
        if f.is_method:
            return False
        # Dafny 2/3: a plain function is ghost; Dafny 4 (or auto): compiled when used
        return self.dialect is not None and self.dialect.major < 4

    def _compiled_functions(self) -> set[str]:
        """Functions to emit: compiled ones reachable from compiled code, `function method`s."""
        roots: list[A.Node] = []
        for m in self.program.methods:
            if not m.is_ghost and m.body is not None:
                roots.append(self._strip_ghost(m.body))
        for f in self.program.functions:
            if f.is_method and f.body is not None:
                roots.append(f.body)
        for c in self.consts.values():
            if not c.ghost:
                roots.append(c.value)
        seen: set[str] = {f.name for f in self.program.functions if f.is_method}
        stack = [(r, False) for r in roots] + [(r, True) for r in self.extra_roots]
        while stack:
            node, ghost_ok = stack.pop()
            for n in A.walk(node):
                if isinstance(n, A.Name) and n.name in self.functions and n.name not in seen:
                    f = self.functions[n.name]
                    if self._function_is_ghost(f) and not ghost_ok:
                        raise _err(
                            n,
                            f"ghost function '{n.name}' is called from compiled code"
                            + (" (in Dafny 2/3 write 'function method')" if not f.ghost else ""),
                            "ghost call",
                        )
                    seen.add(n.name)
                    if f.body is not None:
                        stack.append((f.body, ghost_ok))
        return seen

    def _strip_ghost(self, node: A.Node) -> A.Node:
        """A block without the ghost statements (for reachability of functions)."""
        if isinstance(node, A.Block):
            return A.Block(tuple(self._strip_ghost(s) for s in node.stmts if not self._is_ghost_stmt(s)))
        if isinstance(node, A.While):
            return A.While(node.cond, (), self._strip_ghost(node.body))
        if isinstance(node, A.If):
            else_ = self._strip_ghost(node.else_) if node.else_ is not None else None
            return A.If(node.cond, self._strip_ghost(node.then), else_)
        return node

    def _is_ghost_call(self, call: A.Expr) -> bool:
        """A call statement of a lemma or ghost method: proof only, dropped."""
        if isinstance(call, A.Call) and isinstance(call.func, A.Name):
            m = self.methods.get(call.func.name)
            return m is not None and m.is_ghost
        return False

    def _is_ghost_stmt(self, s: A.Stmt) -> bool:
        if isinstance(s, A.ForallStmt):
            return bool(s.ensures) or s.body is None or all(self._is_ghost_stmt(x) for x in s.body.stmts)
        return (
            isinstance(s, (A.Assert, A.Reveal, A.Calc))
            or (isinstance(s, A.VarDecl) and s.ghost)
            or (isinstance(s, A.CallStmt) and self._is_ghost_call(s.call))
        )

    # ============================================================ declarations
    def _datatype(self, d: A.Datatype) -> str:
        self.imports.add("dataclass")
        for t in d.type_params:
            self.typevars.add(t)
            self.imports.update({"TypeVar", "Generic"})
        generic = f"(Generic[{', '.join(d.type_params)}])" if d.type_params else ""
        out = []
        for c in d.ctors:
            if c.name == d.name and len(d.ctors) > 1:
                raise _err(c, "a constructor named like its datatype (with others)", "constructor")
            for f in c.fields:
                if not f.ghost:
                    self._check_type(f, f.type)
            lines = ["@dataclass(frozen=True)", f"class {self._py_name(c.name)}{generic}:"]
            doc = f'    """Constructor `{c.name}` of datatype `{d.name}`."""'
            lines.append(doc)
            if c.fields:
                lines.append("")
            for i, f in enumerate(c.fields):
                lines.append(f"    {self._field_name(f, i)}: {python_hint(f.type)}")
            out.append("\n".join(lines))
        if not (len(d.ctors) == 1 and d.ctors[0].name == d.name):
            alias = " | ".join(self._py_name(c.name) for c in d.ctors)
            out.append(f"{d.name} = {alias}")
        return "\n\n\n".join(out)

    @staticmethod
    def _field_name(f: A.Param, i: int) -> str:
        if not f.name:
            return f"f{i}"
        return f.name + "_" if f.name in _RESERVED else f.name

    def _const(self, c: A.Const) -> str:
        self.ctx = _Ctx(scopes=[{}])
        typ = c.type or self.infer(c.value)
        value = _wrap(self.ex(c.value, typ), P_LAMBDA)
        return f"{self._py_name(c.name)}: {python_hint(typ)} = {value}"

    def _py_name(self, name: str) -> str:
        return py_identifier(name)

    @staticmethod
    def _param_names(params: Sequence[A.Param]) -> dict[str, str]:
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

    def signature(self, m: A.Method) -> PyFunction:
        names = self._param_names((*m.params, *m.returns))
        params = tuple(self._param(p, names[p.name]) for p in m.params if not p.ghost)
        outs = tuple(self._param(p, names[p.name]) for p in m.returns if not p.ghost)
        return PyFunction(
            name=self._py_name(m.name),
            dafny_name=m.name,
            kind="method",
            params=params,
            returns=outs,
            requires=tuple(self._text(e) for e in m.clause_exprs("requires")),
            ensures=tuple(self._text(e) for e in m.clause_exprs("ensures")),
            modifies=tuple(self._text(e) for e in m.clause_exprs("modifies")),
            line=m.pos.line,
        )

    def signature_name(self, decl: A.Method | A.Function) -> str:
        return self._py_name(decl.name)

    def _param(self, p: A.Param, py: str) -> PyParam:
        return PyParam(
            name=py,
            dafny_name=p.name,
            dafny_type=dafny_text(p.type),
            hint=python_hint(p.type),
            is_array=p.type.name in ("array", "array?"),
        )

    def _text(self, node: A.Node) -> str:
        raw = self.source[node.pos.start : node.pos.end]
        return " ".join(raw.split())

    def _docstring(self, kind: str, decl: A.Method | A.Function, indent: str) -> list[str]:
        lines = [f"Dafny {kind} `{decl.name}`."]
        contract = []
        for c in decl.clauses:
            if c.kind in ("requires", "ensures", "modifies"):
                for e in c.exprs:
                    contract.append(f"{c.kind} {self._text(e)}")
        if contract:
            lines.append("")
            lines.extend(contract)
        body = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
        if len(body) == 1:
            return [f'{indent}"""{body[0]}"""']
        out = [f'{indent}"""{body[0]}']
        out.extend(f"{indent}{b}" if b else "" for b in body[1:])
        out.append(f'{indent}"""')
        return out

    def _typevars_of(self, names: tuple[str, ...]) -> None:
        for t in names:
            self.typevars.add(t)
            self.imports.add("TypeVar")

    def _method(self, m: A.Method) -> tuple[str, PyFunction]:
        if m.body is None:
            raise _err(m, f"method '{m.name}' has no body (an axiom) and cannot be compiled", "body-less method")
        for a in m.attributes:
            if a.name == "extern":
                raise _err(a, "{:extern} methods cannot be translated", "{:extern}")
        self._typevars_of(m.type_params)
        info = self.signature(m)
        self.ctx = _Ctx(scopes=[{}], method=m)
        names = self._param_names((*m.params, *m.returns))
        for p in (*m.params, *m.returns):
            if not p.ghost:
                self._check_type(p, p.type)
        for p in m.params:
            self._declare(p.name, p.type, ghost=p.ghost, py=names[p.name])
        outs = []
        for p in m.returns:
            var = self._declare(p.name, p.type, ghost=p.ghost, py=names[p.name])
            if not p.ghost:
                outs.append(var.py)
        self.ctx.outs = tuple(outs)
        params = ", ".join(f"{p.name}: {p.hint}" for p in info.params)
        lines = [f"def {info.name}({params}) -> {info.return_hint}:"]
        lines.extend(self._docstring("method", m, "    "))
        reads = self._reads(m.body, {p.name for p in m.returns})
        body: list[str] = []
        needs_default = self._outs_needing_defaults(m, reads)
        for p in m.returns:
            if not p.ghost and p.name in needs_default:
                var = self.ctx.scopes[0][p.name]
                body.append(f"{var.py} = {self._default(p.type, p)}")
        body.extend(self._block(m.body.stmts, reads))
        if outs and not _ends_in_return(m.body.stmts):
            body.append("return " + ", ".join(outs))
        lines.extend("    " + b if b else "" for b in body)
        return "\n".join(lines), info

    def _outs_needing_defaults(self, m: A.Method, reads: set[str]) -> set[str]:
        """Out-parameters that may be read or returned before their first assignment.

        A small definite-assignment pass over the structured body: only those get a
        default value up front, so the output has no dead `r = 0` lines.
        """
        assert m.body is not None
        outs = {p.name for p in m.returns if not p.ghost}
        need: set[str] = set()
        everything = set(outs)

        def reads_of(node: A.Node) -> set[str]:
            return _mentions(node, outs)

        def run(stmts: Sequence[A.Stmt], assigned: set[str]) -> set[str]:
            for s in stmts:
                if self._is_ghost_stmt(s) or isinstance(s, A.Assume):
                    continue
                if isinstance(s, A.Assign):
                    for v in s.values:
                        need.update(reads_of(v) - assigned)
                    for t in s.targets:
                        if isinstance(t, A.Name):
                            assigned = assigned | ({t.name} & outs)
                        else:
                            need.update(reads_of(t) - assigned)
                elif isinstance(s, A.VarDecl):
                    for v in s.values or ():
                        need.update(reads_of(v) - assigned)
                elif isinstance(s, A.Return):
                    for v in s.values:
                        need.update(reads_of(v) - assigned)
                    if not s.values:
                        need.update(outs - assigned)
                    return everything
                elif isinstance(s, A.If):
                    if s.cond is not None:
                        need.update(reads_of(s.cond) - assigned)
                    a1 = run(s.then.stmts, assigned)
                    a2 = run([s.else_], assigned) if s.else_ is not None else assigned
                    assigned = a1 & a2
                elif isinstance(s, A.Block):
                    assigned = run(s.stmts, assigned)
                elif isinstance(s, A.While):
                    if s.cond is not None:
                        need.update(reads_of(s.cond) - assigned)
                    run(s.body.stmts, assigned)
                elif isinstance(s, A.MatchStmt):
                    need.update(reads_of(s.scrutinee) - assigned)
                    results = [run(c.body, assigned) for c in s.cases]
                    assigned = set.intersection(*results) if results else assigned
                else:
                    need.update(reads_of(s) - assigned)
            return assigned

        final = run(m.body.stmts, set())
        need.update(outs - final)
        return need

    def _function(self, f: A.Function) -> tuple[str, PyFunction]:
        if f.body is None:
            raise _err(f, f"function '{f.name}' has no body and cannot be compiled", "body-less function")
        self._typevars_of(f.type_params)
        self.ctx = _Ctx(scopes=[{}])
        names = self._param_names(f.params)
        for p in f.params:
            if not p.ghost:
                self._check_type(p, p.type)
        if f.result is not None:
            self._check_type(f, f.result)
        for p in f.params:
            self._declare(p.name, p.type, ghost=p.ghost, py=names[p.name])
        params = tuple(self._param(p, names[p.name]) for p in f.params if not p.ghost)
        result = f.result or BOOL
        ret = PyParam("result", "result", dafny_text(result), python_hint(result))
        info = PyFunction(
            name=self._py_name(f.name),
            dafny_name=f.name,
            kind=f.kind,
            params=params,
            returns=(ret,),
            requires=tuple(self._text(e) for e in f.clause_exprs("requires")),
            ensures=tuple(self._text(e) for e in f.clause_exprs("ensures")),
            modifies=(),
            line=f.pos.line,
        )
        sig = ", ".join(f"{p.name}: {p.hint}" for p in params)
        lines = [f"def {info.name}({sig}) -> {ret.hint}:"]
        lines.extend(self._docstring(f.kind, f, "    "))
        lines.extend("    " + b if b else "" for b in self._return_expr(f.body, result))
        return "\n".join(lines), info

    def requires_function(self, m: A.Method | A.Function) -> str:
        self.ctx = _Ctx(scopes=[{}], method=m if isinstance(m, A.Method) else None)
        params = []
        names = self._param_names(m.params)
        for p in m.params:
            var = self._declare(p.name, p.type, py=names[p.name])
            if not p.ghost:
                params.append(f"{var.py}: {python_hint(p.type)}")
        conds = [self.ex(e, BOOL) for e in m.clause_exprs("requires")]
        body = " and ".join(_wrap(c, P_AND + 1) for c in conds) if conds else "True"
        return f"def __requires__({', '.join(params)}) -> bool:\n    return {body}"

    # ============================================================ scopes
    def _lookup(self, name: str) -> _Var | None:
        for scope in reversed(self.ctx.scopes):
            if name in scope:
                return scope[name]
        return None

    def _declare(
        self, name: str, typ: A.Type, *, ghost: bool = False, exact: bool = False, py: str | None = None
    ) -> _Var:
        """Bind a Dafny name in the innermost scope.

        Python has one scope per function, so a Dafny variable that shadows a visible one
        (a loop body's `var i` inside a method with an `i`) gets a fresh Python name;
        parameters keep theirs (`exact`, or the name `py` chosen for the signature).
        """
        exact = exact or py is not None
        py = base = py or self._py_name(name)
        k = 2
        while not exact and (self._visible_py(py) or py in self.globals):
            py = f"{base}_{k}"
            k += 1
        var = _Var(py, typ, ghost)
        self.ctx.scopes[-1][name] = var
        self.ctx.used_py.add(py)
        return var

    def _visible_py(self, py: str) -> bool:
        return any(v.py == py for scope in self.ctx.scopes for v in scope.values())

    # ============================================================ statements
    def _reads(self, node: A.Node, outs: Sequence[str] | set[str] = ()) -> set[str]:
        """Names whose values compiled code needs (a liveness fixpoint).

        Ghost statements and loop specifications do not count; an assignment of a pure
        value to a variable nobody needs is dead and does not make its right-hand side's
        names needed either, so `var old := a[..]` used only in invariants disappears
        with everything that only fed it.
        """
        essential: set[str] = set(outs)
        defs: list[tuple[set[str], set[str]]] = []

        def names_in(n: A.Node) -> set[str]:
            return {x.name for x in A.walk(n) if isinstance(x, A.Name)}

        def visit(n: A.Node) -> None:
            if isinstance(n, (A.Assert, A.Assume, A.Reveal, A.Calc, A.LoopSpec, A.ForallStmt)):
                return
            if isinstance(n, A.VarDecl):
                if n.ghost or n.values is None:
                    return
                if any(self._has_effect(v) for v in n.values):
                    for v in n.values:
                        essential.update(names_in(v))
                else:
                    reads = set().union(*(names_in(v) for v in n.values))
                    defs.append(({b.name for b in n.vars}, reads))
                return
            if isinstance(n, A.Assign):
                pure = not any(self._has_effect(v) for v in n.values)
                if pure and all(isinstance(t, A.Name) for t in n.targets):
                    reads = set().union(*(names_in(v) for v in n.values))
                    defs.append(({t.name for t in n.targets if isinstance(t, A.Name)}, reads))
                    return
                for t in n.targets:
                    if not isinstance(t, A.Name):
                        essential.update(names_in(t))
                for v in n.values:
                    essential.update(names_in(v))
                return
            if isinstance(n, A.Name):
                essential.add(n.name)
            for c in A.children(n):
                visit(c)

        visit(node)
        live = set(essential)
        changed = True
        while changed:
            changed = False
            for targets, reads in defs:
                if targets & live and not reads <= live:
                    live |= reads
                    changed = True
        return live

    def _block(self, stmts: Sequence[A.Stmt], reads: set[str]) -> list[str]:
        self.ctx.scopes.append({})
        out: list[str] = []
        for k, s in enumerate(stmts):
            shadowing = (
                {b.name for b in s.vars if self._lookup(b.name) is not None}
                if isinstance(s, A.VarDecl) and not s.ghost
                else set()
            )
            if shadowing:
                # From here to the end of the block the names mean the new variables, whose
                # liveness is their own: a dead `var r := 100` that shadows a live result
                # `r` is dropped like any dead local (ruff F841 otherwise).
                rest = A.Block(tuple(stmts[k + 1 :]), pos=s.pos)
                live_after = self._reads(rest, reads - shadowing)
                reads = (reads - shadowing) | (live_after & shadowing)
            out.extend(self._stmt(s, reads))
        self.ctx.scopes.pop()
        return out

    def _indent(self, lines: list[str]) -> list[str]:
        return ["    " + line if line else "" for line in lines] or ["    pass"]

    def _stmt(self, s: A.Stmt, reads: set[str]) -> list[str]:
        if isinstance(s, (A.Assert, A.Reveal, A.Calc)):
            return []
        if isinstance(s, A.Assume):
            raise _err(s, "'assume' cannot be compiled (the program is not fully verified)", "assume")
        if isinstance(s, A.Block):
            return self._block(s.stmts, reads)
        if isinstance(s, A.VarDecl):
            return self._var_decl(s, reads)
        if isinstance(s, A.Assign):
            return self._assign(s, reads)
        if isinstance(s, A.CallStmt):
            if self._is_ghost_call(s.call):
                return []
            return [self._call_stmt(s.call)]
        if isinstance(s, A.If):
            return self._if(s, reads)
        if isinstance(s, A.While):
            if s.cond is None:
                raise _err(s, "'while *' is outside the supported subset", "while *")
            cond = _wrap(self.ex(s.cond, BOOL), P_LAMBDA)
            return [f"while {cond}:", *self._indent(self._block(s.body.stmts, reads))]
        if isinstance(s, A.Return):
            return self._return(s)
        if isinstance(s, A.Break):
            return ["break"]
        if isinstance(s, A.Print):
            return [self._print(s)]
        if isinstance(s, A.MatchStmt):
            return self._match_stmt(s, reads)
        if isinstance(s, A.ForallStmt):
            if self._is_ghost_stmt(s):
                return []
            raise _err(s, "forall statements that update arrays are outside the supported subset", "forall statement", hint="write a while loop")
        if isinstance(s, (A.VarSuchThat, A.AssignSuchThat)):
            if isinstance(s, A.VarSuchThat) and s.ghost:
                return []
            raise _err(s, "':|' (assign such that) is outside the supported subset", ":|")
        raise _err(s, f"statement {type(s).__name__} is outside the supported subset", type(s).__name__)

    def _var_decl(self, s: A.VarDecl, reads: set[str]) -> list[str]:
        if s.ghost:
            for b in s.vars:
                self._declare(b.name, b.type or UNKNOWN, ghost=True)
            return []
        for b in s.vars:
            if b.type is not None:
                self._check_type(b, b.type)
        if s.values is None:
            out = []
            for b in s.vars:
                typ = b.type or UNKNOWN
                var = self._declare(b.name, typ)
                if b.name in reads:
                    out.append(f"{var.py}: {python_hint(typ)} = {self._default(typ, b)}")
            return out
        values = s.values
        if len(values) == 1 and len(s.vars) > 1:
            # var a, b := M(x);
            call_types = self._call_result_types(values[0])
            rhs = self._rhs(values[0], None)
            targets = []
            for b, t in zip(s.vars, call_types, strict=False):
                typ = b.type or t
                var = self._declare(b.name, typ)
                targets.append(var.py if b.name in reads else "_")
            return [f"{', '.join(targets)} = {rhs}"]
        if len(values) != len(s.vars):
            raise _err(s, "mismatched number of variables and values", "var")
        rhss = []
        types = []
        for b, v in zip(s.vars, values, strict=True):
            typ = b.type or self.infer(v)
            types.append(typ)
            rhss.append(self._rhs(v, typ))
        out_targets = []
        keep = []
        for b, typ, rhs, v in zip(s.vars, types, rhss, values, strict=True):
            var = self._declare(b.name, typ)
            if b.name in reads or self._has_effect(v):
                out_targets.append(var.py if b.name in reads else "_")
                keep.append(rhs)
        if not keep:
            return []
        return [f"{', '.join(out_targets)} = {', '.join(keep)}"]

    def _has_effect(self, e: A.Expr) -> bool:
        return isinstance(e, A.Call) and isinstance(e.func, A.Name) and e.func.name in self.methods

    def _call_result_types(self, e: A.Expr) -> list[A.Type]:
        if isinstance(e, A.Call) and isinstance(e.func, A.Name) and e.func.name in self.methods:
            return [p.type for p in self.methods[e.func.name].returns if not p.ghost]
        return [self.infer(e)]

    def _assign(self, s: A.Assign, reads: set[str]) -> list[str]:
        targets = []
        target_types = []
        live = False
        for t in s.targets:
            if isinstance(t, A.Name):
                var = self._lookup(t.name)
                if var is None:
                    raise _err(t, f"unknown variable '{t.name}'", "assignment")
                if var.ghost:
                    targets.append(None)
                else:
                    live = live or t.name in reads or t.name in self._out_names()
                    targets.append(var.py if (t.name in reads or var.py in self.ctx.outs) else "_")
                target_types.append(var.type)
            elif isinstance(t, A.Index):
                live = True
                seq_t = self.infer(t.seq)
                if not is_kind(seq_t, "array", "array?"):
                    raise _err(t, "element assignment to something other than an array", "a[i] :=")
                targets.append(f"{_wrap(self.ex(t.seq), P_POSTFIX)}[{_wrap(self.ex(t.index, INT), P_LAMBDA)}]")
                target_types.append(elem(seq_t))
            elif isinstance(t, A.MultiIndex):
                raise _err(t, "multi-dimensional arrays are outside the supported subset", "array2")
            else:
                raise _err(t, "assignment to fields or objects is outside the supported subset", "field assignment")
        if all(t is None for t in targets):
            return []
        if len(s.values) == 1 and len(targets) > 1:
            rhs = self._rhs(s.values[0], None)
            return [f"{', '.join(t or '_' for t in targets)} = {rhs}"]
        if any(t is None for t in targets):
            raise _err(s, "simultaneous assignment mixing ghost and compiled variables", "ghost assignment")
        if not live and not any(self._has_effect(v) for v in s.values):
            return []
        rhss = [self._rhs(v, t) for v, t in zip(s.values, target_types, strict=True)]
        return [f"{', '.join(t for t in targets if t)} = {', '.join(rhss)}"]

    def _out_names(self) -> set[str]:
        m = self.ctx.method
        return {p.name for p in m.returns} if m else set()

    def _rhs(self, e: A.Expr, expected: A.Type | None) -> str:
        if isinstance(e, A.NewArray):
            if len(e.sizes) != 1:
                raise _err(e, "multi-dimensional arrays are outside the supported subset", "array2")
            if e.init is not None:
                if not isinstance(e.init, A.Lambda):
                    raise _err(e.init, "an array initializer must be a lambda 'i => e'", "array initializer")
                n = _wrap(self.ex(e.sizes[0], INT), P_LAMBDA)
                self.ctx.scopes.append({})
                var = self._declare(e.init.param, INT)
                body = _wrap(self.ex(e.init.body, e.elem_type), P_LAMBDA)
                self.ctx.scopes.pop()
                name = "_" if e.init.param == "_" else var.py
                return f"[{body} for {name} in range({n})]"
            size = _wrap(self.ex(e.sizes[0], INT), P_MUL + 1)
            default = self._default(e.elem_type, e)
            return f"[{default}] * {size}"
        if isinstance(e, A.Havoc):
            raise _err(e, "'*' (arbitrary value) cannot be compiled", "*")
        return _wrap(self.ex(e, expected), P_LAMBDA)

    def _call_stmt(self, call: A.Expr) -> str:
        if not (isinstance(call, A.Call) and isinstance(call.func, A.Name)):
            raise _err(call, "only method calls can be statements", "expression statement")
        return _wrap(self.ex(call), P_LAMBDA)

    def _if(self, s: A.If, reads: set[str]) -> list[str]:
        if s.cond is None:
            raise _err(s, "'if *' is outside the supported subset", "if *")
        cond = _wrap(self.ex(s.cond, BOOL), P_LAMBDA)
        then = self._block(s.then.stmts, reads)
        if s.else_ is None:
            if not then:
                return []
            if len(then) >= 1 and then[0].startswith("if ") and _single_if(then):
                # collapse nested ifs (ruff SIM102)
                inner_cond = then[0][3:-1]
                return [f"if {_wrap((cond, P_LAMBDA), P_AND + 1) if ' or ' in cond or ' if ' in cond else cond} and {_and_operand(inner_cond)}:", *then[1:]]
            return [f"if {cond}:", *self._indent(then)]
        if isinstance(s.else_, A.If):
            else_lines = self._if(s.else_, reads)
            if not else_lines:
                return [f"if {cond}:", *self._indent(then)]
            if else_lines[0].startswith("if "):
                return [f"if {cond}:", *self._indent(then), "el" + else_lines[0], *else_lines[1:]]
            return [f"if {cond}:", *self._indent(then), "else:", *self._indent(else_lines)]
        other = self._block(s.else_.stmts, reads)
        if not then and not other:
            return []
        ternary = _as_ternary(cond, then, other)
        if ternary is not None:
            return [ternary]
        if not other:
            return [f"if {cond}:", *self._indent(then)]
        if not then:
            neg = _wrap(self._not_cond(s.cond), P_LAMBDA)
            return [f"if {neg}:", *self._indent(other)]
        return [f"if {cond}:", *self._indent(then), "else:", *self._indent(other)]

    def _not_cond(self, e: A.Expr) -> tuple[str, int]:
        return self.ex(A.UnaryOp("!", e, pos=e.pos), BOOL)

    def _return(self, s: A.Return) -> list[str]:
        if not s.values:
            return ["return " + ", ".join(self.ctx.outs)] if self.ctx.outs else ["return"]
        m = self.ctx.method
        assert m is not None
        outs = [p for p in m.returns if not p.ghost]
        if len(s.values) != len(outs):
            raise _err(s, "return with values for ghost out-parameters", "return")
        vals = [self._rhs(v, p.type) for v, p in zip(s.values, outs, strict=True)]
        return ["return " + ", ".join(vals)]

    def _print(self, s: A.Print) -> str:
        args = []
        for a in s.args:
            t = self.infer(a)
            code = _wrap(self.ex(a, t), P_LAMBDA)
            if is_int(t) or is_string(t) or t.name == "char":
                args.append(code)
            else:
                self.helpers.add("_show")
                args.append(f"_show({code})")
        return f'print({", ".join(args)}, sep="", end="")'

    def _match_stmt(self, s: A.MatchStmt, reads: set[str]) -> list[str]:
        scrut_t = self.infer(s.scrutinee)
        lines = [f"match {_wrap(self.ex(s.scrutinee), P_LAMBDA)}:"]
        for case in s.cases:
            self.ctx.scopes.append({})
            pat = self._pattern(case.pattern, scrut_t)
            body = self._block(case.body, reads)
            pat = _drop_unused_captures(pat, self.ctx.scopes[-1], body)
            self.ctx.scopes.pop()
            lines.append(f"    case {pat}:")
            lines.extend("        " + b if b else "" for b in (body or ["pass"]))
        return lines

    def _return_expr(self, e: A.Expr, typ: A.Type) -> list[str]:
        """A function body as statements: if-then-else, let and match become statements."""
        if isinstance(e, A.IfExpr):
            if isinstance(e.then, A.BoolLit) and isinstance(e.else_, A.BoolLit):
                cond = e.cond if e.then.value else A.UnaryOp("!", e.cond, pos=e.cond.pos)
                if e.then.value != e.else_.value:
                    return [f"return {_wrap(self.ex(cond, BOOL), P_LAMBDA)}"]
            cond = _wrap(self.ex(e.cond, BOOL), P_LAMBDA)
            self.ctx.scopes.append({})
            then = self._return_expr(e.then, typ)
            self.ctx.scopes.pop()
            self.ctx.scopes.append({})
            other = self._return_expr(e.else_, typ)
            self.ctx.scopes.pop()
            return [f"if {cond}:", *self._indent(then), *other]
        if isinstance(e, A.LetExpr):
            if len(e.binders) != len(e.values):
                raise _err(e, "let with a pattern or such-that", "let")
            lines = []
            self.ctx.scopes.append({})
            rhss = [self._rhs(v, b.type or self.infer(v)) for b, v in zip(e.binders, e.values, strict=True)]
            names = []
            for b, v in zip(e.binders, e.values, strict=True):
                names.append(self._declare(b.name, b.type or self.infer(v)).py)
            lines.append(f"{', '.join(names)} = {', '.join(rhss)}")
            lines.extend(self._return_expr(e.body, typ))
            self.ctx.scopes.pop()
            return lines
        if isinstance(e, A.MatchExpr):
            scrut_t = self.infer(e.scrutinee)
            lines = [f"match {_wrap(self.ex(e.scrutinee), P_LAMBDA)}:"]
            for case in e.cases:
                self.ctx.scopes.append({})
                pat = self._pattern(case.pattern, scrut_t)
                body = self._return_expr(case.body, typ)
                pat = _drop_unused_captures(pat, self.ctx.scopes[-1], body)
                self.ctx.scopes.pop()
                lines.append(f"    case {pat}:")
                lines.extend("        " + b if b else "" for b in body)
            return lines
        return [f"return {_wrap(self.ex(e, typ), P_LAMBDA)}"]

    def _pattern(self, p: A.Pattern, typ: A.Type) -> str:
        if isinstance(p, A.PatName):
            if p.name in self.ctors and not self.ctors[p.name][1].fields:
                return f"{self._py_name(p.name)}()"
            if p.name == "_" or p.name.startswith("_"):
                return "_"
            return self._declare(p.name, typ).py
        if isinstance(p, A.PatCtor):
            if p.name not in self.ctors:
                raise _err(p, f"unknown constructor '{p.name}'", "pattern")
            dt, ctor = self.ctors[p.name]
            if len(p.args) != len(ctor.fields):
                raise _err(p, f"constructor '{p.name}' takes {len(ctor.fields)} arguments", "pattern")
            subst = self._subst(dt, typ)
            args = [self._pattern(a, self._apply(f.type, subst)) for a, f in zip(p.args, ctor.fields, strict=True)]
            return f"{self._py_name(p.name)}({', '.join(args)})"
        if isinstance(p, A.PatTuple):
            parts = [self._pattern(a, typ.args[i] if typ.name == "tuple" and i < len(typ.args) else UNKNOWN) for i, a in enumerate(p.elements)]
            return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        if isinstance(p, A.PatLit):
            return self.ex(p.value)[0]
        raise _err(p, "unsupported pattern", "pattern")

    # ============================================================ defaults
    def _default(self, t: A.Type, where: A.Node) -> str:
        if is_int(t):
            return "0"
        if t.name == "bool":
            return "False"
        if t.name == "char":
            return '"D"'
        if is_string(t):
            return '""'
        if t.name in ("seq", "array", "array?"):
            return "[]"
        if t.name == "set":
            return "set()"
        if t.name == "multiset":
            self.imports.add("Counter")
            return "Counter()"
        if t.name == "map":
            return "{}"
        if t.name == "tuple":
            return "(" + ", ".join(self._default(a, where) for a in t.args) + ("," if len(t.args) == 1 else "") + ")"
        if t.name in self.datatypes:
            d = self.datatypes[t.name]
            nullary = next((c for c in d.ctors if not c.fields), None)
            if nullary is not None:
                return f"{self._py_name(nullary.name)}()"
        raise _err(where, f"no default value for type {dafny_text(t)}; initialize the variable", "uninitialized variable")

    # ============================================================ typing
    def _subst(self, dt: A.Datatype, typ: A.Type) -> dict[str, A.Type]:
        if typ.name == dt.name and len(typ.args) == len(dt.type_params):
            return dict(zip(dt.type_params, typ.args, strict=True))
        return {}

    def _apply(self, t: A.Type, subst: dict[str, A.Type]) -> A.Type:
        if not subst:
            return t
        if t.name in subst and not t.args:
            return subst[t.name]
        return A.Type(t.name, tuple(self._apply(a, subst) for a in t.args))

    def infer(self, e: A.Expr) -> A.Type:
        if isinstance(e, A.IntLit):
            return INT
        if isinstance(e, A.BoolLit):
            return BOOL
        if isinstance(e, A.CharLit):
            return CHAR
        if isinstance(e, A.StringLit):
            return STRING
        if isinstance(e, A.Name):
            var = self._lookup(e.name)
            if var is not None:
                return var.type
            if e.name in self.consts:
                c = self.consts[e.name]
                return c.type or self.infer(c.value)
            if e.name in self.ctors:
                return A.Type(self.ctors[e.name][0].name)
            return UNKNOWN
        if isinstance(e, A.BinOp):
            if e.op in ("&&", "||", "==>", "<==", "<==>", "==", "!=", "<", "<=", ">", ">=", "in", "!in", "!!"):
                return BOOL
            lt = self.infer(e.left)
            return lt if lt.name != "?" else self.infer(e.right)
        if isinstance(e, (A.Chain, A.Quantifier)):
            return BOOL
        if isinstance(e, A.UnaryOp):
            return BOOL if e.op == "!" else self.infer(e.operand)
        if isinstance(e, A.Cardinality):
            return INT
        if isinstance(e, A.Index):
            st = self.infer(e.seq)
            if st.name == "map":
                return map_value(st)
            if st.name == "multiset":
                return INT
            return elem(st)
        if isinstance(e, A.Slice):
            st = self.infer(e.seq)
            return A.Type("seq", (elem(st),))
        if isinstance(e, A.Update):
            return self.infer(e.seq)
        if isinstance(e, A.Field):
            return self._field_type(e)
        if isinstance(e, A.Call):
            return self._call_type(e)
        if isinstance(e, A.SeqDisplay):
            return A.Type("seq", (self.infer(e.elements[0]) if e.elements else UNKNOWN,))
        if isinstance(e, A.SetDisplay):
            return A.Type("set", (self.infer(e.elements[0]) if e.elements else UNKNOWN,))
        if isinstance(e, A.MultisetDisplay):
            return A.Type("multiset", (self.infer(e.elements[0]) if e.elements else UNKNOWN,))
        if isinstance(e, A.MultisetOf):
            return A.Type("multiset", (elem(self.infer(e.operand)),))
        if isinstance(e, A.MapDisplay):
            if not e.items:
                return A.Type("map", (UNKNOWN, UNKNOWN))
            return A.Type("map", (self.infer(e.items[0][0]), self.infer(e.items[0][1])))
        if isinstance(e, A.TupleDisplay):
            return A.Type("tuple", tuple(self.infer(x) for x in e.elements))
        if isinstance(e, A.IfExpr):
            t = self.infer(e.then)
            return t if t.name != "?" else self.infer(e.else_)
        if isinstance(e, A.LetExpr):
            self.ctx.scopes.append({})
            for b, v in zip(e.binders, e.values, strict=False):
                self._declare(b.name, b.type or self.infer(v))
            t = self.infer(e.body)
            self.ctx.scopes.pop()
            return t
        if isinstance(e, A.MatchExpr):
            scrut_t = self.infer(e.scrutinee)
            for case in e.cases:
                self.ctx.scopes.append({})
                self._pattern(case.pattern, scrut_t)
                t = self.infer(case.body)
                self.ctx.scopes.pop()
                if t.name != "?":
                    return t
            return UNKNOWN
        if isinstance(e, A.AsExpr):
            return e.type
        if isinstance(e, A.Old):
            return self.infer(e.operand)
        if isinstance(e, A.SetComprehension):
            self.ctx.scopes.append({})
            for b in e.binders:
                self._declare(b.name, b.type or self._binder_type(b.name, e.range))
            t = A.Type("set", (self.infer(e.body) if e.body else self.infer(A.Name(e.binders[0].name)),))
            self.ctx.scopes.pop()
            return t
        if isinstance(e, A.MapComprehension):
            self.ctx.scopes.append({})
            for b in e.binders:
                self._declare(b.name, b.type or self._binder_type(b.name, e.range))
            key = self.infer(e.key) if e.key else self.infer(A.Name(e.binders[0].name))
            t = A.Type("map", (key, self.infer(e.value)))
            self.ctx.scopes.pop()
            return t
        if isinstance(e, A.SeqConstructor):
            if isinstance(e.init, A.Lambda):
                self.ctx.scopes.append({})
                self._declare(e.init.param, INT)
                t = A.Type("seq", (self.infer(e.init.body),))
                self.ctx.scopes.pop()
                return t
            return A.Type("seq", (UNKNOWN,))
        if isinstance(e, A.NewArray):
            return A.Type("array", (e.elem_type,))
        return UNKNOWN

    def _binder_type(self, name: str, rng: A.Expr | None) -> A.Type:
        for c in _conjuncts(rng):
            if isinstance(c, A.BinOp) and c.op == "in" and isinstance(c.left, A.Name) and c.left.name == name:
                return elem(self.infer(c.right))
        return INT

    def _field_type(self, e: A.Field) -> A.Type:
        if e.name == "Length":
            return INT
        if e.name.endswith("?"):
            return BOOL
        ot = self.infer(e.obj)
        if e.name == "Keys" and ot.name == "map":
            return A.Type("set", (elem(ot),))
        if e.name == "Values" and ot.name == "map":
            return A.Type("set", (map_value(ot),))
        if e.name.isdigit() and ot.name == "tuple":
            i = int(e.name)
            return ot.args[i] if i < len(ot.args) else UNKNOWN
        if ot.name in self.datatypes:
            dt = self.datatypes[ot.name]
            for c in dt.ctors:
                for f in c.fields:
                    if f.name == e.name:
                        return self._apply(f.type, self._subst(dt, ot))
        return UNKNOWN

    def _call_type(self, e: A.Call) -> A.Type:
        if not isinstance(e.func, A.Name):
            return UNKNOWN
        name = e.func.name
        if name in self.functions:
            f = self.functions[name]
            return f.result or BOOL
        if name in self.methods:
            outs = [p.type for p in self.methods[name].returns if not p.ghost]
            if len(outs) == 1:
                return outs[0]
            return A.Type("tuple", tuple(outs))
        if name in self.ctors:
            dt = self.ctors[name][0]
            if dt.type_params:
                ctor = self.ctors[name][1]
                subst: dict[str, A.Type] = {}
                for f, a in zip(ctor.fields, e.args, strict=False):
                    if f.type.name in dt.type_params and not f.type.args:
                        subst[f.type.name] = self.infer(a)
                return A.Type(dt.name, tuple(subst.get(t, UNKNOWN) for t in dt.type_params))
            return A.Type(dt.name)
        return UNKNOWN

    # ============================================================ expressions
    def ex(self, e: A.Expr, expected: A.Type | None = None) -> tuple[str, int]:
        if isinstance(e, A.IntLit):
            return (str(e.value), P_ATOM) if e.value >= 0 else (str(e.value), P_UNARY)
        if isinstance(e, A.BoolLit):
            return ("True" if e.value else "False", P_ATOM)
        if isinstance(e, A.CharLit):
            return (_lit(e.value), P_ATOM)
        if isinstance(e, A.StringLit):
            return (_lit(e.value), P_ATOM)
        if isinstance(e, A.Name):
            return self._name(e)
        if isinstance(e, A.BinOp):
            return self._binop(e, expected)
        if isinstance(e, A.Chain):
            return self._chain(e)
        if isinstance(e, A.UnaryOp):
            if e.op == "!":
                inner = e.operand
                if isinstance(inner, A.BinOp) and inner.op in ("in", "!in"):
                    flipped = A.BinOp("!in" if inner.op == "in" else "in", inner.left, inner.right, pos=inner.pos)
                    return self.ex(flipped)
                return (f"not {_wrap(self.ex(e.operand, BOOL), P_NOT)}", P_NOT)
            if isinstance(e.operand, A.IntLit):
                return (f"-{e.operand.value}", P_UNARY)
            return (f"-{_wrap(self.ex(e.operand, expected), P_UNARY)}", P_UNARY)
        if isinstance(e, A.Cardinality):
            t = self.infer(e.operand)
            inner = _wrap(self.ex(e.operand, t), P_LAMBDA)
            if t.name == "multiset":
                return (f"{_wrap(self.ex(e.operand, t), P_POSTFIX)}.total()", P_POSTFIX)
            return (f"len({inner})", P_POSTFIX)
        if isinstance(e, A.Index):
            t = self.infer(e.seq)
            key_t = elem(t) if t.name in ("map", "multiset") else INT
            idx = _wrap(self.ex(e.index, key_t), P_LAMBDA)
            return (f"{_wrap(self.ex(e.seq, t), P_POSTFIX)}[{idx}]", P_POSTFIX)
        if isinstance(e, A.MultiIndex):
            raise _err(e, "multi-dimensional arrays are outside the supported subset", "array2")
        if isinstance(e, A.Slice):
            return self._slice(e)
        if isinstance(e, A.Update):
            return self._update(e)
        if isinstance(e, A.Field):
            return self._field(e)
        if isinstance(e, A.Call):
            return self._call(e)
        if isinstance(e, A.SeqDisplay):
            return self._seq_display(e, expected)
        if isinstance(e, A.SetDisplay):
            et = elem(expected) if is_kind(expected, "set") else (self.infer(e.elements[0]) if e.elements else UNKNOWN)
            if not e.elements:
                return ("set()", P_POSTFIX)
            return ("{" + ", ".join(self._hashable(x, et) for x in e.elements) + "}", P_ATOM)
        if isinstance(e, A.MultisetDisplay):
            self.imports.add("Counter")
            et = elem(expected) if is_kind(expected, "multiset") else UNKNOWN
            if not e.elements:
                return ("Counter()", P_POSTFIX)
            return ("Counter([" + ", ".join(self._hashable(x, et) for x in e.elements) + "])", P_POSTFIX)
        if isinstance(e, A.MultisetOf):
            self.imports.add("Counter")
            self._require_hashable(e, elem(self.infer(e.operand)))
            return (f"Counter({_wrap(self.ex(e.operand), P_LAMBDA)})", P_POSTFIX)
        if isinstance(e, A.MapDisplay):
            kt = elem(expected) if is_kind(expected, "map") else UNKNOWN
            vt = map_value(expected) if is_kind(expected, "map") else None
            items = [f"{self._hashable(k, kt)}: {_wrap(self.ex(v, vt), P_LAMBDA)}" for k, v in e.items]
            return ("{" + ", ".join(items) + "}", P_ATOM)
        if isinstance(e, A.TupleDisplay):
            et = expected.args if is_kind(expected, "tuple") else ()
            parts = [_wrap(self.ex(x, et[i] if i < len(et) else None), P_LAMBDA) for i, x in enumerate(e.elements)]
            return ("(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")", P_ATOM)
        if isinstance(e, A.IfExpr):
            then = _wrap(self.ex(e.then, expected), P_OR)
            cond = _wrap(self.ex(e.cond, BOOL), P_OR)
            other = _wrap(self.ex(e.else_, expected), P_IF)
            return (f"{then} if {cond} else {other}", P_IF)
        if isinstance(e, A.LetExpr):
            if len(e.binders) != len(e.values):
                raise _err(e, "let with a pattern or such-that", "let")
            vals = [_wrap(self.ex(v, b.type or self.infer(v)), P_LAMBDA) for b, v in zip(e.binders, e.values, strict=True)]
            self.ctx.scopes.append({})
            names = [self._declare(b.name, b.type or self.infer(v)).py for b, v in zip(e.binders, e.values, strict=True)]
            body = _wrap(self.ex(e.body, expected), P_LAMBDA)
            self.ctx.scopes.pop()
            return (f"(lambda {', '.join(names)}: {body})({', '.join(vals)})", P_POSTFIX)
        if isinstance(e, A.Quantifier):
            return self._quantifier(e)
        if isinstance(e, A.SetComprehension):
            return self._set_comp(e, expected)
        if isinstance(e, A.MapComprehension):
            return self._map_comp(e)
        if isinstance(e, A.AsExpr):
            src = self.infer(e.operand)
            target = e.type.name
            if target in ("int", "nat") and src.name == "char":
                return (f"ord({_wrap(self.ex(e.operand), P_LAMBDA)})", P_POSTFIX)
            if target == "char" and is_int(src):
                return (f"chr({_wrap(self.ex(e.operand), P_LAMBDA)})", P_POSTFIX)
            if (target in ("int", "nat") and is_int(src)) or target == src.name:
                return self.ex(e.operand, expected)
            raise _err(e, f"conversion '{dafny_text(src)} as {target}' is outside the supported subset", "as")
        if isinstance(e, A.SeqConstructor):
            if not isinstance(e.init, A.Lambda):
                raise _err(e, "seq(n, f) needs a lambda 'i => e'", "seq constructor")
            n = _wrap(self.ex(e.length, INT), P_LAMBDA)
            self.ctx.scopes.append({})
            var = self._declare(e.init.param, INT)
            body = _wrap(self.ex(e.init.body), P_LAMBDA)
            self.ctx.scopes.pop()
            return (f"[{body} for {var.py} in range({n})]", P_ATOM)
        if isinstance(e, A.MatchExpr):
            raise _err(e, "a match expression inside a larger expression is outside the supported subset", "match expression", hint="make the match the whole function body, or use a match statement")
        if isinstance(e, A.Old):
            raise _err(e, "old(...) cannot be compiled", "old")
        if isinstance(e, A.Fresh):
            raise _err(e, "fresh(...) cannot be compiled", "fresh")
        if isinstance(e, A.RealLit):
            raise _err(e, "real numbers are outside the supported subset", "real")
        if isinstance(e, (A.NullLit, A.ThisExpr)):
            raise _err(e, "objects (null/this) are outside the supported subset", "object")
        if isinstance(e, A.Lambda):
            raise _err(e, "lambda expressions are outside the supported subset", "lambda")
        if isinstance(e, A.DatatypeUpdate):
            raise _err(e, "datatype update 'd.(f := v)' is outside the supported subset", "datatype update")
        if isinstance(e, (A.NewArray, A.Havoc)):
            raise _err(e, "'new' and '*' are only allowed as a whole right-hand side", "new")
        raise _err(e, f"expression {type(e).__name__} is outside the supported subset", type(e).__name__)

    def _hashable(self, x: A.Expr, t: A.Type) -> str:
        """An element of a set/multiset or a map key: nested sets must be frozensets."""
        xt = self.infer(x) if t.name == "?" else t
        self._require_hashable(x, xt)
        code = _wrap(self.ex(x, xt), P_LAMBDA)
        if xt.name == "set":
            return f"frozenset({code})"
        return code

    def _constant_like(self, e: A.Expr) -> bool:
        """What ruff takes for a constant on the left of a comparison: a literal, a
        negated literal, an ALL_CAPS name."""
        if isinstance(e, (A.IntLit, A.CharLit, A.StringLit)):
            return True
        if isinstance(e, A.UnaryOp) and e.op == "-":
            return isinstance(e.operand, A.IntLit)
        return isinstance(e, A.Name) and e.name in self.consts and self._py_name(e.name).isupper()

    def _require_hashable(self, node: A.Node, t: A.Type) -> None:
        """Refuse elements that Python cannot hash: the translation would raise TypeError.

        A sequence is a list, a multiset a Counter, a map a dict; a top-level set becomes
        a frozenset, but a set, sequence or map inside a tuple or a datatype value stays
        mutable, so `{Box([1])}` cannot be built either.
        """
        bad = self._unhashable_part(t, top=True)
        if bad is None:
            return
        what = "sequences" if bad.name in ("seq", "array", "array?") else dafny_text(bad)
        raise _err(
            node,
            f"sets, multisets and map keys of {what} are outside the supported subset (Python cannot hash {dafny_text(t)})",
            "set of sequences" if what == "sequences" else "unhashable set element",
        )

    def _check_type(self, node: A.Node, t: A.Type) -> None:
        """Refuse a declared type outside the subset where it is declared: `real`,
        bitvectors, classes, `array2`..., and sets or map keys Python cannot hash. A type
        nobody checks would otherwise be treated like an int or an object, silently
        (`bv8` arithmetic wraps around; Python ints do not)."""
        if t.name not in _KNOWN_TYPES and t.name not in self.datatypes and t.name not in self.typevars:
            if t.name == "real":
                what = "real numbers ('real') are"
            elif re.fullmatch(r"bv\d+", t.name):
                what = f"bitvectors ('{t.name}') are"
            elif re.fullmatch(r"array\d+\??", t.name):
                what = f"multi-dimensional arrays ('{t.name}') are"
            else:
                what = f"the type '{t.name}' (a class, trait, newtype or type synonym?) is"
            raise _err(node, f"{what} outside the supported subset", t.name)
        if t.name in ("set", "multiset", "map") and t.args:
            self._require_hashable(node, t.args[0])
        for a in t.args:
            self._check_type(node, a)

    def _unhashable_part(self, t: A.Type, *, top: bool = False, seen: frozenset[str] = frozenset()) -> A.Type | None:
        if t.name in ("seq", "array", "array?"):
            return None if is_string(t) else t
        if t.name in ("map", "multiset") or (t.name == "set" and not top):
            return t
        if t.name == "tuple":
            return next((b for a in t.args if (b := self._unhashable_part(a, seen=seen)) is not None), None)
        dt = self.datatypes.get(t.name)
        if dt is not None and t.name not in seen:
            binding = dict(zip(dt.type_params, t.args, strict=False))
            for c in dt.ctors:
                for f in c.fields:
                    ft = binding.get(f.type.name, f.type) if not f.type.args else f.type
                    bad = self._unhashable_part(ft, seen=seen | {t.name})
                    if bad is not None:
                        return bad
        return None

    def _name(self, e: A.Name) -> tuple[str, int]:
        var = self._lookup(e.name)
        if var is not None:
            if var.ghost:
                raise _err(e, f"ghost variable '{e.name}' used in compiled code", "ghost variable")
            return (var.py, P_ATOM)
        if e.name in self.consts:
            return (self._py_name(e.name), P_ATOM)
        if e.name in self.ctors:
            ctor = self.ctors[e.name][1]
            if not ctor.fields:
                return (f"{self._py_name(e.name)}()", P_POSTFIX)
        raise _err(e, f"unknown or unsupported name '{e.name}'", "name")

    def _binop(self, e: A.BinOp, expected: A.Type | None) -> tuple[str, int]:
        op = e.op
        if op == "&&":
            return (f"{_wrap(self.ex(e.left, BOOL), P_AND)} and {_wrap(self.ex(e.right, BOOL), P_AND + 1)}", P_AND)
        if op == "||":
            # `and` inside `or` is parenthesized (ruff RUF021), `or` chains are not
            left = self.ex(e.left, BOOL)
            return (f"{_wrap(left, P_OR if left[1] == P_OR else P_AND + 1)} or {_wrap(self.ex(e.right, BOOL), P_AND + 1)}", P_OR)
        if op == "==>":
            left = self._not_cond(e.left)
            return (f"{_wrap(left, P_AND + 1)} or {_wrap(self.ex(e.right, BOOL), P_AND + 1)}", P_OR)
        if op == "<==":
            right = self._not_cond(e.right)
            return (f"{_wrap(self.ex(e.left, BOOL), P_AND + 1)} or {_wrap(right, P_AND + 1)}", P_OR)
        if op == "<==>":
            return (f"{_wrap(self.ex(e.left, BOOL), P_CMP + 1)} == {_wrap(self.ex(e.right, BOOL), P_CMP + 1)}", P_CMP)
        lt = self.infer(e.left)
        rt = self.infer(e.right)
        t = lt if lt.name != "?" else rt
        if op in ("==", "!=") and any(isinstance(x, A.NullLit) for x in (e.left, e.right)):
            # `a != null` (older Dafny style): arrays here are never null
            return ("True" if op == "!=" else "False", P_ATOM)
        if op in ("==", "!=", "<", "<=", ">", ">=") and self._constant_like(e.left) and not self._constant_like(e.right):
            # `0 <= x` -> `x >= 0`: the same for ints and chars, and not a Yoda condition
            # (ruff SIM300); literals have no effects, so the order of evaluation is kept
            flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
            return self._binop(A.BinOp(flipped, e.right, e.left, pos=e.pos), expected)
        if op in ("==", "!="):
            for a, b in ((e.left, e.right), (e.right, e.left)):
                if isinstance(b, A.BoolLit):
                    positive = b.value == (op == "==")
                    return self.ex(a, BOOL) if positive else self._not_cond(a)
            # arrays are references in Dafny: `==` is identity
            pyop = op if not is_kind(t, "array", "array?") else ("is" if op == "==" else "is not")
            left = _wrap(self.ex(e.left, t), P_CMP + 1)
            right = _wrap(self.ex(e.right, t), P_CMP + 1)
            return (f"{left} {pyop} {right}", P_CMP)
        if op in ("<", "<=", ">", ">="):
            if t.name == "seq":
                self.helpers.add("_is_prefix" if op in ("<=", ">=") else "_is_proper_prefix")
                self.imports.add("Sequence")
                fn = "_is_prefix" if op in ("<=", ">=") else "_is_proper_prefix"
                a, b = (e.left, e.right) if op in ("<", "<=") else (e.right, e.left)
                return (f"{fn}({_wrap(self.ex(a, t), P_LAMBDA)}, {_wrap(self.ex(b, t), P_LAMBDA)})", P_POSTFIX)
            return (f"{_wrap(self.ex(e.left, t), P_CMP + 1)} {op} {_wrap(self.ex(e.right, t), P_CMP + 1)}", P_CMP)
        if op in ("in", "!in"):
            pyop = "in" if op == "in" else "not in"
            right = e.right
            if isinstance(right, A.Field) and right.name == "Keys" and self.infer(right.obj).name == "map":
                right = right.obj
                rt = self.infer(right)
            left = _wrap(self.ex(e.left, elem(rt)), P_CMP + 1)
            return (f"{left} {pyop} {_wrap(self.ex(right, rt), P_CMP + 1)}", P_CMP)
        if op == "!!":
            if t.name == "multiset":
                return (f"not ({_wrap(self.ex(e.left, t), P_BAND)} & {_wrap(self.ex(e.right, t), P_BAND + 1)})", P_NOT)
            return (f"{_wrap(self.ex(e.left, t), P_POSTFIX)}.isdisjoint({_wrap(self.ex(e.right, t), P_LAMBDA)})", P_POSTFIX)
        if op == "+":
            if t.name == "seq" and not is_string(t):
                return self._seq_concat(e, t)
            if is_string(t) or is_int(t) or t.name == "multiset" or t.name == "?":
                return self._arith(e, "+", P_ADD, t)
            if t.name == "set":
                return self._arith(e, "|", P_BOR, t)
            if t.name == "map":
                return (f"{{**{_wrap(self.ex(e.left, t), P_BOR)}, **{_wrap(self.ex(e.right, t), P_BOR)}}}", P_ATOM)
        if op == "-":
            if is_int(t) or t.name in ("set", "multiset", "?"):
                return self._arith(e, "-", P_ADD, t)
            if t.name == "map":
                m = _wrap(self.ex(e.left, t), P_POSTFIX)
                s = _wrap(self.ex(e.right), P_CMP + 1)
                return (f"{{k: v for k, v in {m}.items() if k not in {s}}}", P_ATOM)
        if op == "*":
            if is_int(t) or t.name == "?":
                return self._arith(e, "*", P_MUL, t)
            if t.name in ("set", "multiset"):
                return self._arith(e, "&", P_BAND, t)
        if op in ("/", "%"):
            if not (is_int(t) or t.name == "?"):
                raise _err(e, f"'{op}' on {dafny_text(t)} is outside the supported subset", op)
            if self._nonnegative(e.right):
                return self._arith(e, "//" if op == "/" else "%", P_MUL, t)
            helper = "_div" if op == "/" else "_mod"
            self.helpers.add(helper)
            return (f"{helper}({_wrap(self.ex(e.left, INT), P_LAMBDA)}, {_wrap(self.ex(e.right, INT), P_LAMBDA)})", P_POSTFIX)
        raise _err(e, f"operator '{op}' on {dafny_text(t)} is outside the supported subset", op)

    def _nonnegative(self, e: A.Expr) -> bool:
        """Divisor known to be >= 0 (and, since the program verified, non-zero)."""
        if isinstance(e, A.IntLit):
            return e.value > 0
        if isinstance(e, A.Cardinality):
            return True
        if isinstance(e, A.Field) and e.name == "Length":
            return True
        if isinstance(e, A.Name):
            var = self._lookup(e.name)
            return var is not None and var.type.name == "nat"
        return False

    def _arith(self, e: A.BinOp, pyop: str, prec: int, t: A.Type) -> tuple[str, int]:
        left = _wrap(self.ex(e.left, t), prec)
        right = _wrap(self.ex(e.right, t), prec + 1)
        return (f"{left} {pyop} {right}", prec)

    def _seq_concat(self, e: A.BinOp, t: A.Type) -> tuple[str, int]:
        parts: list[A.Expr] = []

        def flat(x: A.Expr) -> None:
            if isinstance(x, A.BinOp) and x.op == "+":
                flat(x.left)
                flat(x.right)
            else:
                parts.append(x)

        flat(e)
        if not any(isinstance(p, A.SeqDisplay) for p in parts):
            codes = [_wrap(self.ex(p, t), P_ADD + 1) for p in parts]
            return (" + ".join(codes), P_ADD)
        items: list[str] = []
        for p in parts:
            if isinstance(p, A.SeqDisplay):
                items.extend(_wrap(self.ex(x, elem(t)), P_LAMBDA) for x in p.elements)
            else:
                items.append("*" + _wrap(self.ex(p, t), P_POSTFIX))
        return ("[" + ", ".join(items) + "]", P_ATOM)

    def _chain(self, e: A.Chain) -> tuple[str, int]:
        t = self.infer(e.operands[0])
        simple = all(op in ("<", "<=", ">", ">=", "==", "!=") for op in e.ops) and (is_int(t) or t.name == "char")
        if simple:
            parts = [_wrap(self.ex(e.operands[0], t), P_CMP + 1)]
            for op, x in zip(e.ops, e.operands[1:], strict=True):
                parts.append(op)
                parts.append(_wrap(self.ex(x, t), P_CMP + 1))
            return (" ".join(parts), P_CMP)
        conj = _conjuncts(e)
        return (" and ".join(_wrap(self.ex(c, BOOL), P_AND + 1) for c in conj), P_AND)

    def _slice(self, e: A.Slice) -> tuple[str, int]:
        t = self.infer(e.seq)
        base = _wrap(self.ex(e.seq, t), P_POSTFIX)
        if e.lo is None and e.hi is None:
            if t.name in ("array", "array?"):
                return (f"list({_wrap(self.ex(e.seq, t), P_LAMBDA)})", P_POSTFIX)
            return self.ex(e.seq, t)
        lo = _wrap(self.ex(e.lo, INT), P_LAMBDA) if e.lo is not None else ""
        hi = _wrap(self.ex(e.hi, INT), P_LAMBDA) if e.hi is not None else ""
        return (f"{base}[{lo}:{hi}]", P_POSTFIX)

    def _update(self, e: A.Update) -> tuple[str, int]:
        t = self.infer(e.seq)
        base = _wrap(self.ex(e.seq, t), P_POSTFIX)
        if t.name == "map":
            key = self._hashable(e.index, elem(t))
            return (f"{{**{base}, {key}: {_wrap(self.ex(e.value, map_value(t)), P_LAMBDA)}}}", P_ATOM)
        if t.name == "multiset":
            self.imports.add("Counter")
            key = self._hashable(e.index, elem(t))
            return (f"+Counter({{**{base}, {key}: {_wrap(self.ex(e.value, INT), P_LAMBDA)}}})", P_UNARY)
        if t.name != "seq":
            raise _err(e, f"update 's[i := v]' on {dafny_text(t)}", "update")
        i = _wrap(self.ex(e.index, INT), P_ADD)
        nxt = str(e.index.value + 1) if isinstance(e.index, A.IntLit) else f"{i} + 1"
        if is_string(t):
            v = _wrap(self.ex(e.value, CHAR), P_ADD + 1)
            return (f"{base}[:{i}] + {v} + {base}[{nxt}:]", P_ADD)
        v = _wrap(self.ex(e.value, elem(t)), P_LAMBDA)
        return (f"[*{base}[:{i}], {v}, *{base}[{nxt}:]]", P_ATOM)

    def _field(self, e: A.Field) -> tuple[str, int]:
        ot = self.infer(e.obj)
        obj = _wrap(self.ex(e.obj, ot), P_POSTFIX)
        if e.name == "Length" and is_kind(ot, "array", "array?", "?"):
            return (f"len({_wrap(self.ex(e.obj, ot), P_LAMBDA)})", P_POSTFIX)
        if ot.name == "map" and e.name == "Keys":
            return (f"set({_wrap(self.ex(e.obj, ot), P_LAMBDA)})", P_POSTFIX)
        if ot.name == "map" and e.name == "Values":
            self._require_hashable(e, map_value(ot))
            return (f"set({obj}.values())", P_POSTFIX)
        if ot.name == "map" and e.name == "Items":
            self._require_hashable(e, A.Type("tuple", (elem(ot), map_value(ot))))
            return (f"set({obj}.items())", P_POSTFIX)
        if e.name.endswith("?") and e.name[:-1] in self.ctors:
            return (f"isinstance({_wrap(self.ex(e.obj, ot), P_LAMBDA)}, {self._py_name(e.name[:-1])})", P_POSTFIX)
        if e.name.isdigit():
            return (f"{obj}[{e.name}]", P_POSTFIX)
        if ot.name in self.datatypes:
            for c in self.datatypes[ot.name].ctors:
                for i, f in enumerate(c.fields):
                    if f.name == e.name:
                        return (f"{obj}.{self._field_name(f, i)}", P_POSTFIX)
        raise _err(e, f"member '.{e.name}' of {dafny_text(ot)} is outside the supported subset", f".{e.name}")

    def _call(self, e: A.Call) -> tuple[str, int]:
        if not isinstance(e.func, A.Name):
            raise _err(e, "calls of anything but a named function or method", "call")
        name = e.func.name
        if name in self.functions:
            params = [p for p in self.functions[name].params]
        elif name in self.methods:
            m = self.methods[name]
            if m.is_ghost:
                raise _err(e, f"lemma or ghost method '{name}' called from compiled code", "ghost call")
            params = list(m.params)
        elif name in self.ctors:
            params = list(self.ctors[name][1].fields)
        else:
            raise _err(e, f"unknown function or method '{name}'", "call")
        if len(params) != len(e.args):
            raise _err(e, f"'{name}' takes {len(params)} arguments, {len(e.args)} given", "call")
        args = [
            _wrap(self.ex(a, p.type), P_LAMBDA)
            for a, p in zip(e.args, params, strict=True)
            if not p.ghost
        ]
        return (f"{self._py_name(name)}({', '.join(args)})", P_POSTFIX)

    def _seq_display(self, e: A.SeqDisplay, expected: A.Type | None) -> tuple[str, int]:
        et = elem(expected) if is_kind(expected, "seq") else (self.infer(e.elements[0]) if e.elements else UNKNOWN)
        if et.name == "char":
            if not e.elements:
                return ('""', P_ATOM)
            if all(isinstance(x, A.CharLit) for x in e.elements):
                return (_lit("".join(x.value for x in e.elements)), P_ATOM)  # type: ignore[attr-defined]
            codes = [_wrap(self.ex(x, CHAR), P_ADD + 1) for x in e.elements]
            return (" + ".join(codes), P_ADD if len(codes) > 1 else P_ADD + 1)
        return ("[" + ", ".join(_wrap(self.ex(x, et), P_LAMBDA) for x in e.elements) + "]", P_ATOM)

    # ------------------------------------------------------------ bounded binders
    def _generators(
        self, node: A.Expr, binders: tuple[A.Binder, ...], conj: list[A.Expr]
    ) -> tuple[list[str], list[A.Expr]]:
        """`for` clauses for the binders and the conjuncts left to filter on.

        Each binder gets a finite range from the conjuncts (`lo <= x < hi`, `x in S`); a
        bound on a binder may mention only binders placed before it. Conjuncts used as
        exact bounds are consumed; the others stay as filters, which keeps the meaning
        even where a derived (weaker) bound is used.
        """
        names = {b.name for b in binders}
        pairs: list[tuple[int, A.Expr, str, A.Expr]] = []
        for i, c in enumerate(conj):
            if isinstance(c, A.BinOp) and c.op in ("<", "<=", ">", ">=", "in"):
                pairs.append((i, c.left, c.op, c.right))
        # candidate bounds: binder -> list of (kind, expr, conjunct index or -1)
        lows: dict[str, list[tuple[A.Expr, int]]] = {n: [] for n in names}
        highs: dict[str, list[tuple[A.Expr, int]]] = {n: [] for n in names}
        colls: dict[str, list[tuple[A.Expr, int]]] = {n: [] for n in names}

        def one(x: A.Expr) -> A.Expr:
            return A.IntLit(1, pos=x.pos)

        def plus1(x: A.Expr) -> A.Expr:
            if isinstance(x, A.IntLit):
                return A.IntLit(x.value + 1, pos=x.pos)
            return A.BinOp("+", x, one(x), pos=x.pos)

        for i, left, op, right in pairs:
            if op == "in":
                if isinstance(left, A.Name) and left.name in names and left.name not in _mentions(right, {left.name}):
                    colls[left.name].append((right, i))
                continue
            if op in (">", ">="):
                left, right, op = right, left, ("<" if op == ">" else "<=")
            # left op right, op in < <=
            if isinstance(right, A.Name) and right.name in names and right.name not in _mentions(left, {right.name}):
                lows[right.name].append((plus1(left) if op == "<" else left, i))
            if isinstance(left, A.Name) and left.name in names and left.name not in _mentions(right, {left.name}):
                highs[left.name].append((right if op == "<" else plus1(right), i))
        # derived bounds through another binder: x < y < hi gives x < hi (not exact)
        for _ in range(2):
            for _i, left, op, right in pairs:
                if op == "in":
                    continue
                if op in (">", ">="):
                    left, right = right, left
                if isinstance(left, A.Name) and isinstance(right, A.Name) and left.name in names and right.name in names:
                    for hi, _j in list(highs[right.name]):
                        if left.name not in _mentions(hi, names) and (hi, -1) not in highs[left.name]:
                            highs[left.name].append((hi, -1))
                    for lo, _j in list(lows[left.name]):
                        if right.name not in _mentions(lo, names) and (lo, -1) not in lows[right.name]:
                            lows[right.name].append((lo, -1))
        placed: list[str] = []
        gens: list[str] = []
        used: set[int] = set()
        pending = [b for b in binders]
        while pending:
            progress = False
            for b in list(pending):
                ok = names - set(placed) - {b.name}

                def usable(cands: list[tuple[A.Expr, int]], ok: set[str] = ok) -> tuple[A.Expr, int] | None:
                    good = [(x, i) for x, i in cands if not _mentions(x, ok)]
                    exact = [(x, i) for x, i in good if i >= 0]
                    return (exact or good or [None])[0]

                coll = usable(colls[b.name])
                lo = usable(lows[b.name])
                hi = usable(highs[b.name])
                btype = b.type
                if coll is not None:
                    ct = self.infer(coll[0])
                    btype = btype or elem(ct)
                    var = self._declare(b.name, btype)
                    src = coll[0]
                    if isinstance(src, A.Field) and src.name == "Keys":
                        src = src.obj
                    gens.append(f"for {var.py} in {_wrap(self.ex(src), P_OR)}")
                    used.add(coll[1])
                elif lo is not None and hi is not None:
                    var = self._declare(b.name, btype or INT)
                    lo_code = _wrap(self.ex(lo[0], INT), P_LAMBDA)
                    hi_code = _wrap(self.ex(hi[0], INT), P_LAMBDA)
                    rng = f"range({hi_code})" if lo_code == "0" else f"range({lo_code}, {hi_code})"
                    gens.append(f"for {var.py} in {rng}")
                    used.update({lo[1], hi[1]})
                elif (btype and btype.name == "bool"):
                    var = self._declare(b.name, BOOL)
                    gens.append(f"for {var.py} in (False, True)")
                else:
                    continue
                placed.append(b.name)
                pending.remove(b)
                progress = True
            if not progress:
                b = pending[0]
                raise _err(
                    node,
                    f"cannot find finite bounds for '{b.name}' in this quantifier or comprehension",
                    "unbounded quantifier",
                    hint="write the range as 'lo <= x < hi' or 'x in s' conjuncts",
                )
        rest = [c for i, c in enumerate(conj) if i not in used]
        return gens, rest

    def _quantifier(self, e: A.Quantifier) -> tuple[str, int]:
        self.ctx.scopes.append({})
        try:
            if e.kind == "forall":
                rng, body = e.range, e.body
                if rng is None and isinstance(body, A.BinOp) and body.op == "==>":
                    rng, body = body.left, body.right
                gens, rest = self._generators(e, e.binders, _conjuncts(rng))
                cond = self._filter(rest)
                body_code = _wrap(self.ex(body, BOOL), P_LAMBDA)
                return (f"all({body_code} {' '.join(gens)}{cond})", P_POSTFIX)
            conj = _conjuncts(e.range) + _conjuncts(e.body)
            gens, rest = self._generators(e, e.binders, conj)
            if not rest:
                body_code = "True"
            else:
                body_code = _wrap(self.ex(rest[-1], BOOL), P_LAMBDA)
                rest = rest[:-1]
            return (f"any({body_code} {' '.join(gens)}{self._filter(rest)})", P_POSTFIX)
        finally:
            self.ctx.scopes.pop()

    def _filter(self, rest: list[A.Expr]) -> str:
        if not rest:
            return ""
        return " if " + " and ".join(_wrap(self.ex(c, BOOL), P_AND + 1) for c in rest)

    def _set_comp(self, e: A.SetComprehension, expected: A.Type | None) -> tuple[str, int]:
        self.ctx.scopes.append({})
        try:
            gens, rest = self._generators(e, e.binders, _conjuncts(e.range))
            body = e.body or A.Name(e.binders[0].name, pos=e.pos)
            et = self.infer(body)
            code = self._hashable(body, et)
            m = re.fullmatch(r"for (\w+) in (.+)", gens[0]) if len(gens) == 1 else None
            if m and not rest and code == m.group(1) and et.name != "set":
                return (f"set({m.group(2)})", P_POSTFIX)
            return ("{" + f"{code} {' '.join(gens)}{self._filter(rest)}" + "}", P_ATOM)
        finally:
            self.ctx.scopes.pop()

    def _map_comp(self, e: A.MapComprehension) -> tuple[str, int]:
        self.ctx.scopes.append({})
        try:
            gens, rest = self._generators(e, e.binders, _conjuncts(e.range))
            key = e.key or A.Name(e.binders[0].name, pos=e.pos)
            k = self._hashable(key, self.infer(key))
            v = _wrap(self.ex(e.value), P_LAMBDA)
            return ("{" + f"{k}: {v} {' '.join(gens)}{self._filter(rest)}" + "}", P_ATOM)
        finally:
            self.ctx.scopes.pop()


# ---------------------------------------------------------------- emission helpers


def _drop_unused_captures(pattern: str, scope: Mapping[str, _Var], body: Sequence[str]) -> str:
    """`case Num(n):` whose body never reads `n` becomes `case Num(_):` (ruff F841; the
    Dafny may use the name only in ghost code, which is gone)."""
    text = "\n".join(body)
    for var in scope.values():
        if not re.search(rf"\b{re.escape(var.py)}\b", text):
            pattern = re.sub(rf"(?<![\w.\"]){re.escape(var.py)}(?![\w\"(])", "_", pattern)
    return pattern


def _ends_in_return(stmts: Sequence[A.Stmt]) -> bool:
    real = [s for s in stmts if not isinstance(s, (A.Assert, A.Reveal, A.Calc))]
    return bool(real) and isinstance(real[-1], A.Return)


def _single_if(lines: list[str]) -> bool:
    """`lines` is exactly one `if` statement without elif/else."""
    if not lines or not lines[0].startswith("if ") or not lines[0].endswith(":"):
        return False
    return all(line.startswith("    ") or not line for line in lines[1:])


def _and_operand(cond: str) -> str:
    return f"({cond})" if " or " in cond or " if " in cond or cond.startswith("lambda") else cond


_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*) = (.+)$")


def _as_ternary(cond: str, then: list[str], other: list[str]) -> str | None:
    """`if c: x = a else: x = b` as `x = a if c else b` (what ruff's SIM108 asks for)."""
    if len(then) != 1 or len(other) != 1:
        return None
    m1, m2 = _ASSIGN.match(then[0]), _ASSIGN.match(other[0])
    if not (m1 and m2) or m1.group(1) != m2.group(1):
        return None
    a, b = m1.group(2), m2.group(2)
    if any(" if " in x or x.startswith("lambda") for x in (a, b, cond)):
        return None
    return f"{m1.group(1)} = {a} if {cond} else {b}"
