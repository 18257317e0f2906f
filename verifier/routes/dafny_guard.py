"""Dafny's guard: what a Dafny candidate must satisfy before it may cost any verifier time.

Dafny says "verified" for programs that prove nothing (`assume`, `{:verify false}`,
axioms, body-less lemmas) and for programs that prove something other than the spec
(a weakened `ensures`, an extra `requires`, a redefined helper). Dafny's verdict is only
meaningful for a program whose contract is the spec's and which contains no trusted
escape hatch, so this module decides that first, on the syntax tree, and turns every
refusal into feedback the model can act on.

The comparison is structural (`dafny_ast.normalize`): layout, parentheses, `>` versus
`<`, and the split of a conjunction over several clauses do not count as a change.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from verifier.backends.dafny.dialect import DAFNY2, Dialect
from verifier.guard import GuardProblem, GuardVerdict
from verifier.specs import model as m
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import DafnyFrontendError
from verifier.translators.dafny_lexical import code_only, nested_comments, without_comments
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import PythonModule
from verifier.translators.spec_dafny import BODY_MARKER, render_dafny

# Attributes that only steer the prover (triggers, induction, fuel, opacity) and cannot
# make an unproved goal pass. Everything else ({:verify false}, {:axiom}, {:extern},
# {:termination false}, {:timeLimit…}, …) is refused: a whitelist fails safe when a new
# Dafny adds another escape hatch. `{:inline}` is not here: Dafny hands it to Boogie,
# which then skips the lemma's own proof, so `lemma {:inline 1} L() ensures false
# { L(); }` let any postcondition verify (found by tests/loop/acceptance).
SAFE_ATTRIBUTES = frozenset({"trigger", "induction", "opaque", "fuel"})

_DECL_START = re.compile(
    r"^\s*(?:ghost\s+)?(?:method|lemma|function|predicate|datatype|const)\b", re.MULTILINE
)
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


def normalize_newlines(text: str) -> str:
    """`\r\n` and a lone `\r` become `\n`.

    Dafny ends a `//` comment at `\r` as well as at `\n`, while the guard's scanners and
    the parser end it at `\n` only: `// note\rassume false;` was a comment to the guard
    and an `assume` to Dafny. Normalizing the program text that both of them are given
    removes the disagreement instead of teaching every scanner about `\r`.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_program(reply: str) -> str | None:
    """The Dafny program in a model reply: a fenced block, or the bare text, with its line
    ends normalized (see `normalize_newlines`); this text is what Dafny is given.

    Among several fenced blocks the one tagged `dafny` (or untagged) that declares a
    method wins, the last such block when there are several: models tend to show a
    draft first and the final program last.
    """
    reply = normalize_newlines(reply)
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(reply)]
    if blocks:
        usable = [b for lang, b in blocks if lang in ("", "dafny", "dfy")]
        with_method = [b for b in usable if re.search(r"\bmethod\b", b)]
        # A block tagged with another language counts only when it declares a method (a
        # mislabelled Dafny block); a Lean or Python answer is "no Dafny program", which
        # is the feedback that model needs, not a Dafny parse error about `def`.
        mislabelled = [b for _, b in blocks if re.search(r"\bmethod\b", b)]
        candidates = with_method or usable or mislabelled
        if not candidates:
            return None
        chosen = candidates[-1]
        return chosen.strip("\n") + "\n" if chosen.strip() else None
    start = _DECL_START.search(reply)
    if start is None:
        return None
    return reply[start.start():].strip("\n") + "\n"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def lexical_problems(source: str) -> list[GuardProblem]:
    """Escape hatches found in the text itself, whatever the parser makes of them.

    This also covers text the parser keeps opaque (the hints inside `calc` blocks)."""
    code = code_only(source)
    problems: list[GuardProblem] = []
    for found in re.finditer(r"\bassume\b", code):
        problems.append(GuardProblem(
            "assume", "`assume` is not allowed: it makes Dafny take a fact without proof; "
            "prove it instead (an `assert`, a lemma, a stronger loop invariant)",
            *_line_col(code, found.start())))
    for found in re.finditer(r"\bexpect\b", code):
        problems.append(GuardProblem(
            "expect", "`expect` is not allowed: the verifier assumes it (it is checked only "
            "when the program runs); prove the fact with an `assert` instead",
            *_line_col(code, found.start())))
    for found in re.finditer(r"\{\s*:\s*([A-Za-z_][\w']*)", code):
        name = found.group(1)
        if name not in SAFE_ATTRIBUTES:
            problems.append(GuardProblem(
                "attribute", f"the attribute {{:{name}}} is not allowed: it can switch off or "
                f"weaken verification (allowed: {', '.join(sorted(SAFE_ATTRIBUTES))})",
                *_line_col(code, found.start())))
    for offset in nested_comments(source):
        problems.append(GuardProblem(
            "comment", "nested block comments (`/*` inside `/* ... */`) are not allowed: "
            "Dafny nests them and other tools do not; use `//` comments",
            *_line_col(source, offset)))
    for found in re.finditer(r"\bdecreases\s*\*", code):
        problems.append(GuardProblem(
            "decreases-star", "`decreases *` is not allowed: it drops the termination proof, "
            "and a method that may loop forever proves any postcondition; give a decreasing "
            "measure instead", *_line_col(code, found.start())))
    return problems


_CHAINABLE = frozenset({"<", "<=", ">", ">=", "=="})


def _expand_chains(node: Any) -> Any:
    """`a <= b < c` becomes `a <= b && b < c`, everywhere in an expression: what Dafny
    means by a chain, and the most common way a model rewrites one. (Each operand is
    evaluated once in a chain, but contract expressions have no side effects.)"""
    if isinstance(node, tuple):
        items = tuple(_expand_chains(v) for v in node)
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if not isinstance(node, A.Node):
        return node
    if isinstance(node, A.Chain) and set(node.ops) <= _CHAINABLE:
        operands = [_expand_chains(o) for o in node.operands]
        acc: A.Expr = A.BinOp(node.ops[0], operands[0], operands[1], pos=node.pos)
        for op, left, right in zip(node.ops[1:], operands[1:-1], operands[2:], strict=True):
            acc = A.BinOp("&&", acc, A.BinOp(op, left, right, pos=node.pos), pos=node.pos)
        return acc
    changes = {}
    for f in dataclasses.fields(node):
        if f.name == "pos":
            continue
        value = getattr(node, f.name)
        new = _expand_chains(value)
        if new is not value:
            changes[f.name] = new
    return dataclasses.replace(node, **changes) if changes else node


def _conjuncts(exprs: tuple[A.Expr, ...]) -> tuple[A.Node, ...]:
    """Clauses as a flat list of normalized conjuncts: `ensures A && B` == `ensures A ensures B`,
    and `0 <= i < n` == `0 <= i && i < n`."""
    out: list[A.Node] = []
    for e in exprs:
        n = A.normalize(_expand_chains(e))
        stack = [n]
        while stack:
            x = stack.pop(0)
            if isinstance(x, A.BinOp) and x.op == "&&":
                stack[:0] = [x.left, x.right]
            else:
                out.append(x)
    return tuple(out)


def _text(source: str, node: A.Node) -> str:
    p = node.pos
    if p.end > p.start:
        return " ".join(source[p.start:p.end].split())
    return "?"


def _params_text(params: tuple[A.Param, ...]) -> str:
    return ", ".join(f"{'ghost ' if p.ghost else ''}{p.name}: {_type_text(p.type)}" for p in params)


def _type_text(t: A.Type | None) -> str:
    if t is None:
        return "?"
    return t.name + (f"<{', '.join(_type_text(a) for a in t.args)}>" if t.args else "")


class ContractGuard:
    """Judges candidates for one spec; the spec's own contract is parsed once, here.

    `translate(text, program=<its parse>)` (→ anything, raising `DafnyFrontendError`
    when it cannot) makes "the compiler can translate it" part of the guard; its result
    rides along in the verdict for the quick test. It is handed the guard's own parse,
    so a candidate is parsed once.
    """

    def __init__(
        self,
        spec: m.Spec,
        dialect: Dialect = DAFNY2,
        *,
        translate: Callable[..., PythonModule] | None = None,
    ) -> None:
        self.spec = spec
        self.dialect = dialect
        self.translate = translate
        skeleton = render_dafny(spec, dialect).replace(BODY_MARKER, "")
        self.skeleton_source = skeleton
        reference = parse(skeleton)
        target = reference.find(spec.method)
        assert isinstance(target, A.Method), "the rendered skeleton always declares the method"
        self.reference = target
        self.helpers = {f.name: f for f in reference.functions}
        # the spec's datatypes: a reply that redefined one (dropped a constructor, changed a
        # field) would change what the contract means, so each must be the spec's own
        self.datatypes = {d.name: d for d in reference.datatypes}
        self.helper_sources = _declaration_texts(skeleton, reference, {**self.datatypes, **self.helpers})

    # ------------------------------------------------------------------ public

    def check(self, reply: str) -> GuardVerdict:
        """Judge a model reply: extract its program, then `check_program` it."""
        program_text = extract_program(reply)
        if program_text is None:
            return GuardVerdict(False, None, (GuardProblem(
                "no-program", "the reply holds no Dafny program: answer with the whole program "
                "in one ```dafny fenced block"),))
        return self.check_program(program_text)

    def check_program(self, program_text: str) -> GuardVerdict:
        """Judge a program exactly as Dafny will read it (no extraction).

        `recheck` needs this: wrapping a `.dfy` in a fence and extracting it again judged
        only the text before a "```" inside a comment, or from the first declaration on,
        while Dafny verified the whole file. Lone `\r`s are refused here rather than
        normalized, since the text is not ours to change.
        """
        if "\r" in program_text.replace("\r\n", ""):
            return GuardVerdict(False, program_text, (GuardProblem(
                "parse", "a lone carriage return (\\r) in the program: Dafny reads it as a "
                "line end, other tools do not; use \\n line ends"),))
        program_text = program_text.replace("\r\n", "\n")
        try:
            program = parse(without_comments(program_text))
            program_text, program, completed = self._complete(program_text, program)
        except DafnyFrontendError as exc:
            kind = "unsupported" if type(exc).__name__ == "UnsupportedConstruct" else "parse"
            problems = lexical_problems(program_text)
            problems.append(GuardProblem(kind, exc.message, exc.line, exc.col))
            return GuardVerdict(False, program_text, tuple(problems))
        problems = lexical_problems(program_text)
        problems += self._tree_problems(program, program_text)
        problems += self._contract_problems(program, program_text)
        translation = None
        if not problems and self.translate is not None:
            try:
                translation = self.translate(program_text, program=program)
            except DafnyFrontendError as exc:
                problems.append(GuardProblem(
                    "untranslatable", f"the Python compiler cannot translate this: {exc.message}",
                    exc.line, exc.col))
        unique = tuple(dict.fromkeys(problems))
        return GuardVerdict(not unique, program_text, _dedupe(unique), translation, completed)

    def _complete(self, text: str, program: A.Program) -> tuple[str, A.Program, tuple[str, ...]]:
        """The program with every spec helper it does not declare at all appended, in the
        contract's own rendering; appended last so the reply's line numbers still hold.
        A helper it declares (under the same name, in any form) is left to the checks,
        which refuse one that differs."""
        declared = {d.name for d in program.decls}
        missing = tuple(name for name in (*self.datatypes, *self.helpers) if name not in declared)
        if not missing:
            return text, program, ()
        completed = text.rstrip("\n") + "\n\n" + "\n".join(
            self.helper_sources[name] for name in missing)
        return completed, parse(without_comments(completed)), missing

    # ------------------------------------------------------------------ checks

    def _tree_problems(self, program: A.Program, source: str) -> list[GuardProblem]:
        problems: list[GuardProblem] = []
        names = [d.name for d in program.decls]
        for name in dict.fromkeys(n for n in names if names.count(n) > 1):
            # Dafny refuses duplicates itself, but the contract checks look at the first
            # declaration of a name: never let them judge a different one than Dafny uses.
            problems.append(GuardProblem(
                "duplicate", f"{name} is declared {names.count(name)} times; declare it once"))
        # members of classes, traits and datatypes too: a body-less trait lemma is an
        # axiom no class ever proves (the guard errs on the safe side for any member)
        members = [m for d in program.decls if isinstance(d, A.Class | A.Datatype) for m in d.members]
        for decl in (*program.decls, *members):
            if isinstance(decl, A.Method) and decl.body is None:
                problems.append(GuardProblem(
                    "bodyless", f"{decl.kind} {decl.name} has no body: Dafny would take its "
                    "ensures as an axiom; give it a body that proves them",
                    decl.pos.line or None, decl.pos.col or None))
            if isinstance(decl, A.Function) and decl.body is None:
                problems.append(GuardProblem(
                    "bodyless", f"{decl.kind} {decl.name} has no body: an uninterpreted "
                    "function is not allowed; define it", decl.pos.line or None,
                    decl.pos.col or None))
            for node in A.walk(decl):
                if isinstance(node, A.Attribute) and node.name not in SAFE_ATTRIBUTES:
                    problems.append(GuardProblem(
                        "attribute", f"the attribute {{:{node.name}}} is not allowed",
                        node.pos.line or None, node.pos.col or None))
                if isinstance(node, A.Assume | A.Expect):
                    word = "assume" if isinstance(node, A.Assume) else "expect"
                    problems.append(GuardProblem(word, f"`{word}` is not allowed",
                                                 node.pos.line or None, node.pos.col or None))
                if isinstance(node, A.ForallStmt) and node.body is None and node.ensures:
                    problems.append(GuardProblem(
                        "bodyless", "a `forall` statement without a body is not allowed: Dafny "
                        "takes what it ensures as an axiom; give it a body (a proof) or call a "
                        "lemma", node.pos.line or None, node.pos.col or None))
        return problems

    def _contract_problems(self, program: A.Program, source: str) -> list[GuardProblem]:
        spec, ref = self.spec, self.reference
        problems: list[GuardProblem] = []
        same_name = [d for d in program.decls if d.name == spec.method]
        if not same_name:
            return [GuardProblem("missing", f"the program has no method {spec.method}: "
                                 "implement it with exactly the given contract")]
        if len(same_name) > 1:
            problems.append(GuardProblem("signature", f"{spec.method} is declared "
                                         f"{len(same_name)} times; declare it once"))
        cand = same_name[0]
        line = cand.pos.line or None
        if not isinstance(cand, A.Method) or cand.kind != "method" or cand.ghost:
            problems.append(GuardProblem("signature", f"{spec.method} must be a (non-ghost) "
                                         "method", line))
            return problems
        if (cand.params, cand.returns, cand.type_params) != (ref.params, ref.returns, ref.type_params):
            problems.append(GuardProblem(
                "signature",
                f"the signature of {spec.method} was changed: it must be "
                f"`method {spec.method}({_params_text(ref.params)})"
                + (f" returns ({_params_text(ref.returns)})" if ref.returns else "") + "`",
                line))
        for kind in ("requires", "ensures", "modifies"):
            want = _conjuncts(ref.clause_exprs(kind))
            got = _conjuncts(cand.clause_exprs(kind))
            # Clauses are a conjunction: their order and repetition change nothing that
            # is proved (a reordering that breaks well-formedness fails in Dafny).
            if set(want) != set(got):
                problems.append(GuardProblem(
                    "contract", self._clause_diff(kind, ref, cand, source), line))
        if cand.clause_exprs("decreases") and any(
            isinstance(e, A.Name) and e.name == "*" for e in cand.clause_exprs("decreases")
        ):
            problems.append(GuardProblem("decreases-star", "`decreases *` is not allowed", line))
        for name, want_fn in self.helpers.items():
            problems += self._helper_problems(program, name, want_fn, source)
        for name, want_dt in self.datatypes.items():
            problems += self._datatype_problems(program, name, want_dt)
        return problems

    def _datatype_problems(self, program: A.Program, name: str, want: A.Datatype) -> list[GuardProblem]:
        """A spec datatype must be declared exactly as in the contract (the same
        constructors, fields and field types, in order)."""
        got = next((d for d in program.decls if d.name == name), None)
        if got is None:
            return [GuardProblem("missing", f"the spec datatype {name} is missing: copy it unchanged from the contract")]
        if isinstance(got, A.Datatype) and A.same(got, want):
            return []
        return [GuardProblem(
            "datatype", f"the spec datatype {name} was redefined; copy `{self.helper_sources[name].strip()}` "
            "unchanged from the contract", got.pos.line or None)]

    def _clause_diff(self, kind: str, ref: A.Method, cand: A.Method, source: str) -> str:
        want = [_text(self.skeleton_source, e) for e in ref.clause_exprs(kind)]
        got_exprs = cand.clause_exprs(kind)
        want_norm = set(_conjuncts(ref.clause_exprs(kind)))
        changed = [_text(source, e) for e in got_exprs
                   if not set(_conjuncts((e,))) <= want_norm]
        shown = "; ".join(f"{kind} {w}" for w in want) or f"no {kind} clause"
        msg = f"the {kind} clauses of {self.spec.method} were changed; they must be exactly: {shown}"
        if changed:
            msg += f" (not in the spec: {'; '.join(changed)})"
        return msg

    def _helper_problems(
        self, program: A.Program, name: str, want: A.Function, source: str
    ) -> list[GuardProblem]:
        found = [d for d in program.decls if d.name == name]
        if not found:
            return [GuardProblem("missing", f"the spec helper {want.kind} {name} is missing: "
                                 "copy it unchanged from the contract")]
        got = found[0]
        line = got.pos.line or None
        if not isinstance(got, A.Function):
            return [GuardProblem("helper", f"{name} is a spec helper {want.kind}; do not "
                                 "redefine it as something else", line)]
        same = (
            got.kind == want.kind
            and got.params == want.params
            and got.result == want.result
            and got.type_params == want.type_params
            and _conjuncts(got.clause_exprs("requires")) == _conjuncts(want.clause_exprs("requires"))
            and got.body is not None
            and want.body is not None
            and A.same(got.body, want.body)
        )
        if same:
            return []
        return [GuardProblem(
            "helper", f"the spec helper {name} was redefined (its parameters, requires or body "
            "changed); copy it unchanged from the contract (you may add `method` to make it "
            "compiled, and add your own helpers under new names)", line)]


def _declaration_texts(
    source: str, program: A.Program, names: Mapping[str, A.Decl]
) -> dict[str, str]:
    """The source text of each named declaration, from its first line to the line before
    the next declaration (the renderer puts each on lines of its own)."""
    lines = source.splitlines(keepends=True)
    starts = [d.pos.line for d in program.decls] + [len(lines) + 1]
    texts: dict[str, str] = {}
    for decl, start, end in zip(program.decls, starts, starts[1:], strict=False):
        if decl.name in names:
            texts[decl.name] = "".join(lines[start - 1:end - 1]).strip("\n") + "\n"
    return texts


def _dedupe(problems: tuple[GuardProblem, ...]) -> tuple[GuardProblem, ...]:
    """One problem per kind and line: the lexical scan and the tree walk both see `assume`
    and attributes, and the first (lexical) message is the more helpful one."""
    seen: dict[tuple[str, int | None], GuardProblem] = {}
    for p in problems:
        seen.setdefault((p.kind, p.line), p)
    return tuple(seen.values())
