"""The quick test: run the candidate, translated to Python, before spending prover time.

A wrong candidate usually fails on small inputs, and running it in the sandbox gives a
concrete counterexample in a fraction of a second, where Dafny takes seconds and answers
with a line number. So each candidate that passes the guard is run on the spec's examples
and on inputs drawn from the spec's Hypothesis strategy; a returned value that breaks an
`ensures`, or a runtime error on inputs that satisfy `requires`, refutes it and Dafny is
not asked. Tests can refute, never verify: passing the quick test only earns a Dafny
call. Timeouts, crashes and deep recursion are inconclusive (slow but correct code
exists), so they never refute.

The spec's predicates are evaluated here, in-process: they are generated from the parsed
spec, not written by the model. Only the candidate runs in the sandbox.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.paths import cache_dir, write_atomic
from verifier.prompting import format_args, format_value
from verifier.sandbox import CallOutcome, CallStatus, PythonWorker, decode, encode, shared_pool
from verifier.sandbox.limits import Limits
from verifier.specs import model as m
from verifier.translators.dafny_to_python import PythonModule
from verifier.translators.spec_python import Predicates, compile_predicates

log = logging.getLogger(__name__)

QUICK_LIMITS = Limits(
    wall_seconds=20.0,
    cpu_seconds=20,
    memory_bytes=1 << 30,
    file_size_bytes=1 << 20,
    processes=16,
    open_files=64,
    output_bytes=1 << 20,
)
_INCONCLUSIVE_ERRORS = ("RecursionError", "MemoryError")
# The spec's predicates run in-process: a clause costs at most this much per input (an
# exponential helper is undecided past it), and a quick test stops judging after a few.
PREDICATE_SECONDS = 1.0
_MAX_OUT_OF_TIME = 3


@dataclass(frozen=True)
class QuickFailure:
    """A concrete input on which the candidate breaks its contract."""

    args: Mapping[str, Any]
    outcome: str  # "returned" | "raised"
    result: Mapping[str, Any] = field(default_factory=dict)
    failing: tuple[str, ...] = ()  # texts of the ensures clauses that are false
    error: str | None = None

    def message(self, method: str) -> str:
        call = f"for {format_args(dict(self.args))}"
        if self.outcome == "raised":
            return f"{call} {method} fails at run time: {self.error}"
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in self.result.items())
        clauses = ", ".join(f"'{c}'" for c in self.failing)
        plural = "s" if len(self.failing) > 1 else ""
        return f"{call} {method} returns {shown}, but ensures{plural} {clauses} fail{'' if plural else 's'}"


@dataclass(frozen=True)
class QuickTestResult:
    refuted: bool
    inputs: int  # inputs run
    seconds: float
    failure: QuickFailure | None = None
    notes: tuple[str, ...] = ()  # inconclusive outcomes (timeouts, crashes), for the record


def _size(value: Any) -> int:
    return len(repr(value))


def _inputs_strategy(spec: m.Spec) -> Any:
    """The property harness's strategy of valid inputs, when that module is installed."""
    try:
        from verifier.harness import inputs_strategy
    except ImportError:  # pragma: no cover - the harness ships with the package
        log.warning("verifier.harness is unavailable; the quick test uses the examples only")
        return None
    return inputs_strategy(spec)


def draw_inputs(spec: m.Spec, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` inputs from the spec's strategy, the same ones for the same seed (replays rely
    on the feedback, and so on these inputs, being reproducible)."""
    if n <= 0:
        return []
    strategy = _inputs_strategy(spec)
    if strategy is None:
        return []
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    drawn: list[dict[str, Any]] = []

    @hseed(seed)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(dict(value))

    collect()
    return drawn[:n]


class QuickTester:
    """Runs one translated candidate; `translation` is the compiler's `PythonModule`."""

    def __init__(
        self,
        spec: m.Spec,
        translation: PythonModule,
        *,
        predicates: Predicates | None = None,
        limits: Limits = QUICK_LIMITS,
        call_timeout: float = 2.0,
    ) -> None:
        self.spec = spec
        self.translation = translation
        self.predicates = predicates or compile_predicates(spec)
        self.limits = limits
        self.call_timeout = call_timeout
        self.function = translation.function(spec.method)
        self.slow_clauses = 0  # evaluations of the spec that ran out of time (PREDICATE_SECONDS)

    # ------------------------------------------------------------------ running

    def _pre(self, args: Mapping[str, Any]) -> bool:
        """`requires` holds; an input it cannot decide is skipped, never run."""
        if self.slow_clauses >= _MAX_OUT_OF_TIME:
            return False
        try:
            with self.predicates.budget(PREDICATE_SECONDS):
                return bool(self.predicates.pre(dict(args)))
        except Exception as exc:
            self.slow_clauses += self.predicates.out_of_time(exc)
            return False

    def _run(self, inputs: Sequence[Mapping[str, Any]]) -> list[CallOutcome]:
        calls = [{"$args": [encode(args[p.name]) for p in self.spec.params]} for args in inputs]
        with PythonWorker(
            module_source=self.translation.text,
            function=self.function.name,
            limits=self.limits,
            call_timeout=self.call_timeout,
            # a pre-booted jailed child: start-up would otherwise dominate the quick test
            pool=shared_pool(self.limits),
        ) as worker:
            batch = worker.run(calls)
        return list(batch.calls)

    def _result(self, outcome: CallOutcome) -> dict[str, Any]:
        """Out-parameters and modified arrays, by their Dafny names."""
        value = outcome.result()
        returns = self.spec.returns
        result: dict[str, Any] = {}
        if len(returns) == 1:
            result[returns[0].name] = value
        elif returns:
            for p, v in zip(returns, value or [], strict=False):
                result[p.name] = v
        by_py = {p.name: p.dafny_name for p in self.function.params}
        for py_name, after in outcome.args_after.items():
            name = by_py.get(py_name, py_name)
            if name in self.spec.modified:
                result[name] = decode(after)
        return result

    def judge(self, args: Mapping[str, Any], outcome: CallOutcome) -> QuickFailure | str | None:
        """A failure, a note (inconclusive), or None when the contract held."""
        if outcome.status == CallStatus.RETURNED:
            result = self._result(outcome)
            if self.slow_clauses >= _MAX_OUT_OF_TIME:
                return f"ensures not checked for {format_args(dict(args))}: the spec's predicates are too slow"
            try:
                with self.predicates.budget(PREDICATE_SECONDS):
                    failing = tuple(self.predicates.failing_ensures(dict(args), result))
            except Exception as exc:  # a clause the spec's predicates cannot execute (or in time)
                self.slow_clauses += self.predicates.out_of_time(exc)
                return f"ensures not checked for {format_args(dict(args))}: {exc}"
            if failing:
                shown = {k: v for k, v in result.items()}
                return QuickFailure(dict(args), "returned", shown, failing)
            return None
        if outcome.status == CallStatus.RAISED and outcome.error is not None:
            if outcome.error.type in _INCONCLUSIVE_ERRORS:
                return f"{outcome.error.type} for {format_args(dict(args))} (inconclusive)"
            text = f"{outcome.error.type}: {outcome.error.message}"
            if outcome.error.text:
                text += f" (in Python: `{outcome.error.text.strip()}`)"
            return QuickFailure(dict(args), "raised", error=text)
        what = outcome.error.message if outcome.error else outcome.status.value
        return f"{outcome.status.value} for {format_args(dict(args))}: {what} (inconclusive)"

    def run(self, inputs: Sequence[Mapping[str, Any]]) -> QuickTestResult:
        """Run every input that satisfies `requires`; report the smallest failure."""
        started = time.monotonic()
        valid = [dict(a) for a in inputs if self._pre(a)]
        if not valid:
            return QuickTestResult(False, 0, time.monotonic() - started)
        outcomes = self._run(valid)
        if outcomes and all(o.status == CallStatus.NOT_RUN for o in outcomes):
            # Nothing ran (the sandbox child did not start, or the module did not load):
            # say so once, with inputs=0, instead of one "inconclusive" note per input that
            # reads as if the candidate had been tested (it once hid a broken sandbox).
            err = outcomes[0].error
            why = f"{err.type}: {err.message}" if err else "the module did not load"
            log.warning("the quick test could not run the candidate: %s", why)
            return QuickTestResult(False, 0, time.monotonic() - started,
                                   notes=(f"could not run the candidate ({why}); inconclusive",))
        failures: list[QuickFailure] = []
        notes: list[str] = []
        for args, outcome in zip(valid, outcomes, strict=True):
            verdict = self.judge(args, outcome)
            if isinstance(verdict, QuickFailure):
                failures.append(verdict)
            elif isinstance(verdict, str):
                notes.append(verdict)
        failure = min(failures, key=lambda f: _size(f.args)) if failures else None
        return QuickTestResult(
            failure is not None, len(valid), time.monotonic() - started, failure, tuple(notes[:5])
        )

    def describe(self, inputs: Mapping[str, Any]) -> str | None:
        """Run the candidate on a solver model's inputs and say what really happens, so the
        model is shown executed facts rather than the solver's hints."""
        try:
            args = {p.name: inputs[p.name] for p in self.spec.params}
        except KeyError:
            return None
        if not self._pre(args):
            return None
        (outcome,) = self._run([args])
        verdict = self.judge(args, outcome)
        if isinstance(verdict, QuickFailure):
            return verdict.message(self.spec.method) + " (executed)"
        if verdict is None:
            shown = format_args(self._result(outcome))
            return (f"for {format_args(args)} the program returns {shown} and the ensures hold "
                    "when run, so the proof (invariants, assertions), not the code, is what fails")
        return None


def examples_inputs(spec: m.Spec) -> list[dict[str, Any]]:
    return [dict(ex.args) for ex in spec.examples]


def quick_inputs(spec: m.Spec, n: int, seed: int) -> list[dict[str, Any]]:
    """The examples, then `n` drawn inputs, without repeats (Hypothesis draws the same
    small input several times; running it again tells nothing).

    Drawing 50 inputs costs ~75 ms of Hypothesis engine time per spec, as much as the
    rest of a session's own work, so the draw is kept on disk, keyed by everything it
    depends on: reruns of a spec (and the demo, and CI) reuse it."""
    try:
        drawn = _cached_draw(spec, n, seed)
    except Exception as exc:  # e.g. a requires Hypothesis cannot satisfy
        log.warning("no generated quick-test inputs for %s (%s); using the examples only",
                    spec.name, exc)
        drawn = []
    unique: dict[str, dict[str, Any]] = {}
    for args in (*examples_inputs(spec), *drawn):
        unique.setdefault(json.dumps(encode(args, tag_tuples=True), sort_keys=True), args)
    return list(unique.values())


_DRAW_FORMAT = 1  # bump when what is stored (or how it is drawn) changes


def _draw_key(spec: m.Spec, n: int, seed: int) -> str | None:
    if spec.source is None:  # built in code: no stable text to key on
        return None
    text = json.dumps([_DRAW_FORMAT, spec.source, n, seed])
    return hashlib.sha256(text.encode() + _drawing_code()).hexdigest()


@functools.cache
def _drawing_code() -> bytes:
    """Versions and the strategy's own code: an edited strategy (in a checkout, between
    releases) never serves inputs it would no longer draw."""
    import hypothesis

    import verifier
    from verifier import harness

    code = b"".join(path.read_bytes() for path in sorted(
        Path(harness.__file__).parent.glob("*.py")))
    return f"{verifier.__version__} {hypothesis.__version__}".encode() + code


def _cached_draw(spec: m.Spec, n: int, seed: int) -> list[dict[str, Any]]:
    key = _draw_key(spec, n, seed) if n > 0 else None
    if key is None:
        return draw_inputs(spec, n, seed)
    path = cache_dir() / "quick-inputs" / f"{key}.json"
    names = {p.name for p in spec.params}
    try:
        items = json.loads(path.read_text())
        stored = [decode(item) for item in items]
        # exactly what was written: one value per parameter, each re-encoding as stored
        if all(isinstance(args, dict) and set(args) == names
               and encode(args, tag_tuples=True) == item
               for args, item in zip(stored, items, strict=True)):
            return stored
    except (OSError, ValueError, TypeError, AttributeError):
        pass  # absent or damaged: draw again
    drawn = draw_inputs(spec, n, seed)
    encoded = [encode(args, tag_tuples=True) for args in drawn]
    if [decode(args) for args in encoded] == drawn:  # store only what comes back equal
        try:
            write_atomic(path, json.dumps(encoded))
        except OSError as exc:  # a read-only cache only costs the next draw
            log.debug("could not keep the quick-test inputs: %s", exc)
    return drawn
