"""The messages between the parent and a sandboxed Python child, and their one encoding.

Both sides use this module: `child.py` in the parent sends requests and decodes replies,
`worker.py` in the child decodes requests and sends replies. The child loads it as a
top-level module from a read-only copy in its scratch dir, under the system Python, before
any user code runs; so it imports nothing but the standard library, and nothing the
worker does not import already (`json`, `enum`, `dataclasses`: values.py needs them too).
`typing` stays out: it would add ~10 ms to every child's start-up.

The wire is one JSON object per line. A request carries ``"op"`` (``init``, ``load``,
``call``); a reply carries ``"reply"`` (``ready``, ``loaded``, ``load_failed``,
``called``, ``rejected``). Replies come from a process that runs untrusted code, so
`decode_reply` checks every field against its annotation and raises `ProtocolError` on
anything else: a forged or corrupted line never becomes a half-read message.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from dataclasses import dataclass

TYPE_CHECKING = False  # not `from typing import ...`: that would import typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    # A JSON value; arguments and results inside it are tagged by values.py.
    Json: TypeAlias = "bool | int | float | str | list[Json] | dict[str, Json] | None"
    Check: TypeAlias = tuple[type, ...] | Callable[[Json], object] | None

RESULT_CAP = 32 << 20  # encoded bytes of one reply's value + arguments


class CallStatus(enum.StrEnum):
    """How a call ended; only RETURNED and RAISED say something about the code's logic.

    The child reports RETURNED, RAISED or BAD_INPUT; the parent decides the others."""

    RETURNED = "returned"
    RAISED = "raised"
    VIOLATION = "violation"  # the sandbox refused something (the call may have gone on)
    TIMEOUT = "timeout"  # per-call timeout; the child was killed, the batch went on
    CRASHED = "crashed"  # the child died (memory/CPU rlimit, segfault, os._exit)
    BAD_INPUT = "bad_input"  # the arguments did not fit the signature
    NOT_RUN = "not_run"  # the module failed to load


class ProtocolError(ValueError):
    """A line that is not a message of this protocol: forged by user code or corrupted.

    Stays inside the sandbox package: the parent turns it into a CRASHED call or a load
    error whose `CallError.type` is ``"ProtocolError"``."""

    def __init__(self, reason: str, excerpt: bytes = b"") -> None:
        super().__init__(f"{reason}: {excerpt[:80]!r}" if excerpt else reason)
        self.reason = reason
        self.excerpt = excerpt[:200]


@dataclass(frozen=True)
class CallError:
    """An exception in the child; `line`/`text` point into the user's own file."""

    type: str
    message: str
    line: int | None = None
    text: str | None = None
    traceback: str = ""
    attempted: str | None = None  # what the sandbox refused, for its own PermissionError

    def render(self, filename: str = "<module>") -> str:
        where = f"{filename}:{self.line}: " if self.line is not None else ""
        return f"{where}{self.type}: {self.message}"


# Every message class has a docstring: without one, `dataclass` computes a signature for
# it, which costs the child's start-up time.


# -- requests (parent -> child) -----------------------------------------------------------
@dataclass(frozen=True)
class Init:
    """Sent at spawn, before the child knows its module: install the audit policy."""

    scratch: str
    deny_read: tuple[str, ...]
    allow_read: tuple[str, ...] = ()
    audit: bool = True
    output_cap: int = 1 << 20  # characters of captured user output, per stream and call
    result_cap: int = RESULT_CAP
    preload: bool = False  # a warm spare imports what later modules would wait for
    # Lent read-only (lend.py): first on sys.path; site dirs (.pth, C extensions); readable.
    lend_paths: tuple[str, ...] = ()
    site_dirs: tuple[str, ...] = ()
    readable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Load:
    """Compile and run the untrusted module, then find `function` and the predicates."""

    source: str
    filename: str
    module_name: str
    function: str
    predicates: str | None = None
    package: str | None = None  # the module's package (imported first): relative imports work


@dataclass(frozen=True)
class Call:
    """One call; `nonce` makes a reply forged by user code detectable."""

    index: int
    nonce: str
    args: dict[str, Json]


# -- replies (child -> parent) ------------------------------------------------------------
@dataclass(frozen=True)
class Ready:
    """`Init` done: the audit hook (if asked for) is installed."""

    pid: int
    uid: int
    python: str
    audit: bool


@dataclass(frozen=True)
class Loaded:
    """The module and the predicates ran; what they printed and what was refused."""

    violations: tuple[str, ...] = ()
    stdout: str = ""
    stderr: str = ""


@dataclass(frozen=True)
class LoadFailed:
    """The module did not load (it raised, or has no such function)."""

    error: CallError
    violations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Called:
    """The end of one call. `value` and `args_after` are tagged JSON (values.py)."""

    index: int
    nonce: str
    status: CallStatus  # RETURNED, RAISED or BAD_INPUT
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    output_dropped: int = 0  # characters of user output beyond the cap
    value: Json = None
    args_after: dict[str, Json] = dataclasses.field(default_factory=dict)
    predicates: dict[str, bool | str] = dataclasses.field(default_factory=dict)
    violations: tuple[str, ...] = ()
    error: CallError | None = None


@dataclass(frozen=True)
class Rejected:
    """The child could not read a request (a bug in the parent, never user code)."""

    message: str


# `Request` and `Reply` are the closed sets of messages each side may receive.
if TYPE_CHECKING:
    Request: TypeAlias = Init | Load | Call
    Reply: TypeAlias = Ready | Loaded | LoadFailed | Called | Rejected

_REQUESTS: dict[str, type] = {"init": Init, "load": Load, "call": Call}
_REPLIES: dict[str, type] = {"ready": Ready, "loaded": Loaded, "load_failed": LoadFailed,
                             "called": Called, "rejected": Rejected}
_TAGS: dict[type, tuple[str, str]] = {
    **{cls: ("op", tag) for tag, cls in _REQUESTS.items()},
    **{cls: ("reply", tag) for tag, cls in _REPLIES.items()},
}


def encode(message: Request | Reply) -> bytes:
    """One message as one JSON line (compact, ``\\n``-terminated)."""
    cls = type(message)
    key, tag = _TAGS[cls]
    # A frozen dataclass's instance dict holds exactly its fields: the cheapest read.
    wire: dict[str, Json] = {key: tag, **vars(message)}
    if cls in _WITH_ERROR and wire["error"] is not None:
        wire["error"] = vars(wire["error"])  # type: ignore[call-overload]
    return json.dumps(wire, separators=(",", ":")).encode() + b"\n"


def decode_request(line: bytes) -> Request:
    return _decode(line, "op", _REQUESTS)  # type: ignore[return-value]


def decode_reply(line: bytes) -> Reply:
    return _decode(line, "reply", _REPLIES)  # type: ignore[return-value]


def json_size(value: Json) -> int:
    """Characters of `value` encoded as in a message (to cap results before sending)."""
    return len(json.dumps(value, separators=(",", ":")))


def _decode(line: bytes, key: str, kinds: dict[str, type]) -> object:
    try:
        wire = json.loads(line)
    except ValueError:
        raise ProtocolError("not a JSON line", line) from None
    if not isinstance(wire, dict):
        raise ProtocolError("not a JSON object", line)
    tag = wire.pop(key, None)
    cls = kinds.get(tag) if isinstance(tag, str) else None
    if cls is None:
        raise ProtocolError(f"no known {key!r} tag", line)
    try:
        return _structure(cls, wire)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"bad {cls.__name__}: {exc}", line) from None


def _structure(cls: type, wire: dict[str, Json]) -> object:
    """Build `cls` from `wire`, checking each field against its annotation (a string:
    this module is compiled with ``from __future__ import annotations``)."""
    known = _fields(cls)
    kwargs = {}
    for name, value in wire.items():
        if name not in known:
            raise ValueError(f"unknown field {name!r}")
        check = known[name]
        if check is None:  # any JSON value (json.loads makes nothing else)
            kwargs[name] = value
        elif type(check) is tuple:  # the common case, inline: the exact JSON types allowed
            if type(value) not in check:
                raise TypeError(f"{name}: expected {' or '.join(t.__name__ for t in check)}, "
                                f"got {type(value).__name__}")
            kwargs[name] = value
        else:
            kwargs[name] = check(value)  # type: ignore[operator]
    return cls(**kwargs)  # a missing field without a default raises TypeError


# How a field is read (`Check`): a tuple of the exact types its JSON may have (bool is an
# int to isinstance, and a count or a line number must not be True), a converter, or
# None for any JSON value.
_FIELDS: dict[type, dict[str, Check]] = {}


def _fields(cls: type) -> dict[str, Check]:
    found = _FIELDS.get(cls)
    if found is None:
        found = {f.name: _CHECKS[f.type] for f in dataclasses.fields(cls)}  # type: ignore[index]
        _FIELDS[cls] = found
    return found


def _strings(value: Json) -> tuple[str, ...]:
    if type(value) is not list or not all(type(v) is str for v in value):
        raise TypeError(f"expected a list of strings, got {_short(value)}")
    return tuple(value)


def _short(value: Json) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."


def _verdicts(value: Json) -> dict[str, bool | str]:
    if type(value) is not dict or not all(type(v) in (bool, str) for v in value.values()):
        raise TypeError(f"expected an object of bool or str verdicts, got {_short(value)}")
    return value  # type: ignore[return-value]


def _error(value: Json) -> CallError | None:
    if value is None:
        return None
    if type(value) is not dict:
        raise TypeError(f"expected an error object, got {_short(value)}")
    return _structure(CallError, value)  # type: ignore[return-value]


def _required_error(value: Json) -> CallError:
    if value is None:
        raise TypeError("expected an error object, got None")
    return _error(value)  # type: ignore[return-value]


def _ending(value: Json) -> CallStatus:
    if type(value) is not str:
        raise TypeError(f"expected a status string, got {_short(value)}")
    status = CallStatus(value)
    if status not in _CHILD_ENDINGS:
        raise ValueError(f"a child cannot report {status.value!r}")
    return status


def _float(value: Json) -> float:
    if type(value) not in (int, float):
        raise TypeError(f"expected a number, got {_short(value)}")
    return float(value)  # type: ignore[arg-type]


_CHILD_ENDINGS = (CallStatus.RETURNED, CallStatus.RAISED, CallStatus.BAD_INPUT)
_CHECKS: dict[str, Check] = {
    "str": (str,),
    "str | None": (str, type(None)),
    "int": (int,),
    "int | None": (int, type(None)),
    "bool": (bool,),
    "float": _float,
    "tuple[str, ...]": _strings,
    "Json": None,
    "dict[str, Json]": (dict,),
    "dict[str, bool | str]": _verdicts,
    "CallStatus": _ending,
    "CallError": _required_error,
    "CallError | None": _error,
}
_WITH_ERROR = (LoadFailed, Called)
