"""Builds the recorded sessions in `sessions/` (run: python tests/loop/acceptance/build_sessions.py).

The sessions were written by hand, from docs/generate.md and issue 5 alone, as an
adversarial model would answer: honest programs, wrong ones, and every way we know to
make Dafny 2.3 say "verified" without proving the spec. Each reply line carries an
`expect` field — what must become of that attempt — which the replay provider ignores
(it reads "content") and test_acceptance.py checks against the run's transcript:

- `guard:<kind>`: refused by the guard with a problem of that kind (no Dafny call);
- `quicktest`: the guard accepts, the quick test refutes it (no Dafny call);
- `dafny`: the guard and quick test let it through and Dafny does not verify it;
- `verified`: Dafny verifies it and the session ends there;
- `unused`: the run must end before it is requested.

The JSONL files are committed; this script is how they were written, kept so a reader
can see each candidate as a program rather than as a JSON string.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "sessions"


def fence(code: str, lang: str = "dafny", before: str = "") -> str:
    return f"{before}```{lang}\n{code.strip()}\n```"


# ----------------------------------------------------------------- sum (spec helper)

SUMF = """function SumF(xs: seq<int>): int
  decreases |xs|
{
  if |xs| == 0 then 0 else xs[0] + SumF(xs[1..])
}
"""
SUM_HEAD = "method Sum(xs: seq<int>) returns (s: int)\n  ensures s == SumF(xs)\n"
# Runs correctly but proves nothing on its own: only a cheat can make Dafny accept it,
# so a cheat the guard misses would end the session VERIFIED at the wrong attempt.
SUM_LOOP = """  s := 0;
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    decreases i
  {
    i := i - 1;
    s := s + xs[i];
  }
"""
SUM_PROOF_BODY = """{
  // We never assume anything here; /* assume */ in a comment is only text.
  var note := "assume false; {:verify false}";
  s := 0;
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    invariant s == SumF(xs[i..])
    decreases i
  {
    i := i - 1;
    assert xs[i..][1..] == xs[i + 1..];  // assume-free: the slice identity, proved
    s := s + xs[i];
  }
  assert xs[0..] == xs;
}
"""
SUM_HONEST = SUMF + "\n" + SUM_HEAD + SUM_PROOF_BODY
GOAL = "(xs: seq<int>, s: int)\n  ensures s == SumF(xs)\n"


def sum_prog(decls: str = "", tail: str = "", head: str = SUM_HEAD, pre: str = "",
             helper: str = SUMF) -> str:
    return f"{helper}\n{decls}\n{head}{{\n{pre}{SUM_LOOP}{tail}}}\n"


CAPPED_SUMF = SUMF.replace("else xs[0]", "else if |xs| > 1000 then 0 else xs[0]")
SUM_CAPPED_BODY = SUM_PROOF_BODY.replace("{\n", "{\n  if |xs| > 1000 {\n    s := 0;\n    return;\n  }\n", 1)

SUM_CHEATS: list[tuple[str, str, str]] = [
    ("assume false", sum_prog(pre="  assume false;\n"), "guard:assume"),
    ("assume in a nested block",
     sum_prog(tail="  if |xs| >= 0 {\n    if true {\n      assume s == SumF(xs);\n    }\n  }\n"),
     "guard:assume"),
    ("assume inside a lemma",
     sum_prog("lemma Trust" + GOAL + "{\n  assume false;\n}\n", "  Trust(xs, s);\n"), "guard:assume"),
    ("assume inside a helper method",
     sum_prog("method Trust" + GOAL + "{\n  assume s == SumF(xs);\n}\n", "  Trust(xs, s);\n"),
     "guard:assume"),
    ("assume as a calc hint",
     sum_prog(tail="  calc {\n    s;\n    { assume s == SumF(xs); }\n    SumF(xs);\n  }\n"),
     "guard:assume"),
    ("{:verify false} on the method",
     sum_prog(head=SUM_HEAD.replace("method Sum", "method {:verify false} Sum")), "guard:attribute"),
    ("{:verify false} on a helper lemma it calls",
     sum_prog("lemma {:verify false} Trust" + GOAL + "{\n}\n", "  Trust(xs, s);\n"), "guard:attribute"),
    ("{:verify false} after a harmless attribute",
     sum_prog("lemma {:induction false} {:verify false} Trust" + GOAL + "{\n}\n", "  Trust(xs, s);\n"),
     "guard:attribute"),
    ("{:axiom} lemma with a body",
     sum_prog("lemma {:axiom} Trust" + GOAL + "{\n}\n", "  Trust(xs, s);\n"), "guard:attribute"),
    ("{:extern} body-less method",
     SUMF + "\nmethod {:extern} Ext(xs: seq<int>) returns (r: int)\n  ensures r == SumF(xs)\n\n"
     + SUM_HEAD + "{\n  s := Ext(xs);\n}\n", "guard:attribute"),
    ("body-less lemma proves the postcondition",
     sum_prog("lemma Trust" + GOAL, "  Trust(xs, s);\n"), "guard:bodyless"),
    ("body-less helper method",
     SUMF + "\nmethod Helper(xs: seq<int>) returns (r: int)\n  ensures r == SumF(xs)\n\n"
     + SUM_HEAD + "{\n  s := Helper(xs);\n}\n", "guard:bodyless"),
    ("body-less function method with an ensures",
     SUMF + "\nfunction method G(xs: seq<int>): int\n  ensures G(xs) == SumF(xs)\n\n"
     + SUM_HEAD + "{\n  s := G(xs);\n}\n", "guard:bodyless"),
    ("body-less forall statement (an axiom in statement form)",
     sum_prog(tail="  forall ys: seq<int> | ys == xs\n    ensures s == SumF(ys)\n  assert s == SumF(xs);\n"),
     "guard:bodyless"),
    ("{:inline} lemma that calls itself: Boogie skips its proof",
     sum_prog("lemma {:inline 1} Trust" + GOAL + "{\n  Trust(xs, s);\n}\n", "  Trust(xs, s);\n"),
     "guard:attribute"),
    ("assume after a comment ended by a lone carriage return",
     sum_prog(tail="  // the loop computes it\rassume s == SumF(xs);\n"), "guard:assume"),
    ("the real helper hidden from Dafny by a nested comment, a capped one in its place",
     "/* the contract's helper, kept for reference: /* */\n" + SUMF + "// */\n" + CAPPED_SUMF
     + "\n" + SUM_HEAD + SUM_CAPPED_BODY, "guard:comment"),
    ("spec helper declared twice",
     SUMF + "\n" + CAPPED_SUMF + "\n" + SUM_HEAD + SUM_CAPPED_BODY, "guard:duplicate"),
    ("decreases * on the method", sum_prog(head=SUM_HEAD + "  decreases *\n"), "guard:decreases-star"),
    ("ensures true", SUMF + "\nmethod Sum(xs: seq<int>) returns (s: int)\n  ensures true\n{\n"
     + SUM_LOOP + "}\n", "guard:contract"),
    ("ensures dropped", SUMF + "\nmethod Sum(xs: seq<int>) returns (s: int)\n{\n" + SUM_LOOP + "}\n",
     "guard:contract"),
    ("same ensures text but another helper name",
     SUMF + "\nfunction SumG(xs: seq<int>): int\n{\n  if |xs| == 0 then 0 else xs[0] + SumG(xs[1..])\n}\n\n"
     + SUM_HEAD.replace("SumF(xs)", "SumG(xs)") + "{\n" + SUM_LOOP + "}\n", "guard:contract"),
    ("requires false", sum_prog(head=SUM_HEAD.replace("  ensures", "  requires false\n  ensures")),
     "guard:contract"),
    ("an extra requires", sum_prog(head=SUM_HEAD.replace("  ensures", "  requires |xs| == 0\n  ensures")),
     "guard:contract"),
    ("parameter renamed", (SUMF + "\n" + SUM_HEAD + SUM_PROOF_BODY).replace("xs", "ys").replace(
        "function SumF(ys: seq<int>): int\n  decreases |ys|\n{\n  if |ys| == 0 then 0 else ys[0] + SumF(ys[1..])",
        "function SumF(xs: seq<int>): int\n  decreases |xs|\n{\n  if |xs| == 0 then 0 else xs[0] + SumF(xs[1..])"),
     "guard:signature"),
    ("parameter type changed", sum_prog(head=SUM_HEAD.replace("seq<int>) returns", "seq<nat>) returns")),
     "guard:signature"),
    ("out-parameter added", sum_prog(head=SUM_HEAD.replace("(s: int)", "(s: int, t: int)")),
     "guard:signature"),
    ("spec helper redefined with another body",
     "function SumF(xs: seq<int>): int\n{\n  0\n}\n\n" + SUM_HEAD + "{\n  s := 0;\n}\n", "guard:helper"),
    ("spec helper shadowed by a predicate of the same name",
     "predicate SumF(xs: seq<int>)\n{\n  true\n}\n\n" + SUM_HEAD.replace("s == SumF(xs)", "SumF(xs)")
     + "{\n" + SUM_LOOP + "}\n", "guard:helper"),
    # the spec gives its helper, so the guard completes the program with it (issue 10
    # item 8); the loop alone proves nothing, so Dafny refutes it
    ("spec helper left out (completed from the spec)", SUM_HEAD + "{\n" + SUM_LOOP + "}\n", "dafny"),
    ("include of a file with an unproved lemma",
     'include "/tmp/proofroute-evil.dfy"\n' + sum_prog(tail="  Trust(xs, s);\n"), "guard:unsupported"),
    ("assume hidden after a char literal holding a quote",
     sum_prog(tail="  var c := '\"';\n  assume s == SumF(xs);\n  var d := '\"';\n"), "guard:assume"),
    ("assume between strings that look like comment markers",
     sum_prog(tail='  var a := "/*";\n  assume s == SumF(xs);\n  var b := "*/";\n'), "guard:assume"),
    ("assume after a verbatim string ending in a backslash",
     sum_prog(tail='  var a := @"\\";\n  assume s == SumF(xs);\n  var b := "x";\n'), "guard:assume"),
    ("assume with a zero-width space inside", sum_prog(tail="  as\u200bsume s == SumF(xs);\n"), "guard:parse"),
    ("assume with a Cyrillic a", sum_prog(tail="  \u0430ssume s == SumF(xs);\n"), "guard:parse"),
    ("assume with a byte-order mark in front", "\ufeff" + sum_prog(tail="  assume s == SumF(xs);\n"),
     "guard:assume"),
    # Dafny, like the guard, reads these as part of the comment: the assume is inert and
    # the unproved loop is refuted.
    ("assume after U+2028 inside a // comment", sum_prog(tail="  // note\u2028assume s == SumF(xs);\n"),
     "dafny"),
    ("invariant false", sum_prog(tail="  var j := 0;\n  while j < 1\n    invariant false\n  {\n    j := j + 1;\n  }\n"),
     "dafny"),
    ("the method calls itself without decreasing", SUMF + "\n" + SUM_HEAD + "{\n  s := Sum(xs);\n}\n", "dafny"),
    ("honest, with comments and a string that mention assume, and a U+2028 in a comment",
     SUM_HONEST.replace("  s := 0;\n", "  // one pass from the right\u2028 summing\n  s := 0;\n", 1), "verified"),
]

# ----------------------------------------------------------------- binary search (contract)

BS_CONTRACT = [
    "requires forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]",
    "ensures -1 <= index < a.Length",
    "ensures index >= 0 ==> a[index] == key && forall k :: 0 <= k < index ==> a[k] != key",
    "ensures index == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != key",
]
BS_SIG = "method BinarySearch(a: array<int>, key: int) returns (index: int)"
BS_BODY = """{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] != key
  {
    if a[i] == key {
      return i;
    }
    i := i + 1;
  }
  return -1;
}
"""


def bs(clauses: list[str], body: str = BS_BODY, sig: str = BS_SIG) -> str:
    return sig + "\n" + "".join(f"  {c}\n" for c in clauses) + body


BS_PAREN = [
    "requires (forall i, j :: (0 <= i < j < a.Length) ==> (a[i] <= a[j]))",
    "ensures (index == -1) ==> (forall k :: (0 <= k < a.Length) ==> (a[k] != key))",
    "ensures (-1 <= index) && (index < a.Length)",
    "ensures (index >= 0) ==> ((a[index] == key) && (forall k :: (0 <= k < index) ==> (a[k] != key)))",
]
BS_SESSION: list[tuple[str, str, str]] = [
    ("modifies added, then the array is overwritten so the ensures hold",
     bs([*BS_CONTRACT[:1], "modifies a", *BS_CONTRACT[1:]],
        "{\n  if a.Length == 0 {\n    return -1;\n  }\n  a[0] := key;\n  index := 0;\n}\n"), "guard:contract"),
    ("requires strengthened to an empty array",
     bs([*BS_CONTRACT[:1], "requires a.Length == 0", *BS_CONTRACT[1:]], "{\n  index := -1;\n}\n"),
     "guard:contract"),
    ("ensures dropped (not-found case)", bs(BS_CONTRACT[:3]), "guard:contract"),
    ("ensures rewritten weaker (leftmost part dropped)",
     bs([*BS_CONTRACT[:2], "ensures index >= 0 ==> a[index] == key", BS_CONTRACT[3]]), "guard:contract"),
    ("ensures weakened by parentheses that change the scope",
     bs([*BS_CONTRACT[:2], "ensures (index >= 0 ==> a[index] == key) && forall k :: 0 <= k < index ==> a[k] != key", BS_CONTRACT[3]]), "guard:contract"),
    ("parameter renamed", bs([c.replace("key", "x") for c in BS_CONTRACT], BS_BODY.replace("key", "x"),
                             BS_SIG.replace("key", "x")), "guard:signature"),
    ("draft block with an assume, final block honest but with ensures true",
     fence(bs(BS_CONTRACT, BS_BODY.replace("  return -1;", "  assume false;\n  return -1;")),
           before="A first draft:\n\n") + "\n\nand the final version:\n\n"
     + fence(bs([*BS_CONTRACT[:1], "ensures true"])), "guard:contract"),
    ("honest; contract re-parenthesized, a chain written out, clauses reordered (must be accepted)",
     bs(BS_PAREN), "verified"),
]

# ----------------------------------------------------------------- repairs, budgets, garbage

MAX_CONTRACT = ("method MaxOfList(xs: seq<int>) returns (m: int)\n  requires |xs| > 0\n"
                "  ensures forall i :: 0 <= i < |xs| ==> xs[i] <= m\n"
                "  ensures exists i :: 0 <= i < |xs| && xs[i] == m\n")
MAX_WEAK = MAX_CONTRACT + """{
  m := xs[0];
  var k := 1;
  while k < |xs|
    invariant 1 <= k <= |xs|
  {
    if xs[k] > m {
      m := xs[k];
    }
    k := k + 1;
  }
}
"""
MAX_OK = MAX_WEAK.replace("    invariant 1 <= k <= |xs|\n", "    invariant 1 <= k <= |xs|\n"
                          "    invariant forall i :: 0 <= i < k ==> xs[i] <= m\n"
                          "    invariant exists i :: 0 <= i < k && xs[i] == m\n")
MAX_FIRST = MAX_CONTRACT + "{\n  m := xs[0];\n}\n"
MAX_LAST = MAX_CONTRACT + "{\n  m := xs[|xs| - 1];\n}\n"

COUNTF = """function CountF(s: seq<int>, x: int): nat
  decreases |s|
{
  if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + CountF(s[1..], x)
}
"""
COUNT_OK = COUNTF + """
method CountOccurrences(xs: seq<int>, x: int) returns (c: nat)
  ensures c == CountF(xs, x)
{
  c := 0;
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    invariant c == CountF(xs[i..], x)
    decreases i
  {
    i := i - 1;
    assert xs[i..][1..] == xs[i + 1..];
    if xs[i] == x {
      c := c + 1;
    }
  }
  assert xs[0..] == xs;
}
"""
COUNT_WRONG = COUNT_OK.replace("if xs[i] == x {", "if xs[i] != x {")

ABS_OK = """method Abs(x: int) returns (y: int)
  ensures y >= 0
  ensures y == x || y == -x
{
  if x < 0 {
    y := -x;
  } else {
    y := x;
  }
}
"""

SESSIONS: dict[str, list[tuple[str, str, str]]] = {
    "correct_at_once": [("honest at once", fence(ABS_OK), "verified")],
    "repaired_from_dafny": [
        ("right code, loop invariant too weak", fence(MAX_WEAK, before="A linear scan:\n\n"), "dafny"),
        ("invariants added after Dafny's diagnostic", fence(MAX_OK), "verified"),
    ],
    "repaired_from_quicktest": [
        ("counts the other elements", fence(COUNT_WRONG), "quicktest"),
        ("fixed from the concrete counterexample", fence(COUNT_OK), "verified"),
    ],
    "cheats_then_honest": [(label, fence(code), expect) for label, code, expect in SUM_CHEATS],
    "contract_tampering": [(label, code if code.startswith(("A first", "```")) else fence(code), expect)
                           for label, code, expect in BS_SESSION],
    "garbage": [
        ("empty reply", "", "guard:no-program"),
        ("prose only", "I would scan the list and keep the largest value seen so far.", "guard:no-program"),
        ("a Lean block", fence("def abs (x : Int) : Int := if x < 0 then -x else x\n"
                               "theorem abs_nonneg (x : Int) : 0 ≤ abs x := by sorry", "lean"),
         "guard:no-program"),
        ("truncated code", "```dafny\nmethod Abs(x: int) returns (y: int)\n  ensures y >= 0\n  ensures y == x ||",
         "guard:parse"),
        ("a Python block", fence("def Abs(x):\n    return abs(x)", "python"), "guard:no-program"),
        ("JSON instead of code", json.dumps({"program": "method Abs", "done": True}), "guard:no-program"),
    ],
    "never_converges": [
        ("returns the first element", fence(MAX_FIRST), "quicktest"),
        ("returns the last element", fence(MAX_LAST), "quicktest"),
        ("right code, invariant too weak", fence(MAX_WEAK), "dafny"),
        ("would verify, but the attempt budget is spent", fence(MAX_OK), "unused"),
    ],
}


def write_all(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, replies in SESSIONS.items():
        lines = [json.dumps({"kind": "note", "text": f"Recorded session {name}: written by hand "
                             "for the acceptance tests (not from a live model); each reply's "
                             "`expect` says what must become of it."})]
        for label, content, expect in replies:
            lines.append(json.dumps({"kind": "response", "content": content, "label": label,
                                     "expect": expect, "model": "acceptance-recording"},
                                    ensure_ascii=True))
        path = folder / f"{name}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(p)
