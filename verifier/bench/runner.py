"""Running a model over FVAPPS tasks with the real Lean as the judge.

Per task, its own spec is checked once first: a spec that does not elaborate on the
toolchain in use is `spec_incompatible` (counted apart, the model is not asked). Per task
and sample: stage 1 asks for the definitions and checks them with the unit
tests; stage 2 proves each theorem on its own against the definitions that passed,
checking each proof with the statement fixed by the task. A theorem counts as proved only
when the checker says VERIFIED for the file and for that theorem's obligation: a `sorry`,
an axiom, a changed statement or any doubt leaves it unproved.

Every finished unit is a record in the results store before the next one starts, and a
record's key is never worked on again, so an interrupted run resumes where it stopped.
Clock, model and checker are injected; with one job the model sees requests in a fixed
order (task by task, sample by sample, definitions then theorems in file order), which
is what lets a recorded session replay a run.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from verifier.bench import lean_source, prompts
from verifier.bench.fvapps_data import FvappsTask
from verifier.bench.lean_source import SpecParts, SpecSplitError
from verifier.bench.spec_check import SpecCheck, SpecStatus, judge_spec
from verifier.bench.store import RecordKey, ResultsError, ResultsStore
from verifier.errors import BudgetExhausted, VerifierCrashed
from verifier.llm import LLM, Completion, Message
from verifier.results import CheckResult, Diagnostic, Severity, ToolchainInfo, Verdict

log = logging.getLogger(__name__)

TOOLCHAIN_MISMATCH = "toolchain-mismatch"
SPEC_INCOMPATIBLE_KIND = "spec-incompatible"
MAX_RECORDED_DIAGNOSTICS = 20


class TaskChecker(Protocol):
    """What the harness needs from a backend (the Lean backend's `check` for a task's own
    spec, `check_task` for the model's answers)."""

    def check(self, source: str, *, timeout: float = 300) -> CheckResult: ...

    def check_task(
        self, source: str, *, task: str, timeout: float = 600, units: str | None = None
    ) -> CheckResult: ...


@dataclass(frozen=True)
class RunConfig:
    k: int = 1
    attempts: int = 1
    jobs: int = 1
    timeout: float = 600.0
    temperature: float = 0.0
    max_tokens: int = 4096
    token_budget: int | None = None  # input + output tokens of new replies, this invocation
    time_budget: float | None = None  # seconds of this invocation

    def __post_init__(self) -> None:
        for name in ("k", "attempts", "jobs"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")


@dataclass(frozen=True)
class RunEvent:
    """A record just written (`resumed` False) or found from an earlier run (True)."""

    record: Mapping[str, Any]
    resumed: bool


@dataclass(frozen=True)
class RunOutcome:
    records: tuple[Mapping[str, Any], ...]
    new_records: int
    resumed_records: int
    expected_records: int
    stopped: str | None = None  # why the run ended early (a budget), None when complete

    @property
    def complete(self) -> bool:
        return self.stopped is None and len(self.records) >= self.expected_records


@dataclass
class _Budget:
    config: RunConfig
    clock: Callable[[], float]
    started: float = 0.0
    tokens: int = 0
    stopped: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self) -> None:
        with self.lock:
            if self.stopped is None:
                limit = self.config.time_budget
                if limit is not None and self.clock() - self.started >= limit:
                    self.stopped = f"time budget of {limit:g} s spent"
                tokens = self.config.token_budget
                if tokens is not None and self.tokens >= tokens:
                    self.stopped = f"token budget of {tokens} spent"
            if self.stopped is not None:
                raise BudgetExhausted(self.stopped)

    def spend(self, completion: Completion) -> None:
        if not completion.cached:
            with self.lock:
                self.tokens += completion.input_tokens + completion.output_tokens


@dataclass
class _Attempts:
    """What a stage spent and saw across its attempts (for the record)."""

    used: int = 0
    llm_seconds: float = 0.0
    check_seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0

    def add_completion(self, completion: Completion, seconds: float) -> None:
        self.llm_seconds += completion.seconds or seconds
        self.input_tokens += completion.input_tokens
        self.output_tokens += completion.output_tokens

    def as_record(self) -> dict[str, Any]:
        return {
            "attempts": self.used,
            "llm_seconds": round(self.llm_seconds, 3),
            "check_seconds": round(self.check_seconds, 3),
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
        }


def spec_digest(task: FvappsTask) -> str:
    payload = "\0".join((task.spec, task.units))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _diagnostics_json(result: CheckResult | None, extra: Sequence[Diagnostic] = ()) -> list:
    diagnostics = [*extra, *(result.diagnostics if result else ())]
    return [
        {
            "kind": d.kind,
            "severity": str(d.severity),
            "line": d.line,
            "col": d.col,
            "message": d.message[:1000],
        }
        for d in diagnostics[:MAX_RECORDED_DIAGNOSTICS]
    ]


def _obligation(result: CheckResult, name: str) -> Verdict | None:
    """The verdict of the obligation called `name`; a namespaced `Ns.name` only when it is
    the one candidate, so two theorems of one short name can never stand in for each other."""
    exact = [o.verdict for o in result.obligations if o.name == name]
    if exact:
        return exact[0] if len(exact) == 1 else None
    qualified = [o.verdict for o in result.obligations if o.name.endswith("." + name)]
    return qualified[0] if len(qualified) == 1 else None


def is_toolchain_mismatch(result: CheckResult | None) -> bool:
    return result is not None and any(d.kind == TOOLCHAIN_MISMATCH for d in result.diagnostics)


NOTHING_TO_PROVE = "no theorem to check"


def definitions_pass(result: CheckResult, *, has_units: bool) -> bool:
    """Stage 1 passes when the whole file checks and, if there are units, they hold.

    A task without units leaves the checker nothing to prove in stage 1 (so no VERIFIED);
    its definitions pass only when Lean said nothing at all beyond that remark.
    """
    if has_units:
        return (
            result.verdict is Verdict.VERIFIED
            and _obligation(result, "units") is Verdict.VERIFIED
        )
    if result.verdict is Verdict.VERIFIED:
        return True
    remarks = [d for d in result.diagnostics if d.severity != Severity.INFO]
    return (
        result.verdict is Verdict.UNKNOWN
        and not result.obligations
        and any(NOTHING_TO_PROVE in d.message for d in remarks)
        and all(NOTHING_TO_PROVE in d.message for d in remarks)
    )


UNIT_UNCHECKED = "unit-unchecked"
UNIT_OBLIGATION_PREFIX = "unit "


def units_unchecked(result: CheckResult) -> bool:
    """Some units could not be checked on this toolchain (neither the unit nor its negation
    is decided there) and nothing else is wrong: no error, no doubt, no unit proved false,
    every other unit proved. A toolchain limit, never a pass and never the model's failure;
    anything more is a failure as before."""
    per_unit = [o for o in result.obligations if o.name.startswith(UNIT_OBLIGATION_PREFIX)]
    others = [o for o in result.obligations if o not in per_unit and o.name != "units"]
    remarks = [d for d in result.diagnostics if d.severity != Severity.INFO]
    return (
        result.verdict is Verdict.UNKNOWN
        and _obligation(result, "units") is Verdict.UNKNOWN
        and any(d.kind == UNIT_UNCHECKED for d in remarks)
        and all(d.kind in (UNIT_UNCHECKED, "warning") and d.severity == Severity.WARNING
                for d in remarks)
        and all(o.verdict is Verdict.VERIFIED for o in others)
        and all(o.verdict is Verdict.VERIFIED or o.detail == "unchecked" for o in per_unit)
    )  # fmt: skip


def units_checked(result: CheckResult | None) -> list[dict[str, Any]]:
    """How each unit was checked, for the record: `kernel`, `refuted`, `unchecked`, …"""
    if result is None:
        return []
    return [
        {"unit": int(o.name[len(UNIT_OBLIGATION_PREFIX):]), "how": o.detail, "verdict": str(o.verdict)}
        for o in result.obligations
        if o.name.startswith(UNIT_OBLIGATION_PREFIX) and o.name[len(UNIT_OBLIGATION_PREFIX):].isdigit()
    ]


def definitions_status(result: CheckResult, *, missing: bool, has_units: bool) -> str:
    """One attempt's outcome: `toolchain_mismatch` (whatever the reply), `passed`,
    `units_unchecked` (a toolchain limit: no repair round helps) or `failed`."""
    if is_toolchain_mismatch(result):
        return "toolchain_mismatch"
    if missing:
        return "failed"
    if definitions_pass(result, has_units=has_units):
        return "passed"
    return "units_unchecked" if units_unchecked(result) else "failed"


def theorem_proved(result: CheckResult, name: str) -> bool:
    """Proved only when the file and this theorem's own obligation are both VERIFIED."""
    return result.verdict is Verdict.VERIFIED and _obligation(result, name) is Verdict.VERIFIED


class FvappsRunner:
    """One run over a task list into one results directory (see module docstring)."""

    def __init__(
        self,
        *,
        llm: LLM,
        checker: TaskChecker,
        store: ResultsStore,
        config: RunConfig,
        toolchain: ToolchainInfo | None = None,
        on_event: Callable[[RunEvent], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.llm = llm
        self.checker = checker
        self.store = store
        self.config = config
        self.on_event = on_event or (lambda event: None)
        self.clock = clock
        self.lean_version = (toolchain.version if toolchain else None) or "4"
        self.mathlib = bool(toolchain and toolchain.details.get("mathlib"))
        self.toolchain_version = toolchain.version if toolchain else None
        self._spec_checks: dict[str, SpecCheck] = {}
        self._spec_locks: dict[str, threading.Lock] = {}
        self._budget = _Budget(config, clock)
        self._new = 0
        self._count_lock = threading.Lock()

    # -- public -------------------------------------------------------------------------

    def run(self, tasks: Sequence[FvappsTask]) -> RunOutcome:
        self._budget.started = self.clock()
        units = [(task, sample) for task in tasks for sample in range(self.config.k)]
        parts = {task.apps_id: _split(task) for task in tasks}
        expected = expected_records(tasks, self.config.k)
        resumed = 0
        for task, sample in units:
            for key in self._keys(task, sample, parts[task.apps_id]):
                record = self.store.get(key)
                if record is not None:
                    resumed += 1
                    self.on_event(RunEvent(record, resumed=True))
        try:
            if self.config.jobs == 1:
                for task, sample in units:
                    self._run_unit(task, sample, parts[task.apps_id])
            else:
                self._run_parallel(units, parts)
        except BudgetExhausted:
            pass
        wanted = {task.apps_id for task in tasks}
        records = tuple(
            r for r in self.store if r["task"] in wanted and int(r["sample"]) < self.config.k
        )
        return RunOutcome(
            records=records,
            new_records=self._new,
            resumed_records=resumed,
            expected_records=expected,
            stopped=self._budget.stopped,
        )

    # -- scheduling ---------------------------------------------------------------------

    def _run_parallel(
        self,
        units: Sequence[tuple[FvappsTask, int]],
        parts: Mapping[str, SpecParts | str],
    ) -> None:
        pool = ThreadPoolExecutor(max_workers=self.config.jobs, thread_name_prefix="fvapps")
        futures = [pool.submit(self._run_unit, task, s, parts[task.apps_id]) for task, s in units]
        try:
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
            if failed:
                self._budget.stopped = self._budget.stopped or "stopped after an error"
                pool.shutdown(wait=True, cancel_futures=True)
                errors = [f.exception() for f in failed]
                real = [e for e in errors if not isinstance(e, BudgetExhausted)]
                raise (real or errors)[0]  # type: ignore[misc]
        except BaseException:
            with self._budget.lock:
                self._budget.stopped = self._budget.stopped or "interrupted"
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _keys(self, task: FvappsTask, sample: int, parts: SpecParts | str) -> list[RecordKey]:
        keys = [RecordKey(task.apps_id, sample)]
        if isinstance(parts, SpecParts):
            keys += [RecordKey(task.apps_id, sample, name) for name in parts.theorem_names]
        return keys

    def _run_unit(self, task: FvappsTask, sample: int, parts: SpecParts | str) -> None:
        key = RecordKey(task.apps_id, sample)
        definitions = self.store.get(key)
        if definitions is None:
            definitions = self._write(self._definitions_record(task, sample, parts))
        elif definitions.get("spec_sha256") != spec_digest(task):
            raise ResultsError(
                f"task {task.apps_id} changed since its results were recorded",
                hint="use a new --out directory for the changed data",
            )
        if not isinstance(parts, SpecParts):
            return
        for name in parts.theorem_names:
            theorem_key = RecordKey(task.apps_id, sample, name)
            if self.store.done(theorem_key):
                continue
            if definitions["status"] == "passed":
                record = self._theorem_stage(task, sample, parts, definitions["code"], name)
            else:
                record = self._base(task, sample, name) | {
                    "kind": "theorem",
                    "status": "skipped",
                    "reason": f"definitions {definitions['status']}",
                    "proved_at_attempt": None,
                    "attempts": 0,
                }
            self._write(record)

    def _write(self, record: dict[str, Any]) -> dict[str, Any]:
        full = self.store.append(record)
        with self._count_lock:
            self._new += 1
        self.on_event(RunEvent(full, resumed=False))
        return full

    # -- the task's own spec -------------------------------------------------------------

    def _spec_check(self, task: FvappsTask) -> tuple[SpecCheck, float]:
        """The task's spec checked once per task (memoized, and taken from a definitions
        record of an earlier run when there is one); with the seconds spent on it now."""
        with self._count_lock:
            lock = self._spec_locks.setdefault(task.apps_id, threading.Lock())
        with lock:
            known = self._spec_checks.get(task.apps_id) or self._recorded_spec_check(task)
            spent = 0.0
            if known is None:
                started = self.clock()
                try:
                    result = self.checker.check(task.spec, timeout=self.config.timeout)
                except VerifierCrashed as exc:
                    known = SpecCheck(SpecStatus.UNDECIDED, reason=f"crash: {exc}")
                else:
                    known = judge_spec(result, task.spec)
                if known.toolchain_version is None:  # what a resumed run compares with
                    known = replace(known, toolchain_version=self.toolchain_version)
                spent = known.seconds or (self.clock() - started)
            if known.status is not SpecStatus.UNDECIDED:
                self._spec_checks[task.apps_id] = known
            return known, spent

    def _recorded_spec_check(self, task: FvappsTask) -> SpecCheck | None:
        digest = spec_digest(task)
        for sample in range(self.config.k):
            record = self.store.get(RecordKey(task.apps_id, sample))
            if record is None or record.get("spec_sha256") != digest:
                continue
            known = SpecCheck.from_record(record.get("spec_check"))
            if (
                known is not None
                and known.status is not SpecStatus.UNDECIDED
                and known.toolchain_version == self.toolchain_version
            ):
                return known
        return None

    def _definitions_record(
        self, task: FvappsTask, sample: int, parts: SpecParts | str
    ) -> dict[str, Any]:
        """Stage 1, unless the task's own spec does not elaborate on this toolchain: then
        the record says `spec_incompatible` with the spec's first error, and the model is
        not asked."""
        if not isinstance(parts, SpecParts):
            return self._spec_error_record(task, sample, parts)
        check, seconds = self._spec_check(task)
        if check.status is SpecStatus.INCOMPATIBLE:
            record = self._incompatible_record(task, sample, parts, check)
        else:
            record = self._definitions_stage(task, sample, parts)
        record["check_seconds"] = round(record["check_seconds"] + seconds, 3)
        return record | {"spec_check": check.as_record()}

    def _incompatible_record(
        self, task: FvappsTask, sample: int, parts: SpecParts, check: SpecCheck
    ) -> dict[str, Any]:
        assert check.error is not None
        version = check.toolchain_version or self.toolchain_version or "?"
        diagnostic = {
            "kind": SPEC_INCOMPATIBLE_KIND,
            "severity": str(Severity.ERROR),
            "line": check.error.line,
            "col": check.error.col,
            "message": (
                f"the task's own spec does not elaborate on this toolchain (Lean {version}), "
                f"whatever the answer: {check.error.describe()}"
            )[:1000],
        }
        return self._base(task, sample, None) | {"kind": "definitions"} | _Attempts().as_record() | {
            "status": "spec_incompatible",
            "passed_at_attempt": None,
            "theorems": list(parts.theorem_names),
            "code": "",
            "verdict": None,
            "units_verdict": None,
            "toolchain": check.toolchain,
            "toolchain_version": check.toolchain_version,
            "diagnostics": [diagnostic],
        }

    # -- stages -------------------------------------------------------------------------

    def _base(self, task: FvappsTask, sample: int, theorem: str | None) -> dict[str, Any]:
        return {
            "task": task.apps_id,
            "sample": sample,
            "theorem": theorem,
            "difficulty": task.difficulty,
            "assurance_level": task.assurance_level,
            "spec_sha256": spec_digest(task),
        }

    def _ask(self, messages: Sequence[Message], sample: int, spent: _Attempts) -> Completion:
        self._budget.check()
        started = self.clock()
        completion = self.llm.complete(
            messages,
            temperature=self.config.temperature,
            max_tokens=self.config.max_tokens,
            sample_index=sample,
        )
        spent.add_completion(completion, self.clock() - started)
        self._budget.spend(completion)
        return completion

    def _repaired(
        self, messages: list[Message], reply: str, **repair: Any
    ) -> list[Message]:
        """The conversation continued with the model's reply and a repair prompt built
        from Lean's messages (the same for both stages)."""
        prompt = prompts.repair_message(attempts=self.config.attempts, **repair)
        return [*messages, Message("assistant", reply), prompt]

    def _check(
        self, source: str, *, task: str, units: str | None, spent: _Attempts
    ) -> CheckResult:
        started = self.clock()
        try:
            result = self.checker.check_task(
                source, task=task, timeout=self.config.timeout, units=units
            )
        except VerifierCrashed as exc:  # counted as a failed check, never as a proof
            result = CheckResult(
                verdict=Verdict.UNKNOWN,
                diagnostics=(Diagnostic("crash", str(exc)),),
                seconds=self.clock() - started,
            )
        spent.check_seconds += result.seconds or (self.clock() - started)
        return result

    def _spec_error_record(self, task: FvappsTask, sample: int, reason: str) -> dict[str, Any]:
        return self._base(task, sample, None) | {"kind": "definitions"} | {
            "status": "spec_error",
            "theorems": [],
            "code": "",
            "passed_at_attempt": None,
            "diagnostics": [{"kind": "spec", "message": reason}],
        } | _Attempts().as_record()

    def _definitions_stage(self, task: FvappsTask, sample: int, parts: SpecParts) -> dict[str, Any]:
        base = self._base(task, sample, None) | {"kind": "definitions"}
        spent = _Attempts()
        messages = prompts.definitions_messages(
            task, parts, lean_version=self.lean_version, mathlib=self.mathlib
        )
        task_text = lean_source.definitions_task(parts)
        units = task.units.strip() or None
        status, passed_at, code = "failed", None, ""
        result: CheckResult | None = None
        extra: list[Diagnostic] = []
        for attempt in range(1, self.config.attempts + 1):
            completion = self._ask(messages, sample, spent)
            spent.used = attempt
            reply = lean_source.without_task_units(
                lean_source.extract_code(completion.content), task.units)
            code, source = lean_source.definitions_source(parts, reply)
            missing = lean_source.missing_definitions(parts, reply)
            extra = [
                Diagnostic(
                    "missing-definition",
                    f"the reply does not define {', '.join(missing)}",
                    severity=Severity.ERROR,
                )
                for _ in missing[:1]
            ]
            # Checked even when a definition is missing: whether the task can be checked
            # on this toolchain at all must not depend on the reply, or toolchain
            # mismatches would count against a model only when it fails.
            result = self._check(source, task=task_text, units=units, spent=spent)
            status = definitions_status(result, missing=bool(missing), has_units=units is not None)
            if status != "failed":
                passed_at = attempt if status == "passed" else None
                break
            if attempt < self.config.attempts:
                messages = self._repaired(
                    messages, completion.content, stage="definitions", theorem=None,
                    attempt=attempt, diagnostics=[*extra, *result.diagnostics], source=source,
                )
        return base | spent.as_record() | {
            "status": status,
            "passed_at_attempt": passed_at,
            "theorems": list(parts.theorem_names),
            "code": code,
            "verdict": str(result.verdict) if result else None,
            "units_verdict": (
                str(v) if result and (v := _obligation(result, "units")) else None
            ),
            "units_checked": units_checked(result),
            "toolchain": result.toolchain if result else None,
            "toolchain_version": result.toolchain_version if result else None,
            "diagnostics": _diagnostics_json(result, extra),
        }

    def _theorem_stage(
        self, task: FvappsTask, sample: int, parts: SpecParts, definitions: str, name: str
    ) -> dict[str, Any]:
        spent = _Attempts()
        messages = prompts.theorem_messages(
            parts, definitions, name, lean_version=self.lean_version, mathlib=self.mathlib
        )
        task_text = lean_source.theorem_task(parts, name)
        status, proved_at, proof = "failed", None, ""
        result: CheckResult | None = None
        for attempt in range(1, self.config.attempts + 1):
            completion = self._ask(messages, sample, spent)
            spent.used = attempt
            proof = lean_source.without_task_units(
                lean_source.extract_code(completion.content), task.units)
            source = lean_source.theorem_source(parts, definitions, proof, name)
            result = self._check(source, task=task_text, units=None, spent=spent)
            if is_toolchain_mismatch(result):
                status = "toolchain_mismatch"
                break
            if theorem_proved(result, name):
                status, proved_at = "proved", attempt
                break
            if attempt < self.config.attempts:
                messages = self._repaired(
                    messages, completion.content, stage="theorem", theorem=name,
                    attempt=attempt, diagnostics=result.diagnostics, source=source,
                )
        return self._base(task, sample, name) | spent.as_record() | {
            "kind": "theorem",
            "status": status,
            "proved_at_attempt": proved_at,
            "proof": proof,
            "verdict": str(result.verdict) if result else None,
            "obligation": (
                str(v) if result and (v := _obligation(result, name)) else None
            ),
            "toolchain": result.toolchain if result else None,
            "toolchain_version": result.toolchain_version if result else None,
            "diagnostics": _diagnostics_json(result),
        }


def expected_records(tasks: Sequence[FvappsTask], k: int) -> int:
    """Records a complete run writes: per sample, the definitions and each theorem."""
    parts = [_split(task) for task in tasks]
    return k * sum(1 + len(p.theorems) if isinstance(p, SpecParts) else 1 for p in parts)


def _split(task: FvappsTask) -> SpecParts | str:
    """The spec's parts, or the reason it cannot be split (recorded, not raised, so one odd
    spec does not stop a run over thousands)."""
    try:
        parts = lean_source.split_spec(task.spec)
    except SpecSplitError as exc:
        return str(exc)
    if not parts.theorems and not parts.definitions:
        return "the spec declares nothing"
    return parts
