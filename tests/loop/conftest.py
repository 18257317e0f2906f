"""Fixtures for the loop tests: the real Dafny backend (with a call counter) and replay
files built from the recorded replies in `loop_replies.py`.

Each test writes the replies it needs to a replay file and drives the real loop with the
real replay provider, guard, sandbox and Dafny backend. `CountingBackend` wraps the real
backend only to count what reaches Dafny, so a test can assert "refused without a Dafny
call".
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loop_replies import write_replay


class CountingBackend:
    """The real Dafny backend, with a count of the sources it was asked to check."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = real.name
        self.extensions = real.extensions
        self.sources: list[str] = []
        self._lock = threading.Lock()

    def available(self) -> Any:
        return self.real.available()

    def check(self, source: str, *, timeout: float = 60, filename: str | None = None) -> Any:
        with self._lock:
            self.sources.append(source)
        return self.real.check(source, timeout=timeout, filename=filename)

    def check_many(self, sources: Any, *, timeout: float = 60, jobs: int | None = None) -> Any:
        items = list(sources)
        with self._lock:
            self.sources.extend(s if isinstance(s, str) else s[0] for s in items)
        return self.real.check_many(items, timeout=timeout, jobs=jobs)

    def warm_up(self, *, verify: bool = False) -> None:
        self.real.warm_up(verify=verify)

    def close(self) -> None:
        """The shared backend is closed by its fixture."""

    @property
    def calls(self) -> int:
        return len(self.sources)


@pytest.fixture(scope="session")
def real_dafny() -> Iterator[Any]:
    from verifier.backends import get_backend

    backend = get_backend("dafny", cache=False)
    if not backend.available().ok:
        pytest.skip("Dafny is not installed here")
    yield backend
    backend.close()


@pytest.fixture
def dafny(real_dafny: Any) -> CountingBackend:
    return CountingBackend(real_dafny)


@pytest.fixture
def replay(tmp_path: Path) -> Any:
    counter = iter(range(1000))

    def make(*replies: str, tokens: tuple[int, int] = (0, 0)) -> str:
        path = write_replay(tmp_path / f"session{next(counter)}.jsonl", replies, tokens=tokens)
        return f"replay:{path}"

    return make
