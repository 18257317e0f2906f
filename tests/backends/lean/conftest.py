"""Fixtures shared by the Lean backend tests: recorded Lean outputs and a real backend."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def fixture_text():
    """Reads a file of `fixtures/` (recorded Lean inputs and outputs)."""
    root = Path(__file__).parent / "fixtures"
    return lambda name: (root / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def real_lean():
    """A LeanBackend on the real toolchain (the wasm build from `proofroute setup`), with
    its warm session started once per test file (a session holds 2-4 GB: it must not
    outlive the file while other files run Lean beside it)."""
    from verifier.backends.lean import LeanBackend

    backend = LeanBackend(cache=False)
    info = backend.available()
    if not info.ok:
        pytest.fail(f"Lean toolchain missing: {info.hint} (run `proofroute setup --only lean`)")
    backend.warm_up()
    yield backend
    backend.close()
