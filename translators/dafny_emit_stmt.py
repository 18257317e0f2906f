"""Dafny statements (and function bodies) as Python statements.

Ghost statements vanish; stores nobody reads vanish too (`reads` is the set of live
Dafny names, from `dafny_liveness`), so the output has no dead assignments. The result
is a `python_syntax` tree, where if/else assigning one variable becomes a conditional
expression and nested ifs merge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_emit_expr import ExprEmitter
from verifier.translators.dafny_errors import UnsupportedConstruct
from verifier.translators.dafny_ghost import is_ghost_call, is_ghost_stmt
from verifier.translators.dafny_liveness import live_names
from verifier.translators.dafny_scope import Var, names_in, py_identifier
from verifier.translators.dafny_types import (
    BOOL,
    INT,
    UNKNOWN,
    dafny_text,
    elem,
    is_int,
    is_kind,
    is_string,
    python_hint,
    tuple_parts,
)
from verifier.translators.dafny_unsupported import unsupported
from verifier.translators.python_syntax import (
    Assign,
    Code,
    Compound,
    IfStmt,
    Line,
    PyStmt,
    if_else,
    if_then,
    wrap,
)
from verifier.translators.python_syntax import Prec as P


class StmtEmitter:
    """Translates statement blocks in the scope of the expression emitter."""

    def __init__(self, expr: ExprEmitter) -> None:
        self.expr = expr
        self.scope = expr.scope
        self.index = expr.index
        self.types = expr.types
        # the enclosing loops, innermost last: Python's break/continue reach only the
        # innermost one, so a jump further out goes through flags (see `_loop`)
        self.loops: list[_Loop] = []

    def block(self, stmts: Sequence[A.Stmt], reads: set[str]) -> list[PyStmt]:
        """A Dafny block (its own scope); `reads` are the names live after it."""
        out: list[PyStmt] = []
        stmts = [x for s in stmts for x in self._init_by_method(s)]
        with self.scope.nested():
            for k, s in enumerate(stmts):
                if isinstance(s, A.VarDecl) and _unvalued(s) and any(b.type is None for b in s.vars):
                    s = self._typed_from_later(s, stmts[k + 1 :])
                shadowing = (
                    {b.name for b in s.vars if self.scope.lookup(b.name) is not None}
                    if isinstance(s, A.VarDecl) and not s.ghost
                    else set()
                )
                if shadowing:
                    # From here to the end of the block the names mean the new variables, whose
                    # liveness is their own: a dead `var r := 100` that shadows a live result
                    # `r` is dropped like any dead local (ruff F841 otherwise).
                    rest = A.Block(tuple(stmts[k + 1 :]), pos=s.pos)
                    live_after = live_names(self.index, rest, reads - shadowing)
                    reads = (reads - shadowing) | (live_after & shadowing)
                out.extend(self.stmt(s, reads))
        return out

    def _init_by_method(self, s: A.Stmt) -> list[A.Stmt]:
        """`x := new C.M(args)` with M a method, not a constructor (Dafny 2.3 allows it):
        allocate, then call M on the new object — as two statements."""
        match s:
            case A.VarDecl(vars=(b,), values=(A.NewObject() as n,)):
                target: A.Expr = A.Name(b.name, pos=b.pos)
            case A.Assign(targets=(A.Name() as target,), values=(A.NewObject() as n,)):
                pass
            case _:
                return [s]
        cls, name = self.types.new_target(n)
        if cls is None or not isinstance(member := cls.member(name), A.Method) or member.kind == "constructor":
            return [s]
        alloc = dataclasses.replace(n, cls=n.cls.rpartition(".")[0], args=())
        call = A.Call(A.Field(target, name, pos=n.pos), n.args, pos=n.pos)
        return [dataclasses.replace(s, values=(alloc,)), A.CallStmt(call, pos=n.pos)]

    def _typed_from_later(self, s: A.VarDecl, rest: Sequence[A.Stmt]) -> A.VarDecl:
        """`var x;` (no type, no value): Dafny infers the type from later uses; the type of
        the first value assigned to `x` stands in for it (if it can be told here)."""
        binders = []
        for b in s.vars:
            typ = b.type
            if typ is None:
                found = next((t for r in rest for n in A.walk(r) if isinstance(n, A.Assign)
                              for t in self._assigned_types(n, b.name)), UNKNOWN)
                typ = found if found.name != "?" else None
            binders.append(dataclasses.replace(b, type=typ))
        return dataclasses.replace(s, vars=tuple(binders))

    def _assigned_types(self, n: A.Assign, name: str) -> list[A.Type]:
        """The type of what `n` assigns to `name` (one value each, or a call's outputs)."""
        if len(n.values) == 1 < len(n.targets):
            types = self.types.call_result_types(n.values[0])
        elif len(n.values) == len(n.targets):
            types = [self.types.infer(v) for v in n.values]
        else:
            return []
        return [t for target, t in zip(n.targets, types, strict=False)
                if isinstance(target, A.Name) and target.name == name]

    def stmt(self, s: A.Stmt, reads: set[str]) -> list[PyStmt]:
        match s:
            case A.Assert() | A.Reveal() | A.Calc():
                return []
            case A.Block(stmts=stmts):
                return self.block(stmts, reads)
            case A.VarDecl():
                return self._var_decl(s, reads)
            case A.Assign():
                return self._assign(s, reads)
            case A.CallStmt(call=call):
                return [] if is_ghost_call(self.index, call) else [Line(self._call_stmt(call))]
            case A.If():
                return self._if(s, reads)
            case A.IfSuchThat():
                return self._if_such_that(s, reads)
            case A.While(cond=None):
                raise unsupported(s, "'while *' is outside the supported subset", "while *")
            case A.BodylessLoop():
                raise unsupported(s, "a loop without a body is outside the supported subset (Dafny's "
                                  "compiler refuses it too: the verifier only assumes its invariants)",
                                  "body-less loop", hint="give the loop a body that establishes its invariants")
            case A.While(cond=cond, body=body):
                return self._loop(f"while {self.expr.text(cond, BOOL)}:", body, reads, "")
            case A.For():
                return self._for(s, reads, "")
            case A.Labeled(label=label, stmt=A.While(cond=cond, body=body) as loop) if loop.cond is not None:
                return self._loop(f"while {self.expr.text(cond, BOOL)}:", body, reads, label)
            case A.Labeled(label=label, stmt=A.For() as loop):
                return self._for(loop, reads, label)
            case A.Labeled(stmt=inner):
                return self.stmt(inner, reads)  # a `break L` out of it is refused there
            case A.Break() | A.Continue():
                return self._jump(s)
            case A.Return():
                return self._return(s)
            case A.Print():
                return [Line(self._print(s))]
            case A.Expect(expr=expr, message=message):
                what = self.expr.text(message, None) if message is not None else '"expectation violation"'
                return [Compound(f"if {self.expr.negation(expr).text}:", (Line(f"raise RuntimeError({what})"),))]
            case A.MatchStmt(scrutinee=scrutinee, cases=cases):
                arms = [(c.pattern, partial(self.block, c.body, reads)) for c in cases]
                return [self._match(scrutinee, arms)]
        return self._refused_stmt(s)

    def _loop(self, header: str, body: A.Block, reads: set[str], label: str) -> list[PyStmt]:
        """A loop; a jump out of it to an outer loop (`break L`, `continue L`, `break
        break`) set a flag and broke out: the flag is tested right after it, to break
        again or, at the target loop, to break or continue there."""
        loop = _Loop(label)
        self.loops.append(loop)
        try:
            stmts = self.block(body.stmts, reads)
        finally:
            self.loops.pop()
        inits = [Line(f"{flag} = False") for word, flag in loop.targets.items() if word == "continue"]
        out: list[PyStmt] = [Line(f"{flag} = False") for word, flag in loop.targets.items() if word == "break"]
        out.append(Compound(header, (*inits, *stmts)))
        for flag, word, target in loop.escaping:
            then = word if target is (self.loops[-1] if self.loops else None) else "break"
            out.append(Compound(f"if {flag}:", (Line(then),)))
        return out

    def _for(self, s: A.For, reads: set[str], label: str) -> list[PyStmt]:
        """`for i := lo to hi` is `for i in range(lo, hi)` (Dafny evaluates the bounds once
        and the body cannot assign `i`); `downto` counts from hi - 1 down to lo."""
        start = self.expr.text(s.start, INT)
        end = self.expr.text(s.end, INT)
        if s.down:  # `for i := hi downto lo`: start is hi, end is lo
            rng = f"reversed(range({start}))" if end == "0" else f"reversed(range({end}, {start}))"
        else:
            rng = f"range({end})" if start == "0" else f"range({start}, {end})"
        with self.scope.nested():
            var = self.scope.declare(s.var.name, s.var.type or INT)
            name = var.py if s.var.name in names_in(s.body) else "_"
            return self._loop(f"for {name} in {rng}:", s.body, reads, label)

    def _jump(self, s: A.Break | A.Continue) -> list[PyStmt]:
        word = "break" if isinstance(s, A.Break) else "continue"
        levels = s.levels if isinstance(s, A.Break) else 1
        if s.label:
            target = next((k for k in range(len(self.loops) - 1, -1, -1) if self.loops[k].label == s.label), None)
        else:
            target = len(self.loops) - levels if len(self.loops) >= levels else None
        if target is None:
            raise unsupported(s, f"'{word}{' ' + s.label if s.label else ''}' to a label that is not an "
                              "enclosing loop is outside the supported subset", f"{word} label")
        if target == len(self.loops) - 1:
            return [Line(word)]
        loop = self.loops[target]
        if word not in loop.targets:
            loop.targets[word] = self.scope.declare(f"{word}_{loop.label or 'outer'}", BOOL).py
        flag = loop.targets[word]
        for inner in self.loops[target + 1 :]:
            if (flag, word, loop) not in inner.escaping:
                inner.escaping.append((flag, word, loop))
        return [Line(f"{flag} = True"), Line("break")]

    def _refused_stmt(self, s: A.Stmt) -> list[PyStmt]:
        match s:
            case A.ForallStmt() if is_ghost_stmt(self.index, s):
                return []
            case A.ForallStmt(body=A.Block(stmts=(A.Assign(targets=(A.Index(seq=seq, index=index),),
                                                          values=(value,)),))):
                pairs = self.expr.forall_updates(s, index, value, elem(self.types.infer(seq)))
                with self.scope.nested():
                    i, v = self.scope.declare("_i", INT).py, self.scope.declare("_v", UNKNOWN).py
                    array = self.expr.text(seq, None, P.POSTFIX)
                return [Compound(f"for {i}, {v} in {pairs.text}:", (Line(f"{array}[{i}] = {v}"),))]
            case A.ForallStmt():
                raise unsupported(
                    s,
                    "forall statements other than one array update `a[i] := e` are outside the supported subset",
                    "forall statement",
                    hint="write a while loop",
                )
            case A.VarSuchThat(ghost=True):
                return []
            case A.VarSuchThat():
                return self._var_such_that(s)
            case A.AssignSuchThat():
                return self._assign_such_that(s)
        kind = type(s).__name__
        raise unsupported(s, f"statement {kind} is outside the supported subset", kind)

    def _var_such_that(self, s: A.VarSuchThat) -> list[PyStmt]:
        for b in s.vars:
            if b.type is not None:
                self.types.check_type(b, b.type)
        order, code = self.expr.such_that(s, s.vars, s.cond)
        return [Line(f"{', '.join(v.py for v in order if v is not None)} = {code.text}")]

    def _if_such_that(self, s: A.IfSuchThat, reads: set[str]) -> list[PyStmt]:
        """`if x :| P { S } else { T }`: the search of `x :| P` (its first values, or None
        when there are none), then S with them bound or T."""
        with self.scope.nested():
            order, search = self.expr.such_that(s, s.binders, s.cond, or_none=True)
            names = [v.py for v in order if v is not None]
            found = names[0] if len(names) == 1 else self.scope.declare("_found", UNKNOWN).py
            then: list[PyStmt] = [] if len(names) == 1 else [Line(f"{', '.join(names)} = {found}")]
            then += self.block(s.then.stmts, reads)
        other = self.stmt(s.else_, reads) if s.else_ is not None else []
        branches = [Compound(f"if {found} is not None:", tuple(then) or (Line("pass"),))]
        if other:
            branches.append(Compound("else:", tuple(other)))
        return [Line(f"{found} = {search.text}"), *branches]

    def _assign_such_that(self, s: A.AssignSuchThat) -> list[PyStmt]:
        targets: list[Var] = []
        for t in s.targets:
            var = self.scope.lookup(t.name) if isinstance(t, A.Name) else None
            if var is None or var.ghost:
                raise unsupported(t, "':|' assigns only to compiled local variables here", ":|")
            targets.append(var)
        binders = tuple(
            A.Binder(t.name, v.type, pos=t.pos)
            for v, t in zip(targets, s.targets, strict=True)
            if isinstance(t, A.Name)
        )
        with self.scope.nested():
            _, code = self.expr.such_that(s, binders, s.cond)
        return [Line(f"{', '.join(v.py for v in targets)} = {code.text}")]

    # ------------------------------------------------------------ variables
    def _var_decl(self, s: A.VarDecl, reads: set[str]) -> list[PyStmt]:
        if s.ghost:
            for b in s.vars:
                self.scope.declare(b.name, b.type or UNKNOWN, ghost=True)
            return []
        for b in s.vars:
            if b.type is not None:
                self.types.check_type(b, b.type)
        if s.values is None:
            out: list[PyStmt] = []
            for b in s.vars:
                typ = b.type or UNKNOWN
                var = self.scope.declare(b.name, typ)
                if b.name in reads and (default := self._default_if_any(typ, b)) is not None:
                    out.append(Line(f"{var.py}: {python_hint(typ)} = {default}"))
            return out
        if len(s.values) == 1 and len(s.vars) > 1:
            # var a, b := M(x);
            call_types = self.types.call_result_types(s.values[0])
            if len(call_types) == 1 and call_types[0].name == "tuple":
                call_types = list(call_types[0].args)  # `var (a, b) := pair;`
            rhs = wrap(self.expr.rhs(s.values[0], None), P.LAMBDA)
            targets = []
            for b, t in zip(s.vars, call_types, strict=False):
                var = self.scope.declare(b.name, b.type or t)
                targets.append(var.py if b.name in reads else "_")
            return [Line(f"{', '.join(targets)} = {rhs}")]
        if len(s.values) != len(s.vars):
            raise unsupported(s, "mismatched number of variables and values", "var")
        return self._var_values(s, s.values, reads)

    def _default_if_any(self, typ: A.Type, where: A.Node) -> str | None:
        """The value of `var x: T;` where Dafny gives it one. A type without a default
        (a function type, a type parameter) is not auto-initialized, so Dafny's definite
        assignment rule proved `x` assigned before any read: nothing to write."""
        try:
            return self.expr.default(typ, where)
        except UnsupportedConstruct:
            return None

    def _var_values(self, s: A.VarDecl, values: tuple[A.Expr, ...], reads: set[str]) -> list[PyStmt]:
        """`var x, y := a, b;`: only the live variables (or calls with effects) remain."""
        mark = self.scope.read_mark()
        computed: list[tuple[A.Type, Code, tuple[int, int]]] = []
        for b, v in zip(s.vars, values, strict=True):
            typ = b.type or self.types.infer(v)
            start = self.scope.read_mark()
            code = self.expr.rhs(v, typ)
            computed.append((typ, code, (start, self.scope.read_mark())))
        targets: list[str] = []
        kept: list[tuple[Code, tuple[int, int]]] = []
        for b, (typ, code, span), v in zip(s.vars, computed, values, strict=True):
            var = self.scope.declare(b.name, typ)
            if b.name in reads or self.index.is_method_call(v):
                targets.append(var.py if b.name in reads else "_")
                kept.append((code, span))
        self.scope.forget_reads(mark, [span for _, span in kept])
        match targets, kept:
            case [], _:
                return []
            case [target], [(code, _)]:
                return [Assign(target, code)]
        return [Line(f"{', '.join(targets)} = {', '.join(wrap(c, P.LAMBDA) for c, _ in kept)}")]

    def _assign(self, s: A.Assign, reads: set[str]) -> list[PyStmt]:
        if len(s.targets) == len(s.values) and any(isinstance(v, A.Havoc) for v in s.values):
            # `x := *` leaves x as it is in Dafny's compiled code (its JS build emits nothing)
            kept = [(t, v) for t, v in zip(s.targets, s.values, strict=True) if not isinstance(v, A.Havoc)]
            if not kept:
                return []
            s = dataclasses.replace(s, targets=tuple(t for t, _ in kept), values=tuple(v for _, v in kept))
        names: list[str | None] = []  # Python targets; None for a ghost variable
        target_types: list[A.Type] = []
        live = False
        for t in s.targets:
            target, typ = self._target(t)
            match target:
                case Var(ghost=True):
                    names.append(None)
                case Var(py=py):
                    name = t.name if isinstance(t, A.Name) else ""
                    live = live or name in reads or name in self.scope.out_names()
                    names.append(py if (name in reads or py in self.scope.outs) else "_")
                case str():  # an array element
                    live = True
                    names.append(target)
            target_types.append(typ)
        if all(n is None for n in names):
            return []
        if len(s.values) == 1 and len(names) > 1:
            rhs = wrap(self.expr.rhs(s.values[0], None), P.LAMBDA)
            return [Line(f"{', '.join(n or '_' for n in names)} = {rhs}")]
        if any(n is None for n in names):
            raise unsupported(s, "simultaneous assignment mixing ghost and compiled variables", "ghost assignment")
        if not live and not any(map(self.index.is_method_call, s.values)):
            return []
        rhss = [self.expr.rhs(v, t) for v, t in zip(s.values, target_types, strict=True)]
        match s.targets, names, rhss:
            case [A.Name()], [str() as name], [code]:
                return [Assign(name, code)]
        texts = ", ".join(wrap(c, P.LAMBDA) for c in rhss)
        return [Line(f"{', '.join(n for n in names if n)} = {texts}")]

    def _target(self, t: A.Expr) -> tuple[Var | str, A.Type]:
        """An assignment target: a variable, or the Python text of an array element."""
        match t:
            case A.Name(name=name):
                var = self.scope.lookup(name)
                if var is None:
                    raise unsupported(t, f"unknown variable '{name}'", "assignment")
                return var, var.type
            case A.Index(seq=seq, index=index):
                seq_t = self.types.infer(seq)
                if not is_kind(seq_t, "array", "array?"):
                    raise unsupported(t, "element assignment to something other than an array", "a[i] :=")
                text = f"{self.expr.text(seq, None, P.POSTFIX)}[{self.expr.text(index, INT)}]"
                return text, elem(seq_t)
            case A.MultiIndex(seq=seq):
                return self.expr.multi_index(t), elem(self.types.infer(seq))
            case A.Field(obj=obj, name=name) if self.types.infer(obj).name.rstrip("?") in self.index.classes:
                cls = self.index.classes[self.types.infer(obj).name.rstrip("?")]
                f = next((f for f in cls.fields if f.name == name), None)
                if f is None:
                    raise unsupported(t, f"class '{cls.name}' has no field '{name}'", "field assignment")
                if f.ghost:
                    return Var("", f.type, ghost=True), f.type
                return f"{self.expr.text(obj, None, P.POSTFIX)}.{py_identifier(name)}", f.type
        raise unsupported(t, "assignment to fields or objects is outside the supported subset", "field assignment")

    # ------------------------------------------------------------ control
    def _call_stmt(self, call: A.Expr) -> str:
        if not (isinstance(call, A.Call) and isinstance(call.func, (A.Name, A.Field))):
            raise unsupported(call, "only method calls can be statements", "expression statement")
        return self.expr.text(call)

    def _if(self, s: A.If, reads: set[str]) -> list[PyStmt]:
        if s.cond is None:
            # Dafny's compiler takes the then-branch when there is an else, else nothing
            return [] if s.else_ is None else self.block(s.then.stmts, reads)
        mark = self.scope.read_mark()
        cond = self.expr.ex(s.cond, BOOL)
        then = self.block(s.then.stmts, reads)
        match s.else_:
            case None if not then:
                self.scope.forget_reads(mark)
                return []
            case None:
                return [if_then(cond, then)]
            case A.If():
                match self._if(s.else_, reads):
                    case []:
                        return [IfStmt(cond, tuple(then))]
                    case [IfStmt() as elif_]:
                        return [IfStmt(cond, tuple(then), elif_)]
                    case other:
                        return [IfStmt(cond, tuple(then), tuple(other))]
        other = self.block(s.else_.stmts, reads)
        if not then and not other:
            self.scope.forget_reads(mark)
            return []
        if not other:
            return [IfStmt(cond, tuple(then))]
        if not then:
            return [IfStmt(self.expr.negation(s.cond), tuple(other))]
        return [if_else(cond, then, other)]

    def _return(self, s: A.Return) -> list[PyStmt]:
        if not s.values:
            return [Line("return " + ", ".join(self.scope.outs) if self.scope.outs else "return")]
        m = self.scope.method
        assert m is not None
        outs = [p for p in m.returns if not p.ghost]
        if len(s.values) != len(outs):
            raise unsupported(s, "return with values for ghost out-parameters", "return")
        vals = [wrap(self.expr.rhs(v, p.type), P.LAMBDA) for v, p in zip(s.values, outs, strict=True)]
        return [Line("return " + ", ".join(vals))]

    def _print(self, s: A.Print) -> str:
        args = []
        for a in s.args:
            t = self.types.infer(a)
            if "real" in dafny_text(t):
                raise unsupported(a, "printing a real (Dafny's own decimal text) is outside the supported subset", "print real")
            code = self.expr.text(a, t)
            if is_int(t) or is_string(t) or t.name == "char":
                args.append(code)
            else:
                self.expr.needs.helpers.add("_show")
                args.append(f"_show({code})")
        return f'print({", ".join(args)}, sep="", end="")'

    # ------------------------------------------------------------ match, function bodies
    def _match(self, scrutinee: A.Expr, arms: list[tuple[A.Pattern, Callable[[], list[PyStmt]]]]) -> PyStmt:
        """`match` whose arms are a pattern and the emitter of its body (statements, or
        a function body's expression), run once the pattern's captures are declared."""
        scrut_t = self.types.infer(scrutinee)
        header = f"match {self.expr.text(scrutinee)}:"
        out: list[PyStmt] = []
        for pattern, emit_body in arms:
            with self.scope.nested() as frame:
                mark = self.scope.read_mark()
                self.types.bind_pattern(pattern, scrut_t)
                body = emit_body()
                pat = self._pattern(pattern, frame, mark)
            out.append(Compound(f"case {pat}:", tuple(body)))
        return Compound(header, tuple(out))

    def _pattern(self, p: A.Pattern, frame: dict[str, Var], mark: int) -> str:
        """The Python pattern; a capture the case never reads is `_` (ruff F841: the
        Dafny may read it only in ghost code, which is gone)."""
        match p:
            case A.PatName(name=name) if name in self.index.ctors and not self.index.ctors[name][1].fields:
                return f"{py_identifier(name)}()"
            case A.PatName(name=name) if name.startswith("_"):
                return "_"
            case A.PatName(name=name):
                var = frame[name]
                return var.py if self.scope.was_read_since(var, mark) else "_"
            case A.PatCtor(name=name, args=args):
                return f"{py_identifier(name)}({', '.join(self._pattern(a, frame, mark) for a in args)})"
            case A.PatTuple(elements=elements):
                parts = [self._pattern(a, frame, mark) for a in elements]
                return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
            case A.PatLit(value=value):
                return self.expr.ex(value).text
        raise unsupported(p, "unsupported pattern", "pattern")

    def function_body(self, e: A.Expr, typ: A.Type) -> list[PyStmt]:
        """A function body as statements: if-then-else, let and match become statements."""
        match e:
            case A.IfExpr(cond=cond, then=A.BoolLit(value=a), else_=A.BoolLit(value=b)) if a != b:
                test = cond if a else A.UnaryOp("!", cond, pos=cond.pos)
                return [Line(f"return {self.expr.text(test, BOOL)}")]
            case A.IfExpr(cond=cond, then=then, else_=other):
                test = self.expr.ex(cond, BOOL)
                with self.scope.nested():
                    then_stmts = self.function_body(then, typ)
                with self.scope.nested():
                    other_stmts = self.function_body(other, typ)
                return [IfStmt(test, tuple(then_stmts)), *other_stmts]
            case A.LetExpr(binders=binders, values=(value,), body=body) if len(binders) > 1:
                parts = tuple_parts(self.types.infer(value), len(binders))
                with self.scope.nested():
                    rhs = wrap(self.expr.rhs(value, self.types.infer(value)), P.LAMBDA)
                    names = [self.scope.declare(b.name, b.type or t).py for b, t in zip(binders, parts, strict=True)]
                    return [Line(f"{', '.join(names)} = {rhs}"), *self.function_body(body, typ)]
            case A.LetExpr(binders=binders, values=values, body=body):
                if len(binders) != len(values):
                    raise unsupported(e, "let with a pattern", "let")
                with self.scope.nested():
                    pairs = list(zip(binders, values, strict=True))
                    rhss = [wrap(self.expr.rhs(v, b.type or self.types.infer(v)), P.LAMBDA) for b, v in pairs]
                    names = [self.scope.declare(b.name, b.type or self.types.infer(v)).py for b, v in pairs]
                    return [Line(f"{', '.join(names)} = {', '.join(rhss)}"), *self.function_body(body, typ)]
            case A.StmtExpr(body=body):  # a proof step (an `assume` was refused already)
                return self.function_body(body, typ)
            case A.MatchExpr(scrutinee=scrutinee, cases=cases):
                arms = [(c.pattern, partial(self.function_body, c.body, typ)) for c in cases]
                return [self._match(scrutinee, arms)]
        return [Line(f"return {self.expr.text(e, typ)}")]


@dataclasses.dataclass(eq=False)
class _Loop:
    """A loop being translated: its label, the flags of jumps that target it from inner
    loops (by word), and the jumps that leave it for an outer loop (flag, word, target)."""

    label: str
    targets: dict[str, str] = dataclasses.field(default_factory=dict)
    escaping: list[tuple[str, str, _Loop]] = dataclasses.field(default_factory=list)


def _unvalued(s: A.VarDecl) -> bool:
    """`var x;` or `var x := *;`: the type, if not written, comes from later assignments."""
    return s.values is None or all(isinstance(v, A.Havoc) for v in s.values)
