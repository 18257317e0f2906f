"""Datatype members (Dafny 4: `datatype D = … { function F(): T { … this … } }`).

Dafny 2.3 (the JS build here) has no datatype members, so the translation of a program
with members is compared, on generated inputs, with the translation of the same
algorithm written with top-level functions (which the slow test validates against
Dafny's JS build).
"""

from __future__ import annotations

import shutil
import sys
import types
from typing import Any

import pytest
from verifier.translators.dafny_to_python import translate

MEMBERS_PROGRAM = """
datatype Shape = Circle(r: int) | Rect(w: int, h: int) {
  function Area(): int { match this case Circle(r) => 3 * r * r case Rect(w, h) => w * h }
  static function Unit(): Shape { Rect(1, 1) }
  predicate IsRound() { this.Circle? }
  function Scaled(k: int): Shape { if IsRound() then Circle(r * k) else Rect(this.w * k, h * k) }
  method Describe() returns (s: int) { s := Area() + (if IsRound() then 1000 else 0); }
}
datatype Box<T> = Box(item: T) {
  function Get(): T { item }
}
method Total(xs: seq<int>) returns (t: int)
{
  t := 0;
  var i := 0;
  while i < |xs|
  {
    var s := if xs[i] % 2 == 0 then Circle(xs[i]) else Rect(xs[i], i);
    var d := s.Scaled(2).Describe();
    t := t + d;
    i := i + 1;
  }
  t := t + Shape.Unit().Area() + Box(|xs|).Get();
}
"""

TOPLEVEL_PROGRAM = """
datatype Shape = Circle(r: int) | Rect(w: int, h: int)
datatype Box<T> = Box(item: T)
function method Area(s: Shape): int { match s case Circle(r) => 3 * r * r case Rect(w, h) => w * h }
function method Unit(): Shape { Rect(1, 1) }
predicate method IsRound(s: Shape) { s.Circle? }
function method Scaled(s: Shape, k: int): Shape { if IsRound(s) then Circle(s.r * k) else Rect(s.w * k, s.h * k) }
method Describe(s: Shape) returns (n: int) { n := Area(s) + (if IsRound(s) then 1000 else 0); }
function method Get<T>(b: Box<T>): T { b.item }
method Total(xs: seq<int>) returns (t: int)
{
  t := 0;
  var i := 0;
  while i < |xs|
  {
    var s := if xs[i] % 2 == 0 then Circle(xs[i]) else Rect(xs[i], i);
    var d := Describe(Scaled(s, 2));
    t := t + d;
    i := i + 1;
  }
  t := t + Area(Unit()) + Get(Box(|xs|));
}
"""


def _run(text: str, xs: list[int]) -> Any:
    mod = types.ModuleType("members_under_test")
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    try:
        exec(compile(translate(text).text, "<t>", "exec"), mod.__dict__)
        return mod.Total(xs)
    finally:
        del sys.modules[mod.__name__]


def test_members_live_in_a_base_class_of_the_constructors() -> None:
    text = translate(MEMBERS_PROGRAM).text
    assert "class Shape:" in text and "class Circle(Shape):" in text and "class Rect(Shape):" in text
    assert "    def Area(self) -> int:" in text and "    @staticmethod\n    def Unit() -> Shape:" in text
    assert "class Box(Generic[T]):" in text and "    def Get(self) -> T:" in text
    assert "Shape = Circle | Rect" not in text  # the base class is the type


@pytest.mark.parametrize("xs", [[], [0], [3], [2, 5, -4, 7], list(range(-6, 9))])
def test_members_and_top_level_functions_agree(xs: list[int]) -> None:
    assert _run(MEMBERS_PROGRAM, xs) == _run(TOPLEVEL_PROGRAM, xs)


@pytest.mark.slow
@pytest.mark.dafny
def test_the_top_level_version_agrees_with_dafny_js() -> None:
    from verifier.translators.validate import validate_translation

    if shutil.which("dafny") is None or shutil.which("node") is None:
        pytest.skip("dafny and node are needed")
    report = validate_translation(TOPLEVEL_PROGRAM, "Total", n=30, seed=11)
    assert report.ok and report.compared >= 20, report.summary()
