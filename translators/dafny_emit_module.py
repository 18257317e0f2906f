"""Dafny declarations as a standalone Python module, and the records describing it.

Datatypes become frozen dataclasses (one per constructor, the datatype a union alias),
constants module-level names, methods and compiled functions typed Python functions
with the contract in their docstring. The module imports only the standard library and
the helpers its code uses (users take it away).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.backends.dafny.dialect import Dialect
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_emit_expr import ExprEmitter
from verifier.translators.dafny_emit_stmt import StmtEmitter
from verifier.translators.dafny_errors import UnsupportedConstruct
from verifier.translators.dafny_ghost import compiled_functions, function_is_ghost, strip_ghost
from verifier.translators.dafny_liveness import ends_in_return, live_names, outs_needing_defaults
from verifier.translators.dafny_scope import (
    ProgramIndex,
    Scope,
    Var,
    field_name,
    param_names,
    py_identifier,
)
from verifier.translators.dafny_types import BOOL, TypeInference, dafny_text, python_hint
from verifier.translators.dafny_unsupported import unsupported
from verifier.translators.python_helpers import HELPERS, ORDERED_HELPERS, Needs, show_helper
from verifier.translators.python_syntax import Line, PyStmt, render, wrap
from verifier.translators.python_syntax import Prec as P

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


def _param(p: A.Param, py: str) -> PyParam:
    return PyParam(
        name=py,
        dafny_name=p.name,
        dafny_type=dafny_text(p.type),
        hint=python_hint(p.type),
        is_array=p.type.name in ("array", "array?"),
    )


_MODULE_DOC = '"""Translated from verified Dafny by proofroute (standard library only)."""'


class ModuleEmitter:
    """Translates one program; `emitted` keeps each method's and function's Python text
    and `needs` what they use (the validation wrapper adds only what is new)."""

    def __init__(
        self, source: str, program: A.Program, dialect: Dialect | None, *, extra_roots: Sequence[A.Expr] = ()
    ) -> None:
        self.source = source
        self.program = program
        self.dialect = dialect
        # expressions (a method's requires) whose functions are emitted even when ghost
        self.extra_roots = tuple(extra_roots)
        self.index = ProgramIndex.of(program)
        self.scope = Scope(self.index)
        self.needs = Needs()
        self.types = TypeInference(self.index, self.scope, self.needs.typevars, self.needs.helpers)
        self.expr = ExprEmitter(self.index, self.scope, self.types, self.needs)
        self.stmts = StmtEmitter(self.expr)
        self.emitted: dict[str, str] = {}
        self._used: set[str] | None = None

    # ============================================================ module
    def module(self) -> PythonModule:
        assumed = next((n for n in A.walk(self.program) if isinstance(n, A.Assume)), None)
        if assumed is not None:
            raise unsupported(assumed, "'assume' cannot be compiled: the program is not fully verified "
                              "(Dafny's compiler refuses it anywhere, even in a lemma)", "assume")
        compiled = compiled_functions(self.program, self.index, self.dialect, self.extra_roots)
        self._refuse_clashes(compiled)
        parts: list[str] = []
        after_datatypes = 0  # index in parts just after the last datatype's classes
        infos: list[PyFunction] = []
        for decl in self.program.decls:
            match decl:
                case A.TypeDecl(rhs=None):  # the others are expanded (dafny_type_decls)
                    raise unsupported(decl, f"opaque types ('{decl.name}') are outside the supported "
                                      "subset (Dafny's compiler refuses them too)", "opaque type")
                case A.Class():
                    text, members = self._class(decl)
                    parts.append(text)
                    self.emitted[decl.name] = text
                    del members
                case A.Datatype():
                    parts.append(self._datatype(decl))
                    after_datatypes = len(parts)
                case A.Const(ghost=False):
                    parts.append(self._const(decl))
                case A.Method() if not decl.is_ghost:
                    text, info = self._method(decl)
                    parts.append(text)
                    infos.append(info)
                    self.emitted[decl.name] = text
                case A.Function() if decl.name in compiled:
                    text, info = self._function(decl)
                    parts.append(text)
                    infos.append(info)
                    self.emitted[decl.name] = text
        if any("Callable[" in p for p in parts):
            self.needs.imports.add("Callable")
        if any(re.search(r"\bFraction\b", p) for p in parts):
            # also when reals occur in annotations only: a caller (and validation's
            # wrapper) builds the Fractions it passes with the module's name
            self.needs.imports.add("Fraction")
        blocks = [self._header(), *self._helpers()]
        if "_show" in self.needs.helpers and self.index.datatypes:
            # Dafny's names of the constructor classes, for `_show`
            names = ", ".join(
                f'{py_identifier(c.name)}: "{d.name}.{c.name}"' for d in self.index.datatypes.values() for c in d.ctors
            )
            parts.insert(after_datatypes, f"_DAFNY_NAMES: dict[type, str] = {{{names}}}")
        blocks.extend(parts)
        return PythonModule(
            text="\n\n\n".join(blocks) + "\n",
            functions=tuple(infos),
            datatypes=tuple(self.index.datatypes),
            dialect=self.dialect.name if self.dialect else "auto",
        )

    def _refuse_clashes(self, compiled: set[str]) -> None:
        """Two modules' declarations of one name meet in the one Python namespace: refused
        when either is compiled (or reached from compiled code, which then might call
        the other one)."""
        for name in sorted(self.program.clashes):
            same = [d for d in self.program.decls if d.name == name]
            emitted = [d for d in same if name in compiled or isinstance(d, (A.Datatype, A.Class))
                       or (isinstance(d, A.Method) and not d.is_ghost) or (isinstance(d, A.Const) and not d.ghost)]
            if emitted:
                first, second = same[0], same[1]
                raise unsupported(second, f"two declarations named '{name}' (in modules '{first.module or '_module'}' "
                                  f"and '{second.module or '_module'}'): the Python module is one namespace",
                                  "module name clash")

    def _header(self) -> str:
        imports = self.needs.imports
        lines = []
        if "Counter" in imports:
            lines.append("from collections import Counter")
        abc = sorted(n for n in ("Callable", "Sequence") if n in imports)
        if abc:
            lines.append(f"from collections.abc import {', '.join(abc)}")
        dataclasses = sorted(n for n in ("dataclass", "replace") if n in imports)
        if dataclasses:
            lines.append(f"from dataclasses import {', '.join(dataclasses)}")
        if "Fraction" in imports:
            lines.append("from fractions import Fraction")
        typing_names = sorted(n for n in ("Generic", "TypeVar") if n in imports)
        if typing_names:
            lines.append(f"from typing import {', '.join(typing_names)}")
        header = "\n".join([_MODULE_DOC, "", "from __future__ import annotations", *([""] if lines else []), *lines])
        if self.needs.typevars:
            header += "\n\n" + "\n".join(f'{t} = TypeVar("{t}")' for t in sorted(self.needs.typevars))
        return header

    def _helpers(self) -> list[str]:
        blocks = [HELPERS[name] for name in ORDERED_HELPERS if name in self.needs.helpers]
        if "_show" in self.needs.helpers:
            multisets = "Counter" in self.needs.imports
            blocks.append(show_helper(multisets=multisets, datatypes=bool(self.index.datatypes)))
        return blocks

    # ============================================================ declarations
    def _datatype(self, d: A.Datatype) -> str:
        self.needs.imports.add("dataclass")
        for t in d.type_params:
            self.needs.typevars.add(t)
            self.needs.imports.update({"TypeVar", "Generic"})
        tparams = ", ".join(d.type_params)
        generic = f"(Generic[{tparams}])" if d.type_params else ""
        out = []
        own_class = len(d.ctors) == 1 and d.ctors[0].name == d.name
        members = self._datatype_members(d)
        if members and not own_class:
            # the members live in a base class named like the datatype; every
            # constructor's class derives from it (instead of a union alias)
            out.append("\n".join([f"class {py_identifier(d.name)}{generic}:",
                                   f'    """Dafny datatype `{d.name}` (its members)."""', *members]))
            generic = f"({py_identifier(d.name)}{f'[{tparams}]' if tparams else ''})"
        for c in d.ctors:
            if c.name == d.name and len(d.ctors) > 1:
                raise unsupported(c, "a constructor named like its datatype (with others)", "constructor")
            for f in c.fields:
                if not f.ghost:
                    self.types.check_type(f, f.type)
            lines = ["@dataclass(frozen=True)", f"class {py_identifier(c.name)}{generic}:"]
            lines.append(f'    """Constructor `{c.name}` of datatype `{d.name}`."""')
            if c.fields:
                lines.append("")
            lines.extend(f"    {field_name(f, i)}: {python_hint(f.type)}" for i, f in enumerate(c.fields))
            if own_class:
                lines.extend(members)
            out.append("\n".join(lines))
        if not own_class and not members:
            out.append(f"{d.name} = " + " | ".join(py_identifier(c.name) for c in d.ctors))
        return "\n\n\n".join(out)

    def _datatype_members(self, d: A.Datatype) -> list[str]:
        """The compiled members of a datatype, as class-body lines (`this` is `self`)."""
        holder = self.index.holder(d.name)
        if holder is None:
            return []
        lines: list[str] = []
        self.scope.this_class = holder
        try:
            for m in holder.members:
                text = self._member(holder, m, [])
                if text:
                    lines += ["", *("    " + ln if ln else "" for ln in text.splitlines())]
        finally:
            self.scope.this_class = None
            self.scope.class_frame = {}
        return lines

    def _const(self, c: A.Const) -> str:
        self.scope.reset()
        typ = c.type or self.types.infer(c.value)
        return f"{py_identifier(c.name)}: {python_hint(typ)} = {self.expr.text(c.value, typ)}"

    # ============================================================ classes
    def _class(self, c: A.Class) -> tuple[str, list[str]]:
        """A Python class: `__init__` sets every compiled field to its Dafny default (the
        anonymous constructor, if any, then runs), a named constructor is a method that
        initializes `self` and returns it (`new C.Init(x)` is `C().Init(x)`), instance
        members take `self`, static ones are static methods."""
        for t in c.type_params:
            self.needs.typevars.add(t)
            self.needs.imports.update({"TypeVar", "Generic"})
        bases = [py_identifier(p) for p in c.parents] + ([f"Generic[{', '.join(c.type_params)}]"] if c.type_params else [])
        fields = [f for f in self.index.all_fields(c) if not f.ghost]
        for f in fields:
            self.types.check_type(f, f.type)
        kind = "trait" if c.trait else "class"
        lines = [f"class {py_identifier(c.name)}{'(' + ', '.join(bases) + ')' if bases else ''}:",
                 f'    """Dafny {kind} `{c.name}`."""']
        for k in (m for m in c.members if isinstance(m, A.Const) and not m.ghost):
            self.scope.reset()
            typ = k.type or self.types.infer(k.value)
            lines += ["", f"    {py_identifier(k.name)}: {python_hint(typ)} = {self.expr.text(k.value, typ)}"]
        defaults = [f"self.{py_identifier(f.name)}: {python_hint(f.type)} = {self._field_default(f)}" for f in fields]
        anonymous = next((m for m in c.members if isinstance(m, A.Method) and m.kind == "constructor" and not m.name), None)
        if anonymous is None and not c.trait:  # a trait's fields are set by its classes
            lines += ["", "    def __init__(self) -> None:", *(f"        {d}" for d in defaults or ["pass"])]
        self.scope.this_class = c
        try:
            # a trait's member without a body is implemented by each class (Python looks
            # it up on the object)
            for m in c.members:
                if c.trait and isinstance(m, (A.Method, A.Function)) and m.body is None:
                    continue
                text = self._member(c, m, defaults)
                if text:
                    lines += ["", *("    " + ln if ln else "" for ln in text.splitlines())]
        finally:
            self.scope.this_class = None
            self.scope.class_frame = {}
        return "\n".join(lines), []

    def _used_members(self) -> set[str]:
        """Names compiled method bodies use (a plain `function` of a class is compiled, in
        Dafny 4's rules, only when compiled code calls it; a `Valid()` read only by
        contracts stays ghost)."""
        if self._used is None:
            bodies: list[A.Node] = [m.body for m in self.program.methods if not m.is_ghost and m.body is not None]
            bodies += [f.body for f in self.program.functions if f.is_method and f.body is not None]
            for c in (*self.index.classes.values(), *self.index.datatype_members.values()):
                bodies += [m.body for m in c.members
                           if isinstance(m, A.Method) and not m.is_ghost and m.body is not None]
                bodies += [m.body for m in c.members if isinstance(m, A.Function) and m.body is not None
                           and not function_is_ghost(m, self.dialect)]
            self._used = {
                n.name for b in bodies for n in A.walk(strip_ghost(self.index, b))
                if isinstance(n, (A.Name, A.Field))
            }
        return self._used

    def _field_default(self, f: A.FieldDecl) -> str:
        try:
            return self.expr.default(f.type, f)
        except UnsupportedConstruct:
            return "None"  # a reference: the verifier proved constructors assign it

    def _member(self, c: A.Class, m: A.Decl, defaults: list[str]) -> str:
        static = m.name in c.statics
        self.scope.class_frame = {} if static else {
            f.name: Var(f"self.{py_identifier(f.name)}", f.type, f.ghost) for f in self.index.all_fields(c)
        }
        if isinstance(m, A.Method) and not m.is_ghost:
            text, _ = self._method(m)
        elif isinstance(m, A.Function) and (m.is_method or (
                not function_is_ghost(m, self.dialect) and m.name in self._used_members())):
            text, _ = self._function(m)
        else:
            return ""
        head, _, rest = text.partition("\n")
        name = py_identifier(m.name) if m.name else ""
        args = head[head.index("(") + 1 : head.rindex(") ->")]
        if isinstance(m, A.Method) and m.kind == "constructor":
            if not m.name:
                lines = rest.split("\n")
                doc_end = next(i for i, ln in enumerate(lines) if ln.rstrip().endswith('"""')
                               and (i > 0 or ln.strip() != '"""'))
                body = "\n".join([*lines[: doc_end + 1], *(f"    {d}" for d in defaults), *lines[doc_end + 1 :]])
                return f"def __init__(self{', ' if args else ''}{args}) -> None:\n{body}"
            return f"def {name}(self{', ' if args else ''}{args}) -> {py_identifier(c.name)}:\n{rest}\n    return self"
        if static:
            return f"@staticmethod\n{head}\n{rest}"
        return f"{head.replace(f'def {name}(', f'def {name}(self, ' if args else f'def {name}(self', 1)}\n{rest}"

    def _text(self, node: A.Node) -> str:
        """The Dafny source of `node`, whitespace collapsed (for contracts in docs)."""
        raw = self.source[node.pos.start : node.pos.end]
        return " ".join(raw.split())

    def _contract(self, decl: A.Method | A.Function, kind: str) -> tuple[str, ...]:
        return tuple(self._text(e) for e in decl.clause_exprs(kind))

    def _docstring(self, kind: str, decl: A.Method | A.Function) -> list[str]:
        lines = [f"Dafny {kind} `{decl.name}`." if decl.name else f"Dafny anonymous {kind}."]
        contract = [
            f"{c.kind} {self._text(e)}" for c in decl.clauses if c.kind in ("requires", "ensures", "modifies") for e in c.exprs
        ]
        if contract:
            lines.append("")
            lines.extend(contract)
        body = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
        if len(body) == 1:
            return [f'    """{body[0]}"""']
        return [f'    """{body[0]}', *(f"    {b}" if b else "" for b in body[1:]), '    """']

    def _typevars_of(self, names: tuple[str, ...]) -> None:
        for t in names:
            self.needs.typevars.add(t)
            self.needs.imports.add("TypeVar")

    def signature(self, m: A.Method) -> PyFunction:
        names = param_names((*m.params, *m.returns))
        return PyFunction(
            name=py_identifier(m.name),
            dafny_name=m.name,
            kind="method",
            params=tuple(_param(p, names[p.name]) for p in m.params if not p.ghost),
            returns=tuple(_param(p, names[p.name]) for p in m.returns if not p.ghost),
            requires=self._contract(m, "requires"),
            ensures=self._contract(m, "ensures"),
            modifies=self._contract(m, "modifies"),
            line=m.pos.line,
        )

    def _method(self, m: A.Method) -> tuple[str, PyFunction]:
        if m.body is None:
            raise unsupported(m, f"method '{m.name}' has no body (an axiom) and cannot be compiled", "body-less method")
        for a in m.attributes:
            if a.name == "extern":
                raise unsupported(a, "{:extern} methods cannot be translated", "{:extern}")
        self._typevars_of(m.type_params)
        info = self.signature(m)
        self.scope.reset(method=m)
        names = param_names((*m.params, *m.returns))
        for p in (*m.params, *m.returns):
            if not p.ghost:
                self.types.check_type(p, p.type)
        for p in m.params:
            self.scope.declare(p.name, p.type, ghost=p.ghost, py=names[p.name])
        outs = [self.scope.declare(p.name, p.type, ghost=p.ghost, py=names[p.name]) for p in m.returns]
        self.scope.outs = tuple(v.py for v in outs if not v.ghost)
        params = ", ".join(f"{p.name}: {p.hint}" for p in info.params)
        lines = [f"def {info.name}({params}) -> {info.return_hint}:", *self._docstring("constructor" if m.kind == "constructor" else "method", m)]
        reads = live_names(self.index, m.body, {p.name for p in m.returns} | set(self.scope.class_frame))
        needs_default = outs_needing_defaults(self.index, m)
        body: list[PyStmt] = [
            Line(f"{var.py} = {self.expr.default(p.type, p)}")
            for p, var in zip(m.returns, outs, strict=True)
            if not p.ghost and p.name in needs_default
        ]
        body.extend(self.stmts.block(m.body.stmts, reads))
        if self.scope.outs and not ends_in_return(m.body.stmts):
            body.append(Line("return " + ", ".join(self.scope.outs)))
        return "\n".join(lines + render(body, "    ")), info

    def _function(self, f: A.Function) -> tuple[str, PyFunction]:
        if f.by_method is not None:
            return self._method(f.as_method())
        if f.body is None:
            raise unsupported(f, f"function '{f.name}' has no body and cannot be compiled", "body-less function")
        self._typevars_of(f.type_params)
        self.scope.reset()
        names = param_names(f.params)
        for p in f.params:
            if not p.ghost:
                self.types.check_type(p, p.type)
        if f.result is not None:
            self.types.check_type(f, f.result)
        for p in f.params:
            self.scope.declare(p.name, p.type, ghost=p.ghost, py=names[p.name])
        params = tuple(_param(p, names[p.name]) for p in f.params if not p.ghost)
        result = f.result or BOOL
        ret = PyParam("result", "result", dafny_text(result), python_hint(result))
        info = PyFunction(
            name=py_identifier(f.name),
            dafny_name=f.name,
            kind=f.kind,
            params=params,
            returns=(ret,),
            requires=self._contract(f, "requires"),
            ensures=self._contract(f, "ensures"),
            modifies=(),
            line=f.pos.line,
        )
        sig = ", ".join(f"{p.name}: {p.hint}" for p in params)
        lines = [f"def {info.name}({sig}) -> {ret.hint}:", *self._docstring(f.kind, f)]
        return "\n".join(lines + render(self.stmts.function_body(f.body, result), "    ")), info

    def requires_function(self, m: A.Method | A.Function) -> str:
        """`__requires__(params) -> bool`: the precondition of `m` as Python."""
        self.scope.reset(method=m if isinstance(m, A.Method) else None)
        params = []
        names = param_names(m.params)
        for p in m.params:
            var = self.scope.declare(p.name, p.type, py=names[p.name])
            if not p.ghost:
                params.append(f"{var.py}: {python_hint(p.type)}")
        conds = [self.expr.ex(e, BOOL) for e in m.clause_exprs("requires")]
        body = " and ".join(wrap(c, P.AND + 1) for c in conds) if conds else "True"
        return f"def __requires__({', '.join(params)}) -> bool:\n    return {body}"
