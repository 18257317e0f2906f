"""Translation validation: our Python against Dafny's own JavaScript build, on the same inputs.

A verified Dafny program is only as useful as its translation, and the translator is the
one part of the route nothing proves. So every translation can be run differentially:
Hypothesis draws inputs from the method's parameter types, the ones that satisfy
`requires` (decided by our translated `requires`, or by the spec's predicates) are fed to
both builds, and outputs plus arrays after the call are compared. Tests can refute but
never verify: a clean run reports "agreed on N inputs", never "correct".

The Python side runs only inside `verifier.sandbox` (the module came from model-written
Dafny); Dafny's JS build runs under node.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from verifier.backends.dafny.dialect import Dialect
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import check_wrapper, translate
from verifier.translators.dafny_types import bv_width, elem, is_int, is_string, map_value

from verifier.errors import ProofrouteError

_ALPHABET = "abcxyzABZ019 _-\u00e9\u03bb"


class NotGenerated(ProofrouteError):
    """Validation cannot draw inputs of a parameter's type (a type parameter, a function,
    a datatype, an array of reals): the translation is then not validated, which callers
    record as such (the proof does not depend on it)."""


@dataclass(frozen=True)
class Disagreement:
    """One input on which the two builds (or an ensures clause) disagree."""

    inputs: Mapping[str, Any]
    what: str  # "output r", "array a after the call", "error", "ensures ..."
    python: Any
    dafny: Any


@dataclass(frozen=True)
class ValidationReport:
    method: str
    requested: int
    compared: int
    disagreements: tuple[Disagreement, ...] = ()
    candidates: int = 0
    rejected_by_requires: int = 0
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    js_driver: str = ""

    @property
    def ok(self) -> bool:
        return not self.disagreements

    def summary(self) -> str:
        if self.disagreements:
            d = self.disagreements[0]
            return (
                f"{self.method}: {len(self.disagreements)} disagreement(s) in {self.compared} "
                f"inputs; first: {d.what} for {dict(d.inputs)}: python={d.python!r} dafny={d.dafny!r}"
            )
        return f"{self.method}: Python and Dafny's JS build agreed on {self.compared} inputs"


@dataclass(frozen=True)
class _Target:
    name: str
    params: tuple[A.Param, ...]
    outs: tuple[A.Param, ...]
    module: str = ""  # the Dafny module the method is declared in

    @property
    def js_name(self) -> str:
        """How the JS build finds it: `Mod.M` inside a module (see jsbuild)."""
        return f"{self.module}.{self.name}" if self.module else self.name


def strategy_for(t: A.Type) -> st.SearchStrategy[Any]:
    """Small values of a Dafny type in the shared Python conventions.

    Ints stay within a few dozen so loops and recursion stay cheap, but products and
    factorials of them still leave 64 bits far behind (big integers get exercised).
    """
    if t.name == "nat":
        # up to 32: a method of one nat parameter still gets 30 distinct inputs, and a
        # naive exponential recursion (Fib) on them stays within seconds
        return st.one_of(st.integers(0, 8), st.integers(0, 24), st.integers(0, 32))
    if is_int(t):
        # mostly small: indexes, targets and sums then often satisfy requires
        return st.one_of(st.integers(-3, 8), st.integers(-40, 40))
    if (width := bv_width(t)) is not None:
        # Dafny 2.3's JS runtime computes `&`, `|`, `^` with JS's signed 32-bit operators
        # (`BitwiseXor`: `a0 ^ b0` on 53-bit chunks), wrong from 2^31 up: the reference
        # is only asked where it is right (docs/compile.md, "Known differences")
        return st.one_of(st.integers(0, 16), st.integers(0, (1 << min(width, 31)) - 1))
    if t.name == "bool":
        return st.booleans()
    if t.name == "real":
        # exact reals cross every boundary as the text of a fraction ("-7/4", "3")
        return st.fractions(-20, 20, max_denominator=8).map(str)
    if t.name in ("array", "array?") and elem(t).name == "real":
        raise NotGenerated("arrays of reals are not generated (the module converts reals from text)")
    if t.name == "char":
        return st.sampled_from(_ALPHABET)
    if is_string(t):
        return st.text(alphabet=_ALPHABET, max_size=8)
    if t.name in ("seq", "array", "array?", "set", "multiset", "map") and (
        bad := next((a for a in t.args if not can_generate(a)), None)
    ) is not None:
        raise NotGenerated(f"cannot generate values of {_text(bad)} (in {_text(t)}) for validation")
    if t.name in ("seq", "array", "array?"):
        lists = st.lists(strategy_for(elem(t)), max_size=8)
        if is_int(elem(t)) or elem(t).name == "char":
            return st.one_of(lists, lists.map(sorted))  # sortedness is a common requires
        return lists
    if t.name == "set":
        return st.sets(strategy_for(elem(t)), max_size=6)
    if t.name == "multiset":
        return st.lists(strategy_for(elem(t)), max_size=8).map(Counter)
    if t.name == "map":
        return st.dictionaries(strategy_for(elem(t)), strategy_for(map_value(t)), max_size=6)
    raise NotGenerated(
        f"cannot generate inputs of type {t.name} for translation validation",
        hint="validate a method whose parameters are ints, bools, chars, strings or collections",
    )


def _text(t: A.Type) -> str:
    """`map<K, seq<T>>`: the type as Dafny writes it, for a message."""
    return f"{t.name}<{', '.join(_text(a) for a in t.args)}>" if t.args else t.name


def can_generate(t: A.Type) -> bool:
    """Whether `strategy_for` can draw values of this type (datatypes, tuples: no)."""
    try:
        strategy_for(t)
    except NotGenerated:
        return False
    return True


def draw_inputs(
    params: Sequence[A.Param], count: int, *, seed: int | None = None
) -> list[dict[str, Any]]:
    """Up to `count` distinct inputs drawn by Hypothesis (generation phase only)."""
    strategy = st.fixed_dictionaries({p.name: strategy_for(p.type) for p in params})
    drawn: list[dict[str, Any]] = []
    seen: set[str] = set()

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: dict[str, Any]) -> None:
        key = repr(sorted((k, _canon(v)) for k, v in value.items()))
        if key not in seen:
            seen.add(key)
            drawn.append(value)

    runner: Callable[[], None] = collect
    if seed is not None:
        runner = hypothesis_seed(seed)(collect)
    runner()
    return drawn


def _canon(v: Any) -> Any:
    """A comparable, printable form: sets/multisets sorted, maps as sorted pairs."""
    if isinstance(v, Counter):
        return ("multiset", sorted((_canon(x) for x in v.elements()), key=repr))
    if isinstance(v, (set, frozenset)):
        return ("set", sorted((_canon(x) for x in v), key=repr))
    if isinstance(v, dict):
        return ("map", sorted(((_canon(k), _canon(x)) for k, x in v.items()), key=repr))
    if isinstance(v, (list, tuple)):
        return [_canon(x) for x in v]
    return v


def _target(program: A.Program, method: str) -> _Target:
    decl = program.find(method)
    if isinstance(decl, A.Method):
        return _Target(
            decl.name,
            tuple(p for p in decl.params if not p.ghost),
            tuple(p for p in decl.returns if not p.ghost),
            decl.module,
        )
    if isinstance(decl, A.Function):
        result = A.Param("result", decl.result or A.Type("bool"))
        return _Target(decl.name, tuple(p for p in decl.params if not p.ghost), (result,), decl.module)
    names = ", ".join(d.name for d in program.decls if isinstance(d, (A.Method, A.Function)))
    raise ProofrouteError(f"no method or function named {method!r}", hint=f"choose one of: {names}")


def _js_backend() -> tuple[Callable[..., Any], str]:
    """The Dafny backend's jsbuild (one node process per batch, under the sandbox's limits)."""
    from verifier.backends.dafny import jsbuild

    return jsbuild.build_js, "backends.dafny.jsbuild"


def _to_json_conventions(value: Any, t: A.Type) -> Any:
    """Python conventions to the JS bridge's JSON ones (multiset: a list with repeats in
    natural order — the order the sandbox rebuilds the Python side's Counter in, so that
    `x :| x in m`, the first element in each build's iteration order, is the same one)."""
    if t.name == "multiset":
        elements = list(Counter(value).elements())
        try:
            return sorted(elements)
        except TypeError:
            return sorted(elements, key=repr)
    if t.name in ("seq", "array", "array?") and not is_string(t):
        return [_to_json_conventions(v, elem(t)) for v in value]
    return value


def _from_json_conventions(value: Any, t: A.Type) -> Any:
    """The JS bridge's JSON (sets and multisets as sorted lists, maps as [k, v] pairs) back
    to the shared Python conventions for Dafny type `t`."""
    if value is None:
        return None
    if t.name == "real" and isinstance(value, str):
        num, _, den = value.partition("/")
        return str(Fraction(int(num), int(den or "1")))
    if is_string(t) and isinstance(value, list):
        return "".join(value)
    if t.name in ("seq", "array", "array?") and isinstance(value, list):
        return [_from_json_conventions(v, elem(t)) for v in value]
    if t.name == "set" and isinstance(value, list):
        return {_hashable(_from_json_conventions(v, elem(t))) for v in value}
    if t.name == "multiset" and isinstance(value, list):
        return Counter(_hashable(_from_json_conventions(v, elem(t))) for v in value)
    if t.name == "map" and isinstance(value, list):
        return {
            _hashable(_from_json_conventions(k, elem(t))): _from_json_conventions(v, map_value(t))
            for k, v in value
        }
    return value


def _hashable(v: Any) -> Any:
    if isinstance(v, set):
        return frozenset(v)
    if isinstance(v, list):
        return tuple(v)
    return v


def _call_js(js_program: Any, target: _Target, inputs: list[dict[str, Any]]) -> list[Any]:
    """All inputs in one node process; results converted back to Python conventions."""
    from verifier.backends.dafny.jsbuild import JsCallResult

    param_types = {p.name: _bridge_text(p.type) for p in target.params}
    out_types = {o.name: _bridge_text(o.type) for o in target.outs}
    raw = js_program.call(
        target.js_name,
        [{p.name: _to_json_conventions(i[p.name], p.type) for p in target.params} for i in inputs],
        param_types=param_types,
        out_types=out_types,
    )
    types = {p.name: p.type for p in (*target.params, *target.outs)}
    if target.module:
        raw = [dataclasses.replace(r, outputs=_strip_js_modules(r.outputs)) for r in raw]
    return [
        JsCallResult(
            outputs={k: _from_json_conventions(v, types.get(k, A.Type("?"))) for k, v in r.outputs.items()},
            arrays_after={k: _from_json_conventions(v, types.get(k, A.Type("?"))) for k, v in r.arrays_after.items()},
            error=r.error,
        )
        for r in raw
    ]


_JS_MODULE = re.compile(r"\b_\d+_\w+?_Compile\.")


def _strip_js_modules(value: Any) -> Any:
    """Datatype values from the JS bridge are Dafny 2.3's JS text, which names a datatype
    declared in a module by its compiled module (`_0_Util_Compile.List.Nil`); the
    translation is one namespace (dafny_modules), so the module part is dropped."""
    if isinstance(value, str):
        return _JS_MODULE.sub("", value)
    if isinstance(value, list):
        return [_strip_js_modules(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_js_modules(v) for k, v in value.items()}
    return value


def _bridge_text(t: A.Type) -> str:
    """The JS bridge's spelling of `t`: Dafny's, except that a newtype Dafny compiles to a
    machine number is `native` (its values cross as JS numbers, not BigNumbers)."""
    from verifier.translators.dafny_types import dafny_text

    if t.native:
        return "native"
    if t.args and any(_has_native(a) for a in t.args) and t.name != "tuple":
        return f"{t.name}<" + ", ".join(_bridge_text(a) for a in t.args) + ">"
    return dafny_text(t)


def _has_native(t: A.Type) -> bool:
    return t.native or any(_has_native(a) for a in t.args)


def _from_sandbox(value: Any, t: A.Type, datatypes: Mapping[str, A.Datatype] | None = None) -> Any:
    """A decoded sandbox value back into the conventions for type `t`.

    A value whose type mentions a datatype is rendered as Dafny's JS build prints it
    (`Opt.Some(3)`), because the JS bridge can only return datatype values as that text.
    """
    if datatypes and _mentions_datatype(t, datatypes):
        return _dafny_text_of(value, t, datatypes, top=True)
    if is_string(t) and isinstance(value, list):
        return "".join(value)
    return value


def _mentions_datatype(t: A.Type, datatypes: Mapping[str, A.Datatype]) -> bool:
    return t.name in datatypes or any(_mentions_datatype(a, datatypes) for a in t.args)


def _dafny_text_of(
    value: Any, t: A.Type, datatypes: Mapping[str, A.Datatype], *, top: bool = False
) -> Any:
    """`value` (decoded from the sandbox) in the text of Dafny 2.3's JS `toString`.

    At the top level, and inside sequences, arrays and tuples, the JS bridge keeps the
    structure (lists) and only datatype values become text; inside a datatype everything
    is text. Sets and maps inside a datatype print in sorted order here; Dafny's order is
    its insertion order (unspecified), so such values may differ in order only.
    """
    dt = datatypes.get(t.name)
    if dt is not None and isinstance(value, dict) and "$dataclass" in value:
        from verifier.translators.dafny_to_python import py_identifier

        ctor = next((c for c in dt.ctors if py_identifier(c.name) == value["$dataclass"]), None)
        if ctor is None:
            return value
        binding = dict(zip(dt.type_params, t.args, strict=False))
        fields = list(value.get("fields", {}).values())
        if not fields:
            return f"{dt.name}.{ctor.name}"
        shown = [
            _show(v, _subst(f.type, binding), datatypes)
            for v, f in zip(fields, ctor.fields, strict=False)
        ]
        return f"{dt.name}.{ctor.name}(" + ", ".join(shown) + ")"
    if top and isinstance(value, list) and t.name in ("seq", "array", "array?", "tuple"):
        types = t.args if t.name == "tuple" else [elem(t)] * len(value)
        return [_dafny_text_of(v, a, datatypes, top=True) for v, a in zip(value, types, strict=False)]
    if top and isinstance(value, dict) and t.name == "map":
        return {k: _dafny_text_of(v, map_value(t), datatypes, top=True) for k, v in value.items()}
    if top:
        return _from_sandbox(value, t)
    return _show(value, t, datatypes)


def _subst(t: A.Type, binding: Mapping[str, A.Type]) -> A.Type:
    if t.name in binding and not t.args:
        return binding[t.name]
    return A.Type(t.name, tuple(_subst(a, binding) for a in t.args)) if t.args else t


def _show(value: Any, t: A.Type, datatypes: Mapping[str, A.Datatype]) -> str:
    """Dafny 2.3 JS `toString` of a value nested in a datatype (strings print bare)."""
    if t.name in datatypes:
        out = _dafny_text_of(value, t, datatypes)
        return out if isinstance(out, str) else repr(out)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    if is_string(t) and isinstance(value, list):
        return "".join(value)
    if t.name == "tuple" and isinstance(value, (list, tuple)):
        return "(" + ", ".join(_show(v, a, datatypes) for v, a in zip(value, t.args, strict=False)) + ")"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v, elem(t), datatypes) for v in value) + "]"
    if isinstance(value, Counter):
        items = sorted(_show(v, elem(t), datatypes) for v in value.elements())
        return "multiset{" + ", ".join(items) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_show(v, elem(t), datatypes) for v in value)) + "}"
    if isinstance(value, dict):
        pairs = sorted(
            f"{_show(k, elem(t), datatypes)} := {_show(v, map_value(t), datatypes)}"
            for k, v in value.items()
        )
        return "map[" + ", ".join(pairs) + "]"
    return repr(value)


@dataclass
class _Run:
    inputs: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[dict[str, Any] | None] = field(default_factory=list)
    # the outputs as the spec's predicates read them: datatype values in the sandbox's
    # {"$dataclass": C, "fields": {...}} form, which the predicates adopt by constructor
    # name (`outputs` holds them as Dafny's JS text, for the comparison with the JS build)
    spec_outputs: list[dict[str, Any] | None] = field(default_factory=list)
    arrays: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str | None] = field(default_factory=list)


def _python_side(
    text: str,
    target: _Target,
    candidates: list[dict[str, Any]],
    n: int,
    pre: Callable[[dict[str, Any]], bool] | None = None,
    py_names: Mapping[str, str] | None = None,
    datatypes: Mapping[str, A.Datatype] | None = None,
) -> tuple[_Run, int]:
    """Filter by requires and call the translation, in one sandboxed child.

    `text` is the translated module with `__check__` appended (see `check_wrapper`);
    `pre`, when given, is the spec's trusted predicate and filters before the sandbox.
    """
    from verifier.sandbox import UNTRUSTED_DEFAULTS, PythonWorker, decode, encode

    names = [p.name for p in target.params]
    py_names = py_names or {}
    pool = ([c for c in candidates if _holds(pre, _spec_side(target.params, c))] if pre is not None
            else list(candidates))
    rejected = len(candidates) - len(pool)
    run = _Run()
    if not pool:
        return run, rejected
    # Chunks of n through one persistent child: stop once n inputs passed requires, so
    # the method is not run on hundreds of spare candidates.
    outcomes: list[tuple[dict[str, Any], Any]] = []
    with PythonWorker(
        module_source=text, function="__check__", limits=UNTRUSTED_DEFAULTS, call_timeout=20
    ) as worker:
        for start in range(0, len(pool), n):
            chunk = pool[start : start + n]
            batch = worker.run([{"$args": [encode(c[p]) for p in names]} for c in chunk])
            batch.raise_for_violation()
            if batch.load_error is not None:
                raise ProofrouteError(
                    f"the translated module failed to load: {batch.load_error.render()}"
                )
            outcomes.extend(zip(chunk, batch.calls, strict=True))
            passed = sum(1 for _, o in outcomes if not o.ok or o.result()[0])
            if passed >= n:
                break
    arrays = {  # Dafny name -> Python name (a parameter `from` is `from_` in Python)
        p.name: py_names.get(p.name, p.name)
        for p in target.params
        if p.type.name in ("array", "array?")
    }
    rejected += _collect(run, outcomes, target, n, arrays, datatypes, decode)
    return run, rejected


def _collect(run: _Run, outcomes: list[tuple[dict[str, Any], Any]], target: _Target, n: int, arrays: dict[str, str],
             datatypes: Mapping[str, A.Datatype] | None, decode: Callable[[Any], Any]) -> int:
    """Record into run the first n calls whose input passed requires (outputs, arrays after
    the call, errors); the number of inputs requires rejected."""
    rejected = 0
    for inp, outcome in outcomes:
        if len(run.inputs) == n:
            break
        if outcome.ok:
            accepted, value = outcome.result()
            if not accepted:
                rejected += 1
                continue
        run.inputs.append(inp)
        if not outcome.ok:
            err = outcome.error.render() if outcome.error else str(outcome.status)
            run.outputs.append(None)
            run.spec_outputs.append(None)
            run.arrays.append({})
            run.errors.append(f"{outcome.status}: {err}")
            continue
        if len(target.outs) == 1:
            values = [value]
        elif not target.outs:
            values = []
        else:
            values = list(value)
        run.outputs.append(
            {
                o.name: _from_sandbox(v, o.type, datatypes)
                for o, v in zip(target.outs, values, strict=True)
            }
        )
        run.spec_outputs.append({o.name: _from_sandbox(v, o.type) for o, v in zip(target.outs, values, strict=True)})
        after = outcome.args_after
        run.arrays.append({a: decode(after[py]) if py in after else None for a, py in arrays.items()})
        run.errors.append(None)
    return rejected


def _spec_value(t: A.Type, v: Any) -> Any:
    """A value as the spec's predicates read it: validation carries reals as fraction
    text (`"5/2"`, how they cross the sandbox and the JS bridge); the predicates compare
    `Fraction`s, and a string there would make every real clause false."""
    if t.name == "real" and isinstance(v, str):
        return Fraction(v)
    if t.name in ("seq", "array", "array?") and isinstance(v, (list, tuple)):
        return [_spec_value(elem(t), x) for x in v]
    if t.name == "set" and isinstance(v, (set, frozenset)):
        return frozenset(_spec_value(elem(t), x) for x in v)
    if t.name == "multiset" and isinstance(v, Counter):
        return Counter({_spec_value(elem(t), x): k for x, k in v.items()})
    if t.name == "map" and isinstance(v, dict):
        return {_spec_value(elem(t), k): _spec_value(map_value(t), x) for k, x in v.items()}
    return v


def _spec_side(params: Sequence[A.Param], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` by parameter name, each as the spec's predicates read it (`_spec_value`)."""
    types = {p.name: p.type for p in params}
    return {k: _spec_value(types[k], v) if k in types else v for k, v in values.items()}


def _holds(pred: Callable[[dict[str, Any]], bool], args: dict[str, Any]) -> bool:
    """A spec predicate (trusted: specs are data compiled by our own translator)."""
    try:
        return bool(pred(copy.deepcopy(args)))
    except Exception:  # an undefined clause counts as false, as in the spec layer
        return False


def _js_disagreements(dafny_source: str, js_program: Any, build_js: Callable[[str], Any], target: _Target,
                      py: _Run) -> list[Disagreement]:
    """Run Dafny's JS build on the inputs our translation ran (building it unless given)."""
    own = js_program is None
    if own:
        js_program = build_js(dafny_source)
    try:
        js_results = _call_js(js_program, target, py.inputs)
    finally:
        if own:
            js_program.close()
    found: list[Disagreement] = []
    for inp, out, arrays, err, js in zip(
        py.inputs, py.outputs, py.arrays, py.errors, js_results, strict=True
    ):
        found.extend(_compare(inp, out, arrays, err, js))
    return found


def _ensures_disagreements(preds: Any, py: _Run, target: _Target, notes: list[str]) -> list[Disagreement]:
    """A disagreement per ensures clause our translation's result breaks (a clause the spec
    layer cannot execute ends the check, with a note)."""
    out_: list[Disagreement] = []
    for inp, out, spec_out, arrays, err in zip(py.inputs, py.outputs, py.spec_outputs, py.arrays, py.errors,
                                               strict=True):
        if err is not None or out is None or spec_out is None:
            continue
        result = {**out, **arrays}
        spec_result = {**_spec_side(target.outs, spec_out), **_spec_side(target.params, arrays)}
        try:
            failing = preds.failing_ensures(_spec_side(target.params, inp), spec_result)
        except Exception as exc:  # a clause the spec layer cannot execute
            notes.append(f"ensures not checked: {exc}")
            break
        out_.extend(Disagreement(inp, f"ensures {text}", result, None) for text in failing)
    return out_


def validate_translation(
    dafny_source: str,
    method: str,
    *,
    n: int,
    spec: Any = None,
    seed: int | None = None,
    dialect: Dialect | None = None,
    js_program: Any = None,
) -> ValidationReport:
    """Run our translation and Dafny's JS build of `method` on `n` inputs that satisfy
    `requires` and compare them. `spec` (a loaded spec) adds ensures checks on our side;
    without it `requires` is decided by our own translation of the clauses.

    `js_program` is a JS build (of this source, or of a larger one that contains the
    method) to reuse, so a suite of many programs pays for one Dafny run."""
    started = time.monotonic()
    program = parse(dafny_source)
    target = _target(program, method)
    module = translate(dafny_source, dialect=dialect)
    notes: list[str] = []
    preds = _spec_predicates(spec) if spec is not None else None
    # with a spec, its own predicates decide validity (in-process) instead of our requires
    wrapper = check_wrapper(dafny_source, method, dialect=dialect, with_requires=preds is None)
    candidates = draw_inputs(target.params, max(10 * n, 50), seed=seed)
    py, rejected = _python_side(
        module.text + wrapper,
        target,
        candidates,
        n,
        pre=preds.pre if preds else None,
        py_names={p.dafny_name: p.name for p in module.function(method).params},
        datatypes={d.name: d for d in program.decls if isinstance(d, A.Datatype)},
    )
    if len(py.inputs) < n:
        notes.append(
            f"compared {len(py.inputs)} inputs: {len(candidates)} distinct ones drawn, "
            f"{rejected} of those tried rejected by requires"
        )
    build_js, driver = _js_backend()
    disagreements: list[Disagreement] = []
    if py.inputs:
        disagreements.extend(_js_disagreements(dafny_source, js_program, build_js, target, py))
    if preds is not None:
        disagreements.extend(_ensures_disagreements(preds, py, target, notes))
    return ValidationReport(
        method=method,
        requested=n,
        compared=len(py.inputs),
        disagreements=tuple(disagreements),
        candidates=len(candidates),
        rejected_by_requires=rejected,
        notes=tuple(notes),
        seconds=time.monotonic() - started,
        js_driver=driver,
    )


def _spec_predicates(spec: Any) -> Any:
    """The spec's compiled predicates; `spec` is a Spec or a path to a spec file."""
    from verifier.specs.loader import load_spec
    from verifier.translators.spec_python import compile_predicates

    if isinstance(spec, (str, bytes)) or hasattr(spec, "__fspath__"):
        spec = load_spec(spec)  # type: ignore[arg-type]
    return compile_predicates(spec)


def _compare(
    inp: Mapping[str, Any],
    out: Mapping[str, Any] | None,
    arrays: Mapping[str, Any],
    err: str | None,
    js: Any,
) -> list[Disagreement]:
    if err is not None or js.error is not None:
        if err is not None and js.error is not None:
            return []  # both failed (e.g. recursion depth on both sides): no disagreement
        return [Disagreement(inp, "error", err, js.error)]
    found = []
    assert out is not None
    for name, value in out.items():
        other = js.outputs.get(name)
        if _canon(value) != _canon(other):
            found.append(Disagreement(inp, f"output {name}", value, other))
    for name, value in arrays.items():
        other = js.arrays_after.get(name)
        if _canon(value) != _canon(other):
            found.append(Disagreement(inp, f"array {name} after the call", value, other))
    return found
