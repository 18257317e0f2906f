"""protocol.py: every message survives its encoding, and nothing else decodes.

Replies come from a process that runs untrusted code, so the decoder is the boundary:
a forged or damaged line must be refused as a whole, never half-read into a message.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.sandbox import protocol
from verifier.sandbox.child import install_worker
from verifier.sandbox.containment import python_for_unprivileged
from verifier.sandbox.protocol import (
    Call,
    Called,
    CallError,
    CallStatus,
    Init,
    Load,
    Loaded,
    LoadFailed,
    ProtocolError,
    Ready,
    Rejected,
)

ERROR = CallError("ValueError", "bad", line=3, text="raise ValueError('bad')",
                  traceback="Traceback ...", attempted=None)
REQUESTS = [
    Init(scratch="/tmp/s", deny_read=("/root", "/work"), audit=True, output_cap=4096,
         preload=True),
    Load(source="def f(x):\n    return x\n", filename="<module>", module_name="candidate",
         function="f", predicates="def post(result):\n    return True\n"),
    Call(index=7, nonce="ab12", args={"$args": [[1, 2]], "k": {"$set": [1]}}),
]
REPLIES = [
    Ready(pid=12, uid=1_999_999_999, python="3.11.2", audit=True),
    Loaded(violations=("open('/root/x', 'w')",), stdout="hi\n", stderr=""),
    LoadFailed(error=ERROR, violations=()),
    Called(index=7, nonce="ab12", status=CallStatus.RETURNED, seconds=0.25, stdout="x",
           output_dropped=3, value={"$multiset": [1, 1]}, args_after={"a": [1]},
           predicates={"post": True, "other": "error: ZeroDivisionError: x"},
           violations=("socket.connect to 127.0.0.1:80",)),
    Called(index=0, nonce="n", status=CallStatus.RAISED, error=ERROR),
    Rejected(message="no known 'op' tag"),
]


@pytest.mark.parametrize("message", REQUESTS, ids=lambda m: type(m).__name__)
def test_a_request_is_one_line_and_decodes_to_itself(message: protocol.Request) -> None:
    line = protocol.encode(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert protocol.decode_request(line) == message


@pytest.mark.parametrize("message", REPLIES, ids=lambda m: type(m).__name__)
def test_a_reply_decodes_to_itself(message: protocol.Reply) -> None:
    assert protocol.decode_reply(protocol.encode(message)) == message


def _called(**changes: object) -> bytes:
    wire = json.loads(protocol.encode(Called(index=0, nonce="n", status=CallStatus.RETURNED)))
    wire.update(changes)
    return json.dumps(wire).encode()


@pytest.mark.parametrize(("line", "reason"), [
    (b"not json", "not a JSON line"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"ok": true, "status": "returned", "value": 42}', "no known 'reply' tag"),
    (b'{"reply": ["called"]}', "no known 'reply' tag"),
    (protocol.encode(Call(index=0, nonce="n", args={})), "no known 'reply' tag"),
    (b'{"reply": "called", "index": 0, "status": "returned"}', "bad Called"),  # no nonce
    (_called(index=True), "index: expected int, got bool"),
    (_called(index="0"), "index: expected int, got str"),
    (_called(seconds="fast"), "expected a number"),
    (_called(status="bogus"), "bad Called"),
    (_called(status=1), "expected a status string"),
    (_called(status="timeout"), "a child cannot report 'timeout'"),
    (_called(extra=1), "unknown field 'extra'"),
    (_called(violations="socket"), "expected a list of strings"),
    (_called(violations=[1]), "expected a list of strings, got [1]"),
    (_called(predicates={"post": 1}), "expected an object of bool or str verdicts"),
    (_called(args_after=[1]), "args_after: expected dict, got list"),
    (_called(error="boom"), "expected an error object"),
    (_called(error={"type": "E", "message": "m", "line": "3"}), "line: expected int or NoneType"),
    (_called(error={"type": "E"}), "bad Called"),  # CallError without its message
])
def test_anything_but_a_reply_is_refused_whole(line: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=re.escape(reason)) as info:
        protocol.decode_reply(line)
    assert info.value.excerpt == line[:200]


def test_a_malformed_request_is_refused() -> None:
    with pytest.raises(ProtocolError, match="bad Init"):
        protocol.decode_request(b'{"op": "init", "scratch": "/tmp"}')  # no deny_read


def test_the_child_side_is_stdlib_only_and_never_imports_typing(tmp_path: Path) -> None:
    """The worker, the messages and the values load as top-level modules in the child's
    own Python, from the copy a child gets: without `typing` (~10 ms of start-up), and
    from the bytecode shipped beside them (nothing is compiled at start-up)."""
    python = python_for_unprivileged() or sys.executable
    sandbox_dir = install_worker(tmp_path)
    code = ("import sys\n"
            "compiled = []\n"
            "sys.addaudithook(lambda e, a: compiled.append(a[1])\n"
            "                 if e == 'compile' and str(a[1]).endswith('.py') else None)\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "import worker\n"
            "print('typing' in sys.modules, compiled, [m for m in sys.modules if 'verifier' in m])")
    done = subprocess.run([python, "-I", "-B", "-c", code, str(sandbox_dir)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False [] []", done.stdout + done.stderr
    assert sorted(p.name for p in sandbox_dir.glob("*.py")) == [
        "audit.py", "protocol.py", "values.py", "worker.py"]


def test_bytecode_that_does_not_match_its_source_is_not_used(tmp_path: Path) -> None:
    python = python_for_unprivileged() or sys.executable
    sandbox_dir = install_worker(tmp_path)
    target = sandbox_dir / "protocol.py"
    sandbox_dir.chmod(0o755)
    target.chmod(0o644)
    target.write_bytes(target.read_bytes() + b"\nEDITED = True\n")
    code = "import sys; sys.path.insert(0, sys.argv[1]); import protocol; print(protocol.EDITED)"
    done = subprocess.run([python, "-I", "-B", "-c", code, str(sandbox_dir)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
