"""End to end with the real Lean (the WebAssembly build from `proofroute setup`).

Each Lean run costs ~15-25 s and ~2 GB, so cases are batched into few files; the verdict
rules themselves are covered in detail on recorded outputs (test_verdict_recorded.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from verifier.backends import get_backend
from verifier.backends.lean import LeanBackend, backend

from verifier.results import Severity, Verdict

PROVED = """\
def double (n : Nat) : Nat := 2 * n
def mirror (l : List Nat) : List Nat := l.reverse ++ l

theorem double_add (n : Nat) : double n = n + n := by unfold double; omega

theorem mirror_length (l : List Nat) : (mirror l).length = 2 * l.length := by
  simp [mirror]; omega

namespace Demo
theorem em' (p : Prop) : p ∨ ¬p := Classical.em p
def sumTo : Nat → Nat
  | 0 => 0
  | n + 1 => (n + 1) + sumTo n
theorem sum_formula (n : Nat) : n ≤ sumTo n := by
  induction n with
  | zero => simp [sumTo]
  | succ k ih => simp only [sumTo]; omega
end Demo
"""

MIXED = """\
theorem fine : 2 + 2 = 4 := rfl
theorem wrong : 2 + 2 = 5 := rfl
theorem unfinished (n : Nat) : n * 0 = 0 := by sorry
theorem also_wrong (n : Nat) : n + 1 = n := by omega
"""

# Lean itself exits 0 with no message at all on this file.
AXIOM_ONLY = """\
axiom magic : ∀ n : Nat, n = 0
theorem clean (n : Nat) : n + 0 = n := by simp
theorem by_magic : (5 : Nat) = 0 := magic 5
"""


pytestmark = [pytest.mark.slow, pytest.mark.lean]


def by_name(result):
    return {o.name: o.verdict for o in result.obligations}


def test_proved_and_mixed_files_two_cold_processes_in_parallel_then_cached():
    proved = PROVED
    b = backend(jobs=2, cache=True, cold=True)
    ok, mixed = b.check_many([proved, MIXED], timeout=600)

    assert ok.verdict == Verdict.VERIFIED, ok.diagnostics
    assert by_name(ok) == {n: Verdict.VERIFIED for n in
                           ("double_add", "mirror_length", "Demo.em'", "Demo.sum_formula")}
    assert ok.toolchain == "lean-wasm" and ok.toolchain_version
    assert any(d.kind == "adaptation" and d.severity == Severity.INFO for d in ok.diagnostics)
    assert not ok.errors

    assert mixed.verdict == Verdict.REFUTED
    assert by_name(mixed) == {"fine": Verdict.VERIFIED, "wrong": Verdict.REFUTED,
                              "unfinished": Verdict.UNKNOWN, "also_wrong": Verdict.REFUTED}
    errors = [(d.kind, d.line) for d in mixed.errors]
    assert ("error", 2) in errors and ("error", 4) in errors and ("sorry", 3) in errors
    omega = next(d for d in mixed.errors if d.line == 4)
    assert omega.col == 48 and "omega" in omega.message  # Lean: 0-based column 47

    again = b.check(proved, timeout=600)
    assert again.cached and again.verdict == Verdict.VERIFIED


def test_warm_session_gives_the_same_verdicts(real_lean):
    proved = PROVED
    ok = real_lean.check(proved, timeout=600)
    mixed = real_lean.check(MIXED, timeout=600)
    assert ok.verdict == Verdict.VERIFIED, ok.diagnostics
    assert mixed.verdict == Verdict.REFUTED
    assert by_name(mixed) == {"fine": Verdict.VERIFIED, "wrong": Verdict.REFUTED,
                              "unfinished": Verdict.UNKNOWN, "also_wrong": Verdict.REFUTED}
    assert real_lean.available().details["check"].startswith("warm session")


def test_axiom_use_is_unknown_although_lean_is_silent(real_lean):
    r = real_lean.check(AXIOM_ONLY, timeout=600, filename="ax.lean")
    assert r.verdict == Verdict.UNKNOWN
    assert by_name(r)["by_magic"] == Verdict.UNKNOWN
    kinds = {(d.kind, d.line) for d in r.diagnostics}
    assert ("axiom", 1) in kinds  # the declaration, from the scan
    assert ("unknown-construct", 1) in kinds  # the trusted driver stops at the `axiom` command
    assert all(d.file == "ax.lean" for d in r.diagnostics)


@pytest.mark.parametrize(
    ("src", "needle"),
    [
        ("def g (n : Nat) : Nat := n + 1\n@[implemented_by g] def f (n : Nat) : Nat := n\n"
         "theorem t : f 3 = 3 := by decide\n", "implemented_by"),
        ("theorem t : 10 < 20 := by native_decide\n", "native_decide"),
        ('macro "decide" : tactic => `(tactic| exact sorry)\ntheorem t : 1 = 2 := by decide\n', "custom syntax"),
        ("set_option debug.skipKernelTC true in\ntheorem t : 2 + 2 = 4 := rfl\n", "debug.skipKernelTC"),
        ("theorem t : True := by\n  run_tac pure ()\n  trivial\n", "executed at check time"),
        ("#eval IO.println \"hi\"\ntheorem t : True := trivial\n", "#eval"),
    ],
)
def test_cheats_that_lean_accepts_silently_are_refused(real_lean, src, needle):
    r = real_lean.check(src, timeout=300)
    assert r.verdict == Verdict.UNKNOWN
    assert by_name(r) == {"t": Verdict.UNKNOWN}
    assert any(d.kind == "unsound" and needle in d.message for d in r.diagnostics), r.diagnostics
    assert r.seconds < 5  # refused before Lean runs


TASK = """\
def double (n : Nat) : Nat := sorry

def rev (l : List Nat) : List Nat := sorry

theorem double_add (n : Nat) : double n = n + n := sorry

theorem rev_length (l : List Nat) : (rev l).length = l.length := sorry
"""

UNITS = """\
/-- info: 6 -/
#guard_msgs in
#eval double 3

/-- info: [3, 2, 1] -/
#guard_msgs in
#eval rev [1, 2, 3]
"""

ANSWER = """\
def double (n : Nat) : Nat := 2 * n

def rev (l : List Nat) : List Nat := l.reverse

theorem helper (n : Nat) : 2 * n = n + n := by omega

theorem double_add (n : Nat) : double n = n + n := by unfold double; exact helper n

theorem rev_length (l : List Nat) : (rev l).length = l.length := by simp [rev]
"""


def test_task_with_units_verified_and_wrong_program_refuted(real_lean):
    b = real_lean
    wrong = ANSWER.replace("2 * n", "n + n + (if n = 3 then 1 else 0)").replace(
        "by unfold double; exact helper n", "by unfold double; sorry")
    ok = b.check_task(ANSWER, task=TASK, units=UNITS, timeout=600)
    assert ok.verdict == Verdict.VERIFIED, ok.diagnostics
    assert by_name(ok) == {"double_add": Verdict.VERIFIED, "helper": Verdict.VERIFIED,
                           "rev_length": Verdict.VERIFIED, "units": Verdict.VERIFIED,
                           "unit 1": Verdict.VERIFIED, "unit 2": Verdict.VERIFIED}
    assert {o.detail for o in ok.obligations if o.name.startswith("unit ")} == {"kernel"}
    assert any(d.kind == "adaptation" and "kernel" in d.message for d in ok.diagnostics)

    bad = b.check_task(wrong, task=TASK, units=UNITS, timeout=600)
    assert bad.verdict == Verdict.REFUTED
    assert by_name(bad)["units"] == Verdict.REFUTED
    failed = [d for d in bad.diagnostics if d.kind == "unit-failed"]
    assert len(failed) == 1 and "double 3 (expected 6)" in failed[0].message


LOG_TASK = """\
def steps (n : Nat) : Nat := sorry

theorem steps_zero : steps 0 = 0 := sorry
"""

LOG_UNITS = """\
/-- info: 3 -/
#guard_msgs in
#eval steps 8

/-- info: 0 -/
#guard_msgs in
#eval steps 1
"""

# Well-founded recursion: the elaborator's `decide` cannot unfold it, the kernel can.
LOG_ANSWER = """\
def steps (n : Nat) : Nat := if n ≤ 1 then 0 else steps (n / 2) + 1
termination_by n
decreasing_by omega

theorem steps_zero : steps 0 = 0 := by unfold steps; simp
"""


def test_units_on_well_founded_recursion_are_decided_by_the_kernel(real_lean):
    ok = real_lean.check_task(LOG_ANSWER, task=LOG_TASK, units=LOG_UNITS, timeout=600)
    assert ok.verdict == Verdict.VERIFIED, ok.diagnostics
    assert by_name(ok)["units"] == Verdict.VERIFIED
    # a wrong expectation only the kernel can evaluate: the kernel proves its negation
    wrong = real_lean.check_task(LOG_ANSWER, task=LOG_TASK,
                                 units=LOG_UNITS.replace("info: 3", "info: 4"), timeout=600)
    assert by_name(wrong)["units"] == Verdict.REFUTED and wrong.verdict == Verdict.REFUTED
    assert by_name(wrong)["unit 1"] == Verdict.REFUTED and by_name(wrong)["unit 2"] == Verdict.VERIFIED
    (failed,) = [d for d in wrong.diagnostics if d.kind == "unit-failed"]
    assert "steps 8 (expected 4)" in failed.message and "the kernel proved" in failed.message
    # a unit neither side of which `decide` can prove (no decidable equality on Float) and
    # that `#eval` cannot run here either (no compiled `List.reverse` in this build) is
    # unchecked: neither passed nor failed (a Float unit `#eval` can run: test_eval_real.py)
    floats = real_lean.check_task(
        LOG_ANSWER + "\ndef lastF (l : List Float) : Float := l.reverse.headD 0.0\n", task=LOG_TASK,
        units=LOG_UNITS + "\n/-- info: 2.000000 -/\n#guard_msgs in\n#eval lastF [1.0, 2.0]\n",
        timeout=900)  # fmt: skip
    assert floats.verdict == Verdict.UNKNOWN and by_name(floats)["units"] == Verdict.UNKNOWN
    assert by_name(floats)["unit 3"] == Verdict.UNKNOWN
    assert [d.kind for d in floats.diagnostics if d.severity != Severity.INFO] == ["unit-unchecked"]


def test_statement_change_is_a_mismatch(real_lean):
    cheat = ANSWER.replace(
        "theorem double_add (n : Nat) : double n = n + n",
        "theorem double_add (n : Nat) (h : n = 0) : double n = n + n",
    ).replace("by unfold double; exact helper n", "by subst h; rfl")
    r = real_lean.check_task(cheat, task=TASK, timeout=600)
    assert r.verdict == Verdict.UNKNOWN
    assert by_name(r)["double_add"] == Verdict.UNKNOWN
    assert by_name(r)["rev_length"] == Verdict.VERIFIED
    (m,) = [d for d in r.diagnostics if d.kind == "statement-mismatch"]
    assert m.line == 7 and "double_add" in m.message

    # Same text, same context, other meaning: a new `Add Nat` instance changes what `+`
    # elaborates to. A local one is outside the allowlist; a global one is reported by the
    # trusted driver as an instance of a library class on library types.
    for kind in ("local instance", "instance"):
        sneaky = ANSWER.replace("def double (n : Nat) : Nat := 2 * n", "def double (n : Nat) : Nat := n + n").replace(
            "theorem double_add (n : Nat) : double n = n + n := by unfold double; exact helper n",
            f"section\n{kind} evilAdd : Add Nat := ⟨Nat.add⟩\n"
            "theorem double_add (n : Nat) : double n = n + n := rfl\nend",
        )
        r = real_lean.check_task(sneaky, task=TASK, timeout=600)
        assert r.verdict == Verdict.UNKNOWN, kind
        assert by_name(r)["double_add"] == Verdict.UNKNOWN, kind
        assert any(d.line == 8 and d.kind in ("unknown-construct", "unsound") for d in r.diagnostics), (
            kind, r.diagnostics)


def test_mathlib_task_is_a_toolchain_mismatch(real_lean):
    src = "import Mathlib\n\ntheorem t (a b : ℕ) : a + b = b + a := by ring\n"
    r = real_lean.check_task(src, task="import Mathlib\n\ntheorem t (a b : ℕ) : a + b = b + a := sorry\n")
    assert r.verdict == Verdict.UNKNOWN
    assert by_name(r) == {"t": Verdict.UNKNOWN}
    d = next(d for d in r.diagnostics if d.kind == "toolchain-mismatch")
    assert d.line == 1 and "Mathlib" in d.message and "--lean-project" in d.message


def test_timeout_is_unknown_and_kills_lean_cold():
    r = LeanBackend(cache=False, cold=True).check(PROVED, timeout=3)
    assert r.verdict == Verdict.UNKNOWN
    assert [d.kind for d in r.errors] == ["timeout"]
    assert r.seconds < 15
    assert all(o.verdict == Verdict.UNKNOWN for o in r.obligations)


def test_registry_and_availability():
    b = get_backend("lean", cache=False, cold=True, jobs=2, lean_project=None, unknown_option=1)
    info = b.available()
    assert info.ok and info.version == "4.28.0-pre"
    assert info.details["mathlib"] == "no"
    assert "WebAssembly" in info.details["toolchain"]


def test_cli_verify_lean_file(tmp_path):
    path = tmp_path / "ax.lean"
    path.write_text(AXIOM_ONLY)
    proc = subprocess.run([sys.executable, "-m", "verifier", "verify", "--json", "--timeout", "900", str(path)],
                          capture_output=True, text=True, timeout=600)
    data = json.loads(proc.stdout)["results"]
    text = json.dumps(data)
    assert proc.returncode != 0
    assert "unknown" in text and "axiom" in text


def test_prestart_never_waits_and_reuses_an_idle_session(real_lean):
    tc = real_lean.toolchain()
    pool = real_lean._session_pool(tc)
    key = ("Init", *tc.dialect.header_imports)
    real_lean.warm_up()  # the shared backend's last check may have used other imports
    before = dict(pool._count)
    started = time.monotonic()
    real_lean.prestart()  # the fixture's session is idle: taken and given back
    assert time.monotonic() - started < 1
    assert pool._count == before and pool._idle.get(key)


def test_checks_wait_for_the_starting_session_instead_of_a_second_process(monkeypatch):
    """A fresh process costs what a session's start-up costs (docs/lean.md): the first
    check of a backend starts a session and waits for it, one made while a session starts
    waits too, and the session serves the next check. No check here runs cold."""
    b = LeanBackend(cache=False, jobs=1)

    def cold(*args, **kwargs):
        raise AssertionError("a check ran in a fresh process beside the session")

    monkeypatch.setattr(b, "_run_file", cold)
    try:
        b.prestart()  # starting, not waited for
        first = b.check(PROVED, timeout=600)
        (pid,) = b.session_pids()
        second = b.check(MIXED, timeout=600)
        assert first.verdict == Verdict.VERIFIED, first.diagnostics
        assert second.verdict == Verdict.REFUTED
        assert b.session_pids() == (pid,)
    finally:
        b.close()


def test_zz_warm_timeout_answered_in_session_then_uninterruptible_one_replaces_it(real_lean):
    """Kills the shared warm session on purpose (at the end). A kernel overrun is stopped
    by the driver's deadline (the session stays); a big-number product, which does not
    poll it, is killed by the wall clock and the pool starts a fresh session."""
    tc = real_lean.toolchain()
    pool = real_lean._session_pool(tc)
    key = ("Init",)
    session = pool.acquire(key)
    try:
        slow = "".join(f"theorem slow{i} : ∀ a, a < 60 → ∀ b, b < 60 → a * b ≠ {3599 + i} := "
                       "by decide +kernel\n" for i in range(12))  # ~2 s of kernel each
        out = session.check(slow, timeout=5)
        assert out.timed_out and out.session_survived and session.alive
        huge = "theorem huge : 3 ^ 10000000 * 7 ^ 10000000 % 2 = 1 := by decide +kernel\n"
        out = session.check(huge, timeout=5)
    finally:
        pool.release(session)
    assert out.timed_out and out.session_survived is False and not session.alive
    assert real_lean.warm_up() > 1  # a fresh session had to start
    again = real_lean.check(AXIOM_ONLY, timeout=600)
    assert by_name(again)["by_magic"] == Verdict.UNKNOWN
    assert again.seconds < 30  # answered by the new warm session


OWNER = """
import sys, time
from verifier.backends.lean import LeanBackend
from verifier.backends.lean.session import WarmSession
tc = LeanBackend(cache=False).toolchain()
session = WarmSession(tc.argv, tc.environ(), ("Init",))
session.wait_ready()
print(session.proc.pid, flush=True)
time.sleep(600)
"""


def test_a_warm_session_ends_when_its_owner_is_killed() -> None:
    """A Ray worker killed for memory, a SIGKILLed CLI: the session must not live on
    (each holds gigabytes; orphans of a CI run once filled a 23 GB machine)."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    keeper = int(owner.stdout.readline())
    lean = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
            and _ppid(p) == keeper]
    assert lean, "no Lean under the lifeline"
    owner.kill()
    owner.wait()
    deadline = time.monotonic() + 15
    while Path(f"/proc/{lean[0]}").exists() and _state(lean[0]) != "Z":
        assert time.monotonic() < deadline, "the Lean session outlived its owner"
        time.sleep(0.1)


def _ppid(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


NTH = "def nth (xs : List Nat) (i : Nat) : Option Nat :=\n  sorry\n\n"
NTH_NIL = "theorem nth_nil (i : Nat) : nth [] i = none :=\n  sorry\n"
NTH_ANSWER = ("def nth (xs : List Nat) (i : Nat) : Option Nat := xs[i]?\n\n"
              "theorem nth_nil (i : Nat) : nth [] i = none := by simp [nth]\n")  # fmt: skip


def test_task_statements_warning_only_when_the_task_does_not_elaborate(real_lean):
    ok = real_lean.check_task(NTH_ANSWER, task=NTH + NTH_NIL, timeout=600)
    assert ok.verdict == Verdict.VERIFIED, ok.diagnostics
    assert not [d for d in ok.diagnostics if d.severity == Severity.WARNING], ok.diagnostics
    # the same answer to a task naming `List.get?`, which this Lean no longer has
    legacy = NTH + NTH_NIL.replace("nth [] i = none", "nth [] i = [].get? i")
    bad = real_lean.check_task(NTH_ANSWER, task=legacy, timeout=600)
    assert bad.verdict != Verdict.VERIFIED
    (warning,) = [d for d in bad.diagnostics if d.kind == "adaptation" and d.severity == Severity.WARNING]
    assert "did not elaborate" in warning.message and "get?" in warning.message


# The task's unit blocks repeated in a whole-file reply: taken out and checked once as the
# task's units; a changed block or another `#eval` stays model text and is refused.
WHOLE_FILE_ANSWER = ANSWER + "\n" + UNITS


def test_whole_file_reply_with_the_tasks_unit_blocks(real_lean):
    ok = real_lean.check_task(WHOLE_FILE_ANSWER, task=TASK, units=UNITS, timeout=600)
    assert ok.verdict == Verdict.VERIFIED, ok.diagnostics
    assert [o.name for o in ok.obligations if o.name.startswith("unit")] == ["units", "unit 1", "unit 2"]
    assert {o.detail for o in ok.obligations if o.name.startswith("unit ")} == {"kernel"}

    first_block = WHOLE_FILE_ANSWER.splitlines().index("/-- info: 6 -/") + 1
    changed = real_lean.check_task(WHOLE_FILE_ANSWER.replace("info: 6", "info: 7"), task=TASK,
                                   units=UNITS, timeout=600)
    assert changed.verdict == Verdict.UNKNOWN
    refused = [(d.kind, d.line) for d in changed.errors]
    assert ("unsound", first_block) in refused, changed.diagnostics
    assert any("not one of the task's unit tests" in d.message for d in changed.errors)

    extra = real_lean.check_task(WHOLE_FILE_ANSWER + "\n#eval double 5\n", task=TASK, units=UNITS,
                                 timeout=600)
    assert extra.verdict == Verdict.UNKNOWN
    eval_line = (WHOLE_FILE_ANSWER + "\n#eval double 5\n").splitlines().index("#eval double 5") + 1
    assert any(d.kind == "unsound" and d.line == eval_line and d.col == 1 and "#eval" in d.message
               for d in extra.errors), extra.diagnostics


USER_UNITS_FILE = """\
def double (n : Nat) : Nat := 2 * n
def half (x : Float) : Float := x / 2

theorem double_add (n : Nat) : double n = n + n := by unfold double; omega

/-- info: 6 -/
#guard_msgs in
#eval double 3

/-- info: 7 -/
#guard_msgs in
#eval double 4
"""

FLOAT_UNIT = """
/-- info: 1.500000 -/
#guard_msgs in
#eval half 3.0
"""


def test_cli_verify_checks_a_files_own_unit_blocks(tmp_path):
    """A user's `#guard_msgs in #eval` blocks are the file's units: a failing one is
    REFUTED at its line; a Float one, which the kernel cannot decide, is run by `#eval`
    in the sandbox and passes there."""
    refuted, by_eval = tmp_path / "refuted.lean", tmp_path / "by_eval.lean"
    refuted.write_text(USER_UNITS_FILE)
    by_eval.write_text(USER_UNITS_FILE.replace("info: 7", "info: 8") + FLOAT_UNIT)
    proc = subprocess.run([sys.executable, "-m", "verifier", "verify", "--json", "--cold", "--jobs", "1",
                           "--no-cache", "--timeout", "900", str(refuted), str(by_eval)],
                          capture_output=True, text=True, timeout=1800)
    bad, float_ = json.loads(proc.stdout)["results"]
    assert proc.returncode == 1  # the worst: refuted
    assert bad["verdict"] == "refuted", bad
    units = {o["name"]: (o["verdict"], o["detail"]) for o in bad["obligations"]}
    assert units["double_add"][0] == "verified"
    assert units["unit 1"] == ("verified", "kernel") and units["unit 2"] == ("refuted", "refuted")
    (failed,) = [d for d in bad["diagnostics"] if d["kind"] == "unit-failed"]
    assert failed["line"] == 10 and "double 4 (expected 7)" in failed["message"]

    assert float_["verdict"] == "verified", float_
    units = {o["name"]: (o["verdict"], o["detail"]) for o in float_["obligations"]}
    assert units["unit 1"] == ("verified", "kernel") and units["unit 2"] == ("verified", "kernel")
    assert units["unit 3"] == ("verified", "eval") and units["units"][0] == "verified"
    assert not [d for d in float_["diagnostics"] if d["kind"] == "unit-unchecked"]
