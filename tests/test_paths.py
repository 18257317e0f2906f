"""`confined`: every path the tool writes stays under its folder, symlinks included."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.artifact import Artifact, write_artifact
from verifier.errors import PathEscape, ProofrouteError
from verifier.paths import confined


def test_plain_names_stay_inside(tmp_path: Path) -> None:
    assert confined(tmp_path, "a", "b.py") == (tmp_path / "a" / "b.py").resolve()
    assert confined(tmp_path, "x/../y.py") == (tmp_path / "y.py").resolve()


@pytest.mark.parametrize("parts", [("..", "x"), ("../x",), ("/etc/passwd",), ("a", "/tmp/x"),
                                   ("a/../../x",)])
def test_escapes_are_refused(tmp_path: Path, parts: tuple[str, ...]) -> None:
    with pytest.raises(PathEscape) as caught:
        confined(tmp_path / "root", *parts)
    assert isinstance(caught.value, ProofrouteError)
    assert "outside" in caught.value.message and caught.value.hint


def test_a_symlink_leading_out_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(PathEscape):
        confined(root, "link", "x.py")
    (root / "file.py").symlink_to(outside / "target.py")
    with pytest.raises(PathEscape):
        confined(root, "file.py")


def test_write_artifact_writes_nothing_when_a_file_name_escapes(tmp_path: Path) -> None:
    """Defence in depth: an Artifact built in code, with names no spec check saw."""
    folder = tmp_path / "out" / "art"
    artifact = Artifact("art", "M", {"art.py": "x = 1\n", "../../escaped.py": "x = 2\n"},
                        {"verdict": "verified"})
    with pytest.raises(PathEscape):
        write_artifact(folder, artifact)
    assert not (tmp_path / "escaped.py").exists()
    assert not (folder / "art.py").exists()
