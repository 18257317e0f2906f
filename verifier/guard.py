"""What a route's guard answers: whether a candidate may cost any verifier time, and why not.

Each route has its own guard (Dafny's: `verifier.routes.dafny_guard`; Lean's is in
`verifier.routes.lean`); the loop reads only these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.translators.dafny_to_python import PythonModule


@dataclass(frozen=True)
class GuardProblem:
    """One reason to refuse a candidate. `line`/`col` are 1-based in the extracted program."""

    kind: str  # "no-program", "parse", "unsupported", "assume", "expect", "attribute", "bodyless",
    # "decreases-star", "contract", "signature", "missing", "helper", "untranslatable"
    message: str
    line: int | None = None
    col: int | None = None

    def render(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class GuardVerdict:
    """`ok` when the candidate may go on to the quick test and Dafny.

    `translation` holds what the compiler produced, so the quick test does not translate
    the same text twice.
    """

    ok: bool
    program: str | None
    problems: tuple[GuardProblem, ...] = ()
    translation: PythonModule | None = field(default=None, compare=False, repr=False)
    # spec helpers the reply left out and the guard appended to `program` (as the
    # contract renders them): the spec gives them, so the model need not repeat them
    completed: tuple[str, ...] = ()

    def summary(self) -> str:
        return "; ".join(p.render() for p in self.problems) if self.problems else "ok"
