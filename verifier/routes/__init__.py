"""Routes: what differs between generating through Dafny and through Lean.

The loop (`verifier.loop`) is the same for every intermediate language — ask, guard,
(optionally) quick-test, check, feed back, restart, budget — so everything
language-specific sits behind one small protocol: the prompts, the guard that extracts
and vets the program, the check by the real toolchain, the defense-in-depth acceptance
of a VERIFIED result, and the feedback built from its diagnostics. A guard verdict that
carries a Python `translation` turns the quick test on (the Dafny route); a route
without a compiler to Python (Lean, for now) simply has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from verifier.guard import GuardVerdict
    from verifier.llm import Message
    from verifier.prompting import Feedback
    from verifier.results import CheckResult

__all__ = ["ROUTES", "Route"]

ROUTES = ("dafny", "lean")


class Route(Protocol):
    """One intermediate language. `name` is also the name of the check stage in attempts
    and transcripts ("dafny", "lean"); `label` is how messages name the toolchain."""

    name: str
    label: str
    extension: str
    quick_test: bool  # whether candidates are run on concrete inputs before the check

    def initial(self) -> list[Message]:
        """The system and task messages of a fresh conversation."""
        ...

    def repair(self, feedback: Feedback) -> str:
        """The user message that asks for a fix."""
        ...

    def warm_up(self) -> None:
        """Get the toolchain ready; runs on a background thread while the model writes its
        first reply, so it must never make a check wait for long."""
        ...

    def guard(self, reply: str) -> GuardVerdict:
        """Extract the program from a reply and refuse it before any verifier time when it
        changes the spec or uses an escape hatch."""
        ...

    def check(self, programs: Sequence[str], timeout: float) -> list[CheckResult]:
        """The real toolchain's verdict on each program (order kept)."""
        ...

    def accept(self, result: CheckResult) -> CheckResult:
        """`result`, downgraded to UNKNOWN (with a diagnostic) when VERIFIED does not
        cover every obligation the spec needs."""
        ...

    def feedback(self, result: CheckResult, program: str,
                 executed: Sequence[str | None] = ()) -> Feedback:
        """What the model is told about a failed check."""
        ...
