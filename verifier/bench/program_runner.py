"""Running a model over whole-program Dafny tasks (DafnyBench, vericoding).

The unit of work is `run_unit(WorkUnit, llm=..., checker=..., config=...)`: a plain
function of a typed task record and a sample index that returns the finished record, so
any executor (a thread pool here, a cluster scheduler elsewhere) can run it. A record is
PASSED only when (1) the task's contract is unchanged on a parse, (2) the real Dafny with
the audit says VERIFIED and (3) for DafnyBench, DafnyBench's own rule holds too.

Whether a task can be checked on this toolchain at all is decided before and apart from
any reply (`precheck`), from the task's own text: tasks whose text Dafny here cannot
parse or resolve (`needs_newer_dafny`), that the audit's grammar cannot read
(`task_unparsable`), whose fixed parts the audit refuses (`task_unsound`), whose known
solution does not verify here (`reference_fails`), and Lean tasks (`not_routed`) are
counted apart, never as model failures, and cost no model call.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from verifier.bench import dafny_program
from verifier.bench.dafny_contract import Change, ContractParseError, contract_changes, declarations
from verifier.bench.program_prompts import repair_message, task_messages
from verifier.bench.program_record import (
    AttemptLine,
    Spent,
    Status,
    TaskFacts,
    UnitRecord,
)
from verifier.bench.program_tasks import Benchmark, Language, ProgramTask
from verifier.errors import VerifierCrashed
from verifier.llm import LLM, Message
from verifier.results import CheckResult, Diagnostic, Severity, Verdict

DAFNY_BAD_INPUT = frozenset({"parse", "resolution"})
AUDIT_KINDS = frozenset({"unsound", "unknown-construct", "include"})


class Checker(Protocol):
    """What a unit needs of a backend (DafnyBackend.check)."""

    def check(
        self, source: str, *, timeout: float = 60, filename: str | None = None
    ) -> CheckResult: ...


@dataclass(frozen=True)
class UnitConfig:
    attempts: int = 1
    timeout: float = 60.0
    temperature: float = 0.0
    max_tokens: int = 4096
    dafny_version: str = "2.3"


@dataclass(frozen=True)
class WorkUnit:
    task: ProgramTask
    sample: int


@dataclass(frozen=True)
class Precheck:
    status: Status | None  # None: the task can be scored
    reason: str = ""


def task_digest(task: ProgramTask) -> str:
    payload = "\0".join((task.program, task.reference or ""))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _first_error(result: CheckResult, kinds: frozenset[str]) -> Diagnostic | None:
    return next((d for d in result.diagnostics if d.kind in kinds), None)


def _where(d: Diagnostic) -> str:
    return f"line {d.line}: {d.message}" if d.line else d.message


def precheck(task: ProgramTask, checker: Checker, timeout: float) -> Precheck:
    """Can this task be scored here? Decided from the task alone (module docstring)."""
    if task.language is not Language.DAFNY:
        return Precheck(
            Status.NOT_ROUTED,
            "Lean vericoding tasks are loaded but not routed yet (the Lean trusted "
            "checker is being rebuilt)",
        )
    dafnybench = task.benchmark is Benchmark.DAFNYBENCH
    text = task.reference if dafnybench and task.reference else task.program
    text = dafny_program.with_dafnybench_helper(text) if dafnybench else text
    result = _checked(checker, text, timeout, f"{task.task_id}.dfy")
    bad = _first_error(result, DAFNY_BAD_INPUT)
    if bad is not None:
        return Precheck(Status.NEEDS_NEWER_DAFNY, f"Dafny {result.toolchain_version}: {_where(bad)}")
    try:
        declarations(dafny_program.contract_source(task))
    except ContractParseError as exc:
        return Precheck(Status.TASK_UNPARSABLE, f"the audit cannot read the task: {exc}")
    own = range(0) if dafnybench else dafny_program.stub_lines(task)
    refused = [
        d for d in result.diagnostics
        if d.kind in AUDIT_KINDS and d.severity == Severity.ERROR and d.line not in own
    ]  # fmt: skip
    if refused:
        what = "its known solution" if dafnybench else "its fixed parts"
        return Precheck(Status.TASK_UNSOUND, f"the audit refuses {what}: {_where(refused[0])}")
    if dafnybench and task.reference and result.verdict is not Verdict.VERIFIED:
        first = next((d for d in result.diagnostics if d.severity == Severity.ERROR), None)
        return Precheck(
            Status.REFERENCE_FAILS,
            f"the ground truth is {result.verdict} here"
            + (f" ({_where(first)})" if first else ""),
        )
    return Precheck(None)


def _checked(checker: Checker, source: str, timeout: float, filename: str) -> CheckResult:
    started = time.monotonic()
    try:
        return checker.check(source, timeout=timeout, filename=filename)
    except VerifierCrashed as exc:  # a failed check, never a proof
        return CheckResult(
            Verdict.UNKNOWN, (Diagnostic("crash", str(exc)),), seconds=time.monotonic() - started
        )


def _change_diagnostics(found: Sequence[Change]) -> list[Diagnostic]:
    return [
        Diagnostic("contract-changed", f"{c}; keep it exactly as the task states it",
                   severity=Severity.ERROR, line=c.line)
        for c in found
    ]  # fmt: skip


def task_facts(task: ProgramTask) -> TaskFacts:
    return TaskFacts(task.task_id, str(task.benchmark), str(task.language), task.source,
                     task.difficulty, task_digest(task))  # fmt: skip


@dataclass
class _Attempt:
    """What one reply came to."""

    program: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    verdict: Verdict | None = None
    rule: dafny_program.DafnyBenchRule | None = None
    contract_kept: bool = False
    passed: bool = False


def judge_reply(task: ProgramTask, reply: str, checker: Checker, timeout: float) -> _Attempt:
    """Contract on a parse first (no Dafny time for a changed contract), then Dafny."""
    code = dafny_program.reply_code(reply)
    if code is None:
        missing = Diagnostic("no-program", "the reply holds no Dafny program", severity=Severity.ERROR)
        return _Attempt(diagnostics=(missing,))
    built = dafny_program.candidate(task, code)
    try:
        found = contract_changes(built.contract, built.program, open_bodies=built.open_bodies)
    except ContractParseError as exc:
        parse = Diagnostic("parse", f"the program cannot be read: {exc}", severity=Severity.ERROR)
        return _Attempt(program=built.program, diagnostics=(parse,))
    if found:
        return _Attempt(program=built.program, diagnostics=tuple(_change_diagnostics(found)))
    result = _checked(checker, built.program, timeout, f"{task.task_id}.dfy")
    attempt = _Attempt(built.program, result.diagnostics, result.verdict, contract_kept=True)
    verified = result.verdict is Verdict.VERIFIED
    if task.benchmark is Benchmark.DAFNYBENCH:
        attempt.rule = dafny_program.dafnybench_rule(task.program, code, verified=verified)
        if verified and not attempt.rule.passed:
            attempt.diagnostics += (Diagnostic(
                "dafnybench-rule", "DafnyBench's harness refuses this program (its requires/"
                "ensures lines differ from the task's, or it says `assume false` or "
                "`{:verify false}`)", severity=Severity.ERROR),)  # fmt: skip
    attempt.passed = verified and (attempt.rule is None or attempt.rule.passed)
    return attempt


def _line(number: int, attempt: _Attempt) -> AttemptLine:
    errors = [d for d in attempt.diagnostics if d.severity == Severity.ERROR]
    return AttemptLine(
        number, attempt.passed, attempt.verdict, attempt.contract_kept,
        attempt.rule.passed if attempt.rule else None,
        f"{errors[0].kind}: {errors[0].message[:200]}" if errors else None,
    )  # fmt: skip


def run_unit(
    unit: WorkUnit,
    *,
    llm: LLM,
    checker: Checker,
    config: UnitConfig,
    clock: Callable[[], float] = time.monotonic,
) -> UnitRecord:
    """One task and sample, start to finish: the record to store (module docstring)."""
    task = unit.task
    facts = task_facts(task)
    gate = precheck(task, checker, config.timeout)
    if gate.status is not None:
        return UnitRecord(facts, unit.sample, gate.status, reason=gate.reason)
    messages: list[Message] = task_messages(task, dafny_version=config.dafny_version)
    spent = Spent()
    attempt, passed_at, used = _Attempt(), None, 0
    history: list[AttemptLine] = []
    for used in range(1, config.attempts + 1):
        started = clock()
        completion = llm.complete(
            messages, temperature=config.temperature, max_tokens=config.max_tokens,
            sample_index=unit.sample,
        )  # fmt: skip
        llm_seconds = completion.seconds or clock() - started
        started = clock()
        attempt = judge_reply(task, completion.content, checker, config.timeout)
        spent = Spent(
            spent.llm_seconds + llm_seconds, spent.check_seconds + clock() - started,
            spent.input_tokens + completion.input_tokens,
            spent.output_tokens + completion.output_tokens,
        )  # fmt: skip
        history.append(_line(used, attempt))
        if attempt.passed:
            passed_at = used
            break
        messages = [*messages, Message("assistant", completion.content),
                    repair_message(attempt.diagnostics, attempt=used, attempts=config.attempts)]
    return UnitRecord(
        facts, unit.sample, Status.PASSED if passed_at else Status.FAILED,
        passed_at_attempt=passed_at, attempts=used, verdict=attempt.verdict,
        contract_kept=attempt.contract_kept, dafnybench_rule=attempt.rule,
        history=tuple(history), program=attempt.program, diagnostics=attempt.diagnostics,
        spent=spent,
    )  # fmt: skip
