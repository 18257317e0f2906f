"""The plain-English read-back: golden files for the shipped specs (read by a person when
they change), and single clauses whose sentence must be exactly right — the idioms only
where the tree has their shape, the careful generic form everywhere else.

Set PROOFROUTE_UPDATE_GOLDEN=1 to rewrite tests/golden/readback/*.txt after a deliberate
change (then read the diff as a user would).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from verifier.specs.loader import load_spec, load_spec_text
from verifier.specs.readback import ExampleReading, read_back, render_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs" / "examples").glob("*.toml"))
GOLDEN = ROOT / "tests" / "golden" / "readback"
UPDATE = os.environ.get("PROOFROUTE_UPDATE_GOLDEN") == "1"


def test_every_shipped_spec_has_a_golden_readback() -> None:
    assert len(SPECS) == 35
    assert {p.stem for p in SPECS} == {p.stem for p in GOLDEN.glob("*.txt")}


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_golden_readback(path: Path) -> None:
    text = render_text(read_back(load_spec(path)))
    expected = GOLDEN / f"{path.stem}.txt"
    if UPDATE:
        expected.write_text(text)
    assert text == expected.read_text(), f"read-back of {path.name} changed"
    assert "`" in text and "ensures" in text


def _one(signature: str, clause: str, *, requires: bool = False, helpers: str = "") -> str:
    key = "requires" if requires else "ensures"
    text = f'name = "t"\nsignature = "{signature}"\n{key} = [{clause!r}]\n{helpers}'
    text = text.replace("'", '"') if '"' not in clause else text
    rb = read_back(load_spec_text(text))
    (reading,) = rb.clauses
    return reading.english


SEQ = "method F(xs: seq<int>, m: int) returns (r: int)"


@pytest.mark.parametrize(("sig", "clause", "english"), [
    (SEQ, "forall i :: 0 <= i < |xs| ==> xs[i] <= r", "every element of `xs` is at most `r`"),
    (SEQ, "forall i :: 0 <= i < |xs| ==> r <= xs[i]", "every element of `xs` is at least `r`"),
    (SEQ, "exists i :: 0 <= i < |xs| && xs[i] == r", "`r` is one of the elements of `xs`"),
    (SEQ, "exists i :: 0 <= i < |xs| && xs[i] > r", "some element of `xs` is greater than `r`"),
    (SEQ, "forall i, j :: 0 <= i < j < |xs| ==> xs[i] < xs[j]",
     "`xs` is strictly increasing (each element is less than every later one)"),
    (SEQ, "|xs| > 0", "`xs` is not empty"),
    (SEQ, "r == |xs|", "`r` equals the length of `xs`"),
    (SEQ, "r in xs", "`r` is one of the elements of `xs`"),
    (SEQ, "r !in xs", "`r` is not one of the elements of `xs`"),
    (SEQ, "r > 0 ==> r < m", "if `r` is greater than 0, then `r` is less than `m`"),
    (SEQ, "r == m || (r > 0 && r < m)",
     "either `r` equals `m`, or both `r` is greater than 0 and `r` is less than `m`"),
    # the variable is used in another way than `xs[i]`: no idiom, the generic form
    (SEQ, "forall i :: 0 <= i < |xs| ==> xs[i] <= r + i",
     "for every index `i` of `xs`, `xs[i]` is at most `r + i`"),
    # a range that is not an index range of a sequence
    (SEQ, "forall k :: 1 <= k <= m ==> r != k", "for every `k` with `1 <= k <= m`, `r` differs from `k`"),
    # unbounded: said as such
    (SEQ, "forall k :: k > r ==> k > m", "for every `k` such that `k` is greater than `r`, `k` is greater than `m`"),
    # what no rule covers keeps its Dafny text
    (SEQ, "(var d := r - m; d * d) >= 0", "`var d := r - m; d * d` is at least 0"),
    (SEQ, "r == (if m > 0 then m else 0)", "`r` equals `if m > 0 then m else 0`"),
    ("method G(s: set<int>) returns (t: set<int>)", "t <= s", "`t` is a subset of `s`"),
    ("method G(s: multiset<int>) returns (t: multiset<int>)", "t < s", "`t` is a proper subset of `s`"),
    ("method G(s: seq<int>) returns (t: seq<int>)", "t <= s", "`t` is a prefix of `s`"),
    ("method G(a: array<int>)", "multiset(a[..]) == multiset(old(a[..]))",
     "the contents of `a` are a rearrangement of the original contents of `a` "
     "(the same elements, each as many times)"),
    ("method H(b: bool) returns (c: bool)", "c <==> !b", "`c` is true exactly when `b` is false"),
    ("method H(a: bool, b: bool) returns (c: bool)", "c <==> (a ==> b)",
     "`c` is true exactly when the following holds: if `a` is true, then `b` is true"),
    ("method K(m: multiset<int>) returns (n: int)", "n == |m|",
     "`n` equals the total number of elements of `m` (repetitions counted)"),
    (SEQ, "r == |set x | x in xs && x > m|",
     "`r` equals the number of distinct elements `x` of `xs` such that `x` is greater than `m`"),
    ("method H(m: map<int, int>, k: int) returns (r: int)", "k in m ==> r == m[k]",
     "if `k` is a key of `m`, then `r` equals `m[k]`"),
])
def test_clause_sentence(sig: str, clause: str, english: str) -> None:
    assert _one(sig, clause) == english


def test_pairs_are_listed_after_the_examples() -> None:
    rb = read_back(load_spec(ROOT / "specs" / "examples" / "abs.toml"))
    text = render_text(rb, [ExampleReading("Abs(x = 2)", "y = 2")], "found by z3")
    assert text.endswith("Some calls the contract allows (found by z3):\n  Abs(x = 2) may give y = 2\n")
