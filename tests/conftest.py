"""Test-wide setup: every test gets its own cache dir so results never leak between tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
