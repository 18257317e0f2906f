"""The generate/repair loop: model → guard → quick test → verifier → feedback, until verified.

Each stage is cheaper than the next and can stop a candidate: the guard in microseconds
(no program, a changed contract, an escape hatch), the quick test in a fraction of a
second (a concrete counterexample), the verifier in seconds. Whatever stopped a candidate
becomes the next prompt. The verifier's verdict is the only way to VERIFIED, and only a
candidate the guard accepted ever reaches it.

What is specific to an intermediate language (prompts, guard, check, feedback) is the
route's (`Stages` here, `verifier.routes.open_route` makes one); the loop names no
language. The quick test runs when the route's guard produced a Python translation
(Dafny only, for now). The check stage is named after the route ("dafny", "lean").

With one candidate per round everything runs in order on one thread, so the model
receives the same requests in the same order on every run: a replay recording (or a
transcript of an earlier run) reproduces the session exactly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from verifier import cancel
from verifier.errors import BudgetExhausted, LLMError
from verifier.guard import GuardVerdict
from verifier.llm import LLM, Completion, Message
from verifier.prompting import (
    Feedback,
    FeedbackItem,
    approx_tokens,
    shown_errors,
)
from verifier.quicktest import QUICK_LIMITS, QuickTester, QuickTestResult, quick_inputs
from verifier.results import CheckResult, Verdict
from verifier.sandbox import shared_pool
from verifier.specs import model as m
from verifier.transcript import RESPONSE, Transcript
from verifier.translators.spec_python import compile_predicates

log = logging.getLogger(__name__)

# How far a candidate got: the stage an attempt stopped at. The route's check stage is
# named after the route ("dafny", "lean") and ranks between the quick test and verified.
_RANK = {"reply": 0, "guard": 1, "quicktest": 2, "verified": 4}
_CHECK_RANK = 3


@dataclass(frozen=True)
class Budgets:
    """Limits of one run. `restart_after` k: a fresh conversation after k failed repairs
    in a row (0: never). `temperature` None means 0 for one candidate per round (a
    deterministic, replayable run) and 0.8 for several (they should differ)."""

    attempts: int = 8
    candidates: int = 1
    restart_after: int = 3
    seconds: float = 900.0
    tokens: int | None = None
    check_timeout: float = 60.0
    quick_inputs: int = 50
    temperature: float | None = None
    max_tokens: int = 4096
    seed: int = 0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.candidates < 1:
            raise ValueError("attempts and candidates must be at least 1")

    @property
    def sampling_temperature(self) -> float:
        if self.temperature is not None:
            return self.temperature
        return 0.0 if self.candidates == 1 else 0.8


@dataclass(frozen=True)
class Attempt:
    """One candidate, how far it got, and what it cost. `stage` is where it stopped."""

    number: int
    round: int
    candidate: int
    stage: str
    verdict: Verdict
    reply: str
    program: str | None = None
    guard: GuardVerdict | None = field(default=None, repr=False)
    quicktest: QuickTestResult | None = None
    check: CheckResult | None = None
    feedback: Feedback | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.stage == "verified" and self.verdict == Verdict.VERIFIED

    @property
    def score(self) -> tuple[int, int, int]:
        """Higher is closer to a proof: later stage, then fewer verifier errors."""
        errors = len(self.check.errors) if self.check is not None else 0
        return _RANK.get(self.stage, _CHECK_RANK), -errors, -self.number


@dataclass(frozen=True)
class ReplyRecord:
    """What every attempt made from one model reply records, wherever it stops."""

    number: int
    round: int
    candidate: int
    reply: str
    input_tokens: int
    output_tokens: int
    timings: dict[str, float]  # filled in as the stages run

    def attempt(self, stage: str, verdict: Verdict, *, program: str | None,
                guard: GuardVerdict, quicktest: QuickTestResult | None = None,
                check: CheckResult | None = None, feedback: Feedback | None = None) -> Attempt:
        return Attempt(number=self.number, round=self.round, candidate=self.candidate,
                       stage=stage, verdict=verdict, reply=self.reply, program=program,
                       guard=guard, quicktest=quicktest, check=check, feedback=feedback,
                       input_tokens=self.input_tokens, output_tokens=self.output_tokens,
                       timings=self.timings)


@dataclass(frozen=True)
class Pending:
    """A reply that passed the guard and the quick test, waiting for the verifier."""

    record: ReplyRecord
    program: str | None  # never None once the guard passed
    guard: GuardVerdict
    quick: QuickTestResult | None
    tester: QuickTester | None


@dataclass(frozen=True)
class LoopResult:
    """A verified run: the winning attempt, every attempt, and the totals."""

    attempt: Attempt
    attempts: tuple[Attempt, ...]
    transcript: Transcript
    seconds: float
    input_tokens: int
    output_tokens: int
    restarts: int


class Stages(Protocol):
    """What the loop needs from a route (`verifier.routes.Route` is one): the loop is the
    same for every intermediate language, and everything language-specific is here.
    `name` is also the name of the check stage in attempts and transcripts."""

    name: str
    label: str  # how messages name the toolchain ("Dafny", "Lean")
    quick_test: bool  # whether candidates are run on concrete inputs before the check

    def initial(self) -> list[Message]:
        """The system and task messages of a fresh conversation."""
        ...

    def repair(self, feedback: Feedback) -> str:
        """The user message that asks for a fix."""
        ...

    def warm_up(self) -> None:
        """Get the toolchain ready (on a background thread, while the model writes)."""
        ...

    def guard(self, reply: str) -> GuardVerdict:
        """Extract the program from a reply; refuse it before any verifier time when it
        changes the spec or uses an escape hatch."""
        ...

    def check(self, programs: Sequence[str], timeout: float) -> list[CheckResult]:
        """The real toolchain's verdict on each program (order kept)."""
        ...

    def accept(self, result: CheckResult) -> CheckResult:
        """`result`, downgraded to UNKNOWN when VERIFIED does not cover the spec."""
        ...

    def feedback(self, result: CheckResult, program: str,
                 executed: Sequence[str | None] = ()) -> Feedback:
        """What the model is told about a failed check."""
        ...


class Loop:
    """One spec, one model, one route (which holds the backend). `run()` returns a
    `LoopResult` or raises `BudgetExhausted` (carrying the transcript, all attempts and
    the best one). Routes are made by `verifier.routes.open_route`."""

    def __init__(
        self,
        spec: m.Spec,
        llm: LLM,
        *,
        route: Stages,
        budgets: Budgets = Budgets(),
        transcript: Transcript | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = spec
        self.llm = llm
        self.route = route
        self.budgets = budgets
        self.transcript = transcript if transcript is not None else Transcript()
        self.clock = clock
        self.predicates = compile_predicates(spec)
        self.attempts: list[Attempt] = []
        self.input_tokens = 0
        self.output_tokens = 0
        self.restarts = 0
        self._started = 0.0
        self._quick_inputs: list[dict[str, Any]] | None = None
        self._inputs_lock = threading.Lock()

    def quick_inputs(self) -> list[dict[str, Any]]:
        """The examples plus one seeded draw, made once: every candidate meets the same
        inputs, which keeps feedback reproducible and the per-candidate cost at one
        sandbox batch."""
        with self._inputs_lock:
            if self._quick_inputs is None:
                self._quick_inputs = quick_inputs(self.spec, self.budgets.quick_inputs,
                                                  self.budgets.seed)
            return self._quick_inputs

    # ------------------------------------------------------------------ budget

    def _elapsed(self) -> float:
        return self.clock() - self._started

    def _exhausted(self) -> str | None:
        b = self.budgets
        if len(self.attempts) >= b.attempts:
            return f"no verified program after {len(self.attempts)} attempts"
        if self._elapsed() >= b.seconds:
            return f"the time budget of {b.seconds:g} s ran out after {len(self.attempts)} attempts"
        if b.tokens is not None and self.input_tokens + self.output_tokens >= b.tokens:
            return (f"the token budget of {b.tokens} ran out after {len(self.attempts)} attempts "
                    f"({self.input_tokens + self.output_tokens} tokens used)")
        return None

    def _give_up(self, reason: str) -> BudgetExhausted:
        best = max(self.attempts, key=lambda a: a.score) if self.attempts else None
        self.transcript.add("outcome", verified=False, reason=reason,
                            attempts=len(self.attempts), best=best.number if best else None,
                            input_tokens=self.input_tokens, output_tokens=self.output_tokens,
                            seconds=round(self._elapsed(), 3))
        return BudgetExhausted(
            f"{self.spec.name}: {reason}", transcript=self.transcript,
            attempts=list(self.attempts), best=best,
        )

    # ------------------------------------------------------------------ main

    def run(self) -> LoopResult:
        self._started = self.clock()
        b = self.budgets
        self.transcript.add(
            "session", spec=self.spec.name, method=self.spec.method, llm=self.llm.name,
            backend=self.route.name,
            budgets={k: getattr(b, k) for k in b.__dataclass_fields__},
        )
        # What the first candidate will need is made ready while the model writes it.
        if self.route.quick_test:
            threading.Thread(target=self._prepare_quick_test, daemon=True).start()
        if not self.llm.instant:  # a replay has no latency to hide in
            threading.Thread(target=self._warm_up_route, daemon=True).start()
        conversation = self.route.initial()
        failed_repairs = 0
        round_no = 0
        while (reason := self._exhausted()) is None:
            round_no += 1
            count = min(b.candidates, b.attempts - len(self.attempts))
            self._log_prompt(conversation, round_no)
            try:
                replies = self._ask(conversation, count)
            except LLMError as exc:
                self.transcript.add("llm-error", round=round_no, message=str(exc))
                raise self._give_up(f"the model provider failed: {exc.message}") from exc
            attempts = self._judge_round(round_no, replies)
            self.attempts.extend(attempts)
            winner = next((a for a in attempts if a.verified), None)
            if winner is not None:
                self.transcript.add("outcome", verified=True, attempt=winner.number,
                                    attempts=len(self.attempts),
                                    input_tokens=self.input_tokens,
                                    output_tokens=self.output_tokens,
                                    seconds=round(self._elapsed(), 3))
                return LoopResult(winner, tuple(self.attempts), self.transcript,
                                  self._elapsed(), self.input_tokens, self.output_tokens,
                                  self.restarts)
            best = max(attempts, key=lambda a: a.score)
            if len(conversation) > 2:  # this round answered a repair prompt
                failed_repairs += 1
            if b.restart_after and failed_repairs >= b.restart_after:
                self.restarts += 1
                failed_repairs = 0
                conversation = self.route.initial()
                self.transcript.add("restart", round=round_no, restarts=self.restarts)
                continue
            assert best.feedback is not None
            repair = self.route.repair(best.feedback)
            conversation = [*conversation, Message("assistant", best.reply),
                            Message("user", repair)]
        raise self._give_up(reason)

    def _warm_up_route(self) -> None:
        try:
            self.route.warm_up()
        except Exception as exc:  # the checks meet it again where it is handled
            log.debug("warming the %s route up failed: %s", self.route.name, exc)

    def _prepare_quick_test(self) -> None:
        try:
            shared_pool(QUICK_LIMITS)
            self.quick_inputs()
        except Exception as exc:  # the quick test meets it again where it is handled
            log.debug("preparing the quick test failed: %s", exc)

    # ------------------------------------------------------------------ stages

    def _log_prompt(self, conversation: list[Message], round_no: int) -> None:
        last = conversation[-1].content
        self.transcript.add(
            "prompt", round=round_no,
            messages=[{"role": x.role, "content": x.content} for x in conversation[-2:]]
            if len(conversation) > 2 else [{"role": x.role, "content": x.content}
                                            for x in conversation],
            turns=len(conversation), approx_tokens=approx_tokens(last),
            conversation_tokens=sum(approx_tokens(x.content) for x in conversation),
        )

    def _ask(self, conversation: list[Message], count: int) -> list[tuple[Completion, float]]:
        b = self.budgets

        def one(i: int) -> tuple[Completion, float]:
            t0 = time.monotonic()
            reply = self.llm.complete(conversation, temperature=b.sampling_temperature,
                                      max_tokens=b.max_tokens, sample_index=i)
            return reply, time.monotonic() - t0

        def ask() -> list[tuple[Completion, float]]:
            if count == 1:
                return [one(0)]
            with ThreadPoolExecutor(max_workers=count) as pool:
                return list(pool.map(one, range(count)))

        # A job cancelled while the model writes stops waiting at once (see verifier.cancel).
        return cancel.interruptible(ask)

    def _judge_round(self, round_no: int, replies: list[tuple[Completion, float]]) -> list[Attempt]:
        base = len(self.attempts)
        pending: list[Attempt | Pending] = []
        for i, (reply, model_seconds) in enumerate(replies):
            number = base + i + 1
            self.input_tokens += reply.input_tokens
            self.output_tokens += reply.output_tokens
            self.transcript.add(
                RESPONSE, content=reply.content, model=reply.model, attempt=number,
                round=round_no, candidate=i, input_tokens=reply.input_tokens,
                output_tokens=reply.output_tokens, finish_reason=reply.finish_reason,
            )
            pending.append(self._pre_checks(number, round_no, i, reply, model_seconds))
        to_check = [p for p in pending if isinstance(p, Pending)]
        checked: dict[int, Attempt] = {}
        if to_check:
            timeout = max(1.0, min(self.budgets.check_timeout,
                                   self.budgets.seconds - self._elapsed()))
            t0 = time.monotonic()
            results = self.route.check([p.program for p in to_check], timeout)
            wall = (time.monotonic() - t0) / len(to_check)
            for p, result in zip(to_check, results, strict=True):
                p.record.timings[self.route.name] = result.seconds or wall
                checked[p.record.number] = self._after_check(p, result)
        return [checked[p.record.number] if isinstance(p, Pending) else p for p in pending]

    def _pre_checks(self, number: int, round_no: int, index: int, reply: Completion,
                    model_seconds: float) -> Attempt | Pending:
        """Guard and quick test: the attempt when it stops here, else what the verifier needs."""
        timings = {"model": model_seconds}
        record = ReplyRecord(number, round_no, index, reply.content, reply.input_tokens,
                             reply.output_tokens, timings)
        t0 = time.monotonic()
        verdict = self.route.guard(reply.content)
        timings["guard"] = time.monotonic() - t0
        self.transcript.add(
            "guard", attempt=number, ok=verdict.ok,
            problems=[{"kind": p.kind, "message": p.message, "line": p.line}
                      for p in verdict.problems],
            completed=list(verdict.completed),
            seconds=round(timings["guard"], 4),
        )
        if not verdict.ok:
            stage = "reply" if verdict.program is None else "guard"
            items = [FeedbackItem(p.message, f"line {p.line}" if p.line else "")
                     for p in verdict.problems]
            if reply.finish_reason in ("length", "max_tokens"):
                items.insert(0, FeedbackItem("your reply was cut off at the output token limit; "
                                             "answer with the program only, without prose"))
            fb = Feedback(stage, tuple(items))
            return record.attempt(stage, Verdict.REFUTED, program=verdict.program, guard=verdict,
                                  feedback=fb)
        quick: QuickTestResult | None = None
        tester: QuickTester | None = None
        if verdict.translation is not None:
            tester = QuickTester(self.spec, verdict.translation, predicates=self.predicates)
            t0 = time.monotonic()
            try:
                quick = tester.run(self.quick_inputs())
            except Exception as exc:  # it can only refute, so skipping it is safe
                log.warning("quick test of attempt %d could not run: %s", number, exc)
                quick = QuickTestResult(False, 0, time.monotonic() - t0,
                                        notes=(f"could not run: {exc}",))
            timings["quicktest"] = time.monotonic() - t0
            failure = quick.failure
            self.transcript.add(
                "quicktest", attempt=number, refuted=quick.refuted, inputs=quick.inputs,
                failure=failure.message(self.spec.method) if failure else None,
                notes=list(quick.notes), seconds=round(timings["quicktest"], 4),
            )
            if failure is not None:
                clause = "; ".join(failure.failing) or None
                fb = Feedback("quicktest", (FeedbackItem(
                    failure.message(self.spec.method), clause=f"ensures {clause}" if clause else None,
                    counterexample=", ".join(f"{k}={v!r}" for k, v in failure.args.items())),))
                return record.attempt("quicktest", Verdict.REFUTED, program=verdict.program,
                                      guard=verdict, quicktest=quick, feedback=fb)
        return Pending(record, verdict.program, verdict, quick, tester)

    def _after_check(self, p: Pending, result: CheckResult) -> Attempt:
        number = p.record.number
        # defense in depth: VERIFIED must cover what the spec needs (the route knows what)
        result = self.route.accept(result)
        self.transcript.add(
            "check", attempt=number, backend=self.route.name, label=self.route.label,
            verdict=result.verdict.value,
            seconds=round(result.seconds, 4), cached=result.cached, toolchain=result.toolchain,
            toolchain_version=result.toolchain_version,
            obligations=[{"name": o.name, "verdict": o.verdict.value} for o in result.obligations],
            diagnostics=[{"kind": d.kind, "line": d.line, "col": d.col, "message": d.message}
                         for d in result.diagnostics[:20]],
        )
        if result.verdict == Verdict.VERIFIED and p.guard.ok:
            return p.record.attempt("verified", Verdict.VERIFIED, program=p.program,
                                    guard=p.guard, quicktest=p.quick, check=result)
        executed: list[str | None] = []
        tester = p.tester
        for d in shown_errors(result)[:2]:
            text = None
            if tester is not None and d.counterexample is not None and d.counterexample.inputs:
                try:
                    text = tester.describe(dict(d.counterexample.inputs))
                except Exception as exc:  # a model value we cannot run is only a hint
                    log.debug("could not execute the solver's counterexample: %s", exc)
            executed.append(text)
        fb = self.route.feedback(result, p.program, executed)
        return p.record.attempt(self.route.name, result.verdict, program=p.program,
                                guard=p.guard, quicktest=p.quick, check=result, feedback=fb)
