"""Dafny 4 `for` loops, `continue` and labels.

Dafny 2.3 (the JS build here) cannot parse `for`, so the translation of each `for`
program is compared, on generated inputs, with the translation of the same algorithm
written with `while` (which the slow test validates against Dafny's JS build); breaks to
an outer label are refused at their position.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from verifier.translators.dafny_errors import UnsupportedConstruct
from verifier.translators.dafny_to_python import translate

FOR_PROGRAM = """
method SumTo(n: nat) returns (s: int, t: int)
{
  s := 0;
  for i := 0 to n
    invariant s == i * (i - 1) / 2
  {
    s := s + i;
  }
  t := 0;
  for j := n downto 1 {
    if j % 3 == 0 { continue; }
    t := t * 2 + j;
  }
  label outer:
  while t > 100 {
    t := t - 7;
    if t % 5 == 0 { break outer; }
  }
}
"""

WHILE_PROGRAM = """
method SumTo(n: nat) returns (s: int, t: int)
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n && s == i * (i - 1) / 2
  {
    s := s + i;
    i := i + 1;
  }
  t := 0;
  var j := n;
  while j > 1
    invariant 1 <= j <= n || (n == 0 && j == 0)
  {
    j := j - 1;
    if j % 3 != 0 {
      t := t * 2 + j;
    }
  }
  while t > 100
    decreases t
  {
    t := t - 7;
    if t % 5 == 0 { break; }
  }
}
"""


def _run(text: str, n: int) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(translate(text).text, "<t>", "exec"), namespace)
    return namespace["SumTo"](n)


def test_for_loops_translate_to_range() -> None:
    text = translate(FOR_PROGRAM).text
    assert "for i in range(n):" in text
    assert "for j in reversed(range(1, n)):" in text
    assert "continue" in text and "break" in text


@pytest.mark.parametrize("n", range(0, 40))
def test_for_and_while_translations_agree(n: int) -> None:
    assert _run(FOR_PROGRAM, n) == _run(WHILE_PROGRAM, n)


JUMPS_PROGRAM = """
method Find(m: seq<seq<int>>, x: int) returns (fi: int, fj: int, skipped: int)
{
  fi, fj, skipped := -1, -1, 0;
  var i := 0;
  label rows:
  while i < |m|
    decreases |m| - i
  {
    var j := 0;
    i := i + 1;
    while j < |m[i - 1]|
      decreases |m[i - 1]| - j
    {
      if m[i - 1][j] < 0 { skipped := skipped + 1; break; }
      if m[i - 1][j] == x { fi, fj := i - 1, j; break rows; }
      j := j + 1;
    }
  }
  var k := 0;
  while k < 10
    decreases 10 - k
  {
    while k < 100
      decreases 100 - k
    {
      k := k + 3;
      if k > 4 { break break; }
    }
  }
  fj := fj + k;
}
"""

# Dafny 4: `continue` to an outer loop (Dafny 2.3 has no `continue`); the same as
# leaving the inner loop with a plain `break` when nothing follows it in the outer body
CONTINUE_PROGRAM = JUMPS_PROGRAM.replace("skipped := skipped + 1; break;", "skipped := skipped + 1; continue rows;")


def test_jumps_past_the_innermost_loop_go_through_flags() -> None:
    text = translate(JUMPS_PROGRAM).text
    assert "break_rows = True\n                break" in text and "        if break_rows:\n            break" in text
    assert "break_outer = True" in text  # `break break`
    text = translate(CONTINUE_PROGRAM).text
    assert "continue_rows = False" in text and "        if continue_rows:\n            continue" in text


@pytest.mark.parametrize("m", [[], [[1, 2], [3, -1, 4], [5, 4]], [[-1, 4], [4]], [[7]], [[2], [], [4, 4]]])
def test_outer_jumps_behave_as_in_dafny(m: list[list[int]]) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(translate(JUMPS_PROGRAM).text, "<t>", "exec"), namespace)
    exec(compile(translate(CONTINUE_PROGRAM).text.replace("def Find", "def Find4"), "<t4>", "exec"), namespace)
    assert namespace["Find"](m, 4) == namespace["Find4"](m, 4)
    expected = next(((i, j) for i, row in enumerate(m) for j, v in enumerate(row[: next(
        (k for k, w in enumerate(row) if w < 0), len(row))]) if v == 4), (-1, -1))
    fi, fj, _ = namespace["Find"](m, 4)
    assert (fi, fj - 6) == expected or (fi, fj) == (-1, 5)


def test_a_jump_to_a_label_that_is_not_an_enclosing_loop_is_refused() -> None:
    src = "method M(n: nat) {\n  label done: { }\n  while n > 0 {\n    while true {\n      break done;\n    }\n  }\n}\n"
    with pytest.raises(UnsupportedConstruct) as err:
        translate(src)
    assert err.value.construct == "break label" and (err.value.line, err.value.col) == (5, 7)


@pytest.mark.slow
@pytest.mark.dafny
def test_the_while_version_agrees_with_dafny_js() -> None:
    from verifier.translators.validate import validate_translation

    if shutil.which("dafny") is None or shutil.which("node") is None:
        pytest.skip("dafny and node are needed")
    report = validate_translation(WHILE_PROGRAM, "SumTo", n=30, seed=7)
    assert report.ok and report.compared >= 20, report.summary()
    report = validate_translation(JUMPS_PROGRAM, "Find", n=30, seed=7)
    assert report.ok and report.compared >= 20, report.summary()
