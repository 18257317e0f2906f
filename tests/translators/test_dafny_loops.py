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


@pytest.mark.parametrize(
    "stmt,construct",
    [("break break;", "break break"), ("break outer;", "break label"), ("continue outer;", "continue label")],
)
def test_jumps_past_the_innermost_loop_are_refused(stmt: str, construct: str) -> None:
    src = f"method M(n: nat) {{\n  label outer:\n  while n > 0 {{\n    while true {{\n      {stmt}\n    }}\n  }}\n}}\n"
    with pytest.raises(UnsupportedConstruct) as err:
        translate(src)
    assert err.value.construct == construct and (err.value.line, err.value.col) == (5, 7)


@pytest.mark.slow
@pytest.mark.dafny
def test_the_while_version_agrees_with_dafny_js() -> None:
    from verifier.translators.validate import validate_translation

    if shutil.which("dafny") is None or shutil.which("node") is None:
        pytest.skip("dafny and node are needed")
    report = validate_translation(WHILE_PROGRAM, "SumTo", n=30, seed=7)
    assert report.ok and report.compared >= 20, report.summary()
