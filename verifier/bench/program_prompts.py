"""The messages of a whole-program task, from the `program_*.j2`, `dafnybench_task.j2`
and `vericoding_task.j2` templates. Changing a template changes what a finished record
means, hence `PROGRAM_PROMPT_VERSION` in the run manifest."""

from __future__ import annotations

from collections.abc import Sequence

from verifier import prompting
from verifier.bench.program_tasks import Benchmark, ProgramTask
from verifier.llm import Message
from verifier.results import Diagnostic

PROGRAM_PROMPT_VERSION = 1
MAX_FEEDBACK = 12


def _render(template: str, **values: object) -> str:
    return prompting.render(template, **values).strip() + "\n"


def task_messages(task: ProgramTask, *, dafny_version: str = "2.3") -> list[Message]:
    template = "dafnybench_task.j2" if task.benchmark is Benchmark.DAFNYBENCH else "vericoding_task.j2"
    return [
        Message("system", _render("program_system.j2", dafny_version=dafny_version)),
        Message("user", _render(template, program=task.program.strip("\n"),
                                description=task.description.strip())),
    ]  # fmt: skip


def repair_message(diagnostics: Sequence[Diagnostic], *, attempt: int, attempts: int) -> Message:
    shown = list(diagnostics[:MAX_FEEDBACK])
    return Message("user", _render(
        "program_repair.j2", diagnostics=shown, more=max(0, len(diagnostics) - len(shown)),
        attempt=attempt, attempts=attempts,
    ))  # fmt: skip
