"""Spec text (expressions, signatures, helpers) to the model's trees, with file positions.

The grammar lives in `grammar.lark`. Every text handed to the parser comes with an
`Origin` that maps offsets in that text back to line and column of the TOML file, so
parse errors and every node's span point into the user's file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from verifier.specs import model as m

from verifier.errors import SourceLocation, SpecError
from verifier.grammars import lalr_parser

_TYPE_NAMES: dict[str, m.Type] = {
    "int": m.IntType(),
    "nat": m.NatType(),
    "bool": m.BoolType(),
    "real": m.RealType(),
    "char": m.CharType(),
    "string": m.StringType(),
}
_GENERIC_ARITY = {"seq": 1, "set": 1, "multiset": 1, "array": 1, "map": 2}

_FRIENDLY = {
    "IFF": "'<==>'", "IMP": "'==>'", "AND": "'&&'", "OR": "'||'", "RELOP": "a comparison",
    "IN": "'in'", "NOTIN": "'!in'", "BANG": "'!'", "MINUS": "'-'", "ADDOP": "'+' or '-'",
    "MULOP": "'*', '/' or '%'", "REAL": "a real number", "AS": "'as'", "DOTDOT": "'..'", "NAME": "a name", "INT": "a number",
    "CHAR": "a character literal", "STRING": "a string literal", "RPAR": "')'",
    "LPAR": "'('", "RSQB": "']'", "LSQB": "'['", "LBRACE": "'{'", "RBRACE": "'}'",
    "COMMA": "','", "COLON": "':'", "VBAR": "'|'", "$END": "end of text", "DOT": "'.'",
    "SEMICOLON": "';'", "MORETHAN": "'>'", "LESSTHAN": "'<'", "ARROW": "'->'", "FAT_ARROW": "'=>'",
    "EQ_SUPPORT": "'(==)'",
}


@dataclass(frozen=True)
class Origin:
    """Where a parsed text sits in the spec file.

    `locate(offset)` gives the 1-based (line, col) in the file of the text's character at
    `offset` (offset == len(text) is the end of the text).
    """

    file: str | None
    file_text: str
    locate: Callable[[int], tuple[int, int]]

    def span(self, start: int, end: int | None = None) -> m.Span:
        line, col = self.locate(start)
        return m.Span(self.file, line, col, start, start if end is None else end)

    def location(self, offset: int) -> SourceLocation:
        line, col = self.locate(offset)
        return location_in(self.file, self.file_text, line, col)


def location_in(file: str | None, file_text: str, line: int, col: int) -> SourceLocation:
    lines = file_text.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else None
    return SourceLocation(file, line, col, text)


def plain_origin(text: str, file: str | None = None) -> Origin:
    """An origin for a text that is the whole file (tests, snippets)."""

    def locate(offset: int) -> tuple[int, int]:
        before = text[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1

    return Origin(file, text, locate)


@dataclass(frozen=True)
class Names:
    """The spec's declared datatypes and their constructors: a name in a type position
    that is a datatype is that type; a name in an expression that is a constructor builds
    a value (`Red`, `Circle(3)`)."""

    datatypes: frozenset[str] = frozenset()
    ctors: frozenset[str] = frozenset()
    # (datatype, number of type parameters) of the generic ones: `Option<int>`, never bare `Option`
    arities: frozenset[tuple[str, int]] = frozenset()

    def arity(self, datatype: str) -> int:
        return next((n for d, n in self.arities if d == datatype), 0)


NO_NAMES = Names()


@functools.cache
def _parser() -> Lark:
    return lalr_parser("verifier.specs", "grammar.lark", propagate_positions=True,
                       start=["expr", "signature", "helper", "type", "datatype"], maybe_placeholders=True)


def _parse(text: str, start: str, origin: Origin, what: str) -> Tree:
    try:
        return _parser().parse(text, start=start)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, origin, what) from None


def _syntax_error(exc: UnexpectedInput, text: str, origin: Origin, what: str) -> SpecError:
    expected: set[str] = set()
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        offset = len(text) if tok.type == "$END" else (tok.start_pos or 0)
        found = "end of text" if tok.type == "$END" else repr(str(tok))
        expected = set(exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        offset = exc.pos_in_stream
        found = repr(text[offset]) if offset < len(text) else "end of text"
        expected = set(exc.allowed or ())
    elif isinstance(exc, UnexpectedEOF):
        offset = len(text)
        found = "end of text"
        expected = set((exc.expected and [t.name if hasattr(t, "name") else str(t) for t in exc.expected]) or ())
    else:  # pragma: no cover - lark has no other kinds
        offset, found = 0, "input"
    names = sorted({_FRIENDLY.get(e, e.lower().strip("_")) for e in expected if not e.startswith("__")})
    hint = f"expected {', '.join(names[:8])}" if names else f"write {what} in Dafny syntax"
    if len(names) > 8:
        hint += ", …"
    if found in ("'&&'", "'||'"):
        hint = "Dafny does not mix && and || without parentheses: write (a || b) && c or a || (b && c)"
    elif found == "'='":  # the most common slip from Python or maths
        hint = "write == to compare and ==> for implication; a single = is not an operator here"
    return SpecError(
        f"syntax error in {what}: unexpected {found}",
        location=origin.location(offset),
        hint=hint,
        code="syntax",
    )


def parse_expr(text: str, origin: Origin, what: str = "expression",
               type_params: frozenset[str] = frozenset(), names: Names = NO_NAMES) -> m.Expr:
    """An expression; `type_params` are the type parameter names in scope (the method's),
    `names` the spec's datatypes and constructors."""
    return _Builder(origin, text, type_params, names).expr(_parse(text, "expr", origin, what))


def parse_type(text: str, origin: Origin, type_params: frozenset[str] = frozenset(),
               names: Names = NO_NAMES) -> m.Type:
    """A type written alone (an example's `type_args = { T = "int" }`)."""
    return _Builder(origin, text, type_params, names).type(_parse(text, "type", origin, "the type"))


def parse_signature(text: str, origin: Origin,
                    names: Names = NO_NAMES) -> tuple[str, tuple[m.Param, ...], tuple[m.Param, ...]]:
    tree = _parse(text, "signature", origin, "the signature")
    name_tok, tps, params, _returns_kw, outs = tree.children
    b = _Builder(origin, text, names=names)
    b.declare_type_params(tps)  # the parameters' types may name them
    return str(name_tok), b.params(params), b.params(outs)


def signature_type_params(text: str, origin: Origin) -> tuple[m.TypeParam, ...]:
    """The method's type parameters (`<T(==)>`), in order; () for a plain method."""
    tree = _parse(text, "signature", origin, "the signature")
    return _Builder(origin, text).declare_type_params(tree.children[1])


def parse_helper(text: str, origin: Origin, type_params: frozenset[str] = frozenset(),
                 names: Names = NO_NAMES) -> m.Helper:
    """A helper; it sees the method's type parameters (`type_params`) and declares its own."""
    tree = _parse(text, "helper", origin, "the helper")
    kind_tok, method_tok, name_tok, tps, params, rtype, *rest = tree.children
    b = _Builder(origin, text, type_params, names)
    own = b.declare_type_params(tps)
    body_tree = rest[-1]
    requires: list[m.Clause] = []
    decreases: list[m.Clause] = []
    for spec_tree in rest[:-1]:
        for e in spec_tree.children[1:]:
            expr = b.expr(e)
            clause = m.Clause(b.text_of(e), expr, expr_span(expr))
            (requires if spec_tree.data == "helper_requires" else decreases).append(clause)
    kind = str(kind_tok)
    if rtype is None:
        if kind == "function":
            raise SpecError(
                f"function {name_tok} has no result type",
                location=origin.location(name_tok.end_pos or 0),
                hint=f"write `function {name_tok}(...): int {{ ... }}`, or make it a predicate",
                code="syntax",
            )
        ret: m.Type = m.BoolType()
    else:
        if kind == "predicate":
            raise SpecError(
                f"predicate {name_tok} must not declare a result type",
                location=origin.location(rtype.meta.start_pos),
                hint="a predicate returns bool; drop `: type` or make it a function",
                code="syntax",
            )
        ret = b.type(rtype)
    return m.Helper(
        kind=kind,
        name=str(name_tok),
        params=b.params(params),
        return_type=ret,
        requires=tuple(requires),
        decreases=tuple(decreases),
        body=b.expr(body_tree),
        body_text=b.text_of(body_tree),
        source=text,
        span=origin.span(name_tok.start_pos or 0),
        type_params=own,
        compiled=method_tok is not None,
    )


def parse_datatypes(sources: list[tuple[str, Origin]]) -> tuple[m.Datatype, ...]:
    """Every `[[datatypes]]` entry; parsed together, so a field may name any of them
    (recursive and mutually recursive datatypes). A generic one's type parameters are
    types in its fields (`datatype List<T> = Nil | Cons(head: T, tail: List<T>)`)."""
    trees = [(_parse(text, "datatype", origin, "the datatype"), text, origin) for text, origin in sources]
    dt_names = frozenset(str(t.children[0]) for t, _, _ in trees)
    ctor_names = frozenset(str(c.children[0]) for t, _, _ in trees for c in t.children[2:])
    arities = frozenset((str(t.children[0]), len(t.children[1].children)) for t, _, _ in trees if t.children[1] is not None)
    names = Names(dt_names, ctor_names, arities)
    out = []
    for tree, text, origin in trees:
        b = _Builder(origin, text, names=names)
        name_tok, tparams, *ctors = tree.children
        tps = b.declare_type_params(tparams)
        clash = next((tp for tp in tps if tp.name in dt_names), None)
        if clash is not None:
            raise b.error(f"type parameter {clash.name} of {name_tok} has the name of a datatype",
                          tparams, f"name the type parameter differently, e.g. datatype {name_tok}<T> = ...", "type")
        out.append(m.Datatype(str(name_tok), tuple(b.ctor(c) for c in ctors), text, b.span(name_tok), tps))
    return tuple(out)


def expr_span(e: m.Expr) -> m.Span:
    return getattr(e, "span", m.NO_SPAN)


class _Builder:
    """lark tree -> model nodes. One method per grammar rule name."""

    def __init__(self, origin: Origin, text: str, type_params: frozenset[str] = frozenset(),
                 names: Names = NO_NAMES) -> None:
        self.origin = origin
        self.text = text
        self.type_params = type_params  # names that are types here (`T` of `<T(==)>`)
        self.names = names

    def text_of(self, t: Tree | Token) -> str:
        if isinstance(t, Token):
            return str(t)
        return self.text[t.meta.start_pos : t.meta.end_pos]

    def span(self, t: Tree | Token) -> m.Span:
        if isinstance(t, Token):
            return self.origin.span(t.start_pos or 0, t.end_pos)
        return self.origin.span(t.meta.start_pos, t.meta.end_pos)

    def error(self, msg: str, at: Tree | Token, hint: str, code: str = "syntax") -> SpecError:
        offset = at.start_pos if isinstance(at, Token) else at.meta.start_pos
        return SpecError(msg, location=self.origin.location(offset or 0), hint=hint, code=code)

    # ------------------------------------------------------------- declarations
    def params(self, t: Tree | None) -> tuple[m.Param, ...]:
        if t is None:
            return ()
        out = []
        for p in t.children:
            name, ty = p.children
            out.append(m.Param(str(name), self.type(ty), self.span(name)))
        return tuple(out)

    def declare_type_params(self, t: Tree | None) -> tuple[m.TypeParam, ...]:
        """`<T(==), U>`: declared in order, each name once; they are types from here on."""
        if t is None:
            return ()
        out: list[m.TypeParam] = []
        for tp in t.children:
            name, eq = tp.children
            if str(name) in _TYPE_NAMES or str(name) in _GENERIC_ARITY or str(name) in {p.name for p in out}:
                raise self.error(f"type parameter {name} is a built-in type or declared twice", name,
                                 "name type parameters T, U, ... (each once)", "type")
            out.append(m.TypeParam(str(name), eq is not None, self.span(name)))
        self.type_params = self.type_params | {p.name for p in out}
        return tuple(out)

    def ctor(self, t: Tree) -> m.Constructor:
        name, fields = t.children
        return m.Constructor(str(name), self.params(fields), self.span(name))

    def type(self, t: Tree) -> m.Type:
        if t.data == "arrow_type":
            src, _arrow, result = t.children
            if src is None:
                raise self.error("a function type needs at least one parameter type", t,
                                 "write e.g. int -> int or (int, int) -> bool", "type")
            params = [self.type(c) for c in src.children] if src.data == "types" else [self.type(src)]
            return m.ArrowType(tuple(params), self.type(result))
        if t.data == "named_type":
            (name,) = t.children
            if str(name) in _TYPE_NAMES:
                return _TYPE_NAMES[str(name)]
            if str(name) in self.type_params:
                return m.TypeVarType(str(name))
            if str(name) in self.names.datatypes:
                n = self.names.arity(str(name))
                if n:
                    params = ", ".join("int" for _ in range(n))
                    raise self.error(f"datatype {name} takes {n} type argument(s), got none", name,
                                     f"write {name}<{params}> (or the type parameter in scope, e.g. {name}<T>)", "type")
                return m.DatatypeType(str(name))
            if str(name) in _GENERIC_ARITY:
                raise self.error(
                    f"type {name} needs type arguments", name, f"write e.g. {name}<int>", "type"
                )
            raise self.error(
                f"unknown type {name!s}",
                name,
                "use int, nat, bool, real, char, string, seq<T>, set<T>, multiset<T>, map<K, V>, array<T>, "
                "a datatype declared under [[datatypes]] or a type parameter declared where it is used "
                "(method Name<T>(...), function F<T>(...), datatype D<T> = ...)",
                "type",
            )
        name, *args = t.children
        kind = str(name)
        if kind in self.names.datatypes:
            return self._datatype_type(name, args)
        if kind not in _GENERIC_ARITY:
            raise self.error(
                f"unknown type {kind}<...>", name,
                "generic types are seq, set, multiset, map, array and the generic datatypes declared under [[datatypes]]", "type"
            )
        if len(args) != _GENERIC_ARITY[kind]:
            raise self.error(
                f"{kind} takes {_GENERIC_ARITY[kind]} type argument(s), got {len(args)}",
                name,
                "write map<K, V>" if kind == "map" else f"write {kind}<T>",
                "type",
            )
        ts = [self.type(a) for a in args]
        if kind == "seq":
            return m.SeqType(ts[0])
        if kind == "set":
            return m.SetType(ts[0])
        if kind == "multiset":
            return m.MultisetType(ts[0])
        if kind == "array":
            return m.ArrayType(ts[0])
        return m.MapType(ts[0], ts[1])

    def _datatype_type(self, name: Token, args: list[Tree]) -> m.Type:
        """`Option<int>`, `List<T>`: as many type arguments as the datatype declares."""
        n = self.names.arity(str(name))
        if len(args) != n:
            want = f"write {name}<{', '.join('int' for _ in range(n))}>" if n else f"write {name} without type arguments"
            raise self.error(f"datatype {name} takes {n} type argument(s), got {len(args)}", name, want, "type")
        return m.DatatypeType(str(name), tuple(self.type(a) for a in args))

    # ------------------------------------------------------------- expressions
    def expr(self, t: Tree | Token) -> m.Expr:
        if isinstance(t, Token):  # pragma: no cover - every atom has its own rule
            raise self.error(f"unexpected {t!s}", t, "check the expression syntax")
        method = getattr(self, f"r_{t.data}")
        return method(t)

    def _binary_chain(self, t: Tree, right_assoc: bool = False) -> m.Expr:
        kids = t.children
        if right_assoc:
            left, op, right = kids
            return m.Binary(str(op), self.expr(left), self.expr(right), self.span(op))
        acc = self.expr(kids[0])
        for i in range(1, len(kids), 2):
            op = kids[i]
            acc = m.Binary(str(op), acc, self.expr(kids[i + 1]), self.span(op))
        return acc

    def r_iff(self, t: Tree) -> m.Expr:
        return self._binary_chain(t)

    def r_implies(self, t: Tree) -> m.Expr:
        return self._binary_chain(t, right_assoc=True)

    def r_conj(self, t: Tree) -> m.Expr:
        return self._binary_chain(t)

    def r_disj(self, t: Tree) -> m.Expr:
        return self._binary_chain(t)

    def r_add(self, t: Tree) -> m.Expr:
        return self._binary_chain(t)

    def r_mul(self, t: Tree) -> m.Expr:
        return self._binary_chain(t)

    def r_rel(self, t: Tree) -> m.Expr:
        kids = t.children
        operands = [self.expr(k) for k in kids[0::2]]
        ops = kids[1::2]
        if len(ops) > 1:
            names = {str(o) for o in ops}
            up, down = {"==", "<", "<="}, {"==", ">", ">="}
            if not (names <= up or names <= down):
                bad = next(o for o in ops if str(o) not in up) if not names <= up else ops[0]
                raise self.error(
                    "this comparison chain mixes directions or uses an operator that cannot chain",
                    bad,
                    "a chain may use ==, <, <= (or ==, >, >=) only; use && for the rest",
                )
        parts = [
            m.Binary(str(op), operands[i], operands[i + 1], self.span(op)) for i, op in enumerate(ops)
        ]
        acc: m.Expr = parts[0]
        for p in parts[1:]:
            acc = m.Binary("&&", acc, p, p.span)
        return acc

    def r_not_(self, t: Tree) -> m.Expr:
        op, e = t.children
        return m.Unary("!", self.expr(e), self.span(op))

    def r_neg(self, t: Tree) -> m.Expr:
        op, e = t.children
        inner = self.expr(e)
        if isinstance(inner, m.IntLit):
            return m.IntLit(-inner.value, self.span(op))
        if isinstance(inner, m.RealLit):
            return m.RealLit(-inner.value, self.span(op))
        return m.Unary("-", inner, self.span(op))

    def _bound(self, qvars: list[Tree]) -> tuple[m.BoundVar, ...]:
        out = []
        for q in qvars:
            name, ty = q.children
            out.append(m.BoundVar(str(name), None if ty is None else self.type(ty), self.span(name)))
        names = [b.name for b in out]
        for i, b in enumerate(out):
            if b.name in names[:i]:
                raise SpecError(
                    f"bound variable {b.name} is declared twice",
                    location=location_in(b.span.file, self.origin.file_text, b.span.line, b.span.col),
                    hint="give each bound variable its own name",
                    code="syntax",
                )
        return tuple(out)

    def r_quantifier(self, t: Tree) -> m.Expr:
        kw, *rest = t.children
        qvars = [c for c in rest if isinstance(c, Tree) and c.data == "qvar"]
        rng, body = rest[len(qvars)], rest[len(qvars) + 1]
        return m.Quantifier(
            str(kw),
            self._bound(qvars),
            None if rng is None else self.expr(rng),
            self.expr(body),
            self.span(t),
        )

    def r_set_comp(self, t: Tree) -> m.Expr:
        _kw, *rest = t.children
        qvars = [c for c in rest if isinstance(c, Tree) and c.data == "qvar"]
        rng, term = rest[len(qvars)], rest[len(qvars) + 1]
        bound = self._bound(qvars)
        if term is None and len(bound) != 1:
            raise self.error(
                "a set comprehension over several variables needs a term",
                t,
                "write `set x, y | range :: term`",
            )
        return m.SetComp(bound, self.expr(rng), None if term is None else self.expr(term), self.span(t))

    def r_map_comp(self, t: Tree) -> m.Expr:
        _kw, qvar, rng, value = t.children
        (bound,) = self._bound([qvar])
        return m.MapComp(bound, self.expr(rng), self.expr(value), self.span(t))

    def r_ite(self, t: Tree) -> m.Expr:
        c, a, b = t.children
        return m.Ite(self.expr(c), self.expr(a), self.expr(b), self.span(t))

    def r_let(self, t: Tree) -> m.Expr:
        name, ty, value, body = t.children
        var = m.BoundVar(str(name), None if ty is None else self.type(ty), self.span(name))
        return m.Let(var, self.expr(value), self.expr(body), self.span(t))

    def r_match_expr(self, t: Tree) -> m.Expr:
        _kw, scrutinee, *cases = t.children
        return m.Match(self.expr(scrutinee), tuple(self._match_case(c) for c in cases), self.span(t))

    def _match_case(self, t: Tree) -> m.MatchCase:
        """`case C(x, _) => body`, `case D => body` (D a constructor) or a catch-all
        `case x => body` / `case _ => body`: a bare name that is no constructor binds the value."""
        kw, name, pattern_args, _arrow, body = t.children
        if pattern_args is None and str(name) not in self.names.ctors:
            var = m.BoundVar(str(name), None, self.span(name))
            return m.MatchCase(None, (var,), self.expr(body), self.origin.span(kw.start_pos or 0, t.meta.end_pos))
        names = [n for n in (pattern_args.children if pattern_args is not None else ()) if n is not None]
        bound = tuple(m.BoundVar(str(n), None, self.span(n)) for n in names)
        dup = next((n for i, n in enumerate(names) if str(n) != m.WILDCARD and str(n) in map(str, names[:i])), None)
        if dup is not None:
            raise self.error(f"pattern variable {dup} is bound twice in case {name}", dup,
                             "give each field its own name, or _ for a field not read")
        # the span: line:col of `case`, offsets over the whole case (Dafny 2.3's rendering
        # rewrites a catch-all case's text)
        return m.MatchCase(str(name), bound, self.expr(body), self.origin.span(kw.start_pos or 0, t.meta.end_pos))

    def r_index(self, t: Tree) -> m.Expr:
        s, i = t.children
        return m.Index(self.expr(s), self.expr(i), self.span(t))

    def r_slice(self, t: Tree) -> m.Expr:
        s, lo, _dots, hi = t.children
        return m.Slice(
            self.expr(s),
            None if lo is None else self.expr(lo),
            None if hi is None else self.expr(hi),
            self.span(t),
        )

    def r_update(self, t: Tree) -> m.Expr:
        s, k, v = t.children
        return m.Update(self.expr(s), self.expr(k), self.expr(v), self.span(t))

    def r_member(self, t: Tree) -> m.Expr:
        obj, name = t.children
        if str(name).endswith("?"):  # a discriminator: `s.Circle?`
            return m.IsCtor(self.expr(obj), str(name)[:-1], self.span(name))
        return m.Member(self.expr(obj), str(name), self.span(name))

    def r_int_lit(self, t: Tree) -> m.Expr:
        return m.IntLit(int(str(t.children[0])), self.span(t))

    def r_real_lit(self, t: Tree) -> m.Expr:
        return m.RealLit(Fraction(str(t.children[0])), self.span(t))

    def r_convert(self, t: Tree) -> m.Expr:
        """`e as real`, `e as int`, `e as char`: the conversions the spec language has."""
        e, _as, ty = t.children
        target = self.type(ty)
        if not isinstance(target, (m.IntType, m.RealType, m.CharType)):
            raise self.error(
                f"conversion to {m.type_text(target)} is not supported", ty,
                "write `e as real` (an int to a real), `e as int` (a whole real, or a char's code) "
                "or `e as char` (a code to a char)", "type",
            )
        return m.Convert(self.expr(e), target, self.span(_as))

    def r_true_lit(self, t: Tree) -> m.Expr:
        return m.BoolLit(True, self.span(t))

    def r_false_lit(self, t: Tree) -> m.Expr:
        return m.BoolLit(False, self.span(t))

    def _unescape(self, tok: Token, body: str) -> str:
        table = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}
        out, i = [], 0
        while i < len(body):
            c = body[i]
            if c == "\\":
                nxt = body[i + 1] if i + 1 < len(body) else ""
                if nxt == "u" and len(body) >= i + 6 and all(c in "0123456789abcdefABCDEF" for c in body[i + 2 : i + 6]):
                    out.append(chr(int(body[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                if nxt not in table:
                    raise self.error(
                        f"unknown escape \\{nxt} in a literal", tok, r"use \n, \t, \r, \0, \\, \', \" or \uXXXX"
                    )
                out.append(table[nxt])
                i += 2
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def r_char_lit(self, t: Tree) -> m.Expr:
        tok = t.children[0]
        return m.CharLit(self._unescape(tok, str(tok)[1:-1]), self.span(t))

    def r_string_lit(self, t: Tree) -> m.Expr:
        tok = t.children[0]
        return m.StrLit(self._unescape(tok, str(tok)[1:-1]), self.span(t))

    def r_var(self, t: Tree) -> m.Expr:
        if str(t.children[0]) in self.names.ctors:  # a constructor without fields: `Red`
            return m.Construct(str(t.children[0]), (), self.span(t))
        return m.Var(str(t.children[0]), self.span(t))

    def _args(self, t: Tree | None) -> tuple[m.Expr, ...]:
        return () if t is None else tuple(self.expr(c) for c in t.children)

    def r_call(self, t: Tree) -> m.Expr:
        name, args = t.children
        if str(name) in self.names.ctors:
            return m.Construct(str(name), self._args(args), self.span(t))
        return m.Call(str(name), self._args(args), self.span(t))

    def r_old(self, t: Tree) -> m.Expr:
        return m.Old(self.expr(t.children[1]), self.span(t))

    def r_seq_init(self, t: Tree) -> m.Expr:
        """`seq(n, i => body)`: the lambda's variable is an int (an index)."""
        _kw, length, lam, _arrow, body = t.children
        name, *ty = lam.children
        declared = ty[0] if ty else None
        if declared is not None and not isinstance(self.type(declared), (m.IntType, m.NatType)):
            raise self.error("the variable of seq(n, i => ...) is an index: an int", declared,
                             "write seq(n, i => ...) or seq(n, (i: int) => ...)", "type")
        var = m.BoundVar(str(name), m.IntType(), self.span(name))
        return m.SeqInit(self.expr(length), var, self.expr(body), self.span(t))

    def r_multiset_of(self, t: Tree) -> m.Expr:
        return m.MultisetOf(self.expr(t.children[1]), self.span(t))

    def r_card(self, t: Tree) -> m.Expr:
        return m.Card(self.expr(t.children[0]), self.span(t))

    def r_seq_display(self, t: Tree) -> m.Expr:
        return m.SeqDisplay(self._args(t.children[0]), self.span(t))

    def r_set_display(self, t: Tree) -> m.Expr:
        return m.SetDisplay(self._args(t.children[0]), self.span(t))

    def r_multiset_display(self, t: Tree) -> m.Expr:
        return m.MultisetDisplay(self._args(t.children[1]), self.span(t))

    def r_map_display(self, t: Tree) -> m.Expr:
        maplets = t.children[1]
        items = () if maplets is None else tuple(
            (self.expr(ml.children[0]), self.expr(ml.children[1])) for ml in maplets.children
        )
        return m.MapDisplay(items, self.span(t))
