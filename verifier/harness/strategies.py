"""Hypothesis strategies for a spec's inputs: built to satisfy `requires`, filtered for the rest.

`inputs_strategy(spec)` is the entry point (the property harness and the generation
loop's quick test both use it). The strategy is rendered as Python source — one
`@composite` function, see `input_plan` — and that very source is executed here and
pasted into emitted pytest modules, so both generate identically.

Sizes stay small by default (ints within ±1000 unless requires says otherwise, at most
20 elements, 5 in nested collections); `StrategyOptions` changes that.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from verifier.harness import draw_runtime
from verifier.harness.requires_facts import (
    Analysis,
    Facts,
    analyze,
    elem_type,
    is_collection,
    var,
)
from verifier.specs import model as m
from verifier.specs.generics import (
    datatype_at,
    instance_name,
    instances,
    instantiate,
    spec_datatype_instances,
)
from verifier.specs.values import is_char_seq
from verifier.translators.spec_bounds import (
    BoolDomain,
    IntDomain,
    MemberDomain,
    conjuncts,
    domains,
    free_vars,
)
from verifier.translators.spec_python import Emitter, Predicates, class_name, compile_predicates


@dataclass(frozen=True)
class StrategyOptions:
    """Default ranges where `requires` says nothing. `alphabet=None`: mostly "abc" (so
    equal characters occur), sometimes any printable ASCII character."""

    int_min: int = -1000
    int_max: int = 1000
    max_size: int = 20
    nested_max_size: int = 5
    alphabet: str | None = None
    datatype_depth: int = 4  # how deep a recursive datatype value may nest


@dataclass(frozen=True)
class InputPlan:
    """The rendered strategy and how the requires were used.

    `source` defines `spec_inputs()` (a Hypothesis composite returning a dict of inputs)
    and needs the draw runtime and the spec predicates in scope; `notes` say which
    requires conjuncts shaped the generator; `filtered` lists clauses only `pre` enforces.
    """

    source: str
    notes: tuple[str, ...]
    filtered: tuple[str, ...]


@dataclass
class FilterStats:
    """Counts of inputs the final `pre` filter accepted and rejected (thread-safe)."""

    accepted: int = 0
    rejected: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, ok: bool) -> None:
        with self._lock:
            if ok:
                self.accepted += 1
            else:
                self.rejected += 1


def draw_runtime_source() -> str:
    text = Path(draw_runtime.__file__).read_text("utf-8")
    return text[text.index("# --- begin runtime ---"): text.index("# --- end runtime ---")]


def _concrete(spec: m.Spec) -> m.Spec:
    """A generic spec's first instance (T := int): values are drawn for concrete types
    (`run_properties` instantiates each instance itself; the quick test takes this one)."""
    return instantiate(spec, instances(spec)[0]) if spec.type_params else spec


def input_plan(spec: m.Spec, options: StrategyOptions | None = None) -> InputPlan:
    spec = _concrete(spec)
    opts = options or StrategyOptions()
    witness = _Witness(spec)
    analysis = analyze(spec, witness)
    return InputPlan(_render(spec, analysis, opts), analysis.notes, analysis.filtered)


def inputs_strategy(
    spec: m.Spec,
    options: StrategyOptions | None = None,
    *,
    predicates: Predicates | None = None,
    stats: FilterStats | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts mapping each parameter name to a value (runtime conventions) meeting `requires`.

    Every value is checked by the spec's `pre`, so the strategy never yields an input
    outside the precondition; when `pre` rejects nearly everything Hypothesis raises
    `FailedHealthCheck` or `Unsatisfiable` — callers must treat that as "no inputs", never
    as a pass (`run_properties` reports it). Pass `predicates` to reuse a compiled
    module, `stats` to count filter decisions.
    """
    spec = _concrete(spec)
    preds = predicates or compile_predicates(spec)
    plan = input_plan(spec, options)
    namespace = dict(preds.namespace)
    exec(compile(draw_runtime_source() + "\n\n" + plan.source, f"<inputs of {spec.name}>", "exec"), namespace)
    strategy = namespace["spec_inputs"]()
    if not spec.requires:
        return strategy
    pre = preds.pre

    def satisfies(inputs: dict[str, Any]) -> bool:
        ok = bool(pre(inputs))
        if stats is not None:
            stats.count(ok)
        return ok

    return strategy.filter(satisfies)


# ------------------------------------------------------------------ rendering


def _emit(e: m.Expr) -> str:
    return Emitter(set()).e(e)


class _Witness:
    """Computes a scalar from `x == E`, drawing witnesses first when inside `exists`."""

    def __init__(self, spec: m.Spec) -> None:
        self.spec = spec
        self.count = 0

    def __call__(self, facts: dict[str, Facts], q: m.Quantifier | None, target: Any = None) -> str | None:
        if q is None:
            x, e = target
            try:
                facts[x].derived = ((), _emit(e))
            except Exception:
                return None
            return f"{x} computed from the others"
        bound = [v.name for v in q.vars]
        parts = conjuncts(q.range) + conjuncts(q.body)
        for k, c in enumerate(parts):
            if not (isinstance(c, m.Binary) and c.op == "=="):
                continue
            for x, e in ((c.left, c.right), (c.right, c.left)):
                found = self._try(facts, q, bound, parts[:k] + parts[k + 1:], x, e)
                if found:
                    return found
        return None

    def _try(self, facts: dict[str, Facts], q: m.Quantifier, bound: list[str], rest: list[m.Expr],
             x: m.Expr, e: m.Expr) -> str | None:
        from verifier.harness.requires_facts import subst

        if not (isinstance(x, m.Var) and x.name in facts) or x.name in bound:
            return None
        f = facts[x.name]
        if is_collection(f.type) or f.derived is not None or f.member_of is not None:
            return None
        earlier = {n for n, g in facts.items() if g.order < f.order}
        if x.name in free_vars(e) or not (free_vars(e) - set(bound)) <= earlier:
            return None
        self.count += 1
        mapping = {b: m.Var(f"_w{self.count}_{b}") for b in bound}
        new_vars = tuple(m.BoundVar(mapping[v.name].name, v.type) for v in q.vars)
        rest_r = [subst(r, mapping) for r in rest]
        try:
            doms = domains(new_vars, rest_r)
            stmts = []
            for d in doms:
                used = set()
                for part in (getattr(d, "lo", None), getattr(d, "hi", None), getattr(d, "coll", None)):
                    if part is not None:
                        used |= free_vars(part)
                if not used <= earlier:
                    return None
                name = var(d.var.name)
                if isinstance(d, IntDomain):
                    stmts.append(f"{name} = draw(_g_ints({_emit(d.lo)}, ({_emit(d.hi)}) - 1, 0, 0))")
                elif isinstance(d, MemberDomain):
                    stmts.append(f"{name} = draw(_g_member({_emit(d.coll)}))")
                elif isinstance(d, BoolDomain):
                    stmts.append(f"{name} = draw(_st.booleans())")
            if rest_r:
                guard = " and ".join(f"({_emit(r)})" for r in rest_r)
                stmts.append(f"if not _g_holds(lambda: {guard}):")
                stmts.append("    _reject()")
            f.derived = (tuple(stmts), _emit(subst(e, mapping)))
        except Exception:  # NotBounded, or an expression the emitter cannot render
            return None
        return f"{x.name} computed from drawn witnesses {', '.join(bound)}"


def _datatype_strategies(spec: m.Spec, opts: StrategyOptions) -> str:
    """`_dt_<D>(depth)` per datatype: one of its constructors, each field drawn by its type.
    Constructors with the fewest datatype fields (`Leaf`) are always possible; the others
    only while `depth` is left, so a recursive value ends; strategies are memoized per
    depth (`_g_memo`), since each level refers to the one below. A generic datatype has
    one per instance the parameters reach (`_dt_Option_int` for `Option<int>`)."""
    out = []
    for t in spec_datatype_instances(spec):
        d = dataclasses.replace(datatype_at(spec.datatypes, t), name=instance_name(t))
        def nested(c: m.Constructor) -> int:
            return sum(isinstance(f.type, m.DatatypeType) for f in c.fields)
        least = min(nested(c) for c in d.ctors)
        base, deeper = [], []
        for c in d.ctors:
            cls = class_name(c.name)
            fields = [_elem(f.type, opts, None, None, depth="depth") for f in c.fields]
            strat = f"_st.builds({cls}, {', '.join(fields)})" if fields else f"_st.just({cls}())"
            (base if nested(c) == least else deeper).append(strat)
        out += [
            f"def _dt_{d.name}(depth):",
            f'    """Values of the datatype {d.name}, nested at most `depth` deep (generated by proofroute)."""',
            "    def make():",
            f"        ctors = [{', '.join(base)}]",
        ]
        if deeper:
            out += ["        if depth > 0:", f"            ctors += [{', '.join(deeper)}]"]
        out += ["        return _st.one_of(*ctors)", "", f"    return _g_memo(({d.name!r}, depth), make)", "", ""]
    return "\n".join(out)


def _render(spec: m.Spec, analysis: Analysis, opts: StrategyOptions) -> str:
    prelude = _datatype_strategies(spec, opts) if spec.datatypes else ""
    return prelude + _render_inputs(spec, analysis, opts)


def _render_inputs(spec: m.Spec, analysis: Analysis, opts: StrategyOptions) -> str:
    if not spec.params:
        return (
            "def spec_inputs():\n"
            f'    """{spec.method} takes no inputs: one empty argument dict (generated by proofroute)."""\n'
            "    return _st.builds(dict)\n"
        )
    names = ", ".join(p.name for p in spec.params)
    lines = [
        "@_st.composite",
        "def spec_inputs(draw):",
        f'    """Inputs ({names}) of {spec.method} meeting its requires (generated by proofroute)."""',
    ]
    for name in analysis.draw_order:
        for line in _draw_param(analysis.facts[name], analysis, spec, opts):
            lines.append("    " + line)
    items = ", ".join(f"{p.name!r}: {var(p.name)}" for p in spec.params)
    lines.append(f"    return {{{items}}}")
    return "\n".join(lines) + "\n"


def _max_expr(const: int | None, dyn: list[str], combine: str) -> str:
    parts = ([str(const)] if const is not None else []) + dyn
    if not parts:
        return "None"
    return parts[0] if len(parts) == 1 else f"{combine}({', '.join(parts)})"


def _draw_param(f: Facts, analysis: Analysis, spec: m.Spec, opts: StrategyOptions) -> list[str]:
    v = var(f.name)
    t = f.type
    if f.derived is not None:
        stmts, expr = f.derived
        out = [*stmts, f"{v} = _g_value(lambda: {expr})"]
        if isinstance(t, m.NatType):
            out += [f"if not (type({v}) is int and {v} >= 0):", "    _reject()"]
        return out
    if f.member_of is not None:
        return [f"{v} = draw(_g_member({f.member_of}))"]
    if isinstance(t, m.BoolType):
        return [f"{v} = draw(_st.booleans())"]
    if isinstance(t, m.ArrowType):  # requires about a function are not read: `pre` filters
        return [f"{v} = draw({_scalar(t, opts, None, None)})"]
    if isinstance(t, m.RealType):  # requires on reals are not read: `pre` filters
        return [f"{v} = draw(_g_reals({opts.int_min}, {opts.int_max}))"]
    if isinstance(t, m.DatatypeType):  # requires on datatypes are not read: `pre` filters
        return [f"{v} = draw({_scalar(t, opts, None, None)})"]
    if isinstance(t, (m.IntType, m.NatType, m.CharType)):
        lo = _max_expr(f.const_lo, f.lows, "max")
        hi = _max_expr(f.const_hi, f.highs, "min")
        if isinstance(t, m.CharType):
            strat = f"_g_chars({lo}, {hi}, {opts.alphabet!r})"
        else:
            strat = f"_g_ints({lo}, {hi}, {opts.int_min}, {opts.int_max})"
        plain = not (f.lows or f.highs) and f.const_hi is None and f.const_lo in (None, 0 if isinstance(t, m.NatType) else None)
        if plain:
            same = [var(o.name) for o in spec.params if is_collection(o.type) and elem_type(o.type) == t]
            if same:
                strat = f"_g_pick({strat}, {', '.join(same)})"
        return [f"{v} = draw({strat})"]
    # a collection
    lo = _max_expr(f.const_lo, f.lows, "max")
    hi = _max_expr(f.const_hi, f.highs, "min")
    out = []
    if f.lows or f.highs:
        out.append(f"_n_{v} = draw(_g_sizes({lo}, {hi}, {opts.max_size}))")
        size = f"min_size=_n_{v}, max_size=_n_{v}"
    else:
        smin = max(f.const_lo or 0, 0)
        smax = f.const_hi if f.const_hi is not None else (opts.max_size if smin <= opts.max_size else smin + opts.max_size)
        if f.unique and f.elem_lo is not None and f.elem_hi is not None:
            smax = min(smax, max(f.elem_hi - f.elem_lo + 1, 0))
        if smin > smax:
            return [f"{v} = draw(_g_never)"]
        size = f"min_size={smin}, max_size={smax}"
    out.append(f"{v} = draw({_collection(t, size, f, opts)})")
    return out


def _collection(t: m.Type, size: str, f: Facts | None, opts: StrategyOptions, depth: str = "") -> str:
    lo = f.elem_lo if f else None
    hi = f.elem_hi if f else None
    unique = bool(f and f.unique)
    srt = bool(f and f.sorted)
    if is_char_seq(t):
        base = f"_st.lists({_scalar(m.CharType(), opts, lo, hi)}, {size}{', unique=True' if unique else ''})"
        return base + (".map(lambda cs: ''.join(sorted(cs)))" if srt else ".map(''.join)")
    if isinstance(t, (m.SeqType, m.ArrayType)):
        base = f"_st.lists({_elem(t.elem, opts, lo, hi, depth=depth)}, {size}{', unique=True' if unique else ''})"
        if _plain_ints(t.elem, lo, hi, unique):
            # Whole lists of tiny values (many duplicates) and already-sorted lists are
            # classic edge cases; give each a fair share of the draws.
            base = f"_st.one_of({base}, _st.lists({_tiny(t.elem, opts)}, {size}))"
            if not srt:
                return f"_st.one_of({base}, {base}.map(sorted))"
        return base + (".map(sorted)" if srt else "")
    if isinstance(t, m.SetType):
        return f"_st.frozensets({_elem(t.elem, opts, lo, hi, hashed=True, depth=depth)}, {size})"
    if isinstance(t, m.MultisetType):
        base = f"_st.lists({_elem(t.elem, opts, lo, hi, hashed=True, depth=depth)}, {size})"
        if _plain_ints(t.elem, lo, hi, unique):
            base = f"_st.one_of({base}, _st.lists({_tiny(t.elem, opts)}, {size}))"
        return base + ".map(_ms)"
    if isinstance(t, m.MapType):
        key = _elem(t.key, opts, None, None, hashed=True, depth=depth)
        return f"_st.dictionaries({key}, {_elem(t.value, opts, None, None, depth=depth)}, {size})"
    raise ValueError(f"not a collection: {t}")  # pragma: no cover


def _plain_ints(t: m.Type, lo: int | None, hi: int | None, unique: bool) -> bool:
    return isinstance(t, (m.IntType, m.NatType)) and lo is None and hi is None and not unique


def _tiny(t: m.Type, opts: StrategyOptions) -> str:
    lo = max(opts.int_min, 0 if isinstance(t, m.NatType) else -3)
    hi = min(opts.int_max, 3)
    return f"_g_ints({lo}, {max(lo, hi)}, {opts.int_min}, {opts.int_max})"


def _elem(t: m.Type, opts: StrategyOptions, lo: int | None, hi: int | None, hashed: bool = False,
          depth: str = "") -> str:
    if is_collection(t):
        inner = _collection(t, f"min_size=0, max_size={opts.nested_max_size}", None, opts, depth)
        return f"{inner}.map(_h)" if hashed else inner
    if isinstance(t, m.DatatypeType) and hashed:
        return f"{_scalar(t, opts, lo, hi, depth)}.map(_h)"
    return _scalar(t, opts, lo, hi, depth)


def _scalar(t: m.Type, opts: StrategyOptions, lo: int | None, hi: int | None, depth: str = "") -> str:
    """`depth`: the nesting left for a datatype value (an expression; empty: the default)."""
    if isinstance(t, m.DatatypeType):
        if depth:  # inside a datatype's own strategy: one level less, built when drawn
            return f"_st.deferred(lambda: _dt_{instance_name(t)}({depth} - 1))"
        return f"_dt_{instance_name(t)}({opts.datatype_depth})"
    if isinstance(t, m.ArrowType):
        # table keys among the small values drawn lists hold most often, so calls hit the table
        args = ", ".join(_tiny(p, opts) if isinstance(p, (m.IntType, m.NatType)) else _elem(p, opts, None, None, hashed=True)
                         for p in t.params)
        return f"_g_function(_st.tuples({args}), {_elem(t.result, opts, None, None)})"
    if isinstance(t, m.BoolType):
        return "_st.booleans()"
    if isinstance(t, m.RealType):
        return f"_g_reals({opts.int_min}, {opts.int_max})"
    if isinstance(t, m.CharType):
        return f"_g_chars({lo}, {hi}, {opts.alphabet!r})"
    if isinstance(t, m.NatType):
        lo = 0 if lo is None else max(lo, 0)
    return f"_g_ints({lo}, {hi}, {opts.int_min}, {opts.int_max})"
