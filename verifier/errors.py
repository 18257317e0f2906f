"""One error root for everything proofroute raises on purpose.

Callers catch `ProofrouteError` to tell "the user's input or environment is wrong" from a
bug; the CLI turns each into a message with a location and a fix, and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class ProofrouteError(Exception):
    """Root of all deliberate errors. `hint` says how to fix it, when we know."""

    exit_code: int = 3

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


@dataclass(frozen=True)
class SourceLocation:
    """A spot in a user's file. Lines and columns are 1-based."""

    file: str | None
    line: int
    col: int
    text: str | None = None  # the whole offending line, for a caret display

    def render(self) -> str:
        where = f"{self.file or '<input>'}:{self.line}:{self.col}"
        if self.text is None:
            return where
        # keep the line's tabs so the caret lines up under the offending text
        prefix = self.text[: max(self.col - 1, 0)]
        caret = "".join(c if c == "\t" else " " for c in prefix) + "^"
        return f"{where}\n    {self.text}\n    {caret}"


class SpecError(ProofrouteError, ValueError):
    """The spec is malformed; points at the exact spot (file:line:col + caret)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        hint: str | None = None,
        code: str = "spec",
    ) -> None:
        super().__init__(message, hint=hint)
        self.location = location
        self.code = code

    def __str__(self) -> str:
        head = self.message
        if self.location is not None:
            loc = self.location.render()
            first, _, rest = loc.partition("\n")
            head = f"{first}: error: {self.message}" + (f"\n{rest}" if rest else "")
        return head if not self.hint else f"{head}\n  hint: {self.hint}"


class PathEscape(ProofrouteError):
    """A path the tool was about to write resolves outside the folder it must stay in
    (a `..`, an absolute part, or a symlink pointing out). Nothing was written."""

    def __init__(self, message: str, *, root: str, path: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.root = root
        self.path = path


class ToolchainMissing(ProofrouteError):
    """A required external tool (dafny, z3, node, lean, bun) is absent or broken."""

    exit_code = 4


class VerifierCrashed(ProofrouteError):
    """The external verifier died or spoke something we cannot parse."""


class LLMError(ProofrouteError):
    """A model provider failed (HTTP error, bad reply, replay exhausted)."""


class LLMUnreachable(LLMError):
    """No answer from the model provider at all (connection refused, DNS, timeouts) after
    the retries: the run says nothing about the spec, so it exits with its own code."""

    exit_code = 5


class ServiceError(ProofrouteError):
    """The job service answered an error (or could not be reached): the HTTP status and
    the server's error body (`{"error": {"code", "message", "hint"}}`), for clients."""

    exit_code = 6

    def __init__(self, message: str, *, status: int | None, code: str, hint: str | None = None,
                 body: dict[str, object] | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status  # None: no HTTP answer (connection refused, timeout)
        self.code = code
        self.body = body or {}
        self.retry_after = retry_after


class SandboxViolation(ProofrouteError):
    """Untrusted code tried something the sandbox forbids; `attempted` says what."""

    def __init__(self, message: str, *, attempted: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.attempted = attempted


class BudgetExhausted(ProofrouteError):
    """The loop ran out of attempts, time or tokens; carries what it got so far."""

    def __init__(
        self,
        message: str,
        *,
        transcript: Any = None,
        attempts: list[Any] | None = None,
        best: Any = None,
    ) -> None:
        super().__init__(message)
        self.transcript = transcript
        self.attempts = list(attempts or [])
        self.best = best


class InputError(ProofrouteError, ValueError):
    """A command's input is unusable (a missing argument, a provider that cannot be made)."""

    exit_code = 2
