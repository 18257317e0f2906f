"""Value positions in TOML files, which tomllib does not provide."""

from __future__ import annotations

from verifier.specs.positions import TomlPositions

TEXT = '''name = "x"   # comment
ensures = [
  "a",
  'b c',
]
[[helpers]]
source = """
function F(): int { 1 }"""
[[helpers]]
source = "tab\\there \\u00e9!"
[[examples]]
args = { xs = [3, 1], "q" = { a = 1 } }
result.m = 4
[[examples]]
[examples.args]
xs = []
'''


def test_values_and_keys_are_located() -> None:
    p = TomlPositions(TEXT)
    assert p.value(("name",)) == (1, 8)
    assert p.value(("ensures", 0)) == (3, 3)
    assert p.value(("ensures", 1)) == (4, 3)
    assert p.value(("helpers", 1, "source")) == (10, 10)
    assert p.value(("examples", 0, "args", "xs", 1)) == (12, 19)
    assert p.value(("examples", 0, "args", "q", "a")) == (12, 35)
    assert p.value(("examples", 0, "result", "m")) == (13, 12)
    assert p.value(("examples", 1, "args", "xs")) == (16, 6)
    assert p.near(("examples", 1, "args", "missing")) == (15, 1)


def test_string_characters_map_through_escapes_and_lines() -> None:
    p = TomlPositions(TEXT)
    assert p.string(("ensures", 1)).at(2) == (4, 6)
    multi = p.string(("helpers", 0, "source"))
    assert multi.at(0) == (8, 1)  # the newline after """ is trimmed
    esc = p.string(("helpers", 1, "source"))
    # "tab\there \u00e9!": decoded index 3 is the tab (file col 14), 9 is é (col 21)
    assert esc.at(3) == (10, 14)
    assert esc.at(9) == (10, 21)
    assert esc.at(10) == (10, 27)
    assert esc.at(99) == esc.end
