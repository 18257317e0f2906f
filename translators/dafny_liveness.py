"""Which values compiled code needs: dead stores and unneeded default values vanish.

Verified Dafny keeps variables only the proof reads (`var old := a[..]` used in
invariants). After ghost erasure their assignments are dead, and Python linters flag
them (ruff F841); out-parameters need a default value only where they may be read or
returned before their first assignment.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_ghost import is_ghost_stmt
from verifier.translators.dafny_scope import ProgramIndex, mentions, names_in


class _Liveness:
    """Collects the names compiled code reads for sure (`essential`) and the pure
    definitions (targets, names read) that make more names live if a target is live."""

    def __init__(self, index: ProgramIndex, outs: Sequence[str] | set[str]) -> None:
        self.index = index
        self.essential: set[str] = set(outs)
        self.defs: list[tuple[set[str], set[str]]] = []

    def visit(self, n: A.Node) -> None:
        match n:
            case A.Assert() | A.Assume() | A.Reveal() | A.Calc() | A.LoopSpec() | A.ForallStmt():
                return
            case A.VarDecl(ghost=True) | A.VarDecl(values=None):
                return
            case A.VarDecl(vars=binders, values=values):
                self._definition({b.name for b in binders}, (), values)
                return
            case A.Assign(targets=targets, values=values):
                if all(isinstance(t, A.Name) for t in targets):
                    self._definition({t.name for t in targets if isinstance(t, A.Name)}, (), values)
                else:
                    self._definition(set(), targets, values)
                return
            case A.Name(name=name):
                self.essential.add(name)
        for c in A.children(n):
            self.visit(c)

    def _definition(self, targets: set[str], other_targets: Sequence[A.Expr], values: Sequence[A.Expr]) -> None:
        """A store: pure into names only, it is live only if a target is; otherwise
        (a method call, an array element) everything it reads is needed."""
        if targets and not other_targets and not any(map(self.index.is_method_call, values)):
            self.defs.append((targets, set().union(*(names_in(v) for v in values))))
            return
        for t in other_targets:
            if not isinstance(t, A.Name):
                self.essential.update(names_in(t))
        for v in values:
            self.essential.update(names_in(v))

    def live(self) -> set[str]:
        live = set(self.essential)
        changed = True
        while changed:
            changed = False
            for targets, reads in self.defs:
                if targets & live and not reads <= live:
                    live |= reads
                    changed = True
        return live


def live_names(index: ProgramIndex, node: A.Node, outs: Sequence[str] | set[str] = ()) -> set[str]:
    """Names whose values compiled code needs (a liveness fixpoint).

    Ghost statements and loop specifications do not count; an assignment of a pure
    value to a variable nobody needs is dead and does not make its right-hand side's
    names needed either, so `var old := a[..]` used only in invariants disappears
    with everything that only fed it.
    """
    pass_ = _Liveness(index, outs)
    pass_.visit(node)
    return pass_.live()


class _DefiniteAssignment:
    """A small definite-assignment pass over a method's structured body: collects the
    out-parameters read (or returned) where they may not be assigned yet."""

    def __init__(self, index: ProgramIndex, outs: set[str]) -> None:
        self.index = index
        self.outs = outs
        self.need: set[str] = set()

    def _reads(self, node: A.Node, assigned: set[str]) -> None:
        self.need.update(mentions(node, self.outs) - assigned)

    def run(self, stmts: Sequence[A.Stmt], assigned: set[str]) -> set[str]:
        """The outs surely assigned after `stmts` (all of them after a `return`)."""
        for s in stmts:
            if is_ghost_stmt(self.index, s) or isinstance(s, A.Assume):
                continue
            match s:
                case A.Assign(targets=targets, values=values):
                    for v in values:
                        self._reads(v, assigned)
                    havoc = [isinstance(v, A.Havoc) for v in values] if len(values) == len(targets) else []
                    for k, t in enumerate(targets):
                        if isinstance(t, A.Name) and not (havoc and havoc[k]):  # `x := *` emits nothing
                            assigned = assigned | ({t.name} & self.outs)
                        else:
                            self._reads(t, assigned)
                case A.VarDecl(values=values):
                    for v in values or ():
                        self._reads(v, assigned)
                case A.Return(values=values):
                    for v in values:
                        self._reads(v, assigned)
                    if not values:
                        self.need.update(self.outs - assigned)
                    return set(self.outs)
                case _:
                    assigned = self._compound(s, assigned)
        return assigned

    def _compound(self, s: A.Stmt, assigned: set[str]) -> set[str]:
        match s:
            case A.If(cond=cond, then=then, else_=else_):
                if cond is not None:
                    self._reads(cond, assigned)
                a1 = self.run(then.stmts, assigned)
                a2 = self.run([else_], assigned) if else_ is not None else assigned
                return a1 & a2
            case A.Block(stmts=stmts):
                return self.run(stmts, assigned)
            case A.While(cond=cond, body=body):
                if cond is not None:
                    self._reads(cond, assigned)
                self.run(body.stmts, assigned)
            case A.For(start=start, end=end, body=body):
                self._reads(start, assigned)
                self._reads(end, assigned)
                self.run(body.stmts, assigned)
            case A.Labeled(stmt=stmt):
                return self.run([stmt], assigned)
            case A.MatchStmt(scrutinee=scrutinee, cases=cases):
                self._reads(scrutinee, assigned)
                results = [self.run(c.body, assigned) for c in cases]
                return set.intersection(*results) if results else assigned
            case _:
                self._reads(s, assigned)
        return assigned


def outs_needing_defaults(index: ProgramIndex, m: A.Method) -> set[str]:
    """Out-parameters that may be read or returned before their first assignment: only
    those get a default value up front, so the output has no dead `r = 0` lines."""
    assert m.body is not None
    pass_ = _DefiniteAssignment(index, {p.name for p in m.returns if not p.ghost})
    final = pass_.run(m.body.stmts, set())
    return pass_.need | (pass_.outs - final)


def ends_in_return(stmts: Sequence[A.Stmt]) -> bool:
    """The last statement that is not pure proof is a `return`."""
    real = [s for s in stmts if not isinstance(s, (A.Assert, A.Reveal, A.Calc))]
    return bool(real) and isinstance(real[-1], A.Return)
