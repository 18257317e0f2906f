"""`spec check`: everything that can be known about a spec before any model writes code.

Parse and type errors; the rendered contract resolves in the real Dafny; every example
meets requires and ensures; requires is satisfiable; and, on sampled valid inputs with
z3: an output exists (realizability), it is unique (else: under-specified), and no
ensures clause holds for every output (vacuity). Search is over outputs up to a size
bound, and messages say so; a z3 "unknown" is reported as such, never as success.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import z3
from verifier.specs import model as m
from verifier.specs.generics import instance_text, instantiate
from verifier.specs.loader import load_spec_all, read_spec_file
from verifier.specs.parser import location_in
from verifier.specs.sampling import sample_inputs, z3_witnesses
from verifier.specs.values import show
from verifier.translators.spec_bounds import conjuncts, free_vars
from verifier.translators.spec_python import Predicates, compile_predicates
from verifier.translators.spec_z3 import (
    Evaluator,
    Unsupported,
    concrete_bool,
    concrete_int,
    differs,
    encode_post,
    from_python,
    is_collection,
    output_types,
    shapes_for,
    to_python,
)

from verifier.errors import SpecError, ToolchainMissing
from verifier.results import Severity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ambiguity:
    """The concrete evidence of an under-specified contract: one valid input and two
    different outputs that both satisfy ensures (`spec draft` asks the user to choose)."""

    args: dict[str, Any]
    outputs: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    file: str | None
    line: int
    col: int
    text: str | None = None  # the offending line of the file, for a caret display
    hint: str | None = None
    ambiguity: Ambiguity | None = None  # for `underspecified`: the input and both outputs

    def render(self) -> str:
        head = f"{self.file or '<spec>'}:{self.line}:{self.col}: {self.severity.value}: {self.message} [{self.code}]"
        if self.text is not None:
            # keep the line's tabs in the caret's indent, so the caret lines up in a terminal
            pad = "".join(c if c == "\t" else " " for c in self.text[: max(self.col - 1, 0)])
            head += f"\n    {self.text}\n    {pad}^"
        if self.hint:
            head += f"\n  hint: {self.hint}"
        return head

    def record(self) -> dict[str, Any]:
        """The `--json` form: what, where and (when known) how to fix it."""
        rec: dict[str, Any] = {
            "severity": self.severity.value, "code": self.code, "message": self.message,
            "file": self.file, "line": self.line, "col": self.col,
        }
        if self.hint:
            rec["hint"] = self.hint
        return rec


@dataclass(frozen=True)
class CheckOptions:
    dafny: bool = True
    samples: int = 8
    seed: int = 0
    timeout_ms: int = 2000
    max_output_size: int = 8  # first pass: collection outputs up to min(this, input size + 2)
    max_wide_size: int = 16  # second pass, only when the first finds no output
    max_shapes: int = 60
    budget_seconds: float = 60.0  # for all z3 searches of one spec


class _Report:
    def __init__(self, file: str | None, text: str) -> None:
        self.file, self.text = file, text
        self.findings: list[Finding] = []

    def add(self, severity: Severity, code: str, message: str, span: m.Span | None = None,
            hint: str | None = None, line: int | None = None, col: int | None = None,
            ambiguity: Ambiguity | None = None) -> None:
        ln = line if line is not None else (span.line if span else 1)
        cl = col if col is not None else (span.col if span else 1)
        loc = location_in(self.file, self.text, ln, cl)
        self.findings.append(Finding(severity, code, message, self.file, ln, cl, loc.text, hint, ambiguity))

    def from_error(self, err: SpecError) -> None:
        loc = err.location
        self.findings.append(Finding(
            Severity.ERROR, err.code, err.message, loc.file if loc else self.file,
            loc.line if loc else 1, loc.col if loc else 1, loc.text if loc else None, err.hint,
        ))


def check_spec(spec_or_path: m.Spec | str | Path, options: CheckOptions | None = None) -> list[Finding]:
    """All findings for one spec (a loaded Spec is re-read from its source file when it has one)."""
    if isinstance(spec_or_path, m.Spec):
        if spec_or_path.source and Path(spec_or_path.source).exists():
            return check_paths([spec_or_path.source], options)[spec_or_path.source]
        return _check_loaded(spec_or_path, "", options or CheckOptions(), dafny_problems=None)
    return check_paths([str(spec_or_path)], options)[str(spec_or_path)]


def check_paths(paths: Sequence[str], options: CheckOptions | None = None) -> dict[str, list[Finding]]:
    """Check several files; their Dafny contracts resolve in one Dafny run."""
    opts = options or CheckOptions()
    loaded: dict[str, tuple[m.Spec, str]] = {}
    out: dict[str, list[Finding]] = {}
    for path in paths:
        try:
            text = read_spec_file(path)
            spec, errors = load_spec_all(text, path)
        except SpecError as err:
            rep = _Report(path, "")
            rep.from_error(err)
            out[path] = rep.findings
            continue
        if errors:
            rep = _Report(path, text)
            for e in errors:
                rep.from_error(e)
            out[path] = rep.findings
            continue
        loaded[path] = (spec, text)
    dafny: dict[str, list[Finding]] = {p: [] for p in loaded}
    if opts.dafny and loaded:
        dafny = _dafny_findings(loaded)
    for path, (spec, text) in loaded.items():
        out[path] = _check_loaded(spec, text, opts, dafny_problems=dafny[path])
    return {p: out[p] for p in paths}


def _dafny_findings(loaded: dict[str, tuple[m.Spec, str]]) -> dict[str, list[Finding]]:
    from verifier.specs.dafny_check import INSTALL_HINT, resolve_specs

    paths = list(loaded)
    res: dict[str, list[Finding]] = {p: [] for p in paths}
    try:
        problems = resolve_specs([loaded[p][0] for p in paths])
    except ToolchainMissing as exc:
        for p in paths:
            rep = _Report(p, loaded[p][1])
            rep.add(Severity.ERROR, "dafny-missing",
                    f"cannot check that the contract resolves in Dafny: {exc.message}",
                    loaded[p][0].span, hint=exc.hint or INSTALL_HINT)
            res[p] = rep.findings
        return res
    for pr in problems:
        p = paths[pr.spec_index]
        rep = _Report(p, loaded[p][1])
        if pr.warning:  # e.g. no trigger for a quantifier: valid, maybe harder to prove
            rep.add(Severity.WARNING, "dafny-warning", f"{pr.where}: {pr.message}", line=pr.line, col=pr.col,
                    hint="the contract resolves; Dafny's warning may make proofs harder (see Dafny's docs)")
        else:
            rep.add(Severity.ERROR, "dafny-resolve", f"{pr.where}: {pr.message}", line=pr.line, col=pr.col,
                    hint="write this clause in the Dafny syntax of the installed Dafny (see docs/spec-format.md)")
        res[p].extend(rep.findings)
    return res


def _check_loaded(spec: m.Spec, text: str, opts: CheckOptions, dafny_problems: list[Finding] | None) -> list[Finding]:
    rep = _Report(spec.source, text)
    if dafny_problems:
        rep.findings.extend(dafny_problems)
    preds = compile_predicates(spec)
    for ne in preds.not_executable:
        rep.add(Severity.WARNING, "not-executable", f"{ne.where}: {ne.message}", line=ne.line, col=ne.col,
                hint="property tests cannot check this clause until its range is bounded")
    _check_examples(spec, preds, rep)
    t0 = time.monotonic()
    semantic = _semantic_instance(spec, rep)
    if semantic is not None:
        _check_semantics(semantic, compile_predicates(semantic) if semantic is not spec else preds, rep, opts)
    log.debug("semantic checks of %s took %.2fs", spec.name, time.monotonic() - t0)
    return rep.findings


def _semantic_instance(spec: m.Spec, rep: _Report) -> m.Spec | None:
    """The spec z3 searches: a generic one at `T := int` (said in an info: findings hold
    for that instance), none when a parameter is a function (z3 is not asked about
    functions: an uninterpreted one would make every search open-ended)."""
    functions = [p for p in (*spec.params, *spec.returns) if mentions_function(p.type)]
    if functions:
        names = ", ".join(f"{p.name}: {m.type_text(p.type)}" for p in functions)
        rep.add(Severity.INFO, "not-checked",
                f"z3 does not check specs with function-typed parameters ({names}): realizability, "
                "uniqueness and vacuity were not checked", functions[0].span,
                hint="the examples and the property harness (which draws functions) still test it")
        return None
    if not spec.type_params:
        return spec
    args = {tp.name: m.IntType() for tp in spec.type_params}
    rep.add(Severity.INFO, "generic-instance",
            f"z3 checks the generic method at {instance_text(args)}: its findings are about that instance",
            spec.type_params[0].span)
    return instantiate(spec, args)


def mentions_function(t: m.Type) -> bool:
    match t:
        case m.ArrowType():
            return True
        case m.SeqType(e) | m.SetType(e) | m.MultisetType(e) | m.ArrayType(e):
            return mentions_function(e)
        case m.MapType(k, v):
            return mentions_function(k) or mentions_function(v)
    return False


def _fmt_args(args: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {show(v)}" for k, v in args.items())


def _check_examples(spec: m.Spec, preds: Predicates, rep: _Report) -> None:
    for ex in spec.examples:
        try:
            bad_req = [t for t, fn in preds.requires if not preds.clause_holds(fn, dict(ex.args))]
            if bad_req:
                rep.add(Severity.ERROR, "example-requires",
                        f"examples[{ex.index}] breaks requires: {'; '.join(bad_req)}", ex.args_span or ex.span,
                        hint="fix the example's args, or the requires clause")
                continue
            bad = preds.failing_ensures(dict(ex.args), dict(ex.result))
        except Exception as exc:  # NotExecutable: reported already; anything else: say so
            if type(exc).__name__ == "NotExecutable":
                why = "a clause it needs cannot be executed (see the not-executable warning)"
                hint = "bound the quantifier's range so that the examples can be run"
            else:
                why, hint = f"{type(exc).__name__}: {exc}", "please report this; the example was not checked"
            rep.add(Severity.WARNING, "example-not-checked", f"examples[{ex.index}] could not be evaluated: {why}",
                    ex.span, hint=hint)
            continue
        if bad:
            rep.add(Severity.ERROR, "example-ensures",
                    f"examples[{ex.index}] breaks ensures: {'; '.join(bad)}", ex.result_span or ex.span,
                    hint="fix the example's result, or the ensures clause")


def _check_semantics(spec: m.Spec, preds: Predicates, rep: _Report, opts: CheckOptions) -> None:
    samples = _valid_inputs(spec, preds, rep, opts)
    if samples is None:
        return
    free_outs = {k: t for k, t in output_types(spec).items() if k not in spec.modified}
    tally = _Tally()
    deadline = time.monotonic() + opts.budget_seconds
    for n_done, args in enumerate(samples):
        if time.monotonic() > deadline:
            rep.add(Severity.WARNING, "z3-unknown",
                    f"time budget of {opts.budget_seconds:.0f} s used up after {n_done} of {len(samples)} sampled inputs; "
                    "the remaining inputs were not checked", spec.span,
                    hint="simplify the clauses, or check with fewer --samples")
            break
        try:
            pinned = _pinned_sizes(spec, args, free_outs)  # encodes the inputs: may be Unsupported too
            search = _outputs_for(spec, preds, args, free_outs, pinned, opts, rep)
        except Unsupported as exc:
            # skip this input only: a recursion too deep for one large example may still
            # unroll for the smaller sampled inputs
            tally.skipped.append((args, exc))
            continue
        _report_outputs(spec, args, search, tally, rep)
    _report_tally(spec, samples, tally, rep)


def _valid_inputs(spec: m.Spec, preds: Predicates, rep: _Report, opts: CheckOptions) -> list[dict[str, Any]] | None:
    """Sampled inputs that meet requires; None (reported) when there are none to check ensures on."""
    search = z3_witnesses(spec, timeout_ms=opts.timeout_ms)
    example_ok = any(_safe_pre(preds, ex.args) for ex in spec.examples)
    if search.unsupported and not example_ok:
        rep.add(Severity.INFO, "not-checked", f"requires could not be encoded for z3 ({search.unsupported})", spec.span)
    if not search.witnesses and not example_ok and not search.unsupported:
        if search.unknown:
            rep.add(Severity.WARNING, "z3-unknown", "z3 could not decide whether requires is satisfiable", spec.span,
                    hint="add an example whose args meet requires, so the checks have an input to start from")
        elif search.complete:
            rep.add(Severity.ERROR, "requires-unsat", "requires is unsatisfiable: no input meets it", _first_span(spec.requires, spec),
                    hint="no implementation can ever be called; weaken requires")
            return None
        else:
            rep.add(Severity.ERROR, "requires-unsat",
                    "requires is unsatisfiable for every input with collections of up to 3 elements",
                    _first_span(spec.requires, spec), hint="check requires for contradictions")
            return None
    samples = sample_inputs(spec, preds.pre, search.witnesses, count=opts.samples, seed=opts.seed)
    if not samples:
        rep.add(Severity.WARNING, "no-samples", "found no input that satisfies requires to test ensures on", spec.span,
                hint="add an example whose args meet requires")
        return None
    return samples


@dataclass
class _OutputSearch:
    """What the search for outputs of one input found."""

    found: list[dict[str, Any]]
    unknown: bool
    clause_false: set[int]  # ensures clauses false for some output tried (so not vacuous)
    core: set[int]  # the clauses that together exclude every output, when none was found
    max_size: int  # the largest output collection searched


@dataclass
class _Tally:
    """What `_check_semantics` carries from one sampled input to the next."""

    non_vacuous: set[int] = field(default_factory=set)
    vacuity_checked: int = 0
    underspec_reported: bool = False
    unrealizable_reported: int = 0
    skipped: list[tuple[dict[str, Any], Unsupported]] = field(default_factory=list)


def _outputs_for(spec: m.Spec, preds: Predicates, args: dict[str, Any], free_outs: dict[str, m.Type],
                 pinned: tuple[dict[str, int], set[int]], opts: CheckOptions, rep: _Report) -> _OutputSearch:
    """Search outputs of small shapes for one input, then longer ones if none fits
    (`pinned`: the output sizes the ensures clauses fix, and those clauses)."""
    size = sum(_size(v) for v in args.values())
    fixed, pin_clauses = pinned
    open_outs = [k for k, t in free_outs.items() if is_collection(t) and k not in fixed]
    max_size = min(opts.max_output_size, size + 2) if open_outs else 0
    first = list(shapes_for(free_outs, max_size, limit=opts.max_shapes, fixed=fixed))
    found, unknown, clause_false, core = _search_outputs(spec, preds, args, free_outs, first, opts, rep)
    wide = min(opts.max_wide_size, max(2 * size + 2, _magnitude(args) + 2)) if open_outs else 0
    if not found and not unknown and wide > max_size:
        # Nothing small enough: before calling the spec unrealizable, look at longer
        # outputs (twice the input, or as long as an integer input says), as a
        # valid `Dup` or `Range(n)` needs. Sizes near those hints come first: the
        # sizes in between can be pigeonhole problems that z3 takes long to refute.
        hints = _size_hints(args, size)
        more = [sh for sh in shapes_for(free_outs, wide, limit=10_000, fixed=fixed)
                if any((sh[k] or 0) > max_size for k in open_outs)]
        more.sort(key=lambda sh: (sum(min(abs((sh[k] or 0) - h) for h in hints) for k in open_outs),
                                  sum(sh[k] or 0 for k in open_outs)))
        found, unknown, more_false, core = _search_outputs(
            spec, preds, args, free_outs, more[: opts.max_shapes], opts, rep,
            timeout_ms=min(opts.timeout_ms, 500), stop_at_first=True)
        clause_false |= more_false
        max_size = wide
    clause_false |= pin_clauses  # a pinning clause is false at every other size
    if not found:
        core |= pin_clauses
    return _OutputSearch(found, unknown, clause_false, core, max_size)


def _report_outputs(spec: m.Spec, args: dict[str, Any], search: _OutputSearch, tally: _Tally, rep: _Report) -> None:
    """Findings about one input: no output (unrealizable), or two outputs (underspecified)."""
    found = search.found
    tally.non_vacuous |= search.clause_false
    if not search.unknown:
        tally.vacuity_checked += 1
    if not found:
        if search.unknown:
            rep.add(Severity.WARNING, "z3-unknown",
                    f"z3 could not decide whether an output exists for {_fmt_args(args)}", spec.span,
                    hint="this input was not checked; an example with its expected result checks it by execution")
        elif tally.unrealizable_reported < 1:
            tally.unrealizable_reported += 1
            bound = f" (searched outputs with up to {search.max_size} elements)" if search.max_size else ""
            which = sorted(search.core) or list(range(len(spec.ensures)))
            names = " and ".join(f"ensures[{i}]" for i in which)
            rep.add(Severity.ERROR, "unrealizable",
                    f"no output satisfies {names} for the valid input {_fmt_args(args)}{bound}",
                    spec.ensures[which[0]].span if spec.ensures else spec.span,
                    hint=("these ensures clauses contradict each other for this input" if len(which) > 1
                          else "no output can meet this clause for this input")
                    + "; weaken ensures, or strengthen requires to exclude the input")
    elif len(found) >= 2 and not tally.underspec_reported:
        tally.underspec_reported = True
        a, b = found[0], found[1]
        rep.add(Severity.WARNING, "underspecified",
                f"for {_fmt_args(args)} two different outputs satisfy ensures: "
                f"{_fmt_args(a)} and {_fmt_args(b)}", _first_span(spec.ensures, spec),
                hint="add ensures clauses that pin the output down (if several answers are fine, ignore this)",
                ambiguity=Ambiguity(dict(args), (dict(a), dict(b))))


def _report_tally(spec: m.Spec, samples: list[dict[str, Any]], tally: _Tally, rep: _Report) -> None:
    """After every input: the inputs the encoding could not check, and the vacuous clauses."""
    if tally.skipped:
        args, exc = tally.skipped[0]
        scope = ("" if len(tally.skipped) == len(samples)
                 else f" for {len(tally.skipped)} of {len(samples)} sampled inputs (e.g. {_fmt_args(args)})")
        rep.add(Severity.INFO, "not-checked",
                f"realizability and vacuity not checked{scope}: the z3 encoding does not cover {exc}",
                exc.span or spec.span)
    if tally.vacuity_checked:
        for i, c in enumerate(spec.ensures):
            if i not in tally.non_vacuous:
                rep.add(Severity.WARNING, "vacuous",
                        f"ensures[{i}] holds for every output on every sampled input, so it constrains nothing",
                        c.span, hint="it probably should mention the outputs; or remove it")


def _size(v: Any) -> int:
    """Elements of an input at every level, multiset repetitions included: an output built
    from the input (a flattened `seq<seq<int>>`, a copy of a multiset) can be that long."""
    if isinstance(v, str):
        return len(v)
    if isinstance(v, Counter):
        return sum(max(c, 0) * (1 + _size(k)) for k, c in v.items())
    if isinstance(v, dict):
        return sum(1 + _size(k) + _size(x) for k, x in v.items())
    if isinstance(v, (list, tuple, set, frozenset)):
        return sum(1 + _size(x) for x in v)
    return 0


def _magnitude(args: dict[str, Any]) -> int:
    """The largest integer in the inputs: `Range(n)` needs an output of n elements."""

    def walk(v: Any) -> int:
        if isinstance(v, bool):
            return 0
        if isinstance(v, int):
            return abs(v)
        if isinstance(v, dict):
            return max((max(walk(k), walk(x)) for k, x in v.items()), default=0)
        if isinstance(v, (list, tuple, set, frozenset)):
            return max((walk(x) for x in v), default=0)
        return 0

    return max((walk(v) for v in args.values()), default=0)


def _size_hints(args: dict[str, Any], size: int) -> set[int]:
    """Likely output sizes for an input: its integers, its collections' lengths, its total
    size and twice that."""
    hints = {size, 2 * size}

    def walk(v: Any) -> None:
        if isinstance(v, bool):
            return
        if isinstance(v, int):
            hints.add(abs(v))
        elif isinstance(v, (str, list, tuple, set, frozenset, dict)):
            hints.add(len(v))
            for x in (v.items() if isinstance(v, dict) else v):
                walk(x)

    for v in args.values():
        walk(v)
    return hints


def _pinned_sizes(
    spec: m.Spec, args: dict[str, Any], free_outs: dict[str, m.Type],
) -> tuple[dict[str, int], set[int]]:
    """Sizes of collection outputs that an ensures conjunct fixes outright for this input.

    `|t| == e` or `t == e` (either side), with `e` over the inputs only, forces the size of
    `t`: every other size violates that clause, so searching only that size is complete —
    and finds outputs longer than any generic bound (`t == s + s`, `|t| == 2 * |s|`).
    """
    inputs = {p.name for p in spec.params}
    env = {p.name: from_python(args[p.name], p.type, spec.datatypes) for p in spec.params}
    out: dict[str, int] = {}
    used: set[int] = set()
    for ci, clause in enumerate(spec.ensures):
        for conj in conjuncts(clause.expr):
            if not (isinstance(conj, m.Binary) and conj.op == "=="):
                continue
            for lhs, rhs in ((conj.left, conj.right), (conj.right, conj.left)):
                card = isinstance(lhs, m.Card)
                target = lhs.operand if card else lhs
                if not isinstance(target, m.Var) or target.name not in free_outs:
                    continue
                if not is_collection(free_outs[target.name]) or not free_vars(rhs) <= inputs:
                    continue
                n = _concrete_size(spec, env, rhs, card)
                if n is not None and n >= 0:
                    out.setdefault(target.name, n)  # a second, different size: no output exists
                    used.add(ci)
    return out, used


def _concrete_size(spec: m.Spec, env: dict[str, Any], e: m.Expr, is_card: bool) -> int | None:
    ev = Evaluator(spec, env)
    try:
        value, defined = ev.clause(e)
        if concrete_bool(defined) is not True:
            return None  # e is undefined (or not decidable) here: pin nothing
        return concrete_int(value if is_card else ev.card(value))
    except (Unsupported, z3.Z3Exception, TypeError, AttributeError):
        return None


def _safe_pre(preds: Predicates, args: Any) -> bool:
    try:
        return bool(preds.pre(dict(args)))
    except Exception:
        return False


def _first_span(clauses: Iterable[m.Clause], spec: m.Spec) -> m.Span:
    for c in clauses:
        return c.span
    return spec.span


def _search_outputs(
    spec: m.Spec, preds: Predicates, args: dict[str, Any], free_outs: dict[str, m.Type],
    shapes: Iterable[dict[str, Any]], opts: CheckOptions, rep: _Report, *,
    timeout_ms: int | None = None, stop_at_first: bool = False,
) -> tuple[list[dict[str, Any]], bool, set[int], set[int]]:
    found: list[dict[str, Any]] = []
    unknown = False
    clause_false: set[int] = set()
    core: set[int] = set()
    types = output_types(spec)
    for shape in shapes:
        if stop_at_first and found:
            break
        enc = encode_post(spec, args, shape)
        solver = z3.Solver()
        solver.set(timeout=opts.timeout_ms if timeout_ms is None else timeout_ms)
        solver.add(*enc.constraints)
        for i in range(len(spec.ensures)):
            if i in clause_false:
                continue
            solver.push()
            solver.add(z3.Not(enc.clause(i)))
            r = solver.check()
            solver.pop()
            if r == z3.sat:
                clause_false.add(i)
            elif r == z3.unknown:
                unknown = True
        if len(found) >= 2:
            if len(clause_false) == len(spec.ensures):
                break
            continue
        lits = [z3.Bool(f"ensures[{i}]") for i in range(len(spec.ensures))]
        for i, lit in enumerate(lits):
            solver.add(z3.Implies(lit, enc.clause(i)))
        r = solver.check(*lits)
        if r == z3.unknown:
            unknown = True
            continue
        if r != z3.sat:
            core |= {int(str(c)[len("ensures["):-1]) for c in solver.unsat_core()}
            continue
        model = solver.model()
        solver.add(*lits)
        out = {k: to_python(v, types[k], model, spec.datatypes) for k, v in enc.outputs.items()}
        _cross_check(spec, preds, args, out, rep)
        found.append(out)
        if len(found) < 2 and enc.outputs:
            solver.add(z3.Or(*(differs(v, to_python_back(v, model)) for v in enc.outputs.values())))
            r2 = solver.check()
            if r2 == z3.sat:
                out2 = {k: to_python(v, types[k], solver.model(), spec.datatypes) for k, v in enc.outputs.items()}
                _cross_check(spec, preds, args, out2, rep)
                found.append(out2)
            elif r2 == z3.unknown:
                unknown = True
    return found, unknown and not found, clause_false, core


def to_python_back(v: Any, model: z3.ModelRef) -> Any:
    """The same symbolic structure with every leaf fixed to its model value."""
    from verifier.translators import spec_z3 as sz

    def leaf(x: Any) -> Any:
        return model.eval(x, model_completion=True)

    if isinstance(v, sz.SSeq):
        return sz.SSeq(tuple(to_python_back(x, model) for x in v.elems))
    if isinstance(v, sz.SSet):
        return sz.SSet(tuple((to_python_back(x, model), leaf(p)) for x, p in v.items))
    if isinstance(v, sz.SMultiset):
        return sz.SMultiset(tuple((to_python_back(x, model), leaf(p)) for x, p in v.items))
    if isinstance(v, sz.SMap):
        return sz.SMap(tuple((to_python_back(k, model), to_python_back(x, model), leaf(p)) for k, x, p in v.items))
    return leaf(v)


def _cross_check(spec: m.Spec, preds: Predicates, args: dict[str, Any], out: dict[str, Any], rep: _Report) -> None:
    """z3 said this output satisfies ensures; the Python predicates must agree."""
    try:
        bad = preds.failing_ensures(dict(args), dict(out))
    except Exception:
        return
    if bad:
        rep.add(Severity.WARNING, "z3-python-disagree",
                f"internal: z3 accepted the output {_fmt_args(out)} for {_fmt_args(args)} but the Python "
                f"predicates reject it ({'; '.join(bad)})", spec.span,
                hint="please report this; the spec's checks may be unreliable")
