"""A spec read back in plain English, made from the parsed clauses (never by a model).

A user who does not write Dafny confirms a drafted contract by reading it; what they
read must say exactly what the clause says. So every sentence is built from the
expression tree by rules that are right by construction: recognised idioms ("every
element of `xs` is at most `m`", "`s` is sorted in ascending order") where the tree has
exactly that shape, and otherwise a careful rendering that keeps the Dafny text of what
it does not understand (`the condition `…` holds`). The Dafny text stands beside every
sentence, so nothing is hidden behind the English.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from verifier.specs import model as m
from verifier.specs.typecheck import ExprTypes, expression_types
from verifier.specs.values import real_text, show


class ClauseKind(enum.StrEnum):
    REQUIRES = "requires"
    ENSURES = "ensures"


@dataclass(frozen=True)
class ClauseReading:
    kind: ClauseKind
    index: int
    dafny: str
    english: str


@dataclass(frozen=True)
class HelperReading:
    name: str
    head: str  # `Sorted(s)`
    english: str  # what it means, or how it is defined


@dataclass(frozen=True)
class ExampleReading:
    call: str  # MaxOfList(xs = [3, 1, 4])
    result: str  # m = 4


@dataclass(frozen=True)
class Readback:
    name: str
    description: str
    signature: str
    clauses: tuple[ClauseReading, ...]
    helpers: tuple[HelperReading, ...]
    examples: tuple[ExampleReading, ...]

    def record(self) -> dict[str, object]:
        """The `--json` form."""
        return {
            "name": self.name, "description": self.description, "signature": self.signature,
            "clauses": [{"kind": c.kind.value, "index": c.index, "dafny": c.dafny,
                         "english": c.english} for c in self.clauses],
            "helpers": [{"name": h.name, "head": h.head, "english": h.english} for h in self.helpers],
            "examples": [{"call": e.call, "result": e.result} for e in self.examples],
        }


def read_back(spec: m.Spec) -> Readback:
    """The read-back of every clause, helper and example of a spec."""
    env = {p.name: p.type for p in (*spec.params, *spec.returns)}
    types = expression_types(spec)
    reader = Reader(env, types)
    clauses = [ClauseReading(ClauseKind.REQUIRES, i, c.text, reader.sentence(c.expr))
               for i, c in enumerate(spec.requires)]
    clauses += [ClauseReading(ClauseKind.ENSURES, i, c.text, reader.sentence(c.expr))
                for i, c in enumerate(spec.ensures)]
    helpers = tuple(_helper(h, types) for h in spec.helpers)
    examples = tuple(
        ExampleReading(f"{spec.method}({_assign(ex.args)})", _assign(ex.result) or "(no result)")
        for ex in spec.examples)
    return Readback(spec.name, spec.description.strip(), spec.signature, tuple(clauses), helpers, examples)


def _assign(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {show(v)}" for k, v in values.items())


def _helper(h: m.Helper, types: ExprTypes) -> HelperReading:
    head = f"`{h.name}({', '.join(p.name for p in h.params)})`"
    if h.kind == "predicate":
        reader = Reader({p.name: p.type for p in h.params}, types)
        return HelperReading(h.name, head, f"{head} means: {reader.sentence(h.body)}")
    return HelperReading(h.name, head, f"{head} is defined as `{code(h.body)}`")


def render_text(rb: Readback, pairs: Sequence[ExampleReading] = (),
                pairs_note: str = "") -> str:
    """The read-back as the CLI prints it (and as the golden files hold it)."""
    lines = [f"{rb.name}: {rb.description}" if rb.description else rb.name, f"  {rb.signature}", ""]
    for kind, title in ((ClauseKind.REQUIRES, "It may be called when"),
                        (ClauseKind.ENSURES, "It guarantees that")):
        these = [c for c in rb.clauses if c.kind == kind]
        if kind == ClauseKind.REQUIRES and not these:
            lines += ["It may be called with any input.", ""]
            continue
        if not these:
            lines += ["It guarantees nothing about its result (no ensures clause).", ""]
            continue
        lines.append(f"{title}:")
        for c in these:
            lines.append(f"  {c.index + 1}. {c.english}")
            lines.append(f"       {kind.value} {c.dafny}")
        lines.append("")
    if rb.helpers:
        lines.append("where:")
        lines += [f"  - {h.english}" for h in rb.helpers]
        lines.append("")
    if rb.examples:
        lines.append("Examples in the spec:")
        lines += [f"  {e.call} gives {e.result}" for e in rb.examples]
        lines.append("")
    if pairs:
        lines.append("Some calls the contract allows" + (f" ({pairs_note})" if pairs_note else "") + ":")
        lines += [f"  {e.call} may give {e.result}" for e in pairs]
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- Dafny text

_PREC = {"<==>": 1, "==>": 2, "&&": 3, "||": 3, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4,
         ">=": 4, "in": 4, "!in": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_CHAR_ESC = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0", "\\": "\\\\", "'": "\\'"}


def code(e: m.Expr, outer: int = 0) -> str:
    """Dafny text of an expression, parenthesised where precedence needs it."""
    text, prec = _code(e)
    return f"({text})" if prec < outer else text


def _code(e: m.Expr) -> tuple[str, int]:
    match e:
        case m.IntLit(v):
            return str(v), 9 if v >= 0 else 7
        case m.RealLit(v):
            text = real_text(v)  # `(1.0 / 3.0)` is parenthesised already
            return text, 9 if v >= 0 or text.startswith("(") else 7
        case m.Convert(x, t):
            return f"{code(x, 7)} as {m.type_text(t)}", 6
        case m.BoolLit(v):
            return ("true" if v else "false"), 9
        case m.CharLit(v):
            return "'" + _CHAR_ESC.get(v, v) + "'", 9
        case m.StrLit(v):
            return '"' + "".join('\\"' if c == '"' else _CHAR_ESC.get(c, c) if c != "'" else c
                                 for c in v) + '"', 9
        case m.Var(name):
            return name, 9
        case m.Unary(op, x):
            return op + code(x, 7), 7
        case m.Binary(op, left, right):
            return _code_binary(op, left, right)
        case m.Ite(c, a, b):
            return f"if {code(c)} then {code(a)} else {code(b)}", 0
        case m.Quantifier(kind, bvs, rng, body):
            names = ", ".join(v.name for v in bvs)
            guard = f" | {code(rng)}" if rng is not None else ""
            return f"{kind} {names}{guard} :: {code(body)}", 0
        case m.SetComp(bvs, rng, term):
            names = ", ".join(v.name for v in bvs)
            return f"set {names} | {code(rng)}" + (f" :: {code(term)}" if term is not None else ""), 0
        case m.MapComp(bv, rng, value):
            return f"map {bv.name} | {code(rng)} :: {code(value)}", 0
        case m.Let(bv, value, body):
            return f"var {bv.name} := {code(value)}; {code(body)}", 0
        case m.Match(scrutinee, cases):
            # a case body other than the last is parenthesised when it is a tail form: an
            # unbraced match there would take the following cases as its own
            arms = [f"case {_pattern(c)} => {code(c.body, 0 if i == len(cases) - 1 else 1)}"
                    for i, c in enumerate(cases)]
            return f"match {code(scrutinee)} " + " ".join(arms), 0
        case _:
            return _code_postfix(e), 8


def _pattern(c: m.MatchCase) -> str:
    names = ", ".join(v.name for v in c.vars)
    if c.ctor is None:
        return names
    return f"{c.ctor}({names})" if c.vars else c.ctor


def _code_binary(op: str, left: m.Expr, right: m.Expr) -> tuple[str, int]:
    chain = _chain(m.Binary(op, left, right))
    if chain is not None:
        ops, operands = chain
        parts = [code(operands[0], 5)]
        for o, x in zip(ops, operands[1:], strict=True):
            parts += [o, code(x, 5)]
        return " ".join(parts), 4
    p = _PREC[op]
    if op == "==>":  # right-associative
        return f"{code(left, p + 1)} {op} {code(right, p)}", p
    if op in ("&&", "||"):  # they do not mix without parentheses
        lt = code(left, p + 1) if isinstance(left, m.Binary) and left.op != op else code(left, p)
        rt = code(right, p + 1)
        return f"{lt} {op} {rt}", p
    return f"{code(left, p)} {op} {code(right, p + 1)}", p


def _code_postfix(e: m.Expr) -> str:
    match e:
        case m.Index(s, i):
            return f"{code(s, 8)}[{code(i)}]"
        case m.Slice(s, lo, hi):
            return f"{code(s, 8)}[{code(lo) if lo is not None else ''}..{code(hi) if hi is not None else ''}]"
        case m.Update(s, k, v):
            return f"{code(s, 8)}[{code(k)} := {code(v)}]"
        case m.Member(obj, name):
            return f"{code(obj, 8)}.{name}"
        case m.Card(x):
            return f"|{code(x)}|"
        case m.Call(name, args) | m.Construct(name, args) if args or isinstance(e, m.Call):
            return f"{name}({', '.join(code(a) for a in args)})"
        case m.Construct(name, _):
            return name
        case m.IsCtor(obj, ctor):
            return f"{code(obj, 8)}.{ctor}?"
        case m.Old(x):
            return f"old({code(x)})"
        case m.MultisetOf(x):
            return f"multiset({code(x)})"
        case m.SeqInit(n, v, body):
            return f"seq({code(n)}, {v.name} => {code(body)})"
        case m.SeqDisplay(xs):
            return "[" + ", ".join(code(x) for x in xs) + "]"
        case m.SetDisplay(xs):
            return "{" + ", ".join(code(x) for x in xs) + "}"
        case m.MultisetDisplay(xs):
            return "multiset{" + ", ".join(code(x) for x in xs) + "}"
        case m.MapDisplay(items):
            return "map[" + ", ".join(f"{code(k)} := {code(v)}" for k, v in items) + "]"
    raise TypeError(f"no Dafny text for {type(e).__name__}")


def conjuncts(e: m.Expr) -> list[m.Expr]:
    if isinstance(e, m.Binary) and e.op == "&&" and _chain(e) is None:
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def _chain(e: m.Expr) -> tuple[list[str], list[m.Expr]] | None:
    """A comparison chain as the parser desugars it: `a < b && b < c` sharing the very
    operand object `b` (a chain written out by hand with `&&` shares no object)."""
    if not (isinstance(e, m.Binary) and e.op == "&&"):
        return None
    parts: list[m.Binary] = []

    def walk(x: m.Expr) -> bool:
        if isinstance(x, m.Binary) and x.op == "&&":
            return walk(x.left) and walk(x.right)
        if isinstance(x, m.Binary) and x.op in ("==", "<", "<=", ">", ">="):
            parts.append(x)
            return True
        return False

    if not walk(e) or len(parts) < 2:
        return None
    if any(a.right is not b.left for a, b in itertools.pairwise(parts)):
        return None
    return [p.op for p in parts], [parts[0].left, *(p.right for p in parts)]


# ---------------------------------------------------------------------------- English

_VERB = {"==": "equals", "!=": "differs from", "<": "is less than", "<=": "is at most",
         ">": "is greater than", ">=": "is at least"}
_INCLUSION = {"<=": "is a subset of", "<": "is a proper subset of", ">=": "is a superset of",
              ">": "is a proper superset of"}
_PREFIX = {"<=": "is a prefix of", "<": "is a proper prefix of"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SORTED = {"<=": "is sorted in ascending order (each element is at most every later one)",
           "<": "is strictly increasing (each element is less than every later one)",
           ">=": "is sorted in descending order (each element is at least every later one)",
           ">": "is strictly decreasing (each element is greater than every later one)"}


@dataclass(frozen=True)
class _Domain:
    """The range of a bound variable: `lo <= v < hi`, an index of `seq` when lo is 0 and
    hi is its length; or an element (key) of `coll`."""

    var: str
    lo: m.Expr | None = None
    hi: m.Expr | None = None
    hi_strict: bool = True
    seq: m.Expr | None = None
    coll: m.Expr | None = None


class Reader:
    """English for the expressions of one scope (the checker's types, and the names in
    scope for the conditions built here)."""

    def __init__(self, env: dict[str, m.Type], types: ExprTypes) -> None:
        self.env = dict(env)
        self.types = types

    # -------------------------------------------------------------- types and nouns

    def type_of(self, e: m.Expr) -> m.Type | None:
        return self.types.of(e, self.env)

    def noun(self, e: m.Expr) -> str:
        match e:
            case m.IntLit() | m.RealLit() | m.BoolLit():
                return code(e)
            case m.Card(x):
                return self._size_of(x)
            case m.Member(obj, "Length"):
                return f"the length of `{code(obj)}`"
            case m.Slice(a, None, None) if isinstance(self.type_of(a), m.ArrayType):
                return f"the contents of `{code(a)}`"
            case m.Old(m.Slice(a, None, None)):
                return f"the original contents of `{code(a)}`"
            case m.Old(x):
                return f"the original value of `{code(x)}`"
            case m.Index(m.MultisetOf(inner), x):
                return f"the number of times `{code(x)}` occurs in {self.noun(inner)}"
            case m.Index(ms, x) if isinstance(self.type_of(ms), m.MultisetType):
                return f"the number of times `{code(x)}` occurs in `{code(ms)}`"
        return f"`{code(e)}`"

    def _size_of(self, x: m.Expr) -> str:
        t = self.type_of(x)
        match t:
            case m.SeqType() | m.StringType() | m.ArrayType():
                return f"the length of `{code(x)}`"
            case m.SetType() if isinstance(x, m.SetComp):
                return self._count(x)
            case m.SetType():
                return f"the number of elements of `{code(x)}`"
            case m.MultisetType():
                return f"the total number of elements of `{code(x)}` (repetitions counted)"
            case m.MapType():
                return f"the number of keys of `{code(x)}`"
        return f"`|{code(x)}|`"

    def _count(self, x: m.SetComp) -> str:
        """`|set i | 0 <= i < |s| && P|` → "the number of indices `i` of `s` such that P"."""
        if len(x.vars) == 1 and x.term is None:
            v = x.vars[0].name
            inner = Reader({**self.env, v: x.vars[0].type or m.IntType()}, self.types)
            domains, rest = inner._domains([v], _flat(x.range))
            if v in domains:
                cond = f" such that {_join([inner.sentence(g) for g in rest], 'and')}" if rest else ""
                phrase = inner._domain_phrase(domains[v])
                # a set counts each value once: say so where the range may repeat values
                phrase = ("distinct " + phrase.replace("element", "elements", 1).replace("key", "keys", 1)
                          if domains[v].coll is not None else phrase.replace("index", "indices", 1))
                return f"the number of {phrase}{cond}"
        return f"the number of elements of the set `{code(x)}`"

    def _collection(self, e: m.Expr) -> str:
        """How membership in `e` reads: "one of the elements of `xs`", "a key of `h`"."""
        match self.type_of(e):
            case m.MapType():
                return f"a key of {self.noun(e)}"
            case m.SetType():
                return f"in the set {self.noun(e)}"
            case m.MultisetType():
                return f"in the multiset {self.noun(e)}"
            case m.SeqType() | m.StringType() | m.ArrayType():
                return f"one of the elements of {self.noun(e)}"
        return f"in {self.noun(e)}"

    # -------------------------------------------------------------- sentences

    def sentence(self, e: m.Expr) -> str:
        match e:
            case m.BoolLit(v):
                return "always" if v else "never (the condition is `false`)"
            case m.Var(name) if isinstance(self.type_of(e), m.BoolType):
                return f"`{name}` is true"
            case m.Unary("!", x):
                return self._negation(x)
            case m.Binary():
                return self._binary(e)
            case m.Quantifier():
                return self._quantifier(e)
            case m.Ite(c, a, b):
                return f"if {self.sentence(c)}, then {self.sentence(a)}; otherwise {self.sentence(b)}"
            case m.Call(name, _):
                return f"`{code(e)}` holds (see `{name}` below)"
            case m.IsCtor(obj, ctor):
                return f"{self.noun(obj)} is built by the constructor `{ctor}`"
            case m.Match(obj, cases):
                arms = [f"built by `{_pattern(c)}`: {self.sentence(c.body)}" if c.ctor is not None
                        else f"otherwise: {self.sentence(c.body)}" for c in cases]
                return f"depending on how {self.noun(obj)} is built — " + "; ".join(arms)
        return f"the condition `{code(e)}` holds"

    def _negation(self, x: m.Expr) -> str:
        match x:
            case m.Var(name) if isinstance(self.type_of(x), m.BoolType):
                return f"`{name}` is false"
            case m.Binary("in", a, s):
                return f"{self.noun(a)} is not {self._collection(s)}"
            case m.Binary("==", a, b):
                return f"{self.noun(a)} differs from {self.noun(b)}"
        return f"it is not the case that {self.sentence(x)}"

    def _binary(self, e: m.Binary) -> str:
        chain = _chain(e)
        if chain is not None:
            return self._chain_sentence(*chain)
        match e.op:
            case "&&":
                return _join([self.sentence(c) for c in conjuncts(e)], "and")
            case "||":
                return "either " + _join([self._alternative(c) for c in _disjuncts(e)], "or")
            case "==>":
                return f"if {self.sentence(e.left)}, then {self.sentence(e.right)}"
            case "<==>":
                return self._iff(e.left, e.right)
            case "in":
                return f"{self.noun(e.left)} is {self._collection(e.right)}"
            case "!in":
                return f"{self.noun(e.left)} is not {self._collection(e.right)}"
            case "==" if _is_multiset(e.left) and _is_multiset(e.right):
                return self._permutation(e.left, e.right)
            case op if op in _VERB:
                return self._comparison(op, e.left, e.right)
        return f"the condition `{code(e)}` holds"

    def _alternative(self, e: m.Expr) -> str:
        """One side of an `||`: a conjunction says "both" so that its end is visible."""
        parts = conjuncts(e) if _chain(e) is None else [e]
        if len(parts) > 1:
            return "both " + _join([self.sentence(c) for c in parts], "and")
        return self.sentence(e)

    def _iff(self, left: m.Expr, right: m.Expr) -> str:
        said = self.sentence(right)
        if isinstance(right, m.Binary) and right.op == "==>":
            said = f"the following holds: {said}"
        if isinstance(left, m.Var) and isinstance(self.type_of(left), m.BoolType):
            return f"`{left.name}` is true exactly when {said}"
        return f"{self.sentence(left)} exactly when {said}"

    def _comparison(self, op: str, left: m.Expr, right: m.Expr) -> str:
        for card, other, o in ((left, right, op), (right, left, _FLIP[op])):
            if isinstance(card, m.Card) and isinstance(other, m.IntLit):
                empty = _emptiness(o, other.value)
                if empty is not None:
                    return f"`{code(card.operand)}` is {empty}"
        subject = self.noun(left)
        return f"{subject} {_agree(self._verb(op, left, right), subject)} {self.noun(right)}"

    def _verb(self, op: str, left: m.Expr, right: m.Expr) -> str:
        """Order on sets and multisets is inclusion, on sequences it is prefix (Dafny)."""
        types = (self.type_of(left), self.type_of(right))
        if op in _INCLUSION and any(isinstance(t, (m.SetType, m.MultisetType)) for t in types):
            return _INCLUSION[op]
        if op in _PREFIX and any(isinstance(t, (m.SeqType, m.StringType)) for t in types):
            return _PREFIX[op]
        return _VERB[op]

    def _chain_sentence(self, ops: list[str], xs: list[m.Expr]) -> str:
        if len(xs) == 3 and ops[0] in ("<=", "<") and ops[1] in ("<", "<="):
            lo, mid, hi = xs
            seq = self._length_of(hi)
            if seq is not None and ops == ["<=", "<"] and _is_zero(lo):
                return f"{self.noun(mid)} is an index of `{code(seq)}`"
            lower = "is at least" if ops[0] == "<=" else "is greater than"
            upper = "less than" if ops[1] == "<" else "at most"
            return f"{self.noun(mid)} {lower} {self.noun(lo)} and {upper} {self.noun(hi)}"
        if len(xs) == 4 and ops == ["<=", "<", "<"] and _is_zero(xs[0]):
            seq = self._length_of(xs[3])
            if seq is not None:
                return (f"{self.noun(xs[1])} and {self.noun(xs[2])} are indices of `{code(seq)}`"
                        f" with {self.noun(xs[1])} less than {self.noun(xs[2])}")
        parts = [self._comparison(o, a, b) for o, a, b in zip(ops, xs, xs[1:], strict=False)]
        return _join(parts, "and")

    def _length_of(self, e: m.Expr) -> m.Expr | None:
        """`s` when e is `|s|` of a sequence or string, or `a.Length`."""
        if isinstance(e, m.Card) and isinstance(self.type_of(e.operand), (m.SeqType, m.StringType)):
            return e.operand
        if isinstance(e, m.Member) and e.name == "Length":
            return e.obj
        return None

    def _permutation(self, left: m.Expr, right: m.Expr) -> str:
        lhs, rhs = _multiset_parts(left), _multiset_parts(right)
        if lhs is None or rhs is None or len(lhs) != 1:
            return f"the multiset `{code(left)}` equals the multiset `{code(right)}`"
        together = _join([self.noun(x) for x in rhs], "and")
        what = together + (" together" if len(rhs) > 1 else "")
        subject = self.noun(lhs[0])
        verb = "are" if subject.startswith(("the contents", "the original contents")) else "is"
        return f"{subject} {verb} a rearrangement of {what} (the same elements, each as many times)"

    # -------------------------------------------------------------- quantifiers

    def _quantifier(self, q: m.Quantifier) -> str:
        names = [v.name for v in q.vars]
        inner = Reader(self.env, self.types)
        for v in q.vars:
            inner.env[v.name] = v.type if v.type is not None else m.IntType()
        guards = _flat(q.range) if q.range is not None else []
        body = q.body
        if q.kind == "forall" and isinstance(body, m.Binary) and body.op == "==>":
            guards, body = guards + _flat(body.left), body.right
        concl: list[m.Expr] = [body]
        if q.kind == "exists":
            guards, concl = guards + _flat(body), []
        pair = inner._index_pair(names, guards)
        if pair is not None:
            seq, rest = pair
            if q.kind == "exists":
                concl, rest = rest, []
            return inner._pair_sentence(q.kind, names, seq, rest, concl)
        domains, rest = inner._domains(names, guards)
        if q.kind == "exists":
            concl, rest = rest, []
        if not rest:
            idiom = inner._idiom(q.kind, names, domains, concl)
            if idiom is not None:
                return idiom
        return inner._generic(q.kind, names, domains, rest, concl)

    def _index_pair(self, names: list[str], guards: list[m.Expr]) -> tuple[m.Expr, list[m.Expr]] | None:
        """`0 <= i < j < |s|`: two indices of `s`, the first before the second."""
        if len(names) != 2:
            return None
        i, j = names
        gs = [_normalise(g) for g in guards]
        want = {0: m.Binary("<=", m.IntLit(0), m.Var(i)), 1: m.Binary("<", m.Var(i), m.Var(j))}
        found = {k: next((g for g in gs if g == w), None) for k, w in want.items()}
        upper = next((g for g in gs if isinstance(g, m.Binary) and g.op == "<" and g.left == m.Var(j)
                      and self._length_of(g.right) is not None), None)
        if found[0] is None or found[1] is None or upper is None:
            return None
        assert isinstance(upper, m.Binary)
        seq = self._length_of(upper.right)
        assert seq is not None
        if _mentions(seq, i) or _mentions(seq, j):
            return None
        used = [found[0], found[1], upper]
        rest = [g for g in gs if not any(g is u for u in used)]
        return seq, rest

    def _pair_sentence(self, kind: str, names: list[str], seq: m.Expr, rest: list[m.Expr],
                       concl: list[m.Expr]) -> str:
        i, j = names
        if kind == "forall" and not rest and len(concl) == 1 and isinstance(concl[0], m.Binary):
            c = concl[0]
            if c.left == m.Index(seq, m.Var(i)) and c.right == m.Index(seq, m.Var(j)):
                if c.op in _SORTED:
                    return f"`{code(seq)}` {_SORTED[c.op]}"
                if c.op == "!=":
                    return f"the elements of `{code(seq)}` are all different (no value occurs twice)"
        head = f"indices `{i}` < `{j}` of `{code(seq)}`"
        if kind == "forall":
            cond = f" such that {_join([self.sentence(g) for g in rest], 'and')}" if rest else ""
            return f"for all {head}{cond}, {_join([self.sentence(c) for c in concl], 'and')}"
        cond = [self.sentence(g) for g in concl]
        return f"there are {head}" + (f" such that {_join(cond, 'and')}" if cond else "")

    def _domains(self, names: list[str], guards: list[m.Expr]) -> tuple[dict[str, _Domain], list[m.Expr]]:
        lows: dict[str, m.Expr] = {}
        highs: dict[str, tuple[m.Expr, bool]] = {}
        colls: dict[str, m.Expr] = {}
        rest: list[m.Expr] = []
        for written in guards:
            g = _normalise(written)
            match g:
                case m.Binary("<=" | "<", lo, m.Var(v)) if v in names and v not in lows and g.op == "<=" \
                        and not _mentions(lo, v):
                    lows[v] = lo
                case m.Binary("<" | "<=", m.Var(v), hi) if v in names and v not in highs and not _mentions(hi, v):
                    highs[v] = (hi, g.op == "<")
                case m.Binary("in", m.Var(v), coll) if v in names and v not in colls and not _mentions(coll, v):
                    colls[v] = coll
                case _:
                    rest.append(written)
        domains: dict[str, _Domain] = {}
        for v in names:
            if v in colls:
                domains[v] = _Domain(v, coll=colls[v])
                if v in lows:
                    rest.append(m.Binary("<=", lows[v], m.Var(v)))
                if v in highs:
                    rest.append(m.Binary("<" if highs[v][1] else "<=", m.Var(v), highs[v][0]))
            elif v in lows and v in highs:
                hi, strict = highs[v]
                seq = self._length_of(hi) if strict and _is_zero(lows[v]) else None
                domains[v] = _Domain(v, lows[v], hi, strict, seq=seq)
            else:
                if v in lows:
                    rest.append(m.Binary("<=", lows[v], m.Var(v)))
                if v in highs:
                    rest.append(m.Binary("<" if highs[v][1] else "<=", m.Var(v), highs[v][0]))
        return domains, rest

    def _idiom(self, kind: str, names: list[str], domains: dict[str, _Domain], concl: list[m.Expr]) -> str | None:
        if len(names) != 1 or names[0] not in domains or not concl:
            return None
        d = domains[names[0]]
        subject, phrase = self._subject(d, concl)
        if subject is None:
            return None
        vps = [self._about(c, subject, d.var) for c in concl]
        if any(vp is None for vp in vps):
            return None
        if kind == "exists":
            if len(concl) == 1 and isinstance(concl[0], m.Binary) and concl[0].op == "==":
                c = concl[0]
                other = c.right if c.left == subject else c.left
                if other != subject and not _mentions(other, d.var):
                    where = phrase.removeprefix("every element of ").removeprefix("every key of ")
                    noun = "keys" if phrase.startswith("every key") else "elements"
                    return f"{self.noun(other)} is one of the {noun} of {where}"
            return f"{phrase.replace('every', 'some', 1)} " + _join([v for v in vps if v], "and")
        return f"{phrase} " + _join([v for v in vps if v], "and")

    def _subject(self, d: _Domain, concl: list[m.Expr]) -> tuple[m.Expr | None, str]:
        """What `every …` ranges over, as an expression the body must use (`_about`
        then refuses a body that uses the variable any other way)."""
        if d.coll is not None:
            kind = "key" if isinstance(self.type_of(d.coll), m.MapType) else "element"
            return m.Var(d.var), f"every {kind} of {self.noun(d.coll)}"
        if d.seq is not None:
            return m.Index(d.seq, m.Var(d.var)), f"every element of `{code(d.seq)}`"
        if _is_zero(d.lo) and d.hi_strict and d.hi is not None:
            seqs = {code(x.seq): x.seq for c in concl for x in _indexings(c, d.var)}
            if len(seqs) == 1:
                (seq,) = seqs.values()
                if not _mentions(seq, d.var):
                    return (m.Index(seq, m.Var(d.var)),
                            f"every element of `{code(seq)}` before index `{code(d.hi)}`")
        return None, ""

    def _about(self, c: m.Expr, subject: m.Expr, var: str) -> str | None:
        """A verb phrase saying `c` of `subject`, when c mentions var only as subject."""
        match c:
            case m.Binary(op, left, right) if op in _VERB:
                for a, b, o in ((left, right, op), (right, left, _FLIP[op])):
                    if a == subject and not _mentions(b, var):
                        return f"{self._verb(o, a, b)} {self.noun(b)}"
            case m.Binary("in" | "!in", left, right) if left == subject and not _mentions(right, var):
                neg = "not " if c.op == "!in" else ""
                return f"is {neg}{self._collection(right)}"
        return None

    def _generic(self, kind: str, names: list[str], domains: dict[str, _Domain],
                 rest: list[m.Expr], concl: list[m.Expr]) -> str:
        heads = [self._domain_phrase(domains[v]) if v in domains else f"`{v}`" for v in names]
        if kind == "forall":
            head = "for every " + _join(heads, "and every")
            cond = f" such that {_join([self.sentence(g) for g in rest], 'and')}" if rest else ""
            return f"{head}{cond}, {_join([self.sentence(c) for c in concl], 'and')}"
        head = ("there is " + _join([_article(h) for h in heads], "and"))
        cond = [self.sentence(g) for g in concl]
        return head + (f" such that {_join(cond, 'and')}" if cond else "")

    def _domain_phrase(self, d: _Domain) -> str:
        if d.coll is not None:
            kind = "key" if isinstance(self.type_of(d.coll), m.MapType) else "element"
            return f"{kind} `{d.var}` of {self.noun(d.coll)}"
        if d.seq is not None:
            return f"index `{d.var}` of `{code(d.seq)}`"
        assert d.lo is not None and d.hi is not None
        op = "<" if d.hi_strict else "<="
        return f"`{d.var}` with `{code(d.lo, 5)} <= {d.var} {op} {code(d.hi, 5)}`"


_PLURAL = {"equals": "equal", "differs from": "differ from", "is": "are"}


def _agree(verb: str, subject: str) -> str:
    """"the contents of `a`" takes a plural verb."""
    if not subject.startswith(("the contents", "the original contents")):
        return verb
    head, _, tail = verb.partition(" ")
    if verb in _PLURAL:
        return _PLURAL[verb]
    return f"{_PLURAL.get(head, head)} {tail}".strip()


def _article(phrase: str) -> str:
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase if not phrase.startswith("`") else phrase


def _join(parts: list[str], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        nested = any(f" {w} " in p for p in parts for w in ("and", "or"))
        return f"{parts[0]}{',' if nested else ''} {word} {parts[1]}"
    return ", ".join(parts[:-1]) + f", {word} {parts[-1]}"


def _flat(e: m.Expr) -> list[m.Expr]:
    """Every conjunct, comparison chains split into their comparisons."""
    if isinstance(e, m.Binary) and e.op == "&&":
        return _flat(e.left) + _flat(e.right)
    return [e]


def _disjuncts(e: m.Expr) -> list[m.Expr]:
    if isinstance(e, m.Binary) and e.op == "||":
        return _disjuncts(e.left) + _disjuncts(e.right)
    return [e]


def _normalise(g: m.Expr) -> m.Expr:
    """`v >= lo` as `lo <= v`, `hi > v` as `v < hi`: one shape for the range patterns."""
    if isinstance(g, m.Binary) and g.op in (">", ">="):
        return m.Binary(_FLIP[g.op], g.right, g.left)
    return g


def _mentions(e: object, name: str) -> bool:
    if isinstance(e, m.Var):
        return e.name == name
    if isinstance(e, (m.Quantifier, m.SetComp)) and any(v.name == name for v in e.vars):
        return False
    if isinstance(e, tuple):
        return any(_mentions(x, name) for x in e)
    if isinstance(e, m.Expr):
        return any(_mentions(getattr(e, f), name) for f in e.__dataclass_fields__ if f != "span")
    return False


def _indexings(e: object, var: str) -> list[m.Index]:
    """Every `X[var]` inside e."""
    if isinstance(e, m.Index) and e.index == m.Var(var):
        return [e, *_indexings(e.seq, var)]
    if isinstance(e, tuple):
        return [x for item in e for x in _indexings(item, var)]
    if isinstance(e, m.Expr):
        return [x for f in e.__dataclass_fields__ if f != "span" for x in _indexings(getattr(e, f), var)]
    return []


def _is_zero(e: m.Expr | None) -> bool:
    return isinstance(e, m.IntLit) and e.value == 0


def _is_multiset(e: m.Expr) -> bool:
    return _multiset_parts(e) is not None


def _multiset_parts(e: m.Expr) -> list[m.Expr] | None:
    """`multiset(a) + multiset(b)` → [a, b]."""
    if isinstance(e, m.MultisetOf):
        return [e.operand]
    if isinstance(e, m.Binary) and e.op == "+":
        lp, rp = _multiset_parts(e.left), _multiset_parts(e.right)
        return lp + rp if lp is not None and rp is not None else None
    return None


def _emptiness(op: str, n: int) -> str | None:
    """`|s| > 0` → "not empty", `|s| == 0` → "empty"; None when it says something else."""
    if (op, n) in ((">", 0), ("!=", 0), (">=", 1)):
        return "not empty"
    if (op, n) in (("==", 0), ("<=", 0), ("<", 1)):
        return "empty"
    return None
