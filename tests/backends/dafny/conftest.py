"""Shared fixtures: one warm backend for the whole session (servers start once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from verifier.backends.dafny import DafnyBackend


@pytest.fixture(scope="session")
def warm() -> Iterator[DafnyBackend]:
    backend = DafnyBackend(cache=False, cold=False, jobs=2)
    yield backend
    backend.close()
