"""One run of `run_unit` over many tasks into one resumable results directory.

Every finished unit is a record on disk before the next one is counted, and a key with a
record is never worked on again, so an interrupted run resumes where it stopped. With
one job the model sees requests in a fixed order (task by task, sample by sample), which
is what lets a recorded session replay a run; more jobs run units on a thread pool. The
scheduling is this module's only job: `run_unit` is the work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from verifier.bench.program_runner import Checker, UnitConfig, WorkUnit, run_unit, task_digest
from verifier.bench.program_tasks import ProgramTask
from verifier.bench.store import RecordKey, ResultsError, ResultsStore
from verifier.llm import LLM


@dataclass(frozen=True)
class ProgramRunOutcome:
    records: tuple[Mapping[str, Any], ...]
    new_records: int
    resumed_records: int
    expected_records: int

    @property
    def complete(self) -> bool:
        return len(self.records) >= self.expected_records


def pending_units(
    tasks: Sequence[ProgramTask], k: int, store: ResultsStore
) -> tuple[list[WorkUnit], int]:
    """Units without a record, and how many have one; a changed task is refused."""
    todo, resumed = [], 0
    for task in tasks:
        for sample in range(k):
            record = store.get(RecordKey(task.task_id, sample))
            if record is None:
                todo.append(WorkUnit(task, sample))
                continue
            if record.get("task_sha256") != task_digest(task):
                raise ResultsError(
                    f"task {task.task_id} changed since its results were recorded",
                    hint="use a new --out directory for the changed data",
                )
            resumed += 1
    return todo, resumed


def run_program_tasks(
    tasks: Sequence[ProgramTask],
    *,
    k: int,
    llm: LLM,
    checker: Checker,
    store: ResultsStore,
    config: UnitConfig,
    jobs: int = 1,
    on_record: Callable[[Mapping[str, Any]], None] = lambda record: None,
) -> ProgramRunOutcome:
    todo, resumed = pending_units(tasks, k, store)
    written: list[str] = []  # list.append is atomic: a count shared by the threads

    def work(unit: WorkUnit) -> None:
        record = store.append(run_unit(unit, llm=llm, checker=checker, config=config).as_json())
        written.append(unit.task.task_id)
        on_record(record)

    if jobs == 1:
        for unit in todo:
            work(unit)
    else:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="bench") as pool:
            for future in [pool.submit(work, unit) for unit in todo]:
                future.result()
    wanted = {t.task_id for t in tasks}
    records = tuple(r for r in store if r["task"] in wanted and int(r["sample"]) < k)
    return ProgramRunOutcome(records, len(written), resumed, len(tasks) * k)
