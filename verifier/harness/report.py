"""What a harness run found: frozen records, one compiler-style line per failure, JSON.

A passing run is `Verdict.UNKNOWN`, never VERIFIED: tests can refute, only a prover can
verify (ARCHITECTURE.md). `ok` says that no counterexample was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from verifier.harness.check_runtime import show
from verifier.results import SCHEMA_VERSION, Counterexample, Verdict
from verifier.specs.values import to_json


@dataclass(frozen=True)
class Failure:
    """One counterexample. `kind`: ensures | raised | timeout | crashed | shape | mutated.

    `source` is "examples[i]" for the spec's own examples, "generated" for Hypothesis
    inputs (then `shrunk` says whether shrinking finished), "database" for a failure an
    earlier run found and stored (see `failure_db`). `line` points into the user's
    file: the raising line for exceptions, else the `def` line.
    """

    kind: str
    message: str
    inputs: Mapping[str, Any]
    param_order: tuple[str, ...]
    file: str
    line: int
    source: str
    shrunk: bool = False
    returned: Any = None
    has_return: bool = False
    after: Mapping[str, Any] | None = None  # modified arrays after the call
    clauses: tuple[str, ...] = ()  # every failing ensures clause (the message names the first)
    detail: str = ""  # traceback or the sandbox's words
    types: Mapping[str, Any] | None = None  # type tuples (checks.type_desc) of inputs and outputs, by name
    return_types: tuple[Any, ...] = ()

    @property
    def clause(self) -> str | None:
        return self.clauses[0] if self.clauses else None

    @property
    def signature(self) -> tuple[Any, ...]:
        """What makes two failures one bug, reported once: the kind and the failing
        clauses, or for an exception its type and the line that raised it."""
        if self.kind == "raised":
            return (self.kind, self.message.split(":", 1)[0], self.line)
        return (self.kind, self.clauses)

    def shown_inputs(self) -> str:
        types = self.types or {}
        return ", ".join(f"{n}={show(self.inputs[n], types.get(n))}" for n in self.param_order) or "no arguments"

    def outcome(self) -> str:
        parts = []
        if self.has_return:
            parts.append(f"returned {_shown_return(self.returned, self.return_types)}")
        for name, value in (self.after or {}).items():
            parts.append(f"{name} after the call: {show(value, (self.types or {}).get(name))}")
        return f" ({'; '.join(parts)})" if parts else ""

    def render(self) -> str:
        origin = " [replayed from the failure database]" if self.source == "database" else ""
        return f"{self.file}:{self.line}: error: {self.message} for {self.shown_inputs()}{self.outcome()}{origin}"

    def counterexample(self) -> Counterexample:
        output = {"returned": self.returned} if self.has_return else {}
        output.update(self.after or {})
        return Counterexample(inputs=dict(self.inputs), output=output or None, source="test", note=self.message)

    def record(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "clause": self.clause,
            "clauses": list(self.clauses),
            "inputs": {n: to_json(self.inputs[n]) for n in self.param_order},
            "inputs_shown": self.shown_inputs(),
            "returned": to_json(self.returned) if self.has_return else None,
            "after": {k: to_json(v) for k, v in (self.after or {}).items()},
            "source": self.source,
            "shrunk": self.shrunk,
            "detail": self.detail,
            "text": self.render(),
        }


def _shown_return(value: Any, types: tuple[Any, ...]) -> str:
    if isinstance(value, tuple) and len(types) > 1 and len(value) == len(types):
        return "(" + ", ".join(show(v, t) for v, t in zip(value, types, strict=True)) + ")"
    return show(value, types[0] if len(types) == 1 else None)


@dataclass(frozen=True)
class HarnessReport:
    spec_name: str
    spec_file: str | None
    target: str
    file: str
    function: str
    def_line: int
    failures: tuple[Failure, ...]
    examples_run: int
    generated_run: int  # generated inputs that met requires and were run
    filter_rejected: int
    strategy_notes: tuple[str, ...]
    filtered_clauses: tuple[str, ...]
    unchecked: tuple[str, ...]  # ensures clauses the predicates cannot execute
    seed: int
    max_examples: int
    seconds: float
    sandbox: Mapping[str, Any]
    # a generic method is tested at concrete types: one `T := int` text per instance run
    instances: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def verdict(self) -> Verdict:
        return Verdict.REFUTED if self.failures else Verdict.UNKNOWN

    def lines(self) -> list[str]:
        return [f.render() for f in self.failures]

    def summary(self) -> str:
        ran = f"{self.examples_run} spec example(s) and {self.generated_run} generated input(s)"
        if self.instances:
            ran += f" at {'; '.join(self.instances)}"
        if self.failures:
            return f"{len(self.failures)} counterexample(s) for {self.file}:{self.function} after {ran} (seed {self.seed})"
        extra = f"; not checked: {', '.join(self.unchecked)}" if self.unchecked else ""
        return f"no counterexample for {self.file}:{self.function} in {ran} (seed {self.seed}){extra}"

    def record(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "kind": "harness_report",
            "spec": self.spec_name,
            "spec_file": self.spec_file,
            "target": self.target,
            "file": self.file,
            "function": self.function,
            "line": self.def_line,
            "verdict": self.verdict.value,
            "ok": self.ok,
            "failures": [f.record() for f in self.failures],
            "examples_run": self.examples_run,
            "generated_run": self.generated_run,
            "filter_rejected": self.filter_rejected,
            "strategy_notes": list(self.strategy_notes),
            "filtered_clauses": list(self.filtered_clauses),
            "unchecked": list(self.unchecked),
            "seed": self.seed,
            "max_examples": self.max_examples,
            "seconds": round(self.seconds, 3),
            "sandbox": dict(self.sandbox),
            "instances": list(self.instances),
            "summary": self.summary(),
        }
