"""The Lean route: the spec's Lean rendering as the task, a guard, Lean's verdict.

The task is `render_lean(spec)` — helpers as `def`s, the method as `def … := sorry`, one
theorem per ensures clause with `sorry`. The model implements the method and proves the
theorems. Soundness rests on the Lean backend's `check_task`: VERIFIED only when Lean
checked every proof, the task's statements appear unchanged (elaborated types compared
on the WebAssembly build), and no `sorry`/axiom/`native_decide`/… is used.

The guard runs before Lean (a Lean check costs 12–90 s here) and refuses what
`check_task` would refuse anyway — the backend's own cheat scan and statement
comparison, reused, never re-implemented — plus two things the backend does not look
at because a benchmark task has no such notion:

- the spec's helper functions are part of the statement: their *bodies* must stay as
  rendered (only a recursive helper's `decreasing_by all_goals sorry` may be replaced
  by a real termination proof) — otherwise `SumF := 0` would make any theorem about it
  trivially true while the statements still compare equal;
- `instance` declarations and `attribute [...]` commands, which could change what `≥`
  or `+` in an unchanged statement means, are refused.

There is no quick test: the candidate is not compiled to Python on this route (yet).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from verifier.artifact import Artifact, RecheckStep
from verifier.backends import TaskChecking
from verifier.backends.lean import source_scan, statements
from verifier.guard import GuardProblem, GuardVerdict
from verifier.llm import Message
from verifier.loop import LoopResult
from verifier.prompting import Feedback, LeanPromptBuilder, lean_feedback
from verifier.results import CheckResult, Diagnostic, ToolchainInfo, Verdict
from verifier.routes.lean_artifact import KINDS, build_lean_artifact, recheck_lean
from verifier.specs import model as m
from verifier.translators.spec_lean import decl_name, render_lean

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_LEAN_START = re.compile(
    r"^[ \t]*(?:--|/-|@\[|(?:import|open|noncomputable|section|namespace|def|theorem|lemma"
    r"|abbrev|example|instance|attribute|axiom|set_option|variable|universe|private|protected"
    r"|macro|syntax|notation|mutual|inductive|structure)\b)", re.MULTILINE)
_INSTANCE = re.compile(
    r"^[ \t]*(?:@\[[^\]]*\]\s*)*(?:(?:private|protected|scoped|local|noncomputable)\s+)*"
    r"(instance|attribute\s*\[|deriving\s+instance)"
    r"|@\[[^\]]*(?<![\w.'])(instance|default_instance)(?![\w'])", re.MULTILINE)
_DECREASING = re.compile(r"(?<![\w.'])(?:decreasing_by|termination_by)(?![\w'])")


def extract_lean(reply: str) -> str | None:
    """The Lean file in a model reply: the last fenced block tagged `lean`/`lean4` (or
    untagged) that states a theorem, else the last such block, else the bare text from
    its first Lean command on. Models tend to show drafts first and the answer last."""
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(reply)]
    if blocks:
        usable = [b for lang, b in blocks if lang in ("", "lean", "lean4")]
        with_theorem = [b for b in usable if re.search(r"\btheorem\b", b)]
        chosen = (with_theorem or usable or [b for _, b in blocks])[-1]
        return chosen.strip("\n") + "\n" if chosen.strip() else None
    start = _LEAN_START.search(reply)
    if start is None or not re.search(r"\b(?:theorem|def)\b", reply):
        return None
    return reply[start.start():].strip("\n") + "\n"


def _bodies(source: str) -> dict[str, tuple[str, int]]:
    """Top-level `def` bodies (text after the first `:=` up to `decreasing_by` /
    `termination_by` or the next command), normalized, with the def's line."""
    masked = source_scan.mask(source).no_comments
    lines = masked.splitlines(keepends=True)
    starts = sorted(set(source_scan.command_lines(source)))
    out: dict[str, tuple[str, int]] = {}
    for decl in source_scan.declarations(source):
        if decl.keyword != "def":
            continue
        following = [s for s in starts if s > decl.line]
        end = following[0] - 1 if following else len(lines)
        block = "".join(lines[decl.line - 1:end])
        _, sep, body = block.partition(":=")
        if not sep:
            continue
        cut = _DECREASING.search(body)
        if cut is not None:
            body = body[:cut.start()]
        body = re.sub(r"(?m)^\s*end\s*$", "", body)
        out[decl.full_name] = (statements.normalize(body), decl.line)
    return out


_INDUCTIVE = re.compile(r"^inductive\s+(\S+)", re.M)


def _inductives(source: str) -> dict[str, tuple[str, int]]:
    """Top-level `inductive` declarations (a spec's datatypes): each one's whole block up
    to the next command, normalized, with its line."""
    masked = source_scan.mask(source)
    lines = masked.no_comments.splitlines(keepends=True)
    starts = sorted(set(source_scan.command_lines(source)))
    out: dict[str, tuple[str, int]] = {}
    for mm in _INDUCTIVE.finditer(masked.code):
        line = masked.code.count("\n", 0, mm.start()) + 1
        following = [n for n in starts if n > line]
        block = "".join(lines[line - 1:(following[0] - 1 if following else len(lines))])
        out.setdefault(mm.group(1), (statements.normalize(block), line))
    return out


def _statement_end(code: str, start: int) -> int:
    """Where a theorem's statement ends: the first `:=` at bracket depth 0 that does not
    belong to a `let`/`have` inside the statement (`let y := f x` is part of it)."""
    depth = 0
    pending = 0
    i = start
    while i < len(code):
        ch = code[i]
        if ch in "([{⟨":
            depth += 1
        elif ch in ")]}⟩":
            depth -= 1
        elif depth == 0 and code.startswith(":=", i):
            if pending == 0:
                return i
            pending -= 1
            i += 2
            continue
        elif depth == 0 and re.match(r"(?<![\w.'])(?:let|have)\s", code[i:i + 5]) and (
                i == 0 or not (code[i - 1].isalnum() or code[i - 1] in "_.'")):
            pending += 1
        i += 1
    return len(code)


def full_statements(source: str) -> dict[str, tuple[str, int, str]]:
    """Each theorem's whole statement, normalized, with its line. The backend's
    declaration scan stops at the first `:=`, which for a rendered spec theorem
    (`let y := f x; P y`) is inside the statement: compared alone, a changed conclusion
    would go unnoticed wherever Lean's elaborated types are not compared."""
    code = source_scan.mask(source).no_comments
    offsets = [0]
    for line in code.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    out: dict[str, tuple[str, int, str]] = {}
    for decl in source_scan.theorems(source):
        start = offsets[decl.line - 1] + decl.col - 1 + len(decl.name)
        text = code[start:_statement_end(code, start)]
        out.setdefault(decl.full_name, (statements.normalize(text), decl.line, " ".join(text.split())))
    return out


class LeanGuard:
    """Refuses a candidate before Lean runs; see the module docstring for the rules."""

    def __init__(self, spec: m.Spec, task: str) -> None:
        self.spec = spec
        self.task = task
        self.helpers = {name: body for name, (body, _) in _bodies(task).items()
                        if name != decl_name(spec.method)}
        self.statements = full_statements(task)
        self.inductives = _inductives(task)

    def check(self, reply: str) -> GuardVerdict:
        program = extract_lean(reply)
        if program is None:
            return GuardVerdict(False, None, (GuardProblem(
                "no-program", "no Lean file found in the reply; answer with the whole file "
                "in one ```lean block"),))
        problems: list[GuardProblem] = []
        for f in source_scan.scan_cheats(program):
            problems.append(GuardProblem(f.kind, f.message, f.line, f.col))
        for mm in _INSTANCE.finditer(source_scan.mask(program).code):
            group = 1 if mm.group(1) else 2
            line, col = source_scan.line_col(program, mm.start(group))
            problems.append(GuardProblem(
                "instance", f"`{mm.group(group).strip()}` is not allowed: it can change what "
                "the unchanged statements mean; remove it", line, col))
        reported: set[str] = set()
        for mis in statements.compare(self.task, program):
            reported.add(mis.name)
            problems.append(GuardProblem("statement", mis.message, mis.line, mis.col))
        stated = full_statements(program)
        for name, (wanted, _, shown) in self.statements.items():
            got = stated.get(name)
            if name not in reported and got is not None and got[0] != wanted:
                problems.append(GuardProblem(
                    "statement", f"theorem `{name}` does not have the task's statement; keep "
                    f"it exactly as given (you may add lemmas under new names):\n"
                    f"  task:  {shown}\n  model: {got[2]}", got[1]))
        have = _bodies(program)
        for name, body in self.helpers.items():
            got = have.get(name)
            if got is None and name in reported:
                continue  # already refused: missing, or its signature changed
            if got is None or got[0] != body:
                problems.append(GuardProblem(
                    "helper", f"the body of the spec's helper `{name}` was changed; keep it "
                    "exactly as given (only its `decreasing_by` proof may be added)",
                    got[1] if got else None))
        problems += self._inductive_problems(program)
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        return GuardVerdict(not problems, program, tuple(problems))

    def _inductive_problems(self, program: str) -> list[GuardProblem]:
        """The spec's datatypes must stay as the task declares them: a dropped or changed
        constructor would change what the unchanged theorems mean."""
        have = _inductives(program)
        return [GuardProblem("datatype", f"the spec's datatype `{name}` was changed or removed; keep its "
                             "`inductive` declaration exactly as given", have[name][1] if name in have else None)
                for name, (block, _) in self.inductives.items() if have.get(name, ("", 0))[0] != block]


class LeanChecking(TaskChecking, Protocol):
    """What this route asks of its backend beyond `TaskChecking`."""

    def prestart(self, modules: Sequence[str] = ()) -> None:
        """Have a warm session for these imports start in the background, without waiting."""
        ...


class LeanRoute:
    name = "lean"
    label = "Lean"
    extension = ".lean"
    quick_test = False  # no Lean→Python compiler yet
    kinds = KINDS
    default_timeout = 300.0  # a Lean check here takes 12-90 s
    recheck_timeout = 300.0
    install_hint = "run `proofroute setup --only lean` and `proofroute doctor`"

    def __init__(self, spec: m.Spec, backend: LeanChecking, *, version: str | None = None,
                 mathlib: bool = False, info: ToolchainInfo | None = None) -> None:
        self.spec = spec
        self.backend = backend
        self.info = info or ToolchainInfo("lean", True, version)
        self.task = render_lean(spec)
        self.theorems = tuple(t.full_name for t in source_scan.theorems(self.task))
        self.prompts = LeanPromptBuilder(spec, self.task, version=version, mathlib=mathlib)
        self.contract = LeanGuard(spec, self.task)

    def initial(self) -> list[Message]:
        return self.prompts.initial()

    def repair(self, feedback: Feedback) -> str:
        return self.prompts.repair(feedback)

    def guard(self, reply: str) -> GuardVerdict:
        return self.contract.check(reply)

    def warm_up(self) -> None:
        """A warm session starts in the background (its start-up is a minute on the wasm
        build); checks that come first run in fresh processes, as without it."""
        self.backend.prestart([m for m, _, _ in source_scan.header_imports(self.task)])

    def _one(self, program: str, timeout: float) -> CheckResult:
        return self.backend.check_task(program, task=self.task, timeout=timeout,
                                       filename=f"{self.spec.name}.lean")

    def check(self, programs: Sequence[str], timeout: float) -> list[CheckResult]:
        if len(programs) == 1:
            return [self._one(programs[0], timeout)]
        workers = max(1, min(len(programs), getattr(self.backend, "jobs", 1)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda p: self._one(p, timeout), programs))

    def accept(self, result: CheckResult) -> CheckResult:
        """VERIFIED must cover every theorem of the task: a backend that checked fewer
        obligations than the spec states has not verified the spec."""
        if result.verdict != Verdict.VERIFIED:
            return result
        proved = {o.name for o in result.obligations if o.verdict == Verdict.VERIFIED}
        missing = [t for t in self.theorems if t not in proved]
        if not missing and self.theorems:
            return result
        refusal = Diagnostic(kind="unsound", message=(
            "Lean reported no verified proof of " + (", ".join(missing) or "any theorem")
            + "; the result is not accepted"))
        return replace(result, verdict=Verdict.UNKNOWN,
                       diagnostics=(*result.diagnostics, refusal))

    def feedback(self, result: CheckResult, program: str,
                 executed: Sequence[str | None] = ()) -> Feedback:
        return lean_feedback(result, program)

    # ------------------------------------------------------------------ artifact
    # (kept in verifier/routes/lean_artifact.py, apart from the check logic above)

    def build_artifact(self, spec_text: str, result: LoopResult, model_name: str, *,
                       validate: int, seed: int) -> Artifact:
        """The verified `.lean` (no Python yet, so `validate` and `seed` are unused)."""
        return build_lean_artifact(self.spec, self.task, spec_text, result, self.info,
                                   model_name)

    def recheck(self, artifact: Artifact, directory: Path, *, timeout: float,
                tests: bool) -> list[RecheckStep]:
        return recheck_lean(self, self.spec, self.task, artifact, directory, timeout=timeout, tests=tests)
