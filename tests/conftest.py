"""Test-wide setup.

Every test gets its own cache dir so results never leak between tests. A skipped test
fails: `make test` installs every toolchain, so a skip can only mean a broken install,
and must never count as a pass. A developer without some toolchain may opt out locally
with `PROOFROUTE_ALLOW_SKIPS=1` (never set by `make test` or `.ci/run`).
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


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
