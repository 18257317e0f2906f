"""From a task and a model's reply to the Dafny program that is checked, and the rules
the benchmarks' own harnesses apply to it.

DafnyBench's harness (eval/utils.py of github.com/sun-wendy/DafnyBench) appends one
helper function to every program, counts a program as solved when Dafny prints
"verified, 0 errors", the lines holding `requires`/`ensures` are the task's (compared as
text without spaces) and the text has no `{:verify false}` nor `assume false`. That rule
is reproduced here exactly (`dafnybench_rule`), to be reported next to ours, which
decides on a parse (`dafny_contract`) and on the audit.

vericoding's tasks are sections; the model writes `vc-helpers` and `vc-code`. A reply
may be the whole program or only the new body (a `{ ... }` block); either way what is
checked is a whole program, and the contract is that of the task's fixed sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.bench.dafny_contract import CALLABLES, ContractParseError, declarations
from verifier.bench.program_tasks import Benchmark, ProgramTask, Section, join_sections
from verifier.routes.dafny_guard import extract_program, normalize_newlines

DAFNYBENCH_HELPER = "\nfunction abs(a: real) : real {if a>0.0 then a else -a}\n"


@dataclass(frozen=True)
class Candidate:
    program: str  # what Dafny checks
    contract: str  # the program whose contract must be kept
    open_bodies: tuple[str, ...]  # functions whose body the model writes


@dataclass(frozen=True)
class DafnyBenchRule:
    verified: bool  # Dafny said "verified, 0 errors" (read from our run of the same Dafny)
    spec_preserved: bool
    no_avoid_verify: bool

    @property
    def passed(self) -> bool:
        return self.verified and self.spec_preserved and self.no_avoid_verify


def _spec_lines(body: str) -> list[str]:
    """DafnyBench's `check_no_cheating` line scan, line for line."""
    lines, in_doc = [], False
    for line in body.split("\n"):
        if line.strip().startswith("/*"):
            in_doc = not in_doc
        is_comment = line.strip().startswith("//")
        if ("requires" in line or "ensures" in line) and not in_doc and not is_comment:
            lines.append(line.strip().replace(" ", ""))
        if line.strip().endswith("*/"):
            in_doc = not in_doc
    return lines


def dafnybench_rule(original: str, candidate: str, *, verified: bool) -> DafnyBenchRule:
    return DafnyBenchRule(
        verified=verified,
        spec_preserved=_spec_lines(original) == _spec_lines(candidate),
        no_avoid_verify="{:verify false}" not in candidate and "assume false" not in candidate,
    )


def with_dafnybench_helper(program: str) -> str:
    """The program as DafnyBench's harness checks it: its `abs` on reals appended, unless
    the program declares a top-level `abs` itself (which would then clash)."""
    try:
        top = {d.name for d in declarations(program) if not d.path}
    except ContractParseError:
        top = set()
    return program if "abs" in top else program + DAFNYBENCH_HELPER


def reply_code(reply: str) -> str | None:
    """The Dafny text of a reply: its last Dafny block (or a bare `{ ... }` body)."""
    code = extract_program(reply)
    if code is not None:
        return code
    text = normalize_newlines(reply).strip()
    return text + "\n" if text.startswith("{") and text.endswith("}") else None


def implemented(task: ProgramTask) -> tuple[str, ...]:
    """The callable whose body `vc-code` is: the last one declared in `vc-spec`."""
    spec = task.section("vc-spec") + "\n" + task.section("vc-code")
    try:
        found = [d for d in declarations(spec) if d.rule in CALLABLES]
    except ContractParseError:
        return ()
    return (found[-1].label,) if found else ()


def contract_source(task: ProgramTask) -> str:
    """DafnyBench: the ground truth states the contract (removing hints changed no
    contract, and in about 9 % of the published hints-removed files the removal left the
    program unparsable, e.g. a `calc` step without its closing brace); else the task."""
    if task.benchmark is Benchmark.DAFNYBENCH and task.reference:
        return task.reference
    return fixed_program(task) if task.sections else task.program


def fixed_program(task: ProgramTask) -> str:
    """The task's program without the sections the model writes over (its helpers)."""
    return join_sections([s for s in task.sections if s.name != "vc-helpers"])


def candidate(task: ProgramTask, code: str) -> Candidate:
    if task.benchmark is Benchmark.DAFNYBENCH:
        return Candidate(with_dafnybench_helper(code), contract_source(task), ())
    opened = implemented(task)
    program = code
    if code.lstrip().startswith("{"):  # only the body: put it in place of the stub
        parts = [
            Section(s.name, code if s.name == "vc-code" else s.text)
            for s in task.sections
            if s.name != "vc-helpers"
        ]
        program = join_sections(parts)
    return Candidate(program, fixed_program(task), opened)


def stub_lines(task: ProgramTask) -> range:
    """Lines of the task program that hold the stub body (its own `assume` is no finding
    against the task)."""
    before = join_sections(
        [s for s in task.sections[: [s.name for s in task.sections].index("vc-code")]]
    ) if task.sections else ""
    start = len(before.splitlines()) + 1
    return range(start, start + len(task.section("vc-code").splitlines()) + 2)
