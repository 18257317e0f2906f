"""The LALR tables kept on disk: used when they match, rebuilt when they do not."""

from __future__ import annotations

from verifier.grammars import lalr_parser
from verifier.paths import cache_dir

OPTIONS = {"propagate_positions": True, "maybe_placeholders": False}
PROGRAM = "method M(x: int) returns (y: int)\n  ensures y > x\n{\n  y := x + 1;\n}\n"


def _tables() -> list:
    return sorted((cache_dir() / "grammars").glob("dafny.lark-*.lark-tables"))


def test_tables_are_saved_then_loaded_and_parse_alike() -> None:
    built = lalr_parser("verifier.translators", "dafny.lark", **OPTIONS)
    (saved,) = _tables()
    loaded = lalr_parser("verifier.translators", "dafny.lark", **OPTIONS)
    assert loaded is not built
    a, b = built.parse(PROGRAM), loaded.parse(PROGRAM)
    assert a == b
    assert (a.meta.line, a.meta.end_line) == (b.meta.line, b.meta.end_line) == (1, 5)
    assert _tables() == [saved]


def test_other_options_get_their_own_tables() -> None:
    lalr_parser("verifier.translators", "dafny.lark", **OPTIONS)
    lalr_parser("verifier.translators", "dafny.lark", propagate_positions=False,
                maybe_placeholders=False)
    assert len(_tables()) == 2


def test_damaged_tables_are_rebuilt() -> None:
    lalr_parser("verifier.translators", "dafny.lark", **OPTIONS)
    (saved,) = _tables()
    saved.write_bytes(b"not a pickle")
    parser = lalr_parser("verifier.translators", "dafny.lark", **OPTIONS)
    assert parser.parse(PROGRAM).meta.end_line == 5
    assert saved.read_bytes() != b"not a pickle"  # written anew
