from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from verifier import __version__
from verifier.cli import main


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_is_the_same_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "verifier", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout
