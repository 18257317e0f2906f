"""The parts of the Dafny → Python translator, each on its own: the Python syntax tree
(where the SIM108 ternary and SIM102 if-merge are decided), the bound planner, the read
log that turns unused `case` captures into `_`, and the module graph (no circle, no
private name across modules).

The translations are of our own small programs, executed in-process and linted with
the real ruff (the rules the golden test uses).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_bounds import BoundKind, conjuncts, plan_generators
from verifier.translators.dafny_errors import UnsupportedConstruct
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_to_python import translate
from verifier.translators.python_syntax import (
    Assign,
    Code,
    IfStmt,
    Line,
    Prec,
    if_else,
    if_then,
    render,
)

TRANSLATORS = Path(__file__).resolve().parents[2] / "translators"
RUFF_RULES = ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "E501"]


def run(source: str) -> tuple[types.ModuleType, str]:
    text = translate(source).text
    mod = types.ModuleType("translated_parts_under_test")
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    try:
        exec(compile(text, "<translated>", "exec"), mod.__dict__)
    finally:
        del sys.modules[mod.__name__]
    return mod, text


def ruff_findings(text: str, tmp_path: Path) -> str:
    ruff = shutil.which("ruff")
    assert ruff is not None, "ruff is a development dependency of the project"
    path = tmp_path / "translated.py"
    path.write_text(text)
    done = subprocess.run(
        [ruff, "check", "--isolated", *RUFF_RULES, "--output-format", "concise", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout if done.returncode else ""


# ---------------------------------------------------------------- decided on the tree


def test_a_string_that_reads_if_does_not_block_the_ternary(tmp_path: Path) -> None:
    # the former text check saw " if " inside the literal and kept four lines (SIM108)
    mod, text = run('method Pick(c: bool) returns (s: string) { if c { s := "a if b"; } else { s := "z"; } }')
    assert 's = "a if b" if c else "z"' in text
    assert mod.Pick(True) == "a if b" and mod.Pick(False) == "z"
    assert ruff_findings(text, tmp_path) == ""


def test_a_real_conditional_keeps_the_if_statement() -> None:
    mod, text = run(
        "method M(c: bool, d: bool) returns (x: int) { if c { x := if d then 1 else 2; } else { x := 3; } }"
    )
    # no nested conditional expression (ruff would accept one; readers should not have to)
    assert "if c:" in text and "else:" in text
    assert [mod.M(c, d) for c in (True, False) for d in (True, False)] == [1, 2, 3, 3]


def test_merged_ifs_get_parentheses_only_where_python_needs_them(tmp_path: Path) -> None:
    # the former text check saw " or " inside all(...) and wrapped the whole call
    mod, text = run(
        """method F(a: seq<int>, x: int, y: bool, z: bool) returns (r: int)
{
  r := 0;
  if forall i :: 0 <= i < |a| ==> a[i] > 0 || a[i] < -5 {
    if x > 0 { r := 1; }
  }
  if y || z {
    if x > 1 { r := r + 10; }
  }
}"""
    )
    assert "if all(a[i] > 0 or a[i] < -5 for i in range(len(a))) and x > 0:" in text
    assert "if (y or z) and x > 1:" in text
    assert mod.F([1, -9], 2, True, False) == 11
    assert mod.F([0], 2, False, False) == 0
    assert ruff_findings(text, tmp_path) == ""


# ---------------------------------------------------------------- case captures

TREE = "datatype T = Leaf | Node(left: T, value: int, right: T)\n"


def test_a_capture_spelled_like_a_field_it_is_not_read_through_becomes_underscore(tmp_path: Path) -> None:
    mod, text = run(
        TREE
        + "method V(t: T) returns (r: int) { match t { case Leaf => r := 0; case Node(left, value, right) => r := t.value; } }"
    )
    assert "case Node(_, _, _):" in text
    assert mod.V(mod.Node(mod.Leaf(), 7, mod.Leaf())) == 7
    assert ruff_findings(text, tmp_path) == ""


def test_a_capture_read_only_by_dropped_code_becomes_underscore() -> None:
    mod, text = run(
        TREE
        + """method V(t: T) returns (r: int)
{
  match t {
    case Leaf => r := 0;
    case Node(l, v, rr) =>
      var dead := v + 1;
      if v > 0 { assert v > 0; }
      r := 1;
  }
}"""
    )
    assert "case Node(_, _, _):" in text and "dead" not in text
    assert mod.V(mod.Node(mod.Leaf(), 5, mod.Leaf())) == 1


def test_a_capture_read_by_kept_code_keeps_its_name() -> None:
    mod, text = run(
        TREE
        + "function method Sum(t: T): int { match t case Leaf => 0 case Node(lt, v, rt) => Sum(lt) + v + Sum(rt) }"
    )
    assert "case Node(lt, v, rt):" in text
    assert mod.Sum(mod.Node(mod.Node(mod.Leaf(), 1, mod.Leaf()), 2, mod.Leaf())) == 3


# ---------------------------------------------------------------- python_syntax


def test_if_else_merges_only_two_plain_assignments_of_one_name() -> None:
    c = Code("c", Prec.ATOM)
    one, two = Code("1", Prec.ATOM), Code("2", Prec.ATOM)
    assert if_else(c, [Assign("x", one)], [Assign("x", two)]) == Assign("x", Code("1 if c else 2", Prec.IF, True))
    assert isinstance(if_else(c, [Assign("x", one)], [Assign("y", two)]), IfStmt)
    assert isinstance(if_else(c, [Assign("x", one)], [Line("x[0] = 2")]), IfStmt)
    nested = Code("a if b else d", Prec.IF, has_if=True)
    assert isinstance(if_else(c, [Assign("x", nested)], [Assign("x", two)]), IfStmt)
    assert isinstance(if_else(Code("p if q else r", Prec.IF, True), [Assign("x", one)], [Assign("x", two)]), IfStmt)


def test_if_then_merges_a_lone_inner_if_without_else() -> None:
    outer, inner = Code("a or b", Prec.OR), Code("c", Prec.ATOM)
    merged = if_then(outer, [IfStmt(inner, (Line("pass_"),))])
    assert render([merged]) == ["if (a or b) and c:", "    pass_"]
    with_else = IfStmt(inner, (Line("x"),), (Line("y"),))
    assert render([if_then(outer, [with_else])])[0] == "if a or b:"
    assert render([IfStmt(inner, ())]) == ["if c:", "    pass"]


def test_elif_chains_render_flat() -> None:
    chain = IfStmt(Code("a", Prec.ATOM), (Line("x"),), IfStmt(Code("b", Prec.ATOM), (Line("y"),), (Line("z"),)))
    assert render([chain], "  ") == ["  if a:", "      x", "  elif b:", "      y", "  else:", "      z"]


# ---------------------------------------------------------------- bounds


def _quantifier(source: str) -> A.Quantifier:
    body = parse(source).functions[0].body
    assert isinstance(body, A.Quantifier)
    return body


def test_bounds_place_binders_in_dependency_order() -> None:
    q = _quantifier("predicate P(n: int) { forall i, j :: 0 <= i < j < n ==> i < j }")
    assert isinstance(q.body, A.BinOp)
    plan = plan_generators(q.binders, conjuncts(q.body.left))
    assert [(b.binder.name, b.kind) for b in plan.bounds] == [("i", BoundKind.RANGE), ("j", BoundKind.RANGE)]
    assert plan.filters == () and plan.unbounded is None


def test_an_unbounded_binder_is_refused_at_the_quantifier() -> None:
    q = _quantifier("predicate P(s: set<int>) { forall x :: x > 0 ==> x in s }")
    assert isinstance(q.body, A.BinOp)
    plan = plan_generators(q.binders, conjuncts(q.body.left))
    assert plan.unbounded is not None and plan.unbounded.name == "x"
    with pytest.raises(UnsupportedConstruct) as err:
        plan.refuse(q)
    assert err.value.construct == "unbounded quantifier" and err.value.line == 1


# ---------------------------------------------------------------- module graph


def _translator_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in TRANSLATORS.glob("*.py"):
        tree = ast.parse(path.read_text())
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("verifier.translators"):
                deps.add(node.module.removeprefix("verifier.translators").lstrip(".") or "<package>")
                assert not any(a.name.startswith("_") for a in node.names), f"{path.name} imports a private name"
        graph[path.stem] = deps
    return graph


def test_the_translator_modules_import_each_other_without_a_circle() -> None:
    graph = _translator_imports()
    done: set[str] = set()

    def visit(m: str, path: tuple[str, ...]) -> None:
        assert m not in path, "import circle: " + " -> ".join((*path, m))
        if m in done:
            return
        for d in graph.get(m, ()):
            visit(d, (*path, m))
        done.add(m)

    for m in graph:
        visit(m, ())
    assert "dafny_emit_module" in graph["dafny_to_python"]
