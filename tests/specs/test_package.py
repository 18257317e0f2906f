"""Every spec module imports on its own (no import cycles) and the package re-exports work."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = ["verifier.translators.spec_python", "verifier.translators.spec_z3", "verifier.translators.spec_lean"]


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_first(module: str) -> None:
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_lazy_reexports() -> None:
    import verifier.specs as specs

    assert specs.load_spec.__module__ == "verifier.specs.loader"
    assert specs.Spec.__name__ == "Spec"
    with pytest.raises(AttributeError):
        _ = specs.nothing_here
