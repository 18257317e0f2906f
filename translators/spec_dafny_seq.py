"""`seq(n, i => e)` for a Dafny that lacks the sequence constructor (Dafny 2.3 here).

Dafny 4 writes `seq(n, i => e)` as the spec does. Dafny 2.3 has neither the constructor
nor lambdas in that place (its parser stops at `seq(`), so each one becomes a call of a
generated recursive function, `SeqInit1(n, x, ...)` with the variables it captures as
arguments:

    function SeqInit1(n: int, x: int): seq<int>
      requires n >= 0            // as Dafny 4's seq(n, f), which needs 0 <= n
      decreases n
    { if n == 0 then [] else SeqInit1(n - 1, x) + [var i := n - 1; e] }

which Dafny unfolds to the same sequence (`|SeqInit1(n, x)| == n` and element i is `e`
at i). What cannot move into a function is refused with its position and the dialect:
`old(...)` in the body (a function has no pre-state) and a seq(...) in a helper's
`requires` or `decreases`.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.specs import model as m
from verifier.specs.parser import location_in
from verifier.specs.typecheck import ExprTypes

from verifier.errors import SpecError


@dataclass(frozen=True)
class Lowered:
    """A clause or helper body with its seq(...) replaced, and the functions it now calls."""

    text: str
    functions: tuple[str, ...]  # Dafny declarations, one text each


def seq_inits(e: object) -> list[m.SeqInit]:
    """The outermost seq(...) nodes of e, in text order."""
    return m.outermost(e, m.SeqInit)


class SeqLowering:
    """Names the generated functions (`SeqInit1`, ...) of one spec and writes them."""

    def __init__(self, spec: m.Spec, types: ExprTypes, keyword: str) -> None:
        self.keyword = keyword  # `function` (ghost) or `function method`, as the helpers are
        self.spec = spec
        self.types = types
        self.taken = {h.name for h in spec.helpers} | {spec.method}
        self.count = 0

    def lower(self, text: str, offset: int, expr: m.Expr) -> Lowered:
        """`text` (which starts at `offset` of the parsed string) with every seq(...) in
        `expr` replaced by a call."""
        functions: list[str] = []
        out, pos = [], 0
        for node in seq_inits(expr):
            start, end = node.span.start - offset, node.span.end - offset
            call, decls = self._function(text[start:end], node)
            out += [text[pos:start], call]
            functions += decls
            pos = end
        out.append(text[pos:])
        return Lowered("".join(out), tuple(functions))

    def _function(self, written: str, node: m.SeqInit) -> tuple[str, list[str]]:
        if _mentions_old(node.body):
            raise _refusal(node, "old(...) in its body (a function has no pre-state)",
                           "compute the sequence from values that do not need old(...)")
        if seq_inits(node.length):
            raise _refusal(node, "another seq(...) in its length", "bind the length with var first, or use |...|")
        name = self._name()
        captured = self._captured(node)
        length = _fresh("n", {n for n, _ in captured} | {node.var.name})
        body_start = written.index("=>", node.var.span.end - node.span.start) + 2
        raw = written[body_start:-1]
        lead = len(raw) - len(raw.lstrip())
        inner = self.lower(raw.strip(), node.span.start + body_start + lead, node.body)
        length_text = written[len("seq("):written.rindex(",", 0, node.var.span.start - node.span.start)].strip()
        elem = self.types.of(node)
        rtype = m.type_text(elem) if elem is not None else "seq<int>"
        params = ", ".join(f"{n}: {m.type_text(t)}" for n, t in [(length, m.IntType()), *captured])
        args = ", ".join(n for n, _ in captured)
        rec = f"{name}({length} - 1{', ' + args if args else ''})"
        arrays = [n for n, t in captured if isinstance(t, m.ArrayType)]
        decl = [f"{self.keyword} {name}({params}): {rtype}", f"  requires {length} >= 0"]
        decl += [f"  reads {', '.join(arrays)}"] if arrays else []
        decl += [f"  decreases {length}", "{",
                 f"  if {length} == 0 then [] else {rec} + [var {node.var.name} := {length} - 1; {inner.text}]", "}"]
        call = f"{name}({length_text}{', ' + args if args else ''})"
        return call, [*inner.functions, "\n".join(decl)]

    def _name(self) -> str:
        self.count += 1
        name = f"SeqInit{self.count}"
        while name in self.taken:
            self.count += 1
            name = f"SeqInit{self.count}"
        self.taken.add(name)
        return name

    def _captured(self, node: m.SeqInit) -> list[tuple[str, m.Type]]:
        """The variables of the enclosing clause the body uses, with their types, in order."""
        out: dict[str, m.Type] = {}
        for v in _free_var_nodes(node.body, {node.var.name}):
            t = self.types.of(v)
            if v.name not in out:
                out[v.name] = t if t is not None else m.IntType()
        return list(out.items())


def _refusal(node: m.SeqInit, why: str, hint: str) -> SpecError:
    span = node.span
    return SpecError(f"seq(n, i => ...) cannot be written for Dafny 2.3 (it has no sequence constructor, "
                     f"so proofroute generates a function for it): {why}",
                     location=location_in(span.file, "", span.line, span.col), hint=hint, code="dafny-dialect")


def refuse_in(node: m.SeqInit, where: str) -> SpecError:
    return _refusal(node, f"it stands in {where}", "move the seq(...) into the helper's body or an ensures clause")


def _fresh(base: str, taken: set[str]) -> str:
    name = base
    while name in taken:
        name += "_"
    return name


def _mentions_old(e: object) -> bool:
    if isinstance(e, m.Old):
        return True
    if isinstance(e, m.Expr):
        return any(_mentions_old(x) for v in e.__dict__.values() for x in (v if isinstance(v, tuple) else (v,)))
    return False


def _free_var_nodes(e: object, bound: set[str]) -> list[m.Var]:
    """The Var nodes of e not bound inside e (nor in `bound`), in tree order."""
    if isinstance(e, m.Var):
        return [] if e.name in bound else [e]
    if isinstance(e, (m.Quantifier, m.SetComp, m.MatchCase)):
        bound = bound | {v.name for v in e.vars}
    elif isinstance(e, (m.MapComp, m.Let, m.SeqInit)):
        inner = bound | {e.var.name}
        if isinstance(e, m.Let):
            return _free_var_nodes(e.value, bound) + _free_var_nodes(e.body, inner)
        if isinstance(e, m.SeqInit):
            return _free_var_nodes(e.length, bound) + _free_var_nodes(e.body, inner)
        bound = inner
    out: list[m.Var] = []
    if isinstance(e, m.Expr):
        for v in e.__dict__.values():
            for x in v if isinstance(v, tuple) else (v,):
                for y in x if isinstance(x, tuple) else (x,):
                    out += _free_var_nodes(y, bound)
    return out
