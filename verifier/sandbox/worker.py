"""The sandboxed side of `run_python_calls`: load untrusted code once, call it many times.

Runs in the child process only (started by child.py as
``python -I -B -c <boot> DIR REQ_FD RESP_FD``) and imports nothing outside the standard
library, because it is loaded as a top-level module from a copy in the scratch directory.

The protocol (protocol.py: typed messages, one JSON line each) travels on two inherited
pipes, never on the user's stdout/stderr: user output is captured per call (capped) and a
stray ``os.write(1, ...)`` only reaches the parent's capped drain. Requests are `Init`
(audit policy), `Load` (module + function + predicates) and `Call`; each gets one reply.
"""

from __future__ import annotations

import inspect  # needed at load (signature binding); it also brings linecache and types
import io
import linecache
import os
import sys
import time
import types

TYPE_CHECKING = False  # not `from typing import ...`: that would import typing
if TYPE_CHECKING:  # `typing` costs ~10 ms of child start-up and is only for annotations
    from typing import Any

if __package__:
    from . import audit, protocol, values
else:  # loaded as a top-level module inside the sandbox child
    import audit  # type: ignore[no-redef]
    import protocol  # type: ignore[no-redef]
    import values  # type: ignore[no-redef]

# `copy` and `traceback` are imported where used (old_ values, errors): a child that never
# needs them starts faster. The warm spares of `SandboxPool` import them ahead (`preload`).
_TRACEBACK_CAP = 8000
_MESSAGE_CAP = 2000


class _CappedText(io.TextIOBase):
    """A stdout replacement that keeps the first `cap` characters and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:  # type: ignore[override]
        n = len(s)
        room = self.cap - self.kept
        if n > room:
            self.dropped += n - max(room, 0)
            s = s[: max(room, 0)]
        if s:
            self.parts.append(s)
            self.kept += len(s)
        return n

    def text(self) -> str:
        return "".join(self.parts)


class Worker:
    """Serves one parent: `Init`, then `Load`, then any number of `Call` (protocol.py)."""

    def __init__(self, req_fd: int, resp_fd: int) -> None:
        self.req = os.fdopen(req_fd, "rb", buffering=1 << 16)
        self.resp_fd = resp_fd
        self.violations: list[str] = []
        self.output_cap = 1 << 20
        self.result_cap = protocol.RESULT_CAP
        self.fn: Any = None
        self.sig: inspect.Signature | None = None
        self.filename = "<module>"
        self.predicates: list[tuple[str, Any, list[str]]] = []
        self.wants_old = False

    def send(self, reply: protocol.Reply) -> None:
        view = memoryview(protocol.encode(reply))
        while view:
            n = os.write(self.resp_fd, view)
            view = view[n:]

    def serve(self) -> None:
        for line in self.req:
            try:
                request = protocol.decode_request(line)
            except protocol.ProtocolError as exc:
                self.send(protocol.Rejected(str(exc)))
                continue
            match request:
                case protocol.Init():
                    self.send(self.init(request))
                case protocol.Load():
                    self.send(self.load(request))
                case protocol.Call():
                    self.send(self.call(request))

    # -- requests --------------------------------------------------------------------
    def init(self, msg: protocol.Init) -> protocol.Ready:
        self.output_cap = msg.output_cap
        self.result_cap = msg.result_cap
        if msg.preload:
            # A warm spare has time now; the module it gets later does not wait for these
            # (the worker's lazy imports, and `typing`, which translated code imports).
            import copy  # noqa: F401
            import traceback  # noqa: F401
            import typing  # noqa: F401
        if msg.audit:
            audit.install(
                scratch=msg.scratch,
                deny_read=msg.deny_read,
                allow_read=[*msg.allow_read, *_interpreter_dirs(), *msg.lend_paths,
                            *msg.site_dirs, *msg.readable],
                native_allow=msg.site_dirs,
                record=self.violations,
            )
        if msg.lend_paths or msg.site_dirs:
            _use_lent(msg.lend_paths, msg.site_dirs)
        return protocol.Ready(pid=os.getpid(), uid=os.getuid(), python=sys.version.split()[0],
                              audit=msg.audit)

    def load(self, msg: protocol.Load) -> protocol.Loaded | protocol.LoadFailed:
        self.filename = msg.filename
        mark = len(self.violations)
        out, err = _CappedText(self.output_cap), _CappedText(self.output_cap)
        try:
            module = self._exec_module(msg.module_name, msg.source, self.filename, out, err,
                                       msg.package)
            self.fn = getattr(module, msg.function, None)
            if not callable(self.fn):
                error = protocol.CallError("LookupError", f"no function {msg.function!r} in the module")
                return protocol.LoadFailed(error, tuple(self.violations[mark:]))
            try:
                self.sig = inspect.signature(self.fn)
            except (TypeError, ValueError):
                self.sig = None
            if msg.predicates:
                self._load_predicates(msg.predicates, out, err)
        except BaseException as exc:  # untrusted code may raise anything, SystemExit included
            return protocol.LoadFailed(_describe(exc, self.filename), tuple(self.violations[mark:]))
        return protocol.Loaded(tuple(self.violations[mark:]), out.text(), err.text())

    def _exec_module(
        self, name: str, source: str, filename: str, out: _CappedText, err: _CappedText,
        package: str | None = None,
    ) -> types.ModuleType:
        # Tracebacks must show the user's lines without reading their file from disk.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        module = types.ModuleType(name)
        module.__file__ = filename
        code = compile(source, filename, "exec", dont_inherit=True)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            if package:  # its package's __init__ runs first, as on a real import
                import importlib
                import importlib.machinery

                parent = importlib.import_module(package)
                module.__package__ = package
                module.__spec__ = importlib.machinery.ModuleSpec(name, None, origin=filename)
                setattr(parent, name.rpartition(".")[2], module)
            sys.modules[name] = module  # dataclasses and pickling look the module up here
            exec(code, module.__dict__)
        finally:
            sys.stdout, sys.stderr = saved
        return module

    def _load_predicates(self, source: str, out: _CappedText, err: _CappedText) -> None:
        module = self._exec_module("_proofroute_predicates", source, "<predicates>", out, err)
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ != module.__name__:
                continue
            params = list(inspect.signature(obj).parameters)
            self.predicates.append((name, obj, params))
            self.wants_old = self.wants_old or any(p.startswith("old_") for p in params)

    def call(self, msg: protocol.Call) -> protocol.Called:
        mark = len(self.violations)
        try:
            raw = values.decode(msg.args, self._classes())
            positional = list(raw.pop("$args", [])) if isinstance(raw, dict) else []
            bound = self._bind(positional, raw)
        except Exception as exc:
            return protocol.Called(msg.index, msg.nonce, protocol.CallStatus.BAD_INPUT,
                                   error=_describe(exc, self.filename))
        if self.wants_old:
            import copy

            old = copy.deepcopy(dict(bound.arguments))
        else:
            old = {}
        out, err = _CappedText(self.output_cap), _CappedText(self.output_cap)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        started = time.perf_counter()
        result: Any = None
        error: BaseException | None = None
        try:
            result = self.fn(*bound.args, **bound.kwargs)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are results here too
            error = exc
        finally:
            seconds = time.perf_counter() - started
            sys.stdout, sys.stderr = saved
        if error is not None:
            status, value, verdicts = protocol.CallStatus.RAISED, None, {}
            failure: protocol.CallError | None = _describe(error, self.filename)
        else:
            status, value, failure = protocol.CallStatus.RETURNED, _encode_or_repr(result), None
            verdicts = self._check(result, bound.arguments, old) if self.predicates else {}
        after = _encode_or_repr(dict(bound.arguments))
        too_large = self._too_large(value, after)
        if too_large is not None:
            status, value, after, failure = protocol.CallStatus.RAISED, None, {}, too_large
        return protocol.Called(
            msg.index, msg.nonce, status, seconds, out.text(), err.text(),
            out.dropped + err.dropped, value, after, verdicts, tuple(self.violations[mark:]), failure)

    def _too_large(self, value: Any, after: Any) -> protocol.CallError | None:
        """Value and arguments must fit `result_cap` encoded: the parent reads no more."""
        size = protocol.json_size(value) + protocol.json_size(after)
        if size <= self.result_cap:
            return None
        return protocol.CallError(
            "ResultTooLarge", f"result and arguments encode to {size} bytes (more than {self.result_cap})")

    def _classes(self) -> dict[str, type]:
        """The dataclasses of the function's module, by name: a datatype value in the
        arguments becomes an instance of the class named like its constructor (as the
        Dafny→Python compiler writes them)."""
        scope = getattr(self.fn, "__globals__", None) or {}
        return {c.__name__: c for c in scope.values() if isinstance(c, type) and "__dataclass_fields__" in vars(c)}

    def _bind(self, positional: list[Any], keywords: dict[str, Any]) -> inspect.BoundArguments:
        if self.sig is None:
            raise TypeError("the function has no inspectable signature")
        return self.sig.bind(*positional, **keywords)

    def _check(self, result: Any, after: Any, old: dict[str, Any]) -> dict[str, Any]:
        env = dict(after)
        env.update({f"old_{k}": v for k, v in old.items()})
        env["result"] = result
        verdicts: dict[str, Any] = {}
        for name, fn, params in self.predicates:
            missing = [p for p in params if p not in env]
            if missing:
                verdicts[name] = f"error: unknown parameter(s) {', '.join(missing)}"
                continue
            try:
                verdicts[name] = bool(fn(**{p: env[p] for p in params}))
            except BaseException as exc:
                verdicts[name] = f"error: {type(exc).__name__}: {_cap(str(exc), 500)}"
        return verdicts


def _encode_or_repr(value: Any) -> Any:
    try:
        return values.encode(value)
    except BaseException as exc:  # self-referencing or hostile values
        return {"$repr": f"<not encodable: {type(exc).__name__}: {_cap(str(exc), 200)}>"}


def _cap(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n] + "..."


def _describe(exc: BaseException, filename: str) -> protocol.CallError:
    """Type, message, and the innermost line of the user's own file in the traceback."""
    line = text = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is not None:
        text = linecache.getline(filename, line).strip() or None
    if line is None and isinstance(exc, SyntaxError) and exc.filename == filename:
        line, text = exc.lineno, str(exc.text or "").strip() or None
    try:
        message = str(exc)
    except BaseException:
        message = "<str() failed>"
    shown = exc.__traceback__
    while shown is not None and shown.tb_frame.f_code.co_filename == __file__:
        shown = shown.tb_next  # the worker's own frames say nothing about the user's code
    try:
        import traceback

        formatted = "".join(traceback.format_exception(type(exc), exc, shown))
    except BaseException:
        formatted = ""
    refused = (audit.SandboxDenied, audit.SandboxImportDenied)
    attempted = getattr(exc, "attempted", None) if isinstance(exc, refused) else None
    # A SyntaxError or SandboxDenied raised by user code may carry anything in its fields.
    return protocol.CallError(
        type=type(exc).__name__,
        message=_cap(message, _MESSAGE_CAP),
        line=line if type(line) is int else None,
        text=text if isinstance(text, str) else None,
        traceback=formatted[-_TRACEBACK_CAP:],
        attempted=None if attempted is None else str(attempted),
    )


def _use_lent(paths: tuple[str, ...], site_dirs: tuple[str, ...]) -> None:
    """The lent folders first on sys.path, project paths before site dirs; runs after the
    audit hook is in place, since site dirs' ``.pth`` files may execute imports."""
    import site

    before = list(sys.path)
    for folder in site_dirs:
        site.addsitedir(folder)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = [*paths, *added, *(p for p in before if p not in paths)]


def _interpreter_dirs() -> list[str]:
    import sysconfig

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    paths.update(v for k, v in sysconfig.get_paths().items() if k in ("stdlib", "platstdlib",
                                                                      "purelib", "platlib"))
    return sorted(paths)


def main(req_fd: int, resp_fd: int) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    Worker(req_fd, resp_fd).serve()
