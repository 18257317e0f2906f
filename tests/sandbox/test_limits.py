from __future__ import annotations

import sys

import pytest

from verifier.sandbox import Limits, run_limited, scrubbed_env


@pytest.mark.slow
def test_wall_clock_kills_a_sleeper_and_its_children() -> None:
    code = "import subprocess,time; subprocess.Popen(['sleep','30']); time.sleep(30)"
    run = run_limited([sys.executable, "-c", code], limits=Limits(wall_seconds=1))
    assert run.timed_out and run.returncode is None
    assert run.seconds < 10


@pytest.mark.slow
def test_cpu_limit_stops_a_busy_loop() -> None:
    run = run_limited([sys.executable, "-c", "while True: pass"], limits=Limits(cpu_seconds=1))
    assert not run.timed_out
    assert run.signal is not None  # SIGXCPU or SIGKILL


def test_environment_is_scrubbed(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    assert "OPENAI_API_KEY" not in scrubbed_env()
    code = "import os; print(os.environ.get('OPENAI_API_KEY'))"
    run = run_limited([sys.executable, "-c", code], limits=Limits())
    assert run.stdout.strip() == b"None"


def test_output_is_capped() -> None:
    code = "import sys; sys.stdout.write('x' * 100000)"
    run = run_limited([sys.executable, "-c", code], limits=Limits(output_bytes=1000))
    assert run.truncated and len(run.stdout) == 1000


def test_interrupt_in_the_parent_kills_the_child(tmp_path) -> None:
    """A KeyboardInterrupt while waiting must not leave the child running."""
    import os
    import signal
    import threading

    pidfile = tmp_path / "pid"
    code = f"import os,time; open({str(pidfile)!r},'w').write(str(os.getpid())); time.sleep(60)"

    def interrupt_soon() -> None:
        for _ in range(100):
            if pidfile.exists() and pidfile.read_text():
                break
            threading.Event().wait(0.05)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    threading.Thread(target=interrupt_soon, daemon=True).start()
    try:
        run_limited([sys.executable, "-c", code], limits=Limits(wall_seconds=30))
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interrupt did not reach run_limited")
    pid = int(pidfile.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    # a zombie would still answer kill(0); its state tells
    with open(f"/proc/{pid}/stat") as f:
        assert f.read().split()[2] == "Z"
