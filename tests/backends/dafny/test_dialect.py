"""Version detection and the command lines each dialect produces (pure)."""

from __future__ import annotations

from verifier.backends.dafny.dialect import dialect_for_version
from verifier.backends.dafny.toolchain import parse_version


def test_versions() -> None:
    assert parse_version("Dafny 2.3.0.10506\n*** Error: '/version': ...") == "2.3.0.10506"
    assert parse_version("Dafny 3.13.1.50501") == "3.13.1.50501"
    assert parse_version("4.8.1+fcb2042d6d043a2634f0854338c08feeb3a4bd9d") == "4.8.1"
    assert parse_version("no version here") is None
    assert [dialect_for_version(v).major for v in ("2.3.0.10506", "3.13.1", "4.8.1")] == [2, 3, 4]


def test_dafny2_and_3_use_the_legacy_command_line_and_the_server() -> None:
    for version in ("2.3.0.10506", "3.13.1"):
        d = dialect_for_version(version)
        assert d.has_server
        argv = d.verify_argv(["dafny"], "p.dfy", time_limit=7, z3="/z3", model_file="/m.bvd")
        assert argv == ["dafny", "/nologo", "/compile:0", "/timeLimit:7", "/trace", "/z3exe:/z3", "/mv:/m.bvd", "p.dfy"]
        assert d.server_args(time_limit=7) == ["/compile:0", "/timeLimit:7"]
        js = d.js_build_argv(["dafny"], "p.dfy", "out/p.js", z3="/z3", time_limit=9)
        assert "/compileTarget:js" in js and "/out:out/p.js" in js and js[-1] == "p.dfy"
        assert d.function_keyword(compiled=True) == "function method"


def test_dafny4_uses_the_new_command_line_and_no_server() -> None:
    d = dialect_for_version("4.8.1")
    assert not d.has_server
    argv = d.verify_argv(["dafny"], "p.dfy", time_limit=7, z3=None, model_file=None)
    assert argv[:3] == ["dafny", "verify", "p.dfy"] and "--verification-time-limit:7" in argv
    assert argv[-2:] == ["--boogie", "/trace"]
    assert d.js_build_argv(["dafny"], "p.dfy", "o.js")[:3] == ["dafny", "translate", "js"]
    assert d.function_keyword(compiled=False) == "ghost function"
