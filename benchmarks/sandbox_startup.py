"""Sandbox start-up: where the time to a trivial module's first result goes, and what a
warm spare (`SandboxPool`) leaves of it.

    python benchmarks/sandbox_startup.py [--repeat N] [--gap S] [--baseline REV] [--heavy]
                                         [--json FILE] [--no-phases]

Why: the generate loop quick-tests each candidate in a fresh sandbox child, and starting
that child was most of the quick test's cost (issue 5 §8: proofroute's own overhead must
stay < 10 % of Dafny's time). All variants run interleaved, round-robin, `--repeat` times,
and medians are reported, because the machine is shared and timings drift.

Parts:

1. end to end, from constructing `PythonWorker` to its first result, and to `close()`
   returning: the cold path (a child started on demand), the same through a
   `SandboxPool` with `--gap` seconds between candidates (the loop spends that in Dafny;
   the spare boots meanwhile), and two candidates back to back (gap 0: the second finds
   the second spare, or with ``spares=1`` the replacement still booting);
   with `--baseline REV`, the sandbox package as committed at REV (exported with
   ``git show``, nothing in the work tree changes) runs the cold path, the pool back to
   back and 1000 calls in one child (the per-call protocol cost) too;
2. the child's start-up by phase, each as the difference between two variants run side by
   side: interpreter start (with and without ``site``), jail set-up (scratch dir, cgroup
   directory), each step of the pre-exec jail (setsid, pids-cgroup move, rlimits,
   ``unshare(CLONE_NEWNET)``, uid switch), the worker's imports (with the bytecode a child
   gets, compiled from source, and as at ``--baseline REV``; in wall time and, less moved by
   the machine's load, in the child's CPU time), the audit hook, and then
   on a real child: spawn, ``init`` (boot + hook), ``load``, one call, kill, teardown.

``--heavy`` imports z3 and hypothesis first, as the loop's parent has them (fork copies
the parent's page tables, so a big parent forks slower).
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

from verifier.sandbox import UNTRUSTED_DEFAULTS, PythonWorker, SandboxPool
from verifier.sandbox.child import Child, install_worker
from verifier.sandbox.containment import (
    Jail,
    host_support,
    python_for_unprivileged,
    unshare,
)
from verifier.sandbox.limits import apply_rlimits
from verifier.sandbox.protocol import Call, Called, Load, Loaded, Ready

ROOT = Path(__file__).resolve().parents[1]
SANDBOX = ROOT / "verifier" / "sandbox"
MODULE = "def f(x):\n    return x + 1\n"
CALL = [{"x": 1}]
LIMITS = UNTRUSTED_DEFAULTS

Timer = Callable[[], dict[str, float]]


# -- part 1: end to end --------------------------------------------------------------------
def _worker_timer(cls: type, **extra: object) -> Timer:
    def run() -> dict[str, float]:
        t0 = time.perf_counter()
        worker = cls(module_source=MODULE, function="f", limits=LIMITS, **extra)
        batch = worker.run(CALL)
        t1 = time.perf_counter()
        worker.close()
        t2 = time.perf_counter()
        assert batch.calls[0].result() == 2, batch
        return {"first result": t1 - t0, "incl. close": t2 - t0}

    return run


def _batch_timer(cls: type, calls: int = 1000) -> Timer:
    """Per-call cost in a child that is already up: the protocol round trip dominates."""
    def run() -> dict[str, float]:
        with cls(module_source=MODULE, function="f", limits=LIMITS) as worker:
            worker.run(CALL)  # start the child and load the module, not timed
            t0 = time.perf_counter()
            batch = worker.run([{"x": i} for i in range(calls)])
            t1 = time.perf_counter()
        assert batch.calls[-1].result() == calls, batch.calls[-1]
        return {"per call (x1000)": (t1 - t0) / calls * 1000}

    return run


def _pool_timer(pool: SandboxPool, gap: float, worker: type = PythonWorker) -> Timer:
    def run() -> dict[str, float]:
        if gap:
            time.sleep(gap)  # the loop is in Dafny now; the spare boots meanwhile
        else:
            _worker_timer(worker, pool=pool)()  # the previous candidate, not timed
        return _worker_timer(worker, pool=pool)()

    return run


def _baseline(rev: str) -> types.ModuleType:
    """The sandbox package as committed at `rev`, importable under another name."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{rev}:verifier/sandbox"],
                           capture_output=True, text=True, check=True).stdout.split()
    name = "_sandbox_baseline"
    holder = Path(tempfile.mkdtemp(prefix="sbx-baseline-"))
    atexit.register(shutil.rmtree, holder, True)
    target = holder / name
    target.mkdir()
    for file in files:
        if not file.endswith(".py"):
            continue
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:verifier/sandbox/{file}"],
                              capture_output=True, text=True, check=True).stdout
        (target / file).write_text(re.sub(r"\bverifier\.sandbox\b", name, text))
    sys.path.insert(0, str(target.parent))
    return importlib.import_module(name)


# -- part 2: phases -------------------------------------------------------------------------
def _spawn_timer(argv: list[str], preexec: Callable[[Jail], None] | None = None,
                 jail: bool = False) -> Callable[[], float]:
    def run() -> float:
        j = Jail(LIMITS) if jail or preexec else None
        try:
            t0 = time.perf_counter()
            subprocess.run(argv, preexec_fn=(lambda: preexec(j)) if preexec and j else None,
                           cwd=j.scratch if j else None, check=True, env=j.env() if j else None)
            return time.perf_counter() - t0
        finally:
            if j is not None:
                j.close()

    return run


def _cpu_timer(argv: list[str]) -> Callable[[], float]:
    """CPU seconds (user + sys, from wait4) the child used: on a shared, loaded machine
    this moves far less than wall time, so small start-up differences stay visible."""
    def run() -> float:
        proc = subprocess.Popen(argv)
        _, status, usage = os.wait4(proc.pid, 0)
        assert status == 0, argv
        return usage.ru_utime + usage.ru_stime

    return run


def _pre_setsid(j: Jail) -> None:
    os.setsid()


def _pre_cgroup(j: Jail) -> None:
    os.setsid()
    if j.cgroup is not None:
        fd = os.open(j.cgroup / "cgroup.procs", os.O_WRONLY)
        os.write(fd, b"0")
        os.close(fd)


def _pre_rlimits(j: Jail) -> None:
    os.setsid()
    apply_rlimits(j.limits, processes=j.process_limit)


def _pre_netns(j: Jail) -> None:
    os.setsid()
    if j.netns:
        unshare(j.support.netns_flags)


def _pre_uid(j: Jail) -> None:
    os.setsid()
    if j.uid is not None:
        os.setgroups([])
        os.setgid(j.uid)
        os.setuid(j.uid)


def _jail_timer(use_cgroup: bool) -> Callable[[], float]:
    def run() -> float:
        t0 = time.perf_counter()
        j = Jail(LIMITS, use_cgroup=use_cgroup)
        t = time.perf_counter() - t0
        j.close()
        return t

    return run


def _child_phases() -> dict[str, float]:
    """One real child, step by step, as `PythonWorker` drives it."""
    interpreter = python_for_unprivileged()
    t0 = time.perf_counter()
    child = Child(LIMITS, drop_privileges=True, interpreter=interpreter, audit_hook=True)
    t1 = time.perf_counter()
    ok = child.wait_ready(LIMITS.wall_seconds)
    t2 = time.perf_counter()
    load = child.request(Load(source=MODULE, filename="<module>", module_name="candidate",
                              function="f"), LIMITS.wall_seconds)
    t3 = time.perf_counter()
    call = child.request(Call(index=0, nonce="n", args={"x": 1}), 5)
    t4 = time.perf_counter()
    child.stop()
    t5 = time.perf_counter()
    child.cleanup()
    t6 = time.perf_counter()
    assert isinstance(ok, Ready) and isinstance(load, Loaded), (ok, load)
    assert isinstance(call, Called) and call.value == 2, call
    return {"spawn: jail + copy + fork/pre-exec/exec": t1 - t0,
            "init: interpreter + imports + audit hook": t2 - t1,
            "load: compile + exec module": t3 - t2, "call: protocol round trip": t4 - t3,
            "stop: SIGKILL + reap": t5 - t4, "cleanup: sweep, rmdir, rmtree": t6 - t5}


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _end_to_end(repeat: int, gap: float, baseline: str | None,
                old: types.ModuleType | None) -> dict[str, dict[str, float]]:
    """Part 1: constructing a worker to its first result, cold and through pools."""
    e2e: dict[str, Timer] = {}
    if old is not None:
        e2e[f"cold, sandbox at {baseline}"] = _worker_timer(old.PythonWorker)
        e2e[f"1000 calls in one child, at {baseline}"] = _batch_timer(old.PythonWorker)
    e2e["cold (no pool)"] = _worker_timer(PythonWorker)
    e2e["1000 calls in one child"] = _batch_timer(PythonWorker)
    pool_gap = SandboxPool(LIMITS)
    pool_b2b = SandboxPool(LIMITS)
    pool_one = SandboxPool(LIMITS, spares=1)
    pools = [pool_gap, pool_b2b, pool_one]
    if old is not None:
        pools.append(old.SandboxPool(LIMITS))
        e2e[f"pool, 2nd of 2 back to back, at {baseline}"] = _pool_timer(
            pools[-1], 0.0, old.PythonWorker)
    e2e[f"pool, {gap:g} s between candidates"] = _pool_timer(pool_gap, gap)
    e2e["pool, 2nd of 2 back to back"] = _pool_timer(pool_b2b, 0.0)
    e2e["pool of 1, 2nd of 2 back to back"] = _pool_timer(pool_one, 0.0)
    samples: dict[str, dict[str, list[float]]] = {k: {} for k in e2e}
    for _ in range(repeat):
        for name, timer in e2e.items():
            for key, value in timer().items():
                samples[name].setdefault(key, []).append(value)
    for pool in pools:
        pool.close()
    results = {name: {k: _median_ms(v) for k, v in parts.items()} for name, parts in samples.items()}
    print(f"end to end, trivial module, medians of {repeat} (ms)")
    for name, medians in results.items():
        shown = "  ".join(f"{k} {v:7.1f}" for k, v in medians.items())
        print(f"  {name:40s} {shown}")
    print("  children from the pool / started cold: " + ", ".join(
        f"{label} {p.warm}/{p.cold}" for label, p in
        (("gap", pool_gap), ("back to back", pool_b2b), ("pool of 1", pool_one))))
    return results


def _phase_timers(python: str, holder: Path, baseline: str | None,
                  old: types.ModuleType | None) -> dict[str, Callable[[], float]]:
    """Part 2's variants, to be read as differences between neighbours."""
    # The worker's files as a child gets them (with bytecode), and as bare sources.
    copy_dir = install_worker(holder)
    bare_dir = holder / "bare"
    bare_dir.mkdir()
    for name in ("worker.py", "audit.py", "values.py", "protocol.py"):
        shutil.copyfile(SANDBOX / name, bare_dir / name)
    boot = f"import sys; sys.path.insert(0, {str(copy_dir)!r}); import worker"
    bare = boot.replace(str(copy_dir), str(bare_dir))
    hook = (boot + "; import audit; audit.install(scratch='/tmp', deny_read=['/root'], "
            "allow_read=worker._interpreter_dirs(), record=[])")
    # The real binary, not a `python3` found on PATH (a pyenv shim is a shell script).
    sysexe = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else python
    bare_pass = [python, "-I", "-S", "-B", "-c", "pass"]
    timers: dict[str, Callable[[], float]] = {
        f"{sysexe} -c pass (bare)": _spawn_timer([sysexe, "-c", "pass"]),
        "python -I -S -B -c pass": _spawn_timer(bare_pass),
        "python -I -B -c pass (site)": _spawn_timer([python, "-I", "-B", "-c", "pass"]),
        "+ import worker, compiled from source": _spawn_timer([python, "-I", "-B", "-c", bare]),
    }
    then = boot.replace(str(copy_dir), str(Path(old.__file__).parent)) if old is not None else ""
    if old is not None:
        timers[f"+ import worker as at {baseline}"] = _spawn_timer([python, "-I", "-B", "-c", then])
    timers.update({
        "+ import worker (json, inspect, values, protocol)": _spawn_timer(
            [python, "-I", "-B", "-c", boot]),
        "+ audit hook install": _spawn_timer([python, "-I", "-B", "-c", hook]),
        "jail object, no cgroup": _jail_timer(False),
        "jail object, with cgroup": _jail_timer(True),
        "-I -S -B pass, jailed cwd, no preexec": _spawn_timer(bare_pass, jail=True),
        "  + preexec: setsid": _spawn_timer(bare_pass, _pre_setsid),
        "  + preexec: setsid, cgroup move": _spawn_timer(bare_pass, _pre_cgroup),
        "  + preexec: setsid, rlimits": _spawn_timer(bare_pass, _pre_rlimits),
        "  + preexec: setsid, unshare netns": _spawn_timer(bare_pass, _pre_netns),
        "  + preexec: setsid, uid switch": _spawn_timer(bare_pass, _pre_uid),
        "  + preexec: full Jail.preexec": _spawn_timer(bare_pass, lambda j: j.preexec()),
        "CPU: python -I -B -c pass": _cpu_timer([python, "-I", "-B", "-c", "pass"]),
        "CPU: + import worker, compiled from source": _cpu_timer([python, "-I", "-B", "-c", bare]),
        "CPU: + import worker (with its bytecode)": _cpu_timer([python, "-I", "-B", "-c", boot]),
    })
    if old is not None:
        timers[f"CPU: + import worker as at {baseline}"] = _cpu_timer([python, "-I", "-B", "-c", then])
    return timers


def _phases(repeat: int, python: str, baseline: str | None,
            old: types.ModuleType | None) -> dict[str, dict[str, float]]:
    """Part 2: the child's start-up by phase, and one real child step by step."""
    holder = Path(tempfile.mkdtemp(prefix="sbx-bench-"))
    os.chmod(holder, 0o755)
    phases = _phase_timers(python, holder, baseline, old)
    phase_samples: dict[str, list[float]] = {k: [] for k in phases}
    child_samples: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, timer in phases.items():
            phase_samples[name].append(timer())
        for key, value in _child_phases().items():
            child_samples.setdefault(key, []).append(value)
    shutil.rmtree(holder)
    results = {"phases": {k: _median_ms(v) for k, v in phase_samples.items()},
               "child": {k: _median_ms(v) for k, v in child_samples.items()}}
    print(f"\nstart-up phases, medians of {repeat} (ms; compare neighbouring lines)")
    for name, value in results["phases"].items():
        print(f"  {name:42s} {value:7.1f}")
    print("\none real child, step by step (ms)")
    for name, value in results["child"].items():
        print(f"  {name:42s} {value:7.1f}")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--gap", type=float, default=0.2, help="seconds between pooled candidates")
    ap.add_argument("--baseline", default=None, help="git revision of the old sandbox to compare")
    ap.add_argument("--heavy", action="store_true", help="import z3 and hypothesis first")
    ap.add_argument("--json", type=Path, default=None, help="write the medians here")
    ap.add_argument("--no-phases", action="store_true", help="part 1 only")
    args = ap.parse_args()
    if args.heavy:
        import hypothesis  # noqa: F401
        import z3  # noqa: F401
    host_support()
    python = python_for_unprivileged() or sys.executable
    old = _baseline(args.baseline) if args.baseline else None
    if old is not None:
        old.host_support()
    results = _end_to_end(args.repeat, args.gap, args.baseline, old)
    if not args.no_phases:
        results.update(_phases(args.repeat, python, args.baseline, old))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
