"""The Python runner on well-behaved code: values, mutation, errors, timeouts, speed."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from verifier.sandbox import (
    CallStatus,
    Limits,
    PythonWorker,
    decode,
    encode,
    run_python_calls,
)

LIMITS = Limits(wall_seconds=20, cpu_seconds=30, memory_bytes=1 << 30, processes=16,
                open_files=64, file_size_bytes=1 << 20, output_bytes=4096)

MODULE = '''\
from collections import Counter


def second_largest(xs):
    """Largest value below the maximum."""
    m = max(xs)
    return max(x for x in xs if x != m)


def sort_in_place(a):
    a.sort()


def pow2(n):
    return 2 ** n


def collections_out(s, m, d):
    return s | {0}, m + Counter([0]), {k + 1: v for k, v in d.items()}, (len(s), len(m))


def chatty(n):
    print("x" * n)
    return n


def divide(a, b):
    q = a // b
    return q
'''


def run(function: str, calls: list[dict], **kw):
    return run_python_calls(MODULE, None, function, calls, limits=LIMITS, **kw)


def test_normal_function_returns_values() -> None:
    batch = run("second_largest", [{"xs": [3, 1, 2]}, {"xs": [5, 5, 4, -1]}])
    assert [c.status for c in batch.calls] == [CallStatus.RETURNED] * 2
    assert [c.result() for c in batch.calls] == [2, 4]
    assert batch.children == 1
    assert batch.violations == ()
    assert all(c.seconds >= 0 for c in batch.calls)


def test_positional_arguments_are_bound_to_parameter_names() -> None:
    batch = run("second_largest", [{"$args": [[1, 9, 8]]}])
    assert batch.calls[0].result() == 8
    assert batch.calls[0].args_after == {"xs": [1, 9, 8]}


def test_in_place_list_mutation_is_visible_after_the_call() -> None:
    batch = run("sort_in_place", [{"a": [3, 1, 2]}])
    call = batch.calls[0]
    assert call.ok and call.result() is None
    assert call.args_after == {"a": [1, 2, 3]}


def test_big_ints_are_exact_both_ways() -> None:
    batch = run("pow2", [{"n": 300}, {"n": 20000}])
    assert batch.calls[0].result() == 2**300
    assert batch.calls[1].result() == 2**20000


def test_sets_multisets_and_maps_round_trip_through_the_child() -> None:
    args = encode({"s": {1, 2}, "m": Counter({5: 2}), "d": {1: "a", 2: "b"}})
    batch = run("collections_out", [args])
    call = batch.calls[0]
    assert call.ok, call.error
    s, m, d, sizes = call.result()
    assert s == {0, 1, 2}
    assert m == Counter({5: 2, 0: 1})
    assert d == {2: "a", 3: "b"}
    assert sizes == [2, 1]  # tuples come back as lists; len(Counter) counts distinct keys
    assert decode(call.args_after["s"]) == {1, 2}


def test_exception_reports_type_message_and_the_line_in_the_users_file(tmp_path: Path) -> None:
    module = tmp_path / "impl.py"
    module.write_text(MODULE)
    batch = run_python_calls(None, module, "divide", [{"a": 1, "b": 0}, {"a": 7, "b": 2}],
                             limits=LIMITS)
    err = batch.calls[0].error
    assert batch.calls[0].status == CallStatus.RAISED and err is not None
    assert (err.type, err.line, err.text) == ("ZeroDivisionError", 28, "q = a // b")
    assert str(module) in err.traceback and "worker.py" not in err.traceback
    assert err.render(str(module)).startswith(f"{module}:28: ZeroDivisionError")
    assert batch.calls[1].result() == 3  # the batch goes on after an exception


def test_syntax_error_fails_the_load_with_its_line() -> None:
    batch = run_python_calls("def f(:\n    pass\n", None, "f", [{}, {}], limits=LIMITS)
    assert batch.load_error is not None and batch.load_error.type == "SyntaxError"
    assert batch.load_error.line == 1
    assert [c.status for c in batch.calls] == [CallStatus.NOT_RUN] * 2


def test_missing_function_and_bad_arguments_are_reported() -> None:
    assert run("nope", [{}]).load_error is not None
    batch = run("pow2", [{"m": 1}, {"n": 3}])
    assert batch.calls[0].status == CallStatus.BAD_INPUT
    assert batch.calls[1].result() == 8


def test_user_stdout_is_captured_capped_and_kept_off_the_protocol() -> None:
    batch = run("chatty", [{"n": 3}, {"n": 10_000}])
    assert batch.calls[0].stdout == "xxx\n" and not batch.calls[0].output_truncated
    assert batch.calls[1].result() == 10_000
    assert len(batch.calls[1].stdout) == LIMITS.output_bytes
    assert batch.calls[1].output_truncated


@pytest.mark.slow
def test_per_call_timeout_is_reported_and_the_batch_continues_in_a_fresh_child() -> None:
    source = "import time\ndef f(t):\n    time.sleep(t)\n    return t\n"
    batch = run_python_calls(source, None, "f", [{"t": 0}, {"t": 30}, {"t": 0.01}],
                             limits=LIMITS, call_timeout=1.0)
    statuses = [c.status for c in batch.calls]
    assert statuses == [CallStatus.RETURNED, CallStatus.TIMEOUT, CallStatus.RETURNED]
    assert batch.calls[2].result() == 0.01
    assert batch.children == 2
    assert batch.seconds < 15


def test_predicates_see_old_and_new_arguments_and_the_result() -> None:
    predicates = '''
def ensures_sorted(a):
    return all(a[i] <= a[i + 1] for i in range(len(a) - 1))

def ensures_permutation(a, old_a):
    return sorted(old_a) == a

def returns_nothing(result):
    return result is None

def _helper():
    return False
'''
    batch = run("sort_in_place", [{"a": [2, 1]}], predicates_source=predicates)
    assert batch.calls[0].predicates == {
        "ensures_sorted": True, "ensures_permutation": True, "returns_nothing": True}


def test_a_worker_serves_several_batches_with_one_child() -> None:
    with PythonWorker(module_source=MODULE, function="pow2", limits=LIMITS) as worker:
        first = worker.run([{"n": 1}])
        second = worker.run([{"n": 2}, {"n": 3}])
    assert [c.result() for c in (*first.calls, *second.calls)] == [2, 4, 8]
    assert first.children == 1 and second.children == 0
    assert not Path(first.report.scratch).exists()  # scratch removed on close


def test_thousands_of_calls_in_one_child_are_fast() -> None:
    calls = [{"xs": [i, i + 1, i + 2]} for i in range(2000)]
    started = time.monotonic()
    batch = run("second_largest", calls)
    elapsed = time.monotonic() - started
    assert [c.result() for c in batch.calls] == [i + 1 for i in range(2000)]
    assert batch.children == 1
    assert elapsed < 10, elapsed  # typically ~0.3 s


def test_report_names_the_active_mechanisms() -> None:
    report = run("pow2", [{"n": 1}]).report
    assert report.audit_hook and "audit-hook" in report.mechanisms
    assert report.scratch and not Path(report.scratch).exists()
    assert report.rlimits["memory_bytes"] == LIMITS.memory_bytes


def test_raw_fd_output_is_reported_once_per_batch() -> None:
    source = "import os\ndef f(tag):\n    os.write(1, tag.encode())\n    return tag\n"
    with PythonWorker(module_source=source, function="f", limits=LIMITS) as worker:
        first = worker.run([{"tag": "A"}])
        second = worker.run([{"tag": "B"}])
        time.sleep(0.2)  # the drain thread runs on its own clock: bytes may arrive late
        third = worker.run([])
    # Each byte is reported in exactly one batch, never repeated in the next.
    assert first.raw_stdout + second.raw_stdout + third.raw_stdout == b"AB"


def test_typical_translated_code_and_the_stdlib_work_under_the_hook() -> None:
    source = '''
from __future__ import annotations

import bisect, decimal, fractions, functools, heapq, itertools, math, random, re, string
from collections import Counter, deque, namedtuple
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")
Point = namedtuple("Point", "x y")


class Color(Enum):
    RED = 1


@dataclass(frozen=True)
class Node(Generic[T]):
    value: T
    next: Node[T] | None = None


@functools.lru_cache(maxsize=None)
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def f(xs: list[int]) -> tuple:
    h = list(xs)
    heapq.heapify(h)
    return (
        fib(90), heapq.heappop(h), bisect.bisect_left(sorted(xs), 2), math.isqrt(10**40),
        str(fractions.Fraction(1, 3) + 1), str(decimal.Decimal("1.1") * 3),
        re.sub("a", "b", "aa"), len(list(itertools.permutations(xs))),
        Counter("aab"), Node(1, Node(2)), Color.RED, Point(1, 2), deque([1]).pop(),
        random.Random(1).randrange(10) >= 0, string.digits,
    )
'''
    batch = run_python_calls(source, None, "f", [{"xs": [3, 1, 2]}], limits=LIMITS)
    assert batch.load_error is None, batch.load_error
    call = batch.calls[0]
    assert call.status == CallStatus.RETURNED, call.error
    value = call.result()
    assert value[:8] == [2880067194370816120, 1, 1, 10**20, "4/3", "3.3", "bb", 6]
    assert value[8] == Counter("aab")
    assert value[9] == {"$dataclass": "Node", "fields": {
        "value": 1, "next": {"$dataclass": "Node", "fields": {"value": 2, "next": None}}}}
    assert value[10:] == [{"$enum": "Color.RED"}, [1, 2], 1, True, "0123456789"]
