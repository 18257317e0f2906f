"""`open_route`: the one place a language is chosen."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "loop"))

import loop_replies as R
from verifier.specs.loader import load_spec

from verifier.errors import ProofrouteError, ToolchainMissing
from verifier.routes import DEFAULT_ROUTE, ROUTES, open_route, route_name
from verifier.routes.dafny import DafnyRoute


def test_route_names() -> None:
    assert set(ROUTES) == {"dafny", "lean"} and DEFAULT_ROUTE == "dafny"
    assert route_name(None) == "dafny" and route_name("lean") == "lean"
    with pytest.raises(ProofrouteError, match="unknown backend 'coq'"):
        route_name("coq")


@pytest.mark.dafny
def test_open_route_gives_the_dafny_route_on_a_working_dafny() -> None:
    route = open_route("dafny", load_spec(R.MAX_SPEC), cache=False)
    try:
        assert isinstance(route, DafnyRoute) and route.info.ok
        assert route.kinds == ("python", "dafny", "tests", "spec")
        assert route.guard(R.fenced(R.MAX_OK)).ok
    finally:
        route.backend.close()


def test_a_missing_toolchain_says_how_to_install_it(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_DAFNY", str(tmp_path / "no-dafny-here"))
    with pytest.raises(ToolchainMissing) as caught:
        open_route("dafny", load_spec(R.MAX_SPEC))
    assert caught.value.message.startswith("Dafny is not usable here")
    assert "proofroute doctor" in (caught.value.hint or "")
