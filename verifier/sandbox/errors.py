"""What the sandbox itself raises, under the project's one root (`ProofrouteError`).

Untrusted code failing is not an error here: its outcomes are data (`CallOutcome`,
`CompletedRun`), and a refusal is raised only on request, as `SandboxViolation`
(verifier.errors). These are the sandbox's own failures, each also the builtin that
fits, so a caller that catches `OSError` or `ValueError` keeps working.
"""

from __future__ import annotations

from verifier.errors import ProofrouteError, SandboxViolation

__all__ = ["ChildStartFailed", "SandboxViolation", "ScratchPathError"]


class ChildStartFailed(ProofrouteError, OSError):
    """The host would not start a sandboxed child (no interpreter, no scratch dir, fork
    refused); nothing untrusted ran. Carries the interpreter and the OS's reason."""

    def __init__(self, interpreter: str, reason: OSError) -> None:
        super().__init__(
            f"could not start a sandbox child with {interpreter}: {reason}",
            hint="check `proofroute doctor`: the interpreter must exist and be runnable by an "
                 "unprivileged uid, and the temp dir must be writable",
        )
        self.interpreter = interpreter
        self.reason = reason


class ScratchPathError(ProofrouteError, ValueError):
    """A file given for the scratch dir would land outside it; `name` is the offender."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"scratch file name must be relative and stay inside the scratch dir: {name!r}",
            hint="use a relative path without '..', such as 'main.js' or 'src/a.js'",
        )
        self.name = name
