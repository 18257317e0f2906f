"""Core result types shared by every backend, the CLI, the HTTP API and JSONL records.

One meaning each (ARCHITECTURE.md). Positions are 1-based lines and 1-based columns
everywhere in these types; backends convert from their toolchain's convention.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1


class Verdict(enum.StrEnum):
    """Three-valued, like CrossHair: tests can refute, only a prover can verify.

    Ordered REFUTED < UNKNOWN < VERIFIED (CrossHair's `VerificationStatus`), so the
    verdict of several obligations together is their `min` (`Verdict.combine`): one
    refuted obligation refutes the whole, one unknown keeps it unknown. The order is by
    strength of the claim, never by the values' spelling."""

    VERIFIED = "verified"
    REFUTED = "refuted"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def _other(self, other: object) -> int:
        """A verdict compares only with a verdict: against a plain string the order of
        the spelling would answer, which means nothing."""
        if not isinstance(other, Verdict):
            raise TypeError(f"a Verdict is ordered only against a Verdict, not {other!r}")
        return other.rank

    def __lt__(self, other: object) -> bool:
        return self.rank < self._other(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= self._other(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > self._other(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= self._other(other)

    @classmethod
    def combine(cls, verdicts: Iterable[Verdict]) -> Verdict:
        """The verdict of all of them together: the weakest; nothing at all proves
        nothing, so no verdicts is UNKNOWN."""
        return min(verdicts, default=cls.UNKNOWN)


_RANK = {Verdict.REFUTED: 0, Verdict.UNKNOWN: 1, Verdict.VERIFIED: 2}


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Counterexample:
    """Concrete inputs that break a property, and the output seen when executed.

    `source` says where the values come from: "model" (a solver model: a hint until run),
    "execution" (really run), "test" (found by property testing).
    """

    inputs: Mapping[str, Any]
    output: Any = None
    source: str = "model"
    note: str = ""


@dataclass(frozen=True)
class Diagnostic:
    """One message about a source file.

    `kind` is a short stable tag (e.g. "postcondition", "parse", "timeout", "unsound",
    "sorry", "axiom"); `code` a toolchain code such as "BP5003" when there is one.
    """

    kind: str
    message: str
    severity: Severity = Severity.ERROR
    file: str | None = None
    line: int | None = None
    col: int | None = None
    code: str | None = None
    related: tuple[Diagnostic, ...] = ()
    counterexample: Counterexample | None = None
    trace: tuple[str, ...] = ()

    def where(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True)
class Obligation:
    """A unit the toolchain proves on its own: a method, function, lemma or theorem."""

    name: str
    verdict: Verdict
    detail: str = ""


@dataclass(frozen=True)
class ToolchainInfo:
    """What a backend found on this machine; `ok` False means unusable, `hint` says why/how."""

    name: str
    ok: bool
    version: str | None = None
    path: str | None = None
    hint: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IncludedFile:
    """A file the checked source included (followed only when the caller allowed it),
    with the hash of the exact text that was audited and verified."""

    path: str
    sha256: str


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check of one source text by one toolchain."""

    verdict: Verdict
    diagnostics: tuple[Diagnostic, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    counterexample: Counterexample | None = None
    toolchain: str = ""
    toolchain_version: str | None = None
    seconds: float = 0.0
    cached: bool = False
    included: tuple[IncludedFile, ...] = ()  # files followed through `include`

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == Severity.ERROR)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, mappings and tuples to plain JSON values (stable key order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v) for v in value), key=repr)
    return value
