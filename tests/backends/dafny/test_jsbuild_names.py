"""Dafny's JS build under names its compiler rewrites (issue 15: `_` in a method name)."""

from __future__ import annotations

import pytest
from verifier.backends.dafny.jsbuild import build_js, compiled_name

pytestmark = [pytest.mark.dafny, pytest.mark.slow]

PROGRAM = """
method double_array_elements(x: int) returns (y: int) ensures y == 2 * x { y := 2 * x; }
method a__b(x: int) returns (y: int) ensures y == x + 1 { y := x + 1; }
method lambda_(x: int) returns (y: int) ensures y == x - 1 { y := x - 1; }
method def(x: int) returns (y: int) ensures y == 3 * x { y := 3 * x; }
module My_Mod {
  method m_1(x: int) returns (y: int) ensures y == x * x { y := x * x; }
}
"""


def test_compiled_name_doubles_underscores() -> None:
    assert compiled_name("double_array_elements") == "double__array__elements"
    assert compiled_name("a__b") == "a____b"
    assert compiled_name("Plain") == "Plain"


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("double_array_elements", 14),
        ("a__b", 8),
        ("lambda_", 6),
        ("def", 21),
        ("My_Mod.m_1", 49),
    ],
)
def test_methods_with_rewritten_names_are_called(method: str, expected: int) -> None:
    program = build_js(PROGRAM)
    try:
        [result] = program.call(method, [{"x": 7}])
    finally:
        program.close()
    assert result.error is None, result.error
    assert result.outputs == {"y": expected}
