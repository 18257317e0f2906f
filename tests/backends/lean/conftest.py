"""Fixtures shared by the Lean backend tests: recorded Lean outputs (the real backend,
`real_lean`, is shared by the whole suite: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def fixture_text():
    """Reads a file of `fixtures/` (recorded Lean inputs and outputs)."""
    root = Path(__file__).parent / "fixtures"
    return lambda name: (root / name).read_text(encoding="utf-8")
