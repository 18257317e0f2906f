"""Dafny expressions as Python expressions with Dafny's exact meaning.

One case per node kind. Where Python's meaning differs from Dafny's (`/` and `%` on
negative numbers, `<` on sequences, `==` on arrays, hashing of nested sets) the emitter
either proves the simple spelling is equal (a positive literal divisor, a length) or
calls a helper (`Needs` records it). A construct it cannot translate exactly is an
`UnsupportedConstruct` at its line and column.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_bounds import Bound, BoundKind, conjuncts, plan_generators
from verifier.translators.dafny_scope import ProgramIndex, Scope, Var, field_name, py_identifier
from verifier.translators.dafny_types import (
    BOOL,
    CHAR,
    INT,
    REAL,
    UNKNOWN,
    TypeInference,
    array_rank,
    bv_width,
    dafny_text,
    elem,
    is_int,
    is_kind,
    is_string,
    map_value,
    tuple_parts,
)
from verifier.translators.dafny_unsupported import unsupported
from verifier.translators.python_helpers import Needs
from verifier.translators.python_syntax import Code, literal, wrap
from verifier.translators.python_syntax import Prec as P

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


class ExprEmitter:
    """Translates expressions in the current scope; shared by the statement emitter."""

    def __init__(self, index: ProgramIndex, scope: Scope, types: TypeInference, needs: Needs) -> None:
        self.index = index
        self.scope = scope
        self.types = types
        self.needs = needs
        # how many conditionals (`x if c else y`, comprehension filters) were written:
        # a Code whose emission moved it has `has_if`
        self.conditionals = 0

    def infer(self, e: A.Expr) -> A.Type:
        return self.types.infer(e)

    def ex(self, e: A.Expr, expected: A.Type | None = None) -> Code:
        """`e` as Python; `expected` is the type the context wants (for empty displays)."""
        before = self.conditionals
        code = self._ex(e, expected)
        if self.conditionals != before and not code.has_if:
            return Code(code.text, code.prec, has_if=True)
        return code

    def text(self, e: A.Expr, expected: A.Type | None = None, min_prec: int = P.LAMBDA) -> str:
        """`e` as an operand needing at least `min_prec`."""
        return wrap(self.ex(e, expected), min_prec)

    def _ex(self, e: A.Expr, expected: A.Type | None) -> Code:
        match e:
            case A.IntLit(value=v):
                return Code(str(v), P.ATOM if v >= 0 else P.UNARY)
            case A.RealLit(text=text):
                return self._real(text)
            case A.BoolLit(value=v):
                return Code("True" if v else "False", P.ATOM)
            case A.CharLit(value=v) | A.StringLit(value=v):
                return Code(literal(v), P.ATOM)
            case A.Name():
                return self._name(e)
            case A.ThisExpr() if self.scope.this_class is not None:
                return Code("self", P.ATOM)
            case A.NullLit() if expected is not None and expected.name.rstrip("?") in self.index.classes:
                return Code("None", P.ATOM)
            case A.BinOp():
                return self._binop(e, expected)
            case A.Chain():
                return self._chain(e)
            case A.UnaryOp():
                return self._unary(e, expected)
            case A.Cardinality(operand=x):
                t = self.infer(x)
                if t.name == "multiset":
                    return Code(f"{self.text(x, t, P.POSTFIX)}.total()", P.POSTFIX)
                return Code(f"len({self.text(x, t)})", P.POSTFIX)
            case A.Index(seq=seq, index=index):
                t = self.infer(seq)
                idx = self.text(index, elem(t) if t.name in ("map", "multiset") else INT)
                return Code(f"{self.text(seq, t, P.POSTFIX)}[{idx}]", P.POSTFIX)
            case A.MultiIndex():
                return Code(f"{self.multi_index(e)}", P.POSTFIX)
            case A.Slice():
                return self._slice(e)
            case A.Update():
                return self._update(e)
            case A.DatatypeUpdate():
                return self._datatype_update(e)
            case A.Field():
                return self._field(e)
            case A.Call():
                return self._call(e)
            case A.IfExpr(cond=cond, then=then, else_=other):
                self.conditionals += 1
                t, c = self.text(then, expected, P.OR), self.text(cond, BOOL, P.OR)
                return Code(f"{t} if {c} else {self.text(other, expected, P.IF)}", P.IF, has_if=True)
            case A.AsExpr():
                return self._as(e, expected)
            case A.StmtExpr(body=body):  # a proof step (an `assume` was refused already)
                return self.ex(body, expected)
        return self._ex_collection(e, expected)

    def _ex_collection(self, e: A.Expr, expected: A.Type | None) -> Code:
        match e:
            case A.SeqDisplay():
                return self._seq_display(e, expected)
            case A.SetDisplay(elements=xs):
                et = elem(expected) if is_kind(expected, "set") else (self.infer(xs[0]) if xs else UNKNOWN)
                if not xs:
                    return Code("set()", P.POSTFIX)
                return Code("{" + ", ".join(self.hashable(x, et) for x in xs) + "}", P.ATOM)
            case A.MultisetDisplay(elements=xs):
                self.needs.imports.add("Counter")
                et = elem(expected) if is_kind(expected, "multiset") else UNKNOWN
                if not xs:
                    return Code("Counter()", P.POSTFIX)
                return Code("Counter([" + ", ".join(self.hashable(x, et) for x in xs) + "])", P.POSTFIX)
            case A.MultisetOf(operand=x):
                self.needs.imports.add("Counter")
                self.types.require_hashable(e, elem(self.infer(x)))
                return Code(f"Counter({self.text(x)})", P.POSTFIX)
            case A.MapDisplay(items=items):
                kt = elem(expected) if is_kind(expected, "map") else UNKNOWN
                vt = map_value(expected) if is_kind(expected, "map") else None
                pairs = [f"{self.hashable(k, kt)}: {self.text(v, vt)}" for k, v in items]
                return Code("{" + ", ".join(pairs) + "}", P.ATOM)
            case A.TupleDisplay(elements=xs):
                et = expected.args if expected is not None and is_kind(expected, "tuple") else ()
                parts = [self.text(x, et[i] if i < len(et) else None) for i, x in enumerate(xs)]
                return Code("(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")", P.ATOM)
        return self._ex_binding(e, expected)

    def _ex_binding(self, e: A.Expr, expected: A.Type | None) -> Code:
        """Expressions that bind names: each gets a scope of its own."""
        match e:
            case A.LetExpr():
                return self._let(e, expected)
            case A.LetSuchThat():
                return self._let_such_that(e, expected)
            case A.Quantifier():
                return self._quantifier(e)
            case A.SetComprehension():
                return self._set_comp(e)
            case A.MapComprehension():
                return self._map_comp(e)
            case A.Lambda():
                return self._lambda(e, expected)
            case A.SeqConstructor(length=length, init=A.Lambda(param=param, body=body)):
                n = self.text(length, INT)
                with self.scope.nested():
                    var = self.scope.declare(param, INT)
                    return Code(f"[{self.text(body)} for {var.py} in range({n})]", P.ATOM)
            case A.SeqConstructor(length=length, init=init):  # any function value: called per index
                n = self.text(length, INT)
                f = self.text(init, self.infer(init), P.POSTFIX)
                with self.scope.nested():
                    var = self.scope.declare("_i", INT)  # a fresh name: `f` may mention an `i`
                    return Code(f"[{f}({var.py}) for {var.py} in range({n})]", P.ATOM)
        raise self._refusal(e)

    def _lambda(self, e: A.Lambda, expected: A.Type | None) -> Code:
        """`(x, y) => e` as a Python lambda; parameter types from the binders, else from
        the function type expected here."""
        ptypes = expected.args[:-1] if is_kind(expected, "->") and expected is not None else ()
        with self.scope.nested():
            names = []
            for i, b in enumerate(e.params):
                t = b.type or (ptypes[i] if i < len(ptypes) else UNKNOWN)
                names.append("_" if b.name == "_" else self.scope.declare(b.name, t).py)
            result = expected.args[-1] if ptypes and expected is not None else None
            body = self.text(e.body, result, P.LAMBDA)
        return Code(f"lambda {', '.join(names)}: {body}" if names else f"lambda: {body}", P.LAMBDA)

    def _refusal(self, e: A.Expr) -> Exception:
        """Why an expression outside the subset cannot be translated."""
        match e:
            case A.MatchExpr():
                return unsupported(
                    e,
                    "a match expression inside a larger expression is outside the supported subset",
                    "match expression",
                    hint="make the match the whole function body, or use a match statement",
                )
            case A.Old():
                return unsupported(e, "old(...) cannot be compiled", "old")
            case A.Fresh():
                return unsupported(e, "fresh(...) cannot be compiled", "fresh")
            case A.NullLit() | A.ThisExpr():
                return unsupported(e, "objects (null/this) are outside the supported subset", "object")
            case A.NewArray() | A.Havoc():
                return unsupported(e, "'new' and '*' are only allowed as a whole right-hand side", "new")
        kind = type(e).__name__
        return unsupported(e, f"expression {kind} is outside the supported subset", kind)

    # ------------------------------------------------------------ names and operators
    def _name(self, e: A.Name) -> Code:
        var = self.scope.lookup(e.name)
        if var is not None:
            if var.ghost:
                raise unsupported(e, f"ghost variable '{e.name}' used in compiled code", "ghost variable")
            self.scope.note_read(var)
            return Code(var.py, P.ATOM)
        if e.name in self.index.consts:
            return Code(py_identifier(e.name), P.ATOM)
        if e.name in self.index.ctors and not self.index.ctors[e.name][1].fields:
            return Code(f"{py_identifier(e.name)}()", P.POSTFIX)
        if e.name in self.index.functions and not any(p.ghost for p in self.index.functions[e.name].params):
            return Code(py_identifier(e.name), P.ATOM)  # a function as a value
        raise unsupported(e, f"unknown or unsupported name '{e.name}'", "name")

    def _unary(self, e: A.UnaryOp, expected: A.Type | None) -> Code:
        match e:
            case A.UnaryOp(op="!", operand=A.BinOp(op="in" | "!in" as op, left=left, right=right) as inner):
                return self.ex(A.BinOp("!in" if op == "in" else "in", left, right, pos=inner.pos))
            case A.UnaryOp(op="!" | "-" as op, operand=x) if (width := bv_width(self.infer(x))) is not None:
                # bitwise complement and negation modulo 2^N
                inner = f"{'~' if op == '!' else '-'}{self.text(x, None, P.UNARY)}"
                return Code(f"({inner}) & {hex((1 << width) - 1)}", P.BAND)
            case A.UnaryOp(op="!", operand=x):
                return Code(f"not {self.text(x, BOOL, P.NOT)}", P.NOT)
            case A.UnaryOp(operand=A.IntLit(value=v)):
                return Code(f"-{v}", P.UNARY)
        return Code(f"-{self.text(e.operand, expected, P.UNARY)}", P.UNARY)

    def negation(self, e: A.Expr) -> Code:
        """`!e` as Python (`not`, or a flipped `in`)."""
        return self.ex(A.UnaryOp("!", e, pos=e.pos), BOOL)

    def _constant_like(self, e: A.Expr) -> bool:
        """What ruff takes for a constant on the left of a comparison: a literal, a
        negated literal, an ALL_CAPS name."""
        match e:
            case A.IntLit() | A.CharLit() | A.StringLit() | A.UnaryOp(op="-", operand=A.IntLit()):
                return True
            case A.Name(name=name):
                return name in self.index.consts and py_identifier(name).isupper()
        return False

    def _binop(self, e: A.BinOp, expected: A.Type | None) -> Code:
        match e.op:
            case "&&":
                return Code(f"{self.text(e.left, BOOL, P.AND)} and {self.text(e.right, BOOL, P.AND + 1)}", P.AND)
            case "||":
                # `and` inside `or` is parenthesized (ruff RUF021), `or` chains are not
                left = self.ex(e.left, BOOL)
                left_text = wrap(left, P.OR if left.prec == P.OR else P.AND + 1)
                return Code(f"{left_text} or {self.text(e.right, BOOL, P.AND + 1)}", P.OR)
            case "==>":
                left_text = wrap(self.negation(e.left), P.AND + 1)
                return Code(f"{left_text} or {self.text(e.right, BOOL, P.AND + 1)}", P.OR)
            case "<==":
                right_text = wrap(self.negation(e.right), P.AND + 1)
                return Code(f"{self.text(e.left, BOOL, P.AND + 1)} or {right_text}", P.OR)
            case "<==>":
                return Code(f"{self.text(e.left, BOOL, P.CMP + 1)} == {self.text(e.right, BOOL, P.CMP + 1)}", P.CMP)
        lt = self.infer(e.left)
        rt = self.infer(e.right)
        t = lt if lt.name != "?" else rt
        if e.op in ("==", "!=") and (isinstance(e.left, A.NullLit) or isinstance(e.right, A.NullLit)):
            other = e.right if isinstance(e.left, A.NullLit) else e.left
            if self.infer(other).name.rstrip("?") in self.index.classes:
                # a nullable reference (`C?`): null is None
                return Code(f"{self.text(other, None, P.CMP + 1)} {'is' if e.op == '==' else 'is not'} None", P.CMP)
            # `a != null` (older Dafny style): arrays here are never null
            return Code("True" if e.op == "!=" else "False", P.ATOM)
        if e.op in _COMPARISONS and self._constant_like(e.left) and not self._constant_like(e.right):
            # `0 <= x` -> `x >= 0`: the same for ints and chars, and not a Yoda condition
            # (ruff SIM300); literals have no effects, so the order of evaluation is kept
            return self._binop(A.BinOp(_FLIP.get(e.op, e.op), e.right, e.left, pos=e.pos), expected)
        match e.op:
            case "==" | "!=":
                return self._equality(e, t)
            case "<" | "<=" | ">" | ">=":
                return self._order(e, t)
            case "in" | "!in":
                return self._membership(e, rt)
            case "!!":
                if t.name == "multiset":
                    return Code(f"not ({self.text(e.left, t, P.BAND)} & {self.text(e.right, t, P.BAND + 1)})", P.NOT)
                return Code(f"{self.text(e.left, t, P.POSTFIX)}.isdisjoint({self.text(e.right, t)})", P.POSTFIX)
        return self._arithmetic(e, t)

    def _equality(self, e: A.BinOp, t: A.Type) -> Code:
        for a, b in ((e.left, e.right), (e.right, e.left)):
            if isinstance(b, A.BoolLit):
                positive = b.value == (e.op == "==")
                return self.ex(a, BOOL) if positive else self.negation(a)
        # arrays are references in Dafny: `==` is identity
        pyop = e.op if not is_kind(t, "array", "array?") else ("is" if e.op == "==" else "is not")
        return Code(f"{self.text(e.left, t, P.CMP + 1)} {pyop} {self.text(e.right, t, P.CMP + 1)}", P.CMP)

    def _order(self, e: A.BinOp, t: A.Type) -> Code:
        if t.name == "seq":
            fn = "_is_prefix" if e.op in ("<=", ">=") else "_is_proper_prefix"
            self.needs.helpers.add(fn)
            self.needs.imports.add("Sequence")
            a, b = (e.left, e.right) if e.op in ("<", "<=") else (e.right, e.left)
            return Code(f"{fn}({self.text(a, t)}, {self.text(b, t)})", P.POSTFIX)
        return Code(f"{self.text(e.left, t, P.CMP + 1)} {e.op} {self.text(e.right, t, P.CMP + 1)}", P.CMP)

    def _membership(self, e: A.BinOp, rt: A.Type) -> Code:
        pyop = "in" if e.op == "in" else "not in"
        right = e.right
        if isinstance(right, A.Field) and right.name == "Keys" and self.infer(right.obj).name == "map":
            right = right.obj
            rt = self.infer(right)
        left = self.text(e.left, elem(rt), P.CMP + 1)
        return Code(f"{left} {pyop} {self.text(right, rt, P.CMP + 1)}", P.CMP)

    def _arithmetic(self, e: A.BinOp, t: A.Type) -> Code:
        op = e.op
        if (width := bv_width(t)) is not None:
            return self._bitvector(e, t, width)
        if op == "+" and t.name == "seq" and not is_string(t):
            return self._seq_concat(e, t)
        if op in ("+", "-", "*", "/") and t.name == "real":
            # Fraction arithmetic is exact, as Dafny's reals are
            return self._arith(e, op, P.ADD if op in "+-" else P.MUL, t)
        if op == "+" and (is_string(t) or is_int(t) or t.name in ("multiset", "?")):
            return self._arith(e, "+", P.ADD, t)
        if op == "+" and t.name == "set":
            return self._arith(e, "|", P.BOR, t)
        if op == "+" and t.name == "map":
            return Code(f"{{**{self.text(e.left, t, P.BOR)}, **{self.text(e.right, t, P.BOR)}}}", P.ATOM)
        if op == "-" and (is_int(t) or t.name in ("set", "multiset", "?")):
            return self._arith(e, "-", P.ADD, t)
        if op == "-" and t.name == "map":
            self.conditionals += 1
            m, s = self.text(e.left, t, P.POSTFIX), self.text(e.right, None, P.CMP + 1)
            return Code(f"{{k: v for k, v in {m}.items() if k not in {s}}}", P.ATOM, has_if=True)
        if op == "*" and (is_int(t) or t.name == "?"):
            return self._arith(e, "*", P.MUL, t)
        if op == "*" and t.name in ("set", "multiset"):
            return self._arith(e, "&", P.BAND, t)
        if op in ("/", "%"):
            return self._division(e, t)
        raise unsupported(e, f"operator '{op}' on {dafny_text(t)} is outside the supported subset", op)

    def _bitvector(self, e: A.BinOp, t: A.Type, width: int) -> Code:
        """`bvN` arithmetic is modulo 2^N (Dafny's meaning; its JS build does the same):
        `&`, `^`, `>>`, `/` and `%` stay in range, the rest is masked."""
        mask = hex((1 << width) - 1)
        pyop, prec = {"&": ("&", P.BAND), "^": ("^", P.BXOR), "<<": ("<<", P.SHIFT), ">>": (">>", P.SHIFT),
                      "+": ("+", P.ADD), "-": ("-", P.ADD), "*": ("*", P.MUL), "/": ("//", P.MUL),
                      "%": ("%", P.MUL)}.get(e.op, ("", P.ATOM))
        if not pyop:
            raise unsupported(e, f"operator '{e.op}' on {dafny_text(t)} is outside the supported subset", e.op)
        right_t = INT if e.op in ("<<", ">>") else t  # a shift amount is any integer-like value
        code = Code(f"{self.text(e.left, t, prec)} {pyop} {self.text(e.right, right_t, prec + 1)}", prec)
        if e.op in ("+", "-", "*", "<<"):
            return Code(f"({code.text}) & {mask}", P.BAND)
        return code

    def _division(self, e: A.BinOp, t: A.Type) -> Code:
        if not (is_int(t) or t.name == "?"):
            raise unsupported(e, f"'{e.op}' on {dafny_text(t)} is outside the supported subset", e.op)
        if self._nonnegative(e.right):
            return self._arith(e, "//" if e.op == "/" else "%", P.MUL, t)
        helper = "_div" if e.op == "/" else "_mod"
        self.needs.helpers.add(helper)
        return Code(f"{helper}({self.text(e.left, INT)}, {self.text(e.right, INT)})", P.POSTFIX)

    def _nonnegative(self, e: A.Expr) -> bool:
        """Divisor known to be >= 0 (and, since the program verified, non-zero)."""
        match e:
            case A.IntLit(value=v):
                return v > 0
            case A.Cardinality() | A.Field(name="Length"):
                return True
            case A.Name(name=name):
                var = self.scope.lookup(name)
                return var is not None and var.type.name == "nat"
        return False

    def _arith(self, e: A.BinOp, pyop: str, prec: int, t: A.Type) -> Code:
        return Code(f"{self.text(e.left, t, prec)} {pyop} {self.text(e.right, t, prec + 1)}", prec)

    def _seq_concat(self, e: A.BinOp, t: A.Type) -> Code:
        parts: list[A.Expr] = []

        def flat(x: A.Expr) -> None:
            match x:
                case A.BinOp(op="+", left=left, right=right):
                    flat(left)
                    flat(right)
                case _:
                    parts.append(x)

        flat(e)
        if not any(isinstance(p, A.SeqDisplay) for p in parts):
            return Code(" + ".join(self.text(p, t, P.ADD + 1) for p in parts), P.ADD)
        items: list[str] = []
        for p in parts:
            if isinstance(p, A.SeqDisplay):
                items.extend(self.text(x, elem(t)) for x in p.elements)
            else:
                items.append("*" + self.text(p, t, P.POSTFIX))
        return Code("[" + ", ".join(items) + "]", P.ATOM)

    def _chain(self, e: A.Chain) -> Code:
        t = self.infer(e.operands[0])
        if all(op in _COMPARISONS for op in e.ops) and (is_int(t) or t.name == "char"):
            parts = [self.text(e.operands[0], t, P.CMP + 1)]
            for op, x in zip(e.ops, e.operands[1:], strict=True):
                parts.extend((op, self.text(x, t, P.CMP + 1)))
            return Code(" ".join(parts), P.CMP)
        return Code(" and ".join(self.text(c, BOOL, P.AND + 1) for c in conjuncts(e)), P.AND)

    def _real(self, text: str) -> Code:
        """A real literal, exact: `Fraction(3, 2)` for `1.5` (`real` is exact in Dafny)."""
        self.needs.imports.add("Fraction")
        value = Fraction(text.replace("_", ""))
        if value.denominator == 1:
            return Code(f"Fraction({value.numerator})", P.POSTFIX)
        return Code(f"Fraction({value.numerator}, {value.denominator})", P.POSTFIX)

    def _as(self, e: A.AsExpr, expected: A.Type | None) -> Code:
        src = self.infer(e.operand)
        target = e.type.name
        if target in ("int", "nat") and src.name == "char":
            return Code(f"ord({self.text(e.operand)})", P.POSTFIX)
        if target == "char" and is_int(src):
            return Code(f"chr({self.text(e.operand)})", P.POSTFIX)
        if (target in ("int", "nat") and is_int(src)) or target == src.name:
            return self.ex(e.operand, expected)
        numeric = is_int(src) or bv_width(src) is not None
        if numeric and (target in ("int", "nat") or bv_width(e.type) is not None):
            # between ints and bitvectors: the verifier proved the value fits the target
            return self.ex(e.operand, expected)
        if target == "real" and is_int(src):
            self.needs.imports.add("Fraction")
            return Code(f"Fraction({self.text(e.operand, src)})", P.POSTFIX)
        if target in ("int", "nat") and src.name == "real":
            return self._floor(e.operand)
        raise unsupported(e, f"conversion '{dafny_text(src)} as {target}' is outside the supported subset", "as")

    # ------------------------------------------------------------ sequences, members, calls
    def _slice(self, e: A.Slice) -> Code:
        t = self.infer(e.seq)
        base = self.text(e.seq, t, P.POSTFIX)
        if e.lo is None and e.hi is None:
            if t.name in ("array", "array?"):
                return Code(f"list({self.text(e.seq, t)})", P.POSTFIX)
            return self.ex(e.seq, t)
        lo = self.text(e.lo, INT) if e.lo is not None else ""
        hi = self.text(e.hi, INT) if e.hi is not None else ""
        return Code(f"{base}[{lo}:{hi}]", P.POSTFIX)

    def _update(self, e: A.Update) -> Code:
        t = self.infer(e.seq)
        base = self.text(e.seq, t, P.POSTFIX)
        if t.name == "map":
            key = self.hashable(e.index, elem(t))
            return Code(f"{{**{base}, {key}: {self.text(e.value, map_value(t))}}}", P.ATOM)
        if t.name == "multiset":
            self.needs.imports.add("Counter")
            key = self.hashable(e.index, elem(t))
            return Code(f"+Counter({{**{base}, {key}: {self.text(e.value, INT)}}})", P.UNARY)
        if t.name != "seq":
            raise unsupported(e, f"update 's[i := v]' on {dafny_text(t)}", "update")
        i = self.text(e.index, INT, P.ADD)
        nxt = str(e.index.value + 1) if isinstance(e.index, A.IntLit) else f"{i} + 1"
        if is_string(t):
            v = self.text(e.value, CHAR, P.ADD + 1)
            return Code(f"{base}[:{i}] + {v} + {base}[{nxt}:]", P.ADD)
        return Code(f"[*{base}[:{i}], {self.text(e.value, elem(t))}, *{base}[{nxt}:]]", P.ATOM)

    def _floor(self, x: A.Expr) -> Code:
        """`r.Floor` / `r as int`: the largest integer <= r (`//` floors exactly)."""
        return Code(f"{self.text(x, REAL, P.MUL)} // 1", P.MUL)

    def member_access(self, e: A.Field) -> Code | None:
        """`obj.f` / `this.f` / `C.K` for a field or constant of a class, else None."""
        ot = self.infer(e.obj)
        cls = self.index.classes.get(ot.name.rstrip("?"))
        if cls is None and isinstance(e.obj, A.Name) and e.obj.name in self.index.classes:
            cls = self.index.classes[e.obj.name]
            obj = py_identifier(cls.name)
        elif cls is not None:
            obj = self.text(e.obj, ot, P.POSTFIX)
        else:
            return None
        f = next((f for f in cls.fields if f.name == e.name), None)
        if f is not None and f.ghost:
            raise unsupported(e, f"ghost field '{e.name}' used in compiled code", "ghost variable")
        if f is None and not any(isinstance(c, A.Const) and c.name == e.name for c in cls.members):
            return None
        return Code(f"{obj}.{py_identifier(e.name)}", P.POSTFIX)

    def _field(self, e: A.Field) -> Code:
        if (member := self.member_access(e)) is not None:
            return member
        ot = self.infer(e.obj)
        if e.name == "Floor" and ot.name == "real":
            return self._floor(e.obj)
        obj = self.text(e.obj, ot, P.POSTFIX)
        name = e.name
        if name == "Length" and is_kind(ot, "array", "array?", "?"):
            return Code(f"len({self.text(e.obj, ot)})", P.POSTFIX)
        if (rank := array_rank(ot)) and name[6:].isdigit() and name.startswith("Length") and int(name[6:]) < rank:
            return Code(f"{obj}.lengths[{name[6:]}]", P.POSTFIX)
        if ot.name == "map" and name == "Keys":
            return Code(f"set({self.text(e.obj, ot)})", P.POSTFIX)
        if ot.name == "map" and name == "Values":
            self.types.require_hashable(e, map_value(ot))
            return Code(f"set({obj}.values())", P.POSTFIX)
        if ot.name == "map" and name == "Items":
            self.types.require_hashable(e, A.Type("tuple", (elem(ot), map_value(ot))))
            return Code(f"set({obj}.items())", P.POSTFIX)
        if name.endswith("?") and name[:-1] in self.index.ctors:
            return Code(f"isinstance({self.text(e.obj, ot)}, {py_identifier(name[:-1])})", P.POSTFIX)
        if name.isdigit():
            return Code(f"{obj}[{name}]", P.POSTFIX)
        if ot.name in self.index.datatypes:
            for c in self.index.datatypes[ot.name].ctors:
                for i, f in enumerate(c.fields):
                    if f.name == name:
                        return Code(f"{obj}.{field_name(f, i)}", P.POSTFIX)
        raise unsupported(e, f"member '.{name}' of {dafny_text(ot)} is outside the supported subset", f".{name}")

    def multi_index(self, e: A.MultiIndex) -> str:
        """`m[i, j]` of a multi-dimensional array (`_ArrayND`, indexed by a tuple)."""
        t = self.infer(e.seq)
        if not array_rank(t):
            raise unsupported(e, f"'[i, j]' on {dafny_text(t)}, which is not a multi-dimensional array", "array2")
        indices = ", ".join(self.text(i, INT) for i in e.indices)
        return f"{self.text(e.seq, t, P.POSTFIX)}[{indices}]"

    def _datatype_update(self, e: A.DatatypeUpdate) -> Code:
        """`d.(f := v)`: a copy of `d`, same constructor, with the named fields replaced
        (Dafny proved that `d`'s constructor has them)."""
        ot = self.infer(e.obj)
        if ot.name not in self.index.datatypes:
            raise unsupported(e, f"update of {dafny_text(ot)}, which is not a datatype", "datatype update")
        fields = {f.name: (field_name(f, i), f.type)
                  for c in self.index.datatypes[ot.name].ctors for i, f in enumerate(c.fields) if f.name}
        parts = []
        for name, value in e.updates:
            if name not in fields:
                raise unsupported(e, f"datatype '{ot.name}' has no field '{name}'", "datatype update")
            py, t = fields[name]
            parts.append(f"{py}={self.text(value, None if ot.args else t)}")
        self.needs.imports.add("replace")
        return Code(f"replace({self.text(e.obj, ot)}, {', '.join(parts)})", P.POSTFIX)

    def _member_call(self, e: A.Call, cls: A.Class, member: A.Decl) -> Code:
        """`obj.m(args)`, `self.m(args)` (implicit `this`) or `C.m(args)` (static)."""
        if not isinstance(member, (A.Method, A.Function)):
            raise unsupported(e, f"'{member.name}' is not a method or function", "call")
        if isinstance(member, A.Method) and member.is_ghost:
            raise unsupported(e, f"lemma or ghost method '{member.name}' called from compiled code", "ghost call")
        static = member.name in cls.statics
        match e.func:
            case A.Field(obj=A.Name(name=cname)) if cname == cls.name and self.scope.lookup(cname) is None:
                obj = py_identifier(cls.name)
            case A.Field(obj=obj_e):
                obj = self.text(obj_e, None, P.POSTFIX)
            case _:
                obj = py_identifier(cls.name) if static else "self"
        params = [p for p in member.params if not p.ghost]
        if len(member.params) != len(e.args):
            raise unsupported(e, f"'{member.name}' takes {len(member.params)} arguments", "call")
        args = [self.text(a, p.type) for a, p in zip(e.args, member.params, strict=True) if not p.ghost]
        del params
        return Code(f"{obj}.{py_identifier(member.name)}({', '.join(args)})", P.POSTFIX)

    def new_object(self, e: A.NewObject) -> Code:
        """`new C(args)` is `C(args)`; `new C.Init(args)` is `C().Init(args)` (a named
        constructor returns the object it initialized)."""
        cls, ctor_name = self.types.new_target(e)
        if cls is None:
            raise unsupported(e, f"unknown class in 'new {e.cls}'", "new")
        ctor = next((m for m in cls.members if isinstance(m, A.Method) and m.kind == "constructor"
                     and m.name == ctor_name), None)
        if ctor is None and (ctor_name or e.args):
            raise unsupported(e, f"class '{cls.name}' has no constructor '{ctor_name}'", "new")
        args = [self.text(a, p.type) for a, p in zip(e.args, ctor.params, strict=True) if not p.ghost] if ctor else []
        name = py_identifier(cls.name)
        if ctor_name:
            return Code(f"{name}().{py_identifier(ctor_name)}({', '.join(args)})", P.POSTFIX)
        return Code(f"{name}({', '.join(args)})", P.POSTFIX)

    def _call(self, e: A.Call) -> Code:
        found = self.types.member_of(e.func)
        if found is not None:
            return self._member_call(e, *found)
        if not isinstance(e.func, A.Name):
            return self._value_call(e)
        name = e.func.name
        var = self.scope.lookup(name)
        if var is not None and var.type.name == "->":
            # a function-typed variable or parameter (a lambda or a named function)
            callee = self._name(e.func).text
            ptypes = var.type.args[:-1]
            args = [self.text(a, ptypes[i] if i < len(ptypes) else None) for i, a in enumerate(e.args)]
            return Code(f"{callee}({', '.join(args)})", P.POSTFIX)
        if name in self.index.functions:
            params = list(self.index.functions[name].params)
        elif name in self.index.methods:
            m = self.index.methods[name]
            if m.is_ghost:
                raise unsupported(e, f"lemma or ghost method '{name}' called from compiled code", "ghost call")
            params = list(m.params)
        elif name in self.index.ctors:
            params = list(self.index.ctors[name][1].fields)
        else:
            raise unsupported(e, f"unknown function or method '{name}'", "call")
        if len(params) != len(e.args):
            raise unsupported(e, f"'{name}' takes {len(params)} arguments, {len(e.args)} given", "call")
        args = [self.text(a, p.type) for a, p in zip(e.args, params, strict=True) if not p.ghost]
        return Code(f"{py_identifier(name)}({', '.join(args)})", P.POSTFIX)

    def _value_call(self, e: A.Call) -> Code:
        """A call of a function value that is not a name: `(x => x + 1)(2)`, `f(1)(2)`. A
        lambda's untyped parameters take the arguments' types."""
        ftype = self.infer(e.func)
        if not is_kind(ftype, "->"):
            ftype = A.Type("->", (*(self.infer(a) for a in e.args), UNKNOWN))
        ptypes = ftype.args[:-1]
        if len(ptypes) != len(e.args):
            raise unsupported(e, "calls of anything but a named function or method", "call")
        callee = self.text(e.func, ftype, P.POSTFIX)
        args = [self.text(a, t) for a, t in zip(e.args, ptypes, strict=True)]
        return Code(f"{callee}({', '.join(args)})", P.POSTFIX)

    def _seq_display(self, e: A.SeqDisplay, expected: A.Type | None) -> Code:
        xs = e.elements
        et = elem(expected) if is_kind(expected, "seq") else (self.infer(xs[0]) if xs else UNKNOWN)
        if et.name != "char":
            return Code("[" + ", ".join(self.text(x, et) for x in xs) + "]", P.ATOM)
        if not xs:
            return Code('""', P.ATOM)
        chars = [x.value for x in xs if isinstance(x, A.CharLit)]
        if len(chars) == len(xs):
            return Code(literal("".join(chars)), P.ATOM)
        codes = [self.text(x, CHAR, P.ADD + 1) for x in xs]
        return Code(" + ".join(codes), P.ADD if len(codes) > 1 else P.ADD + 1)

    def hashable(self, x: A.Expr, t: A.Type) -> str:
        """An element of a set/multiset or a map key: nested sets must be frozensets."""
        xt = self.infer(x) if t.name == "?" else t
        self.types.require_hashable(x, xt)
        code = self.text(x, xt)
        return f"frozenset({code})" if xt.name == "set" else code

    # ------------------------------------------------------------ binders
    def _let(self, e: A.LetExpr, expected: A.Type | None) -> Code:
        if len(e.values) == 1 < len(e.binders):
            return self._let_tuple(e, expected)
        if len(e.binders) != len(e.values):
            raise unsupported(e, "let with a pattern", "let")
        pairs = list(zip(e.binders, e.values, strict=True))
        vals = [self.text(v, b.type or self.infer(v)) for b, v in pairs]
        with self.scope.nested():
            names = [self.scope.declare(b.name, b.type or self.infer(v)).py for b, v in pairs]
            body = self.text(e.body, expected)
        return Code(f"(lambda {', '.join(names)}: {body})({', '.join(vals)})", P.POSTFIX)

    def _let_tuple(self, e: A.LetExpr, expected: A.Type | None) -> Code:
        """`var (a, b) := t; body`: the tuple's parts bound by a lambda's parameters."""
        value = e.values[0]
        typ = self.infer(value)
        parts = tuple_parts(typ, len(e.binders))
        val = self.text(value, typ)
        with self.scope.nested():
            names = [self.scope.declare(b.name, b.type or t).py for b, t in zip(e.binders, parts, strict=True)]
            body = self.text(e.body, expected)
        return Code(f"(lambda {', '.join(names)}: {body})(*{val})", P.POSTFIX)

    def _let_such_that(self, e: A.LetSuchThat, expected: A.Type | None) -> Code:
        """`var x :| P; body`: the search of `x :| P` feeds a lambda's parameters."""
        with self.scope.nested():
            order, search = self.such_that(e, e.binders, e.cond)
            names = ", ".join(v.py for v in order if v is not None)
            value = search.text if len(order) == 1 else f"*{search.text}"
            return Code(f"(lambda {names}: {self.text(e.body, expected)})({value})", P.POSTFIX)

    def _generators(
        self, node: A.Node, binders: tuple[A.Binder, ...], conj: list[A.Expr]
    ) -> tuple[list[tuple[Var, str]], list[A.Expr]]:
        """A `(variable, source)` pair per `for` clause, binders declared in the current
        scope in the order the plan places them, and the conjuncts left to filter on."""
        plan = plan_generators(binders, conj)
        gens = [self._generator(b) for b in plan.bounds]
        plan.refuse(node)
        return gens, list(plan.filters)

    def _generator(self, b: Bound) -> tuple[Var, str]:
        btype = b.binder.type
        match b.kind, b.exprs:
            case BoundKind.COLLECTION, (src,):
                src_t = self.infer(src)
                var = self.scope.declare(b.binder.name, btype or elem(src_t))
                if isinstance(src, A.Field) and src.name == "Keys":
                    src = src.obj
                return var, self.text(src, None, P.OR)
            case BoundKind.RANGE, (lo, hi):
                var = self.scope.declare(b.binder.name, btype or INT)
                lo_code, hi_code = self.text(lo, INT), self.text(hi, INT)
                return var, f"range({hi_code})" if lo_code == "0" else f"range({lo_code}, {hi_code})"
        return self.scope.declare(b.binder.name, BOOL), "(False, True)"

    @staticmethod
    def _for(gens: list[tuple[Var, str]]) -> str:
        return " ".join(f"for {var.py} in {src}" for var, src in gens)

    def _filter(self, rest: list[A.Expr]) -> str:
        if not rest:
            return ""
        self.conditionals += 1
        return " if " + " and ".join(self.text(c, BOOL, P.AND + 1) for c in rest)

    def forall_updates(self, s: A.ForallStmt, index: A.Expr, value: A.Expr, et: A.Type) -> Code:
        """The `(index, value)` pairs of `forall x | R { a[i] := v; }` as one list: Dafny
        evaluates every index and right-hand side before it assigns any element."""
        with self.scope.nested():
            gens, rest = self._generators(s, s.binders, conjuncts(s.range))
            pair = f"({self.text(index, INT)}, {self.text(value, et)})"
            return Code(f"[{pair} {self._for(gens)}{self._filter(rest)}]", P.ATOM)

    def such_that(
        self, node: A.Stmt | A.Expr, binders: tuple[A.Binder, ...], cond: A.Expr, *, or_none: bool = False
    ) -> tuple[list[Var | None], Code]:
        """`x, y :| P`: the first values satisfying P in the order Dafny's compiler searches
        the bounded domain (an int range upwards, a collection in its iteration order);
        the program verified that some exist. The binders are declared in the current
        scope (the caller's), since they outlive the statement."""
        gens, rest = self._generators(cond, binders, conjuncts(cond))
        if not gens:
            raise unsupported(node, "':|' over a domain that is not bounded", ":|")
        order = [self.scope.lookup(b.name) for b in binders]
        if any(v is None for v in order):
            raise unsupported(node, "':|' with a variable the search does not bind", ":|")
        picked = ", ".join(v.py for v in order if v is not None)
        picked = f"({picked})" if len(order) > 1 else picked
        search = f"{picked} {self._for(gens)}{self._filter(rest)}"
        # `or_none`: there may be no such values (`if x :| P`): None then
        return order, Code(f"next(({search}), None)" if or_none else f"next({search})", P.POSTFIX)

    def _quantifier(self, e: A.Quantifier) -> Code:
        with self.scope.nested():
            if e.kind == "forall":
                rng, body = e.range, e.body
                if rng is None and isinstance(body, A.BinOp) and body.op == "==>":
                    rng, body = body.left, body.right
                gens, rest = self._generators(e, e.binders, conjuncts(rng))
                cond = self._filter(rest)
                return Code(f"all({self.text(body, BOOL)} {self._for(gens)}{cond})", P.POSTFIX)
            gens, rest = self._generators(e, e.binders, conjuncts(e.range) + conjuncts(e.body))
            body_code = self.text(rest.pop(), BOOL) if rest else "True"
            return Code(f"any({body_code} {self._for(gens)}{self._filter(rest)})", P.POSTFIX)

    def _set_comp(self, e: A.SetComprehension) -> Code:
        with self.scope.nested():
            gens, rest = self._generators(e, e.binders, conjuncts(e.range))
            body = e.body or A.Name(e.binders[0].name, pos=e.pos)
            et = self.infer(body)
            code = self.hashable(body, et)
            match gens:
                case [(var, src)] if not rest and code == var.py and et.name != "set":
                    return Code(f"set({src})", P.POSTFIX)  # {x | x in s} is a copy of s
            return Code("{" + f"{code} {self._for(gens)}{self._filter(rest)}" + "}", P.ATOM)

    def _map_comp(self, e: A.MapComprehension) -> Code:
        with self.scope.nested():
            gens, rest = self._generators(e, e.binders, conjuncts(e.range))
            key = e.key or A.Name(e.binders[0].name, pos=e.pos)
            k = self.hashable(key, self.infer(key))
            v = self.text(e.value)
            return Code("{" + f"{k}: {v} {self._for(gens)}{self._filter(rest)}" + "}", P.ATOM)

    # ------------------------------------------------------------ right-hand sides, defaults
    def rhs(self, e: A.Expr, expected: A.Type | None) -> Code:
        """A whole right-hand side: also `new T[n]` (a list) and `new T[n](i => e)`."""
        if isinstance(e, A.NewArray) and e.elem_type.name == "?":
            e = replace(e, elem_type=self._inferred_elem(e, expected))
        match e:
            case A.NewArray(elements=xs, elem_type=et) if xs is not None:
                # the verifier proved a given size equal to the number of elements
                return Code("[" + ", ".join(self.text(x, et) for x in xs) + "]", P.ATOM)
            case A.NewArray(sizes=sizes, elem_type=et, init=None) if len(sizes) > 1:
                self.needs.helpers.add("_ArrayND")
                lengths = ", ".join(self.text(s, INT) for s in sizes)
                return Code(f"_ArrayND.filled(({lengths}), {self.default(et, e)})", P.POSTFIX)
            case A.NewArray(sizes=sizes, elem_type=et, init=A.Lambda() as f) if len(sizes) == len(f.params) > 1:
                self.needs.helpers.add("_ArrayND")
                lengths = [self.text(s, INT) for s in sizes]
                with self.scope.nested():  # row-major, the order of _ArrayND's cells
                    names = [self.scope.declare(b.name, INT).py if b.name != "_" else "_" for b in f.params]
                    value = self.text(f.body, et)
                loops = " ".join(f"for {v} in range({n})" for v, n in zip(names, lengths, strict=True))
                return Code(f"_ArrayND(({', '.join(lengths)}), [{value} {loops}])", P.POSTFIX)
            case A.NewArray(init=None, sizes=(size,), elem_type=et):
                n = self.text(size, INT, P.MUL + 1)
                return Code(f"[{self.default(et, e)}] * {n}", P.MUL)
            case A.NewArray(init=A.Lambda(param=param, body=body), sizes=(size,), elem_type=et):
                n = self.text(size, INT)
                with self.scope.nested():
                    var = self.scope.declare(param, INT)
                    value = self.text(body, et)
                name = "_" if param == "_" else var.py
                return Code(f"[{value} for {name} in range({n})]", P.ATOM)
            case A.NewArray(init=init) if init is not None:
                raise unsupported(init, "an array initializer must be a lambda 'i => e'", "array initializer")
            case A.Havoc() if expected is not None and expected.name != "?":
                # `var x: T := *`: Dafny's compiler gives the type's default value; a
                # verified program is correct for any value, so for this one
                return Code(self.default(expected, e), P.ATOM)
            case A.Havoc():
                raise unsupported(e, "'*' (arbitrary value) of a type not known here; declare the variable's type", "*")
            case A.NewObject():
                return self.new_object(e)
        return self.ex(e, expected)

    def _inferred_elem(self, e: A.NewArray, expected: A.Type | None) -> A.Type:
        """`new [n]`: Dafny infers the element type; we take it from the declared type of
        what the array is assigned to, and ask for it to be written otherwise."""
        if expected is not None and expected.name.startswith("array") and expected.args and expected.args[0].name != "?":
            return expected.args[0]
        raise unsupported(e, "write the array's element type (`new int[n]`) or declare the variable's type", "new array type")

    def default(self, t: A.Type, where: A.Node) -> str:
        """A value of type `t` for a variable declared without one (Dafny's default)."""
        if is_int(t) or bv_width(t) is not None:
            return "0"
        match t.name:
            case "bool":
                return "False"
            case "real":
                self.needs.imports.add("Fraction")
                return "Fraction(0)"
            case "char":
                return '"D"'
            case "seq" if is_string(t):
                return '""'
            case "seq" | "array" | "array?":
                return "[]"
            case "set":
                return "set()"
            case "multiset":
                self.needs.imports.add("Counter")
                return "Counter()"
            case "map":
                return "{}"
            case "tuple":
                return "(" + ", ".join(self.default(a, where) for a in t.args) + ("," if len(t.args) == 1 else "") + ")"
        if t.name.endswith("?") and t.name[:-1] in self.index.classes:
            return "None"  # a nullable reference starts as null
        d = self.index.datatypes.get(t.name)
        nullary = next((c for c in d.ctors if not c.fields), None) if d is not None else None
        if nullary is not None:
            return f"{py_identifier(nullary.name)}()"
        raise unsupported(where, f"no default value for type {dafny_text(t)}; initialize the variable", "uninitialized variable")
