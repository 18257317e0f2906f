"""Run a spec's properties against a Python function in the sandbox; shrink what fails.

Order of work: the spec's examples (one batch), then Hypothesis-generated inputs (see
`strategies.py`). The function runs in one long-lived sandboxed child (`PythonWorker`,
a pipe round trip per call, ~0.1 ms); the spec is trusted, so `ensures` is checked here
in the parent with the compiled predicates. Hypothesis drives generation *and*
shrinking, so every candidate during shrinking really runs in the sandbox.

Verdicts are cached per input, which keeps Hypothesis' final replay deterministic and
lets a shrink budget end a slow shrink (timeouts) without a "flaky" error: once the
budget is spent, unseen candidates are answered "passes" without running, so Hypothesis
settles on the smallest failure seen so far.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import FailedHealthCheck, Flaky, Unsatisfiable

from verifier.errors import ProofrouteError, SandboxViolation
from verifier.harness.check_runtime import check_call, show, show_args
from verifier.harness.checks import signature_of
from verifier.harness.errors import HarnessInputError
from verifier.harness.failure_db import FailureDB, FailureKey
from verifier.harness.report import Failure, HarnessReport
from verifier.harness.satisfiable import diagnose_requires
from verifier.harness.strategies import (
    FilterStats,
    InputPlan,
    StrategyOptions,
    input_plan,
    inputs_strategy,
)
from verifier.harness.target import Target, resolve_target
from verifier.harness.testability import testability
from verifier.results import to_jsonable
from verifier.sandbox import (
    UNTRUSTED_DEFAULTS,
    CallOutcome,
    CallStatus,
    Limits,
    PythonWorker,
    decode,
    encode,
    environment_lend,
)
from verifier.specs import model as m
from verifier.specs.generics import datatype_instances_text, instance_text, instances, instantiate
from verifier.translators.spec_python import Predicates, compile_predicates

# RLIMIT_CPU counts the whole life of the long-lived child, so it must allow many calls;
# each call is bounded by its own wall-clock deadline instead.
DEFAULT_LIMITS = replace(UNTRUSTED_DEFAULTS, cpu_seconds=600, output_bytes=64 * 1024)
# Recursive spec helpers (Pow(b, e) with e up to 1000) recurse once per step; a clause that
# hits Python's default limit would count as false and blame a correct function.
PREDICATE_RECURSION_LIMIT = 20_000
# Distinct bugs (see `Failure.signature`) searched and shrunk per run: one more pass each.
MAX_DISTINCT_FAILURES = 3


@dataclass(frozen=True)
class Progress:
    """A snapshot for progress displays; `phase` is examples | generating | shrinking | done."""

    phase: str
    examples_run: int
    generated_run: int
    max_examples: int
    shrink_steps: int = 0


class _Abort(BaseException):
    """Leaves Hypothesis at once (it only catches Exception): a violation or bad input
    is not a counterexample to shrink."""

    def __init__(self, error: ProofrouteError) -> None:
        super().__init__(str(error))
        self.error = error


class _Found(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def run_properties(
    spec: m.Spec,
    target: str,
    *,
    max_examples: int = 100,
    seed: int | None = None,
    deadline_per_call: float = 1.0,
    options: StrategyOptions | None = None,
    shrink_seconds: float = 30.0,
    limits: Limits | None = None,
    progress: Callable[[Progress], None] | None = None,
    cwd: Path | None = None,
    database: FailureDB | None = None,
    paths: tuple[Path, ...] = (),
) -> HarnessReport:
    """Test `target` (MODULE:FUNCTION, module importable from `cwd` or a .py path) against `spec`.

    Returns a report (failures are data, not exceptions). Raises `HarnessInputError`
    (exit code 2) when the inputs cannot be tested — target missing or not loadable,
    signature mismatch, requires not executable or met by no generated input — and
    `SandboxViolation` when the function attempts something the sandbox forbids.
    `deadline_per_call` is in seconds; a call over it is a "timeout" failure.
    With a `database`, the failures it holds for this property run right after the spec's
    examples, and every new failure is stored there for the next run.

    The function runs with its project importable read-only (sandbox/lend.py): the
    module's import root, the project root (`target.project_root`), `paths`, and this
    interpreter's site-packages; the module is loaded under its dotted package name.

    A generic method (`method Find<T(==)>`) is tested at each of `generics.instances`
    (T := int, T := string, and the types its examples name), one run per instance; the
    report lists them and a failure's message names its instance. A generic datatype is
    tested at the instances the (concrete) parameters name (`Option<int>`), which the
    report lists too.
    """
    kwargs = {"max_examples": max_examples, "seed": seed, "deadline_per_call": deadline_per_call, "options": options,
              "shrink_seconds": shrink_seconds, "limits": limits, "progress": progress, "cwd": cwd,
              "database": database, "paths": paths}
    if not spec.type_params:
        report = _run_instance(spec, target, **kwargs)
        datatypes = datatype_instances_text(spec)
        return replace(report, instances=(datatypes,)) if datatypes else report
    reports = []
    for args in instances(spec):
        label = instance_text(args)
        datatypes = datatype_instances_text(instantiate(spec, args))
        if datatypes:
            label += f" ({datatypes})"
        report = _run_instance(instantiate(spec, args), target, **kwargs)
        failures = tuple(replace(f, message=f"{f.message} (at {label})") for f in report.failures)
        reports.append(replace(report, failures=failures, instances=(label,)))
    return _merged(spec, reports)


def _merged(spec: m.Spec, reports: list[HarnessReport]) -> HarnessReport:
    """One report for the runs of a generic method's instances."""
    first = reports[0]
    return replace(
        first,
        spec_name=spec.name,
        failures=tuple(f for r in reports for f in r.failures),
        examples_run=sum(r.examples_run for r in reports),
        generated_run=sum(r.generated_run for r in reports),
        filter_rejected=sum(r.filter_rejected for r in reports),
        strategy_notes=tuple(dict.fromkeys(n for r in reports for n in r.strategy_notes)),
        filtered_clauses=tuple(dict.fromkeys(c for r in reports for c in r.filtered_clauses)),
        unchecked=tuple(dict.fromkeys(c for r in reports for c in r.unchecked)),
        seconds=sum(r.seconds for r in reports),
        sandbox=reports[-1].sandbox,
        instances=tuple(i for r in reports for i in r.instances),
    )


def _run_instance(spec: m.Spec, target: str, *, max_examples: int, seed: int | None, deadline_per_call: float,
                  options: StrategyOptions | None, shrink_seconds: float, limits: Limits | None,
                  progress: Callable[[Progress], None] | None, cwd: Path | None, database: FailureDB | None,
                  paths: tuple[Path, ...]) -> HarnessReport:
    """`run_properties` for a spec without type parameters."""
    started = time.monotonic()
    tgt = resolve_target(target, cwd)
    _check_arity(spec, tgt)
    preds = compile_predicates(spec)
    unchecked = _unexecutable(spec)
    chosen_seed = seed if seed is not None else random.SystemRandom().randrange(2**32)
    session = _Session(spec, tgt, preds, unchecked, deadline_per_call, shrink_seconds, max_examples, progress)
    lend = environment_lend(tuple(p for p in (tgt.import_root, *paths, tgt.project_root) if p is not None))
    worker = PythonWorker(module_path=tgt.file, function=tgt.function, limits=limits or DEFAULT_LIMITS,
                          call_timeout=deadline_per_call, lend=lend, module_name=tgt.import_name)
    session.worker = worker
    stats = FilterStats()
    plan = input_plan(spec, options)
    saved_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(saved_limit, PREDICATE_RECURSION_LIMIT))
    key = FailureKey(spec, tgt.file, tgt.function)
    try:
        failures = _find_failures(session, options, preds, stats, seed=chosen_seed, database=database, key=key)
        sandbox = to_jsonable(worker.run([]).report)
    finally:
        sys.setrecursionlimit(saved_limit)
        worker.close()
    session.emit("done")
    return session.report(target, failures, stats, plan, seed=chosen_seed, started=started, sandbox=sandbox)


def _find_failures(session: _Session, options: StrategyOptions | None, preds: Predicates, stats: FilterStats, *,
                   seed: int, database: FailureDB | None, key: FailureKey) -> list[Failure]:
    """The spec's examples, the stored failures, then generated inputs: one Hypothesis pass
    per distinct bug (each later pass treats the failures already found as passing, so
    Hypothesis searches, and shrinks, something else)."""
    failures = session.run_examples()
    if database is not None:
        failures = _merge(failures, session.run_stored(database, key))
    strategy = inputs_strategy(session.spec, options, predicates=preds, stats=stats)
    for n in range(MAX_DISTINCT_FAILURES):
        found = session.run_generated(strategy, (seed + n) % 2**32, stats)
        if found is None:
            break
        # the shrunk failure supersedes an example failing in the same way
        failures = [f for f in failures if f.signature != found.signature]
        failures.append(found)
        session.next_pass(found)
        if database is not None:
            database.save(key, found.inputs, session.names)
    return failures


def _merge(failures: list[Failure], stored: list[Failure]) -> list[Failure]:
    """A stored failure was shrunk when it was found: it supersedes an example failing
    the same way, as a freshly shrunk one does."""
    seen = {f.signature for f in stored}
    return [f for f in failures if f.signature not in seen] + stored


def _check_arity(spec: m.Spec, tgt: Target) -> None:
    n = len(spec.params)
    where = f"{tgt.display}:{tgt.line}: error"
    if tgt.varargs:
        raise HarnessInputError(f"{where}: {tgt.function} takes *args",
                                hint=f"declare one parameter per spec parameter: {', '.join(p.name for p in spec.params)}")
    if not tgt.required <= n <= len(tgt.params):
        raise HarnessInputError(
            f"{where}: {tgt.function}({', '.join(tgt.params)}) cannot take the {n} argument(s) of "
            f"the spec's {spec.signature or spec.method}",
            hint="the function is called positionally with the spec's parameters, in order",
        )


def _unexecutable(spec: m.Spec) -> list[str]:
    """Ensures clauses to skip (reported as unchecked); a spec that cannot be property
    tested (`testability`: an unexecutable requires, no executable ensures) is bad input."""
    decision = testability(spec)
    if decision.blocker is None:
        return list(decision.unchecked)
    blocker = decision.blocker
    if blocker.clause is None:
        raise HarnessInputError(
            f"{spec.source or '<spec>'}: error: no ensures clause of {spec.name} can be executed, so nothing would be tested",
            hint="bound every quantified variable in its range, e.g. `0 <= i < |s|` or `x in s`",
        )
    c = blocker.clause
    raise HarnessInputError(f"{c.file or spec.source or '<spec>'}:{c.line}:{c.col}: error: {blocker.what} "
                            f"`{blocker.text}` cannot be executed: {blocker.message}",
                            hint="inputs are generated and filtered with requires, so it must be executable; "
                                 + c.message.partition("; ")[2])


class _Session:
    def __init__(self, spec: m.Spec, tgt: Target, preds: Predicates, skip: list[str], deadline: float,
                 shrink_seconds: float, max_examples: int, progress: Callable[[Progress], None] | None) -> None:
        self.spec, self.tgt, self.preds = spec, tgt, preds
        self.signature = signature_of(spec)
        self.types = dict(self.signature["params"])
        self.return_types = tuple(t for _, t in self.signature["returns"])
        self.skip = tuple(skip)
        self.deadline = deadline
        self.shrink_seconds = shrink_seconds
        self.max_examples = max_examples
        self.progress = progress
        self.worker: PythonWorker | None = None
        self.names = tuple(p.name for p in spec.params)
        self.cache: dict[str, Failure | None] = {}
        self.examples_run = 0
        self.generated_run = 0
        self.shrink_steps = 0
        self.first_failure_at: float | None = None
        self.last_failure: Failure | None = None
        self.known: set[tuple[Any, ...]] = set()  # signatures of the bugs found so far
        self.not_executable = preds.namespace.get("NotExecutable", ())

    def report(self, target: str, failures: list[Failure], stats: FilterStats, plan: InputPlan, *,
               seed: int, started: float, sandbox: Any) -> HarnessReport:
        """The report of a finished run (`target` as the caller wrote it)."""
        spec, tgt = self.spec, self.tgt
        return HarnessReport(
            spec_name=spec.name,
            spec_file=spec.source,
            target=target,
            file=tgt.display,
            function=tgt.function,
            def_line=tgt.line,
            failures=tuple(failures),
            examples_run=self.examples_run,
            generated_run=self.generated_run,
            filter_rejected=stats.rejected,
            strategy_notes=plan.notes,
            filtered_clauses=plan.filtered,
            unchecked=self.skip,
            seed=seed,
            max_examples=self.max_examples,
            seconds=time.monotonic() - started,
            sandbox=sandbox if isinstance(sandbox, Mapping) else {},
        )

    def emit(self, phase: str) -> None:
        if self.progress is not None:
            self.progress(Progress(phase, self.examples_run, self.generated_run, self.max_examples, self.shrink_steps))

    # -- calls -------------------------------------------------------------------------
    def call(self, inputs: Mapping[str, Any]) -> CallOutcome:
        assert self.worker is not None
        batch = self.worker.run([{"$args": [encode(inputs[n]) for n in self.names]}])
        if batch.load_error is not None:
            raise _Abort(self._load_failed(batch))
        return batch.calls[0]

    def _load_failed(self, batch: Any) -> ProofrouteError:
        err = batch.load_error
        if batch.load_violations:
            return SandboxViolation(
                f"{self.tgt.display}:{err.line or 1}: error: sandbox violation while loading the module: "
                f"attempted {batch.load_violations[0]}",
                attempted=batch.load_violations[0],
                hint="the sandbox refuses network, processes, native code and files outside its scratch directory",
            )
        return HarnessInputError(
            f"{self.tgt.display}:{err.line or 1}: error: the module does not load in the sandbox: {err.type}: {err.message}",
            hint="it must import from its project, the --path folders or the installed packages, and define the function",
        )

    def judge(self, inputs: Mapping[str, Any], out: CallOutcome, source: str) -> Failure | None:
        tgt = self.tgt
        shown = show_args(self.signature["params"], inputs)
        base = {"inputs": dict(inputs), "param_order": self.names, "file": tgt.display, "source": source,
                "types": self.types, "return_types": self.return_types}
        err = out.error
        if out.status == CallStatus.VIOLATION:
            line = err.line if err and err.line else tgt.line
            attempted = out.violations[0] if out.violations else (err.attempted if err else "a forbidden operation")
            raise _Abort(SandboxViolation(
                f"{tgt.display}:{line}: error: sandbox violation: {tgt.function} attempted {attempted} for {shown}",
                attempted=attempted or "",
                hint="the function under test may not use the network, start processes, load native code or "
                     "touch files outside its scratch directory",
            ))
        if out.status == CallStatus.BAD_INPUT:
            raise _Abort(HarnessInputError(
                f"{tgt.display}:{tgt.line}: error: {tgt.function} cannot be called with the spec's arguments: "
                f"{err.message if err else 'bad input'}",
                hint="the function is called positionally with the spec's parameters, in order",
            ))
        if out.status == CallStatus.NOT_RUN:
            raise _Abort(HarnessInputError(f"{tgt.display}:1: error: the module did not load: {err.message if err else ''}"))
        if out.status == CallStatus.RAISED:
            assert err is not None
            said = f": {err.message}" if err.message else ""
            return Failure(kind="raised", message=f"raised {err.type}{said}", line=err.line or tgt.line,
                           detail=err.traceback, **base)
        if out.status == CallStatus.TIMEOUT:
            return Failure(kind="timeout", message=f"did not return within {self.deadline * 1000:g} ms",
                           line=tgt.line, detail=err.message if err else "", **base)
        if out.status == CallStatus.CRASHED:
            return Failure(kind="crashed", message=f"crashed the sandbox child ({err.message if err else 'no detail'})",
                           line=tgt.line, detail=err.message if err else "", **base)
        returned = out.result()
        raw_after = list(out.args_after.values())
        if len(raw_after) != len(self.names):
            raise _Abort(HarnessInputError(f"{tgt.display}:{tgt.line}: error: cannot match the parameters of "
                                           f"{tgt.function} to the spec's {', '.join(self.names)}"))
        after = {n: decode(v) for n, v in zip(self.names, raw_after, strict=True)}
        try:
            verdict = check_call(self.signature, dict(inputs), returned, after, self.preds.ensures, self.skip)
        except Exception as exc:
            if self.not_executable and isinstance(exc, self.not_executable):
                raise _Abort(HarnessInputError(f"{self.spec.source or '<spec>'}: error: {exc}")) from None
            raise
        if verdict is None:
            return None
        kind, message, clauses, _ = verdict
        if len(self.spec.returns) > 1 and isinstance(returned, list):
            returned = tuple(returned)
        modified = {n: after[n] for n in self.spec.modified if n in after}
        return Failure(kind=kind, message=message, line=tgt.line, returned=returned,
                       has_return=bool(self.spec.returns) or returned is not None, after=modified or None,
                       clauses=tuple(clauses), **base)

    # -- phases ------------------------------------------------------------------------
    def run_examples(self) -> list[Failure]:
        """The spec's examples, in one batch (they are the inputs the author cared about)."""
        assert self.worker is not None
        examples = [ex for ex in self.spec.examples if self._meets_requires(ex.args)]
        self.emit("examples")
        if not examples:
            return []
        batch = self.worker.run([{"$args": [encode(ex.args[n]) for n in self.names]} for ex in examples])
        if batch.load_error is not None:
            raise self._load_failed(batch)
        failures = []
        for ex, out in zip(examples, batch.calls, strict=True):
            self.examples_run += 1
            try:
                failure = self.judge(ex.args, out, f"examples[{ex.index}]")
            except _Abort as abort:
                raise abort.error from None
            if failure is not None:
                failures.append(failure)
        return failures

    def _adopt(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """Stored inputs come back from JSON with datatype values as {"$dataclass": ...};
        rebuilt in the predicates' classes, they reach the function as drawn ones do."""
        classes = self.preds.namespace.get("_CLASSES")
        return self.preds.namespace["_adopt"](dict(inputs), classes) if classes else inputs

    def run_stored(self, database: FailureDB, key: FailureKey) -> list[Failure]:
        """Replay the failures stored by earlier runs: one per bug is reported (and that
        bug is not searched again); a stored input that passes now is forgotten."""
        found: dict[tuple[Any, ...], Failure] = {}
        for stored in database.fetch(key, self.names):
            inputs = self._adopt(stored)
            if not self._meets_requires(inputs):
                database.delete(key, inputs, self.names)
                continue
            try:
                failure = self.judge(inputs, self.call(inputs), "database")
            except _Abort as abort:
                raise abort.error from None
            if failure is None:
                database.delete(key, inputs, self.names)
            elif failure.signature not in found:
                found[failure.signature] = replace(failure, shrunk=True)
        self.known.update(found)
        return list(found.values())

    def _meets_requires(self, args: Mapping[str, Any]) -> bool:
        try:
            return bool(self.preds.pre(dict(args)))
        except Exception:
            return False

    def run_generated(self, strategy: Any, seed: int, stats: FilterStats) -> Failure | None:
        @settings(
            max_examples=self.max_examples,
            deadline=None,
            database=None,
            phases=(Phase.generate, Phase.shrink),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
            verbosity=Verbosity.quiet,
            report_multiple_bugs=False,
            print_blob=False,
        )
        @given(strategy)
        def prop(inputs: dict[str, Any]) -> None:
            self.check(inputs)

        test = hypothesis_seed(seed)(prop)
        self.emit("generating")
        try:
            test()
        except _Found as found:
            return self._finish(found.failure)
        except _Abort as abort:
            raise abort.error from None
        except (FailedHealthCheck, Unsatisfiable) as exc:
            raise self._no_inputs(stats, str(exc).splitlines()[0]) from None
        except Flaky:
            if self.last_failure is not None:
                return self._finish(self.last_failure)
            raise
        if self.spec.params and self.generated_run == 0:
            raise self._no_inputs(stats, "")
        if stats.rejected > 9 * self.generated_run and self.generated_run < max(1, self.max_examples // 10):
            raise self._no_inputs(stats, "")
        return None

    def next_pass(self, found: Failure) -> None:
        """Look for another bug: `found`'s kind of failure now counts as passing."""
        self.known.add(found.signature)
        self.first_failure_at = None
        self.last_failure = None

    def _finish(self, failure: Failure) -> Failure:
        spent = time.monotonic() - (self.first_failure_at or time.monotonic())
        return replace(failure, shrunk=spent <= self.shrink_seconds)

    def check(self, inputs: dict[str, Any]) -> None:
        key = json.dumps([encode(inputs[n]) for n in self.names], sort_keys=True, default=repr)
        if key in self.cache:
            failure = self.cache[key]
        elif self.first_failure_at is not None and time.monotonic() - self.first_failure_at > self.shrink_seconds:
            return  # shrink budget spent: settle on the smallest failure seen so far
        else:
            out = self.call(inputs)
            failure = self.judge(inputs, out, "generated")
            self.cache[key] = failure
            if self.first_failure_at is None:
                self.generated_run += 1
                if self.generated_run % 10 == 0:
                    self.emit("generating")
            else:
                self.shrink_steps += 1
                if self.shrink_steps % 10 == 0:
                    self.emit("shrinking")
        if failure is not None and failure.signature not in self.known:
            if self.first_failure_at is None:
                self.first_failure_at = time.monotonic()
                self.emit("shrinking")
            self.last_failure = failure
            raise _Found(failure)

    def _no_inputs(self, stats: FilterStats, detail: str) -> HarnessInputError:
        spec = self.spec
        first = spec.requires[0] if spec.requires else None
        where = f"{first.span.file or spec.source or '<spec>'}:{first.span.line}:{first.span.col}" if first else (spec.source or "<spec>")
        tried = f"{stats.rejected} generated input(s) rejected, {self.generated_run} accepted"
        diag = diagnose_requires(spec)
        if diag.status == "unsat":
            scope = "no input meets it" if diag.exact else f"no input with collections of up to {diag.max_size} elements meets it"
            return HarnessInputError(
                f"{where}: error: requires is unsatisfiable: z3 proves {scope} ({tried}); nothing can be tested",
                hint="fix the requires clauses of the spec: together they contradict each other",
            )
        if diag.status == "sat":
            example = ", ".join(f"{k}={show(v, self.types.get(k))}" for k, v in (diag.witness or {}).items())
            return HarnessInputError(
                f"{where}: error: requires rejects nearly every generated input ({tried}), although it is "
                f"satisfiable (z3: {example}); a test on so few inputs would pass vacuously",
                hint="state the precondition in shapes the generator builds directly (bounds like 0 <= x < 100, "
                     "|xs| > 0, sortedness, x in xs, x == E; see docs/harness.md)",
            )
        extra = f" ({detail})" if detail else ""
        return HarnessInputError(
            f"{where}: error: no generated input meets requires ({tried}){extra}; z3 could not decide "
            f"whether it is satisfiable: {diag.reason}",
            hint="check that requires is satisfiable, and state it in shapes the generator builds directly "
                 "(see docs/harness.md)",
        )
