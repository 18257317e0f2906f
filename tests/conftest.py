"""Test-wide setup.

Every test gets its own cache dir so results never leak between tests. A skipped test
fails: `make test` installs every toolchain, so a skip can only mean a broken install,
and must never count as a pass. A developer without some toolchain may opt out locally
with `PROOFROUTE_ALLOW_SKIPS=1` (never set by `make test` or `.ci/run`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from verifier.backends.lean import LeanBackend


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def real_lean() -> Iterator[LeanBackend]:
    """The real Lean (the WebAssembly build `make install` sets up): one backend per test
    process, shared by every test file that checks with the default settings.

    Why per process and not per file: a warm session's start-up is most of a Lean test's
    time (~30 s idle, 50-80 s beside another busy worker), and each file starting its own
    paid it again, a dozen times per suite. One session (2-3 GB) per xdist worker is what
    the machine keeps; a test that kills it on purpose leaves the backend to start the
    next. Checks never share state: each runs against a fresh copy of the imported
    environment, and the cache is off."""
    backend = LeanBackend(cache=False)
    info = backend.available()
    if not info.ok:
        pytest.fail(f"Lean toolchain missing: {info.hint} (run `proofroute setup --only lean`)")
    backend.warm_up()
    yield backend
    backend.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    allowed = os.environ.get("PROOFROUTE_ALLOW_SKIPS") and not os.environ.get("CI")
    if report.skipped and not hasattr(report, "wasxfail") and not allowed:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (f"skipped, but every toolchain must be present (`make test` installs "
                           f"them; PROOFROUTE_ALLOW_SKIPS=1 allows skips locally): {reason}")
