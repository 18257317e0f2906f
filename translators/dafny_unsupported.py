"""The one way the translator refuses a construct: at its line and column, naming it."""

from __future__ import annotations

from verifier.translators import dafny_ast as A
from verifier.translators.dafny_errors import UnsupportedConstruct


def unsupported(node: A.Node, what: str, construct: str, hint: str | None = None) -> UnsupportedConstruct:
    """The error to raise for `node`: `what` is the message, `construct` its short name."""
    return UnsupportedConstruct(what, line=node.pos.line, col=node.pos.col, construct=construct, hint=hint)
