"""Errors of the Dafny front end: both point at a line and column of the user's file.

A construct outside the supported subset must stop the translation loudly rather than
produce Python that means something else, so the translator raises
`UnsupportedConstruct` naming the construct; `DafnySyntaxError` is text the grammar does
not accept at all.
"""

from __future__ import annotations

from verifier.errors import ProofrouteError


class DafnyFrontendError(ProofrouteError, ValueError):
    """Base of both; `line`/`col` are 1-based, `construct` names what was found."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        line: int,
        col: int,
        construct: str,
        file: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.line = line
        self.col = col
        self.construct = construct
        self.file = file

    def with_file(self, file: str) -> DafnyFrontendError:
        """The same error naming a file, for the CLI (errors are raised by pure functions)."""
        return type(self)(
            self.message,
            line=self.line,
            col=self.col,
            construct=self.construct,
            file=file,
            hint=self.hint,
        )

    def __str__(self) -> str:
        head = f"{self.file or '<input>'}:{self.line}:{self.col}: error: {self.message}"
        return head if not self.hint else f"{head}\n  hint: {self.hint}"


class DafnySyntaxError(DafnyFrontendError):
    """The text is not Dafny of the supported subset (or not Dafny at all)."""


class UnsupportedConstruct(DafnyFrontendError):
    """Valid Dafny, but outside the subset this translator compiles exactly."""
