"""Per-request deadlines in the warm session, with the real WebAssembly Lean.

The driver sets an `IO.CancelToken` when a request's budget runs out; the elaborator and
the kernel poll it, so an overrunning check is answered "timeout" by the driver itself
and the same process serves the next check. Work that does not poll the token (one huge
big-number operation) is still killed by the wall clock, `grace` seconds after the budget.
"""

from __future__ import annotations

import time

import pytest
from verifier.backends.lean import toolchain
from verifier.backends.lean.session import WarmSession

from verifier.results import Verdict

pytestmark = [pytest.mark.slow, pytest.mark.lean]

GOOD = "theorem good (n : Nat) : n + 0 = n := by simp\n"
# `decide` evaluates 40^3 cases in the elaborator (Meta-level whnf), far beyond 5 s
ELAB_LOOP = (
    "set_option maxHeartbeats 0 in\n"
    "theorem slow_elab : ∀ a b c : Fin 40, a + b + c = c + b + a := by decide\n"
)
# `decide +kernel` leaves the evaluation to the kernel (`addDeclCore … cancelTk?`)
KERNEL_LOOP = "theorem slow_kernel : (List.range 200000).foldl (· + ·) 0 = 19999900000 := by decide +kernel\n"
# one multiplication of numbers of tens of millions of bits: no interrupt check inside
BIGNUM = "theorem huge : 3 ^ 10000000 * 7 ^ 10000000 * (5 ^ 10000000 * 11 ^ 10000000) % 2 = 1 := by decide +kernel\n"

BUDGET = 5.0
GRACE = 6.0


@pytest.fixture(scope="module")
def session():
    tc, why = toolchain.detect()
    if tc is None or tc.kind != "wasm":
        pytest.fail(f"WebAssembly Lean missing: {why} (run `proofroute setup --only lean`)")
    s = WarmSession(tc.argv, tc.environ(), ("Init",), grace=GRACE)
    s.wait_ready()
    yield s
    s.close()


def timed(session: WarmSession, text: str, budget: float):
    started = time.monotonic()
    out = session.check(text, budget)
    return out, time.monotonic() - started


def assert_good(session: WarmSession, pid: int) -> None:
    out, _ = timed(session, GOOD, 120)
    assert not out.timed_out and out.session_survived
    assert [r.tag for r in out.records] == ["decl theorem false 1 0"]
    assert out.returncode == 0 and out.stray == ()
    assert session.proc.pid == pid and session.alive


@pytest.mark.parametrize("text", [ELAB_LOOP, KERNEL_LOOP], ids=["elaborator", "kernel"])
def test_an_overrun_is_answered_by_the_driver_and_the_same_process_checks_on(session, text):
    pid = session.proc.pid
    out, seconds = timed(session, text + GOOD, BUDGET)
    assert out.timed_out and out.session_survived is True
    assert out.records == () and out.messages == ()  # what it had reported is void
    assert BUDGET - 0.5 <= seconds < BUDGET + GRACE, seconds  # answered, not killed
    assert session.proc.pid == pid and session.alive
    assert_good(session, pid)


def test_work_that_ignores_the_token_is_killed_by_the_wall_clock(session):
    # last in this file: it ends the module's session
    out, seconds = timed(session, BIGNUM, BUDGET)
    assert out.timed_out and out.session_survived is False
    assert seconds >= BUDGET + GRACE
    assert not session.alive


def test_a_timeout_is_never_verified_and_the_backend_keeps_its_session(real_lean):
    pids = real_lean.session_pids()
    assert len(pids) == 1
    # `good` is elaborated before the deadline, but an interrupted file reports nothing
    result = real_lean.check(GOOD + ELAB_LOOP, timeout=BUDGET)
    assert result.verdict == Verdict.UNKNOWN
    assert any(d.kind == "timeout" for d in result.diagnostics), result.diagnostics
    assert all(o.verdict != Verdict.VERIFIED for o in result.obligations), result.obligations
    assert real_lean.session_pids() == pids
    after = real_lean.check(GOOD, timeout=120)
    assert after.verdict == Verdict.VERIFIED, after.diagnostics
    assert real_lean.session_pids() == pids
