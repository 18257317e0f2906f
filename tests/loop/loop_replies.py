"""Recorded model replies for the loop tests, written like a model's answers.

The correct ones really verify in Dafny 2.3 and the wrong ones really fail (in the quick
test or in Dafny, as their names say); the cheats would make Dafny say "verified" about
something that was not proved, and must never reach it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO_SPECS = ROOT / "verifier" / "demo" / "specs"
TEST_SPECS = Path(__file__).resolve().parent / "specs"

MAX_SPEC = DEMO_SPECS / "max_of_list.toml"
COUNT_SPEC = DEMO_SPECS / "count_evens.toml"
FIND_SPEC = DEMO_SPECS / "find.toml"
FILL_SPEC = TEST_SPECS / "fill.toml"


def fenced(code: str, before: str = "Here is the program:") -> str:
    return f"{before}\n\n```dafny\n{code.strip()}\n```\n"


MAX_HEAD = """method MaxOfList(xs: seq<int>) returns (m: int)
  requires |xs| > 0
  ensures forall i :: 0 <= i < |xs| ==> xs[i] <= m
  ensures exists i :: 0 <= i < |xs| && xs[i] == m
"""
MAX_LOOP = """{
  m := xs[0];
  var k := 1;
  while k < |xs|
    invariant 1 <= k <= |xs|
    invariant forall i :: 0 <= i < k ==> xs[i] <= m
    invariant exists i :: 0 <= i < k && xs[i] == m
  {
    if xs[k] > m {
      m := xs[k];
    }
    k := k + 1;
  }
}
"""
MAX_OK = MAX_HEAD + MAX_LOOP
# Right code, too weak an invariant: passes the quick test, Dafny refutes the 2nd ensures.
MAX_WEAK_INVARIANT = MAX_OK.replace("    invariant exists i :: 0 <= i < k && xs[i] == m\n", "")
# Wrong code (keeps the first element): the quick test refutes it.
MAX_WRONG_CODE = MAX_HEAD + """{
  m := xs[0];
}
"""
# Layout changes that are not contract changes: `0 < |xs|` for `|xs| > 0`, one ensures
# with `&&` for two, extra parentheses.
MAX_OK_REWRITTEN = """method MaxOfList(xs: seq<int>) returns (m: int)
  requires 0 < |xs|
  ensures (forall i :: 0 <= i < |xs| ==> xs[i] <= m) && (exists i :: 0 <= i < |xs| && xs[i] == m)
""" + MAX_LOOP

CHEATS: dict[str, str] = {
    "assume": MAX_HEAD + """{
  m := xs[0];
  assume forall i :: 0 <= i < |xs| ==> xs[i] <= m;
}
""",
    "verify_false": MAX_HEAD.replace("method MaxOfList", "method {:verify false} MaxOfList")
    + "{\n  m := xs[0];\n}\n",
    "bodyless_trait_lemma": """trait Axioms {
  static lemma FirstIsMax(xs: seq<int>)
    requires |xs| > 0
    ensures forall i :: 0 <= i < |xs| ==> xs[i] <= xs[0]
}

""" + MAX_HEAD + """{
  Axioms.FirstIsMax(xs);
  m := xs[0];
}
""",
    "bodyless_lemma": """lemma FirstIsMax(xs: seq<int>)
  requires |xs| > 0
  ensures forall i :: 0 <= i < |xs| ==> xs[i] <= xs[0]

""" + MAX_HEAD + """{
  FirstIsMax(xs);
  m := xs[0];
}
""",
    "axiom_attribute": """lemma {:axiom} FirstIsMax(xs: seq<int>)
  requires |xs| > 0
  ensures forall i :: 0 <= i < |xs| ==> xs[i] <= xs[0]
{
}

""" + MAX_HEAD + """{
  FirstIsMax(xs);
  m := xs[0];
}
""",
    "extern_bodyless": MAX_HEAD.replace("method MaxOfList", "method {:extern} MaxOfList"),
    "weakened_ensures": MAX_HEAD.replace(
        "  ensures exists i :: 0 <= i < |xs| && xs[i] == m\n", "") + MAX_LOOP,
    "ensures_made_true": MAX_HEAD.replace(
        "ensures forall i", "ensures true || forall i") + MAX_LOOP,
    "extra_requires": MAX_HEAD.replace("requires |xs| > 0", "requires |xs| > 0\n  requires xs[0] == 7")
    + MAX_LOOP,
    "changed_signature": MAX_HEAD.replace("returns (m: int)", "returns (m: nat)") + MAX_LOOP,
    "decreases_star": MAX_HEAD + """{
  m := xs[0];
  while true
    decreases *
  {
  }
}
""",
    "expect": MAX_HEAD + """{
  m := xs[0];
  expect forall i :: 0 <= i < |xs| ==> xs[i] <= m;
}
""",
    "assume_in_calc_hint": MAX_HEAD + """{
  m := xs[0];
  calc {
    m;
    { assume false; }
    xs[0];
  }
}
""",
    "termination_false": MAX_HEAD + """{
  m := xs[0];
  var k := 1;
  while k < |xs|
    invariant 1 <= k <= |xs|
    invariant forall i :: 0 <= i < k ==> xs[i] <= m
    invariant exists i :: 0 <= i < k && xs[i] == m
    decreases {:termination false} |xs| - k
  {
    if xs[k] > m {
      m := xs[k];
    }
    k := k + 1;
  }
}
""",
}

COUNT_HELPER = """function CountEven(xs: seq<int>): nat
{
  if |xs| == 0 then 0
  else CountEven(xs[..|xs| - 1]) + (if xs[|xs| - 1] % 2 == 0 then 1 else 0)
}
"""
COUNT_METHOD = """method CountEvens(xs: seq<int>) returns (c: nat)
  ensures c == CountEven(xs)
{
  c := 0;
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant c == CountEven(xs[..i])
  {
    assert xs[..i + 1][..i] == xs[..i];
    if xs[i] % 2 == 0 {
      c := c + 1;
    }
    i := i + 1;
  }
  assert xs[..|xs|] == xs;
}
"""
COUNT_OK = COUNT_HELPER + "\n" + COUNT_METHOD
COUNT_ODD = COUNT_OK.replace("if xs[i] % 2 == 0 {", "if xs[i] % 2 == 1 {")
# Redefines the spec helper so that a trivial body satisfies the contract.
COUNT_REDEFINED_HELPER = """function CountEven(xs: seq<int>): nat
{
  0
}

method CountEvens(xs: seq<int>) returns (c: nat)
  ensures c == CountEven(xs)
{
  c := 0;
}
"""
# Compiled helper (`function method`) is allowed: same body, same meaning.
COUNT_OK_COMPILED_HELPER = COUNT_OK.replace("function CountEven", "function method CountEven", 1)

FILL_HEAD = """method Fill(a: array<int>, v: int)
  modifies a
  ensures forall i :: 0 <= i < a.Length ==> a[i] == v
"""
FILL_BODY = """{
  var k := 0;
  while k < a.Length
    invariant 0 <= k <= a.Length
    invariant forall i :: 0 <= i < k ==> a[i] == v
  {
    a[k] := v;
    k := k + 1;
  }
}
"""
FILL_OK = FILL_HEAD + FILL_BODY
FILL_OFF_BY_ONE = FILL_OK.replace("while k < a.Length\n", "while k + 1 < a.Length\n")
FILL_NO_MODIFIES = FILL_HEAD.replace("  modifies a\n", "") + FILL_BODY

GARBAGE = (
    "I'm sorry, but I can't help with writing that program.",
    "",
    "```python\ndef MaxOfList(xs):\n    return max(xs)\n```",
    fenced(MAX_OK[: len(MAX_OK) // 2]),  # cut off mid-program
    "```dafny\nclass C {\n  var x: int\n}\n```",  # outside the subset
)


def write_replay(path: Path, replies: Sequence[str], *, tokens: tuple[int, int] = (0, 0)) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in replies:
            record: dict[str, Any] = {"kind": "response", "content": r, "model": "recorded"}
            if tokens != (0, 0):
                record["input_tokens"], record["output_tokens"] = tokens
            f.write(json.dumps(record) + "\n")
    return path

FIND_OK = """method Find(xs: seq<int>, key: int) returns (idx: int)
  ensures -1 <= idx < |xs|
  ensures idx >= 0 ==> xs[idx] == key
  ensures idx >= 0 ==> forall i :: 0 <= i < idx ==> xs[i] != key
  ensures idx == -1 ==> forall i :: 0 <= i < |xs| ==> xs[i] != key
{
  idx := 0;
  while idx < |xs|
    invariant 0 <= idx <= |xs|
    invariant forall i :: 0 <= i < idx ==> xs[i] != key
  {
    if xs[idx] == key {
      return;
    }
    idx := idx + 1;
  }
  idx := -1;
}
"""

ABS_SPEC = TEST_SPECS / "abs.toml"
ABS_HEAD = """method Abs(x: int) returns (y: int)
  ensures y >= 0
  ensures y == x || y == -x
"""
ABS_WRONG = ABS_HEAD + "{\n  y := x;\n}\n"
ABS_OK = ABS_HEAD + "{\n  if x < 0 {\n    y := -x;\n  } else {\n    y := x;\n  }\n}\n"
